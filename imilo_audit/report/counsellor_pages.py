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
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from ..french.formatting import fr_month
from ..french.typography import french_spaces
from ..people.counsellors import ACCOUNTS, NOBODY, Counsellor, Directory
from ..people.sharing import shareable
from .formatting import SEVERITIES
from .lanes import in_two_lanes
from .offline import check_offline
from .stats import prepare_findings
from .templating import environment
from .workbooks import element_label, field_label, fixed_identities, line_label, prepare_lists

INDEX = "../index.html"
PAGE_ROWS = 300  # rows a page shows (errors first, then the oldest); the workbook keeps every one
TASK_WEIGHT = 25  # a page and a workbook cost about as much as 25 rows more
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


def _shared_rows(rows: pd.DataFrame) -> dict[str, list]:
    """The rows as a page shows them (:func:`~imilo_audit.people.sharing.shareable`), column by column.

    Columns of lists, not a dict per row: each page reads its few hundred rows by position, and the
    forked writer of :mod:`.lanes` copies the memory pages of the objects it touches. A message
    replaced by its shared wording (``message_partage``) gets the French spaces the rows' messages
    already have.
    """
    if not len(rows):
        return {name: [] for name in _PAGE_FIELDS}
    shared = shareable(rows)
    if "message_partage" in shared.columns:
        worded = (shared["message_partage"].astype("string").fillna("") != "").to_numpy()
        shared.loc[worded, "message"] = [french_spaces(message) for message in shared.loc[worded, "message"].tolist()]
    return {name: shared[name].tolist() for name in _PAGE_FIELDS}


def _totals(counts: list[dict]) -> dict[str, int]:
    keys = (*SEVERITIES, "total", "nouveaux", "persistants", "corriges")
    return {key: sum(item[key] for item in counts) for key in keys}


def _order(entries: list[dict]) -> list[dict]:
    """People by most errors, then most findings, then name; the two collective lists last."""
    people = sorted((e for e in entries if e["personne"]),
                    key=lambda e: (-e["erreur"], -e["total"], e["nom"].casefold(), e["key"]))
    lists = [e for key in (NOBODY, ACCOUNTS) for e in entries if e["key"] == key]
    return people + lists


class CounsellorOutputs:
    """Every person's page and workbook, prepared once: :attr:`entries` at once, the files by :meth:`tasks`.

    The findings are grouped once (:func:`~.workbooks.prepare_lists`); each person's counts come
    from the groups, so that the report can be written beside the lists (:mod:`.lanes`).
    """

    def __init__(self, out_dir: Path, findings: pd.DataFrame, fixed: pd.DataFrame, catalogue: list[dict],
                 directory: Directory, *, month: str, structure: str, date_reference: str,
                 youth_names: dict[str, str] | None = None, follow_up: bool = True) -> None:
        self.out_dir = Path(out_dir)
        self.follow_up = follow_up  # an earlier audit to compare with: new, persistent and fixed are shown
        self.directory = directory
        self.lists = lists = prepare_lists(findings, catalogue, directory, fixed, month=month, structure=structure,
                                           date_reference=date_reference, youth_names=youth_names,
                                           follow_up=follow_up)
        self.fixed_by_person = _fixed_rows(fixed, catalogue, directory)
        self.theme_titles = {theme["theme"]: french_spaces(theme["titre"] or "Autres règles") for theme in lists.themes}
        self.page_rows = _shared_rows(lists.rows)
        self.template = environment().get_template("counsellor.html.j2")
        self.common = {
            "structure": structure,
            "mois": fr_month(month + "-01") if month else "",
            "date_reference": date_reference,
            "index": INDEX,
            "ancres": {theme["theme"]: f"theme-{number}" for number, theme in enumerate(lists.themes, start=1)},
            "noms_jeunes": youth_names is not None,
            "lignes_max": PAGE_ROWS,
            "suivi": follow_up,
        }
        dossiers, firsts = lists.rows["dossier"].tolist(), lists.rows["premiere_detection"].tolist()
        self._counts = {key: lists.counts(key) for key in lists.people}
        self._entries = {key: self._entry(key, dossiers, firsts) for key in lists.people}
        # the prepared rows are read: their cells (lists.records) and page columns stay, the table goes before
        # the writer's fork (at a million youths a few hundred MB that the child would copy as it reads)
        self.lists = replace(lists, rows=lists.rows.iloc[:0])

    @property
    def entries(self) -> list[dict]:
        """One dict per list, in the report's order (see :func:`write_counsellor_outputs`)."""
        return _order(list(self._entries.values()))

    def tasks(self) -> list[tuple[float, Callable[[], None]]]:
        """(weight, write) per person, the weight growing with the rows of their page and workbook.

        The folder is created here, once, for all the writes.
        """
        self.out_dir.mkdir(parents=True, exist_ok=True)
        return [(TASK_WEIGHT + self._entries[key]["total"], partial(self.write, key)) for key in self.lists.people]

    def write(self, key: str) -> None:
        """Write the person's workbook and page."""
        person: Counsellor = self.directory.people[key]
        workbook = self.lists.write_workbook(self.out_dir, person, self._counts[key])
        entry = self._entries[key]
        mine = self.lists.groups.get(key, {})
        shown = _first_rows(mine, PAGE_ROWS)
        sections = []
        for theme in self.lists.themes:
            positions = mine.get(theme["theme"])
            if positions:
                visible = [i for i in positions if i in shown]
                lines = "\n".join(_row_html(self.page_rows, i, self.follow_up) for i in visible)
                sections.append({"theme": theme["theme"], "titre": self.theme_titles[theme["theme"]],
                                 "lignes": Markup(lines),
                                 "regles": self._fixes(positions), "total": len(positions),
                                 "shown": len(visible), "masquees": len(positions) - len(visible)})
        html = self.template.render(
            **self.common, personne=person, chiffres=entry, par_theme=self._counts[key], sections=sections,
            classeur=workbook, masquees=entry["total"] - len(shown),
            corriges=[{**item, "theme_titre": self.theme_titles.get(item["theme"], item["theme"])}
                      for item in self.fixed_by_person.get(key, [])],
            depuis=fr_month(entry["depuis"] + "-01") if entry["depuis"] else "",
        )
        path = self.out_dir / page_name(person.fichier)
        check_offline(html, str(path))
        path.write_text(html, encoding="utf-8")

    def _fixes(self, positions: list[int]) -> list[dict[str, str]]:
        """How to fix each rule of these rows, once per rule, in the rows' order."""
        rules: dict[str, dict[str, str]] = {}
        columns = self.page_rows
        for position in positions:
            rule_id = columns["rule_id"][position]
            if rule_id not in rules:
                rules[rule_id] = {"rule_id": rule_id, "titre": columns["titre"][position],
                                  "correction": columns["correction"][position]}
        return list(rules.values())

    def _entry(self, key: str, dossiers: list[str], firsts: list[str]) -> dict:
        person: Counsellor = self.directory.people[key]
        mine = self.lists.groups.get(key, {})
        positions = [i for theme in self.lists.themes for i in mine.get(theme["theme"], [])]
        totals = _totals(self._counts[key])
        return {
            "key": key,
            "nom": person.nom,
            "personne": person.personne,
            "page": f"{self.out_dir.name}/{page_name(person.fichier)}",
            "classeur": f"{self.out_dir.name}/{self.lists.workbook_name(person)}",
            **{severity: totals[severity] for severity in SEVERITIES},
            "total": totals["total"],
            "dossiers": len({dossiers[i] for i in positions if dossiers[i]}),
            "nouveaux": totals["nouveaux"],
            "persistants": totals["persistants"],
            "corriges": totals["corriges"],
            "depuis": min((firsts[i] for i in positions if firsts[i]), default=""),
        }


@lru_cache(maxsize=1 << 16)
def _html(text: str) -> str:
    """``text`` escaped for HTML, once per distinct text (rule titles, messages and labels repeat by the thousand)."""
    return str(escape(text))


def _row_html(columns: dict[str, list], i: int, follow_up: bool = True) -> str:
    """Row ``i`` of a page's table, escaped (built here: Jinja's attribute lookups cost more than the page).

    Without ``follow_up`` (a first audit), no « Suivi » cell: every row would say « nouveau ».
    """
    severity = columns["gravite"][i] or ""
    badge = severity if severity in SEVERITIES else "neutre"
    element, title = columns["element"][i], columns["titre"][i]
    element = f'<br><span class="small muted">{_html(element)}</span>' if element else ""
    title = f"<br>{_html(title)}" if title else ""
    suivi = columns["suivi"][i]
    follow = (f'<td class="suivi-{_html(suivi or "inconnu")}">{_html(columns["suivi_libelle"][i] or "—")}</td>'
              if follow_up else "")
    return (f'<tr><td><span class="badge {badge}">{_html(severity or "—")}</span></td>'
            f'<td><b>{_html(columns["dossier"][i] or "—")}</b>{element}</td>'
            f'<td><b>{_html(columns["rule_id"][i])}</b>{title}</td>'
            f'<td>{_html(columns["champ_libelle"][i] or "—")}</td>'
            f'<td class="message">{_html(columns["message"][i])}</td>{follow}</tr>')


def _first_rows(mine: dict[str, list[int]], limit: int) -> set[int]:
    """The person's first ``limit`` rows in the lists' order (errors first, then the oldest)."""
    positions = sorted(i for theme in mine.values() for i in theme)
    return set(positions[:limit])


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
    """Write each person's page and workbook into ``out_dir`` (the run's ``par_conseiller/``), on both cores.

    A person gets them when they have findings this month or fixed ones since the previous audit.
    Returns one dict per list, people by most errors then most findings, the two collective lists
    last: ``key``, ``nom``, ``personne``, ``page`` and ``classeur`` (paths from the audit folder),
    ``erreur``, ``alerte``, ``info``, ``total``, ``dossiers`` (distinct dossiers), ``nouveaux``,
    ``persistants``, ``corriges``, ``depuis`` (oldest first detection, or ""). Counts are those of
    the lists, where two identical rows (e.g. a DAT-02 pair) count once. ``progress`` is told
    (lists written, lists in all) as they are written.
    """
    outputs = CounsellorOutputs(out_dir, findings, fixed, catalogue, directory, month=month, structure=structure,
                                date_reference=date_reference, youth_names=youth_names)
    in_two_lanes(outputs.tasks(), progress)
    return outputs.entries
