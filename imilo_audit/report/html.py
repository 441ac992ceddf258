"""The shared report ``index.html``: one self-contained French page built from the findings table.

Everything the page shows comes from the findings, the catalogue and summary.json; styles and
charts are inside the file, so it opens offline, from a mail or a shared drive, and prints on A4.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import LABELS, Thresholds
from ..exports.discovery import recognised_by
from ..french.formatting import fr_date, fr_int, fr_pct, fr_points, shorten, table_name
from ..people.counsellors import NOBODY_LABEL, Directory, directory_of
from .bars import rule_bars
from .formatting import SEVERITIES, fr_param
from .offline import check_offline
from .stats import (
    breakdown,
    earlier_months,
    follow_counts,
    prepare_findings,
    records_to_fix,
    rules_by_id,
    sort_findings,
    theme_overview,
    top_rules,
    trend_counts,
)
from .templating import render_page
from .workbooks import field_label, line_label, value_label

FIRST_ROWS = 20  # records to fix shown per theme; the full list is in findings.csv
TOP = 15  # counsellors and sites shown per theme
VALUE_LIMIT = 80  # characters of a value shown in the page


def anchor(theme: str) -> str:
    """HTML id of a theme's section."""
    return "theme-" + re.sub(r"[^a-z0-9_-]+", "-", theme.lower()).strip("-")


def _evolution(row: dict) -> dict[str, Any]:
    """How a theme's findings moved since the previous month, in counts first, then in rate."""
    before = row["precedent"]
    if before is None:
        return {"kind": "first", "text": "premier audit : pas de comparaison"}
    when = fr_date(before["date_reference"])
    if not before["audite"]:
        return {"kind": "none", "text": f"non audité au {when}"}
    change = before["ecart_total"]
    kind, word = ("down", "en baisse") if change < 0 else ("up", "en hausse") if change > 0 else (
        "same", "stable")
    return {
        "kind": kind,
        "word": word,
        "ecart": ("+" if change > 0 else "−" if change < 0 else "") + fr_int(abs(change)),
        "total_avant": fr_int(before["total"]),
        "avant": fr_pct(before["taux"]),
        "apres": fr_pct(row["taux"]),
        "ecart_taux": fr_points(before["ecart"]) if before["ecart"] is not None else None,
        "quand": when,
    }


def rule_parameters(summary: dict) -> list[dict]:
    """The thresholds this audit used, as the pages show them (label, value, changed, default)."""
    used = summary.get("parametres") or {}
    changed = summary.get("parametres_modifies") or {}
    defaults = Thresholds()
    rows = []
    for name in [*used, *(n for n in changed if n not in used)]:
        value = changed.get(name, used.get(name))
        default = getattr(defaults, name, None)
        rows.append({
            "nom": name,
            "libelle": LABELS.get(name, name),
            "valeur": fr_param(name, value),
            "modifie": name in changed,
            "defaut": fr_param(name, default) if default is not None else None,
        })
    return rows


def _exports(summary: dict) -> list[dict]:
    rows = []
    for table, info in (summary.get("exports") or {}).items():
        info = info or {}
        columns = info.get("colonnes") or {}
        rows.append({
            "table": table,
            "fichier": info.get("fichier", ""),
            "lignes": info.get("lignes"),
            "lignes_ignorees": int(info.get("lignes_ignorees") or 0),
            "reconnu_par": recognised_by(str(info.get("reconnu_par") or "")),
            "feuille": info.get("feuille") or "",
            "ligne_entete": info.get("ligne_entete"),
            "lignes_avant": int(info.get("lignes_avant") or 0),
            "lignes_pied": int(info.get("lignes_pied") or 0),
            "colonnes": len(columns),
            "non_utilisees": list(info.get("colonnes_non_utilisees") or []),
        })
    return rows



def _rule_rows(theme: str, subset: pd.DataFrame, catalogue: list[dict], summary: dict,
               previous: dict | None, disabled: dict[str, str]) -> list[dict]:
    stats = {r.get("rule_id"): r for r in summary.get("regles") or []}
    before = {r.get("rule_id"): r for r in (previous or {}).get("regles") or []}
    counts = subset["rule_id"].value_counts()
    ids = [rule["rule_id"] for rule in catalogue if rule.get("theme") == theme]
    ids += [rule_id for rule_id in counts.index if rule_id not in ids]
    known = rules_by_id(catalogue)
    rows = []
    for rule_id in ids:
        rule = known.get(rule_id, {})
        stat = stats.get(rule_id, {})
        found = int(counts.get(rule_id, 0))
        checked = stat.get("controles")
        old = before.get(rule_id)
        rows.append({
            "rule_id": rule_id,
            "gravite": rule.get("gravite") or stat.get("gravite", ""),
            "titre": rule.get("titre", ""),
            "pourquoi": rule.get("pourquoi", ""),
            "correction": rule.get("correction", ""),
            "source": rule.get("source", ""),
            "anomalies": found,
            "controles": checked,
            "taux": found / checked if checked else None,
            "taux_avant": old.get("taux") if old else None,
            "statut": stat.get("statut", ""),
            "desactivee": disabled.get(rule_id),
        })
    return rows


def _first_rows(subset: pd.DataFrame, catalogue: list[dict]) -> list[dict]:
    """The theme's first findings as people read them: field headers, French dates, « ligne 960 », one name each."""
    rows = []
    for record in sort_findings(subset, catalogue, interleave=True).head(FIRST_ROWS).to_dict(orient="records"):
        table, found = record["table"], record["id_enregistrement"]
        record["valeur_courte"] = shorten(value_label(record["valeur"], found), VALUE_LIMIT)
        record["champ_libelle"] = field_label(table, record["champ"])
        record["enregistrement"] = line_label(found) if found else ""
        record["table_nom"] = table_name(table)
        record["conseiller"] = record.get("conseiller_nom") or record["conseiller"]
        rows.append(record)
    return rows


def _counsellor_rows(findings: pd.DataFrame, fixed: pd.DataFrame, directory: Directory) -> list[dict]:
    """Counsellor table rows computed here when the run gave none (no pages nor workbooks links)."""
    data = breakdown(findings, "conseiller_nom", top=10_000, fixed=fixed, empty_label=NOBODY_LABEL)
    collective = {person.nom for person in directory.people.values() if not person.personne}
    rows = [{**row, "personne": row["nom"] not in collective, "page": "", "classeur": ""} for row in data["rows"]]
    return sorted(rows, key=lambda row: not row["personne"])


def _trend_rows(table: pd.DataFrame, overview: list[dict]) -> dict[str, Any]:
    """The trend as a table (months × themes, findings): the chart's figures, readable and testable."""
    titles = {row["theme"]: row["titre"] for row in overview}
    return {
        "mois": [str(day) for day in table.index],
        "themes": [
            {"theme": theme, "titre": titles.get(theme, theme),
             "valeurs": [None if pd.isna(v) else int(v) for v in table[theme]]}
            for theme in table.columns
        ],
    }


def _verdict(overview: list[dict], findings: pd.DataFrame, fixed: pd.DataFrame, catalogue: list[dict],
             previous: dict | None) -> dict[str, Any]:
    """The first screen's answer: how many records to fix, what changed, which rules and themes first."""
    audited = [row for row in overview if row["statut"] != "ignore"]
    worst = sorted((row for row in audited if row["total"]), key=lambda row: (-row["erreur"], -row["total"]))
    before = None
    if previous is not None:
        before = sum(int(rule.get("anomalies") or 0) for rule in previous.get("regles") or [])
    anchors = {row["theme"]: row["anchor"] for row in overview}
    first = top_rules(findings, catalogue, 3)
    for rule in first:
        rule["anchor"] = anchors.get(rule.get("theme", ""), "")
    return {
        "total": len(findings),
        "a_corriger": sum(row["a_corriger"] for row in audited),
        "erreurs_enregistrements": records_to_fix(findings, "erreur") if len(findings) else 0,
        **follow_counts(findings, fixed),
        "avant": before,
        "ecart": None if before is None else len(findings) - before,
        "quand": fr_date(previous.get("date_reference")) if previous else "",
        "pires": worst[:3],
        "a_faire": first,
        "themes_audites": len(audited),
    }


def _structures(summary: dict, catalogue: list[dict]) -> list[dict]:
    """Comparison rows of the structures of a multi-structure export (summary.json ``structures``)."""
    known = rules_by_id(catalogue)
    rows = []
    for item in summary.get("structures") or []:
        per_theme: dict[str, int] = {}
        for rule in item.get("regles") or []:
            theme = known.get(rule.get("rule_id", ""), {}).get("theme", "")
            per_theme[theme] = per_theme.get(theme, 0) + int(rule.get("anomalies") or 0)
        youths = int(item.get("jeunes") or 0)
        total = sum(per_theme.values())
        rows.append({
            "nom": item.get("structure", ""), "jeunes": youths, "total": total,
            "erreur": int(item.get("erreurs") or 0), "par_theme": per_theme,
            "pour_100": total * 100 / youths if youths else None,
        })
    return rows


def _charts():
    """The matplotlib charts (trend, structures), imported only by a report that shows one."""
    from . import charts

    return charts


def build_context(
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    pages: list[dict] | None = None,
    fixed: pd.DataFrame | None = None,
    counsellors: list[dict] | None = None,
    directory: Directory | None = None,
    not_fixed: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Everything the template shows, already counted and worded (tests and notebooks can read it).

    ``fixed`` holds last month's findings now gone (corriges.csv), ``counsellors`` the rows of the
    counsellor table with their page and workbook, ``directory`` the counsellors' identities.
    """
    history = history or []
    findings = prepare_findings(findings, catalogue)
    fixed = prepare_findings(fixed if fixed is not None else pd.DataFrame(), catalogue)
    directory = directory or directory_of(pd.concat([findings, fixed], ignore_index=True))
    # conseiller_nom: the counsellor's one name, whatever the export's spelling
    findings, fixed = (frame.assign(conseiller_nom=directory.names(frame)) for frame in (findings, fixed))
    known = rules_by_id(catalogue)
    earlier = earlier_months(summary, history)
    previous = earlier[-1] if earlier else None
    page_of = {page["theme"]: page for page in pages or []}
    disabled = {item["rule_id"]: item.get("raison", "") for item in summary.get("regles_desactivees") or []}

    overview = theme_overview(summary, findings, catalogue, history, fixed)
    for row in overview:
        row["anchor"] = anchor(row["theme"])
        row["evolution"] = _evolution(row)
        row["page"] = page_of.get(row["theme"], {}).get("fichier")

    sections = []
    for row in overview:
        if row["statut"] == "ignore":
            continue
        subset = findings[findings["theme"] == row["theme"]]
        gone = fixed[fixed["theme"] == row["theme"]]
        sections.append({
            **row,
            "chart": rule_bars(subset, catalogue, row["theme"], f"Anomalies par règle du thème « {row['titre']} »")
            .html(),
            "regles": _rule_rows(row["theme"], subset, catalogue, summary, previous, disabled),
            "conseillers": breakdown(subset, "conseiller_nom", TOP, gone, NOBODY_LABEL),
            "lieux": breakdown(subset, "lieu", TOP, gone),
            "premieres": _first_rows(subset, catalogue),
            "plusieurs_tables": subset["table"].nunique() > 1,
        })

    trend_table = trend_counts(summary, history, catalogue)
    trend = _charts().trend_svg(summary, history, catalogue, table=trend_table) if len(trend_table) >= 2 else None
    exports = _exports(summary)
    structures = _structures(summary, catalogue)
    return {
        "sortis": {key: int((not_fixed or {}).get(key, 0)) for key in ("hors_perimetre", "disparu")},  # gone, unfixed
        "structure": summary.get("structure") or "",
        "date_reference": summary.get("date_reference", ""),
        "genere_le": summary.get("genere_le", ""),
        "pseudonymise": bool(summary.get("pseudonymise")),
        "exports": exports,
        "fichiers_ignores": list(summary.get("fichiers_ignores") or []),
        "lignes_ignorees": sum(row["lignes_ignorees"] for row in exports),
        "themes_ignores": [row for row in overview if row["statut"] == "ignore"],
        "regles_desactivees": [
            {"rule_id": rule_id, "raison": reason, "titre": known.get(rule_id, {}).get("titre", ""),
             "theme_titre": known.get(rule_id, {}).get("theme_titre", "")}
            for rule_id, reason in disabled.items()
        ],
        "parametres": rule_parameters(summary),
        "overview": overview,
        "verdict": _verdict(overview, findings, fixed, catalogue, previous),
        "sections": sections,
        "precedent": previous,
        "mois_anterieurs": len(earlier),
        "trend_chart": _charts().svg_data_uri(trend) if trend else None,
        "tendance": _trend_rows(trend_table, overview) if trend else None,
        "conseillers": counsellors if counsellors is not None else _counsellor_rows(findings, fixed, directory),
        "lieux": breakdown(findings, "lieu", top=10_000, fixed=fixed),
        "structures": structures if len(structures) > 1 else [],
        "structures_chart": _charts().svg_data_uri(_charts().structures_svg(structures, overview))
        if len(structures) > 1 else None,
        "total": len(findings),
        "total_par_gravite": {s: int((findings["gravite"] == s).sum()) for s in SEVERITIES},
        "pages": pages or [],
        "first_rows": FIRST_ROWS,
        "top": TOP,
    }


def render_index(
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    pages: list[dict] | None = None,
    **extra: Any,
) -> str:
    """The report page as HTML text (``extra``: ``fixed``, ``counsellors``, ``directory`` of build_context)."""
    context = build_context(summary, findings, catalogue, history, pages, **extra)
    return render_page("index.html.j2", **context)


def write_index(
    path: str | Path,
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    pages: list[dict] | None = None,
    **extra: Any,
) -> Path:
    """Write the self-contained report to ``path`` (a file, or a folder that gets ``index.html``)."""
    path = Path(path)
    if path.is_dir():
        path = path / "index.html"
    html = render_index(summary, findings, catalogue, history, pages, **extra)
    check_offline(html, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
