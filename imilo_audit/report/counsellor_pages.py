"""Each counsellor's list: a page ``par_conseiller/<person>.html`` and a workbook, from one pass over the findings.

One person, one page and one workbook, whatever the spelling of the export (the
:class:`~imilo_audit.people.counsellors.Directory` decides who is who); the findings routed to nobody and
the user-account findings make two collective lists (« Sans conseiller référent », « Comptes
utilisateurs (administration i-milo) »).

The page travels like ``index.html`` (outputs.md, "What the shared pages show"): it is built from
:func:`~imilo_audit.people.sharing.shareable` findings, so it shows no email, phone number, NIR, birth date
or street address, and never a youth's name; those stay in the person's own workbook. It is
self-contained (the report's stylesheet inline), opens offline and prints on A4. Each row: the
dossier, the rule, the field's French label, the message, how to fix it and its follow-up; errors
first, then the oldest first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..french.formatting import fr_month
from ..french.typography import french_spaces
from ..people.counsellors import ACCOUNTS, NOBODY, Counsellor, Directory
from ..people.sharing import shareable
from .formatting import SEVERITIES
from .offline import check_offline
from .stats import prepare_findings
from .templating import environment
from .workbooks import element_label, field_label, fixed_identities, line_label, prepare_lists

INDEX = "../index.html"
_PAGE_FIELDS = ("gravite", "rule_id", "titre", "dossier", "element", "champ_libelle", "message", "correction",
                "suivi", "suivi_libelle")


def page_name(stem: str) -> str:
    """``christophe_hoarau.html``: the person's page, next to their workbook."""
    return f"{stem}.html"


def _fixed_rows(fixed: pd.DataFrame | None, catalogue: list[dict], directory: Directory) -> dict[str, list[dict]]:
    """The previous audit's findings now gone, per person: dossier, rule, field and theme (no value)."""
    if fixed is None or fixed.empty or "rule_id" not in fixed.columns:
        return {}
    frame = prepare_findings(fixed, catalogue)
    titles = {rule["rule_id"]: rule.get("titre", "") for rule in catalogue}
    found: dict[str, list[dict]] = {}
    columns = zip(fixed_identities(frame, directory), frame["rule_id"], frame["table"], frame["id_enregistrement"],
                  frame["id_jeune"], frame["champ"], frame["theme"], frame["conseiller"], frame["lieu"], strict=True)
    for key, rule_id, table, record, youth, champ, theme, conseiller, lieu in columns:
        if key is None:
            continue
        found.setdefault(key, []).append({
            "theme": theme, "rule_id": rule_id, "titre": titles.get(rule_id, ""),
            "dossier": youth or (line_label(record, table) if record else ""),
            "element": element_label(table, record, conseiller, lieu) if table != "jeunes" or not record else "",
            "champ_libelle": field_label(table, champ),
        })
    return found


def _shared_rows(rows: pd.DataFrame) -> list[dict]:
    """The rows as a page shows them (:func:`~imilo_audit.people.sharing.shareable`), in the rows' order.

    A message replaced by its shared wording (``message_partage``) gets the French spaces the
    rows' messages already have.
    """
    if not len(rows):
        return []
    shared = shareable(rows)
    if "message_partage" in shared.columns:
        worded = (shared["message_partage"].astype("string").fillna("") != "").to_numpy()
        shared.loc[worded, "message"] = [french_spaces(message) for message in shared.loc[worded, "message"]]
    return shared[list(_PAGE_FIELDS)].to_dict(orient="records")


def _totals(counts: list[dict]) -> dict[str, int]:
    keys = (*SEVERITIES, "total", "nouveaux", "persistants", "corriges")
    return {key: sum(item[key] for item in counts) for key in keys}


def _order(entries: list[dict]) -> list[dict]:
    """People by most errors, then most findings, then name; the two collective lists last."""
    people = sorted((e for e in entries if e["personne"]),
                    key=lambda e: (-e["erreur"], -e["total"], e["nom"].casefold(), e["key"]))
    lists = [e for key in (NOBODY, ACCOUNTS) for e in entries if e["key"] == key]
    return people + lists


def write_counsellor_outputs(
    out_dir: Path,
    findings: pd.DataFrame,
    fixed: pd.DataFrame,
    catalogue: list[dict],
    directory: Directory,
    *,
    month: str,
    structure: str,
    date_reference: str,
    youth_names: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Write each person's page and workbook into ``out_dir`` (the run's ``par_conseiller/``).

    A person gets them when they have findings this month or fixed ones since the previous audit.
    Returns one dict per list, people by most errors then most findings, the two collective lists
    last: ``key``, ``nom``, ``personne``, ``page`` and ``classeur`` (paths from the audit folder),
    ``erreur``, ``alerte``, ``info``, ``total``, ``dossiers`` (distinct dossiers), ``nouveaux``,
    ``persistants``, ``corriges``, ``depuis`` (oldest first detection, or ""). Counts are those of
    the lists, where two identical rows (e.g. a DAT-02 pair) count once. ``progress`` is told
    (lists written, lists in all) after each person.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lists = prepare_lists(findings, catalogue, directory, fixed, month=month, structure=structure,
                          date_reference=date_reference, youth_names=youth_names)
    rows, themes = lists.rows, lists.themes
    fixed_by_person = _fixed_rows(fixed, catalogue, directory)
    theme_titles = {theme["theme"]: french_spaces(theme["titre"] or "Autres règles") for theme in themes}
    anchors = {theme["theme"]: f"theme-{number}" for number, theme in enumerate(themes, start=1)}
    page_rows = _shared_rows(rows)
    dossiers, firsts = rows["dossier"].tolist(), rows["premiere_detection"].tolist()
    template = environment().get_template("counsellor.html.j2")
    common = {
        "structure": structure,
        "mois": fr_month(month + "-01") if month else "",
        "date_reference": date_reference,
        "index": INDEX,
        "ancres": anchors,
        "noms_jeunes": youth_names is not None,
    }
    entries = []
    for number, key in enumerate(lists.people, start=1):
        person: Counsellor = directory.people[key]
        mine = lists.groups.get(key, {})
        counts = lists.counts(key)
        workbook = lists.write_workbook(out_dir, person, counts)
        positions = [i for theme in themes for i in mine.get(theme["theme"], [])]
        since = min((firsts[i] for i in positions if firsts[i]), default="")
        totals = _totals(counts)
        entry = {
            "key": key,
            "nom": person.nom,
            "personne": person.personne,
            "page": f"{out_dir.name}/{page_name(person.fichier)}",
            "classeur": f"{out_dir.name}/{workbook}",
            **{severity: totals[severity] for severity in SEVERITIES},
            "total": totals["total"],
            "dossiers": len({dossiers[i] for i in positions if dossiers[i]}),
            "nouveaux": totals["nouveaux"],
            "persistants": totals["persistants"],
            "corriges": totals["corriges"],
            "depuis": since,
        }
        sections = [
            {"theme": theme["theme"], "titre": theme_titles[theme["theme"]],
             "lignes": [page_rows[i] for i in mine[theme["theme"]]]}
            for theme in themes if mine.get(theme["theme"])
        ]
        html = template.render(
            **common, personne=person, chiffres=entry, par_theme=counts, sections=sections,
            classeur=workbook, corriges=[{**item, "theme_titre": theme_titles.get(item["theme"], item["theme"])}
                                         for item in fixed_by_person.get(key, [])],
            depuis=fr_month(since + "-01") if since else "",
        )
        path = out_dir / page_name(person.fichier)
        check_offline(html, str(path))
        path.write_text(html, encoding="utf-8")
        entries.append(entry)
        if progress is not None:
            progress(number, len(lists.people))
    return _order(entries)
