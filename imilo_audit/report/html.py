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
from . import charts
from .formatting import (
    SEVERITIES,
    fr_date,
    fr_param,
    fr_pct,
    fr_points,
    shorten,
)
from .offline import check_offline
from .stats import (
    breakdown,
    earlier_months,
    prepare_findings,
    rules_by_id,
    sort_findings,
    theme_overview,
)
from .templating import environment

FIRST_ROWS = 20  # records to fix shown per theme; the full list is in findings.csv
TOP = 15  # counsellors and sites shown per theme
VALUE_LIMIT = 80  # characters of a value shown in the page


def anchor(theme: str) -> str:
    """HTML id of a theme's section."""
    return "theme-" + re.sub(r"[^a-z0-9_-]+", "-", theme.lower()).strip("-")


def _evolution(row: dict) -> dict[str, Any]:
    """How a theme's taux d'anomalies moved since the previous month, in words."""
    before = row["precedent"]
    if before is None:
        return {"kind": "first", "text": "premier audit : pas de comparaison"}
    when = fr_date(before["date_reference"])
    if not before["audite"]:
        return {"kind": "none", "text": f"non audité au {when}"}
    if before["ecart"] is None:
        return {"kind": "none", "text": f"{fr_pct(before['taux'])} au {when}"}
    points = round(before["ecart"] * 100, 1)
    kind, word = ("down", "en baisse") if points < 0 else ("up", "en hausse") if points > 0 else (
        "same", "stable")
    return {
        "kind": kind,
        "word": word,
        "ecart": fr_points(before["ecart"]),
        "avant": fr_pct(before["taux"]),
        "apres": fr_pct(row["taux"]),
        "quand": when,
        "score_avant": fr_pct(before["score"]) if before.get("score") is not None else None,
    }


def _parameters(summary: dict) -> list[dict]:
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
        rows.append({
            "table": table,
            "fichier": info.get("fichier", ""),
            "lignes": info.get("lignes"),
            "lignes_ignorees": int(info.get("lignes_ignorees") or 0),
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
    rows = []
    for record in sort_findings(subset, catalogue, interleave=True).head(FIRST_ROWS).to_dict(orient="records"):
        record["valeur_courte"] = shorten(record["valeur"], VALUE_LIMIT)
        rows.append(record)
    return rows


def build_context(
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    pages: list[dict] | None = None,
) -> dict[str, Any]:
    """Everything the template shows, already counted and worded (tests and notebooks can read it)."""
    history = history or []
    findings = prepare_findings(findings, catalogue)
    known = rules_by_id(catalogue)
    earlier = earlier_months(summary, history)
    previous = earlier[-1] if earlier else None
    page_of = {page["theme"]: page for page in pages or []}
    disabled = {item["rule_id"]: item.get("raison", "") for item in summary.get("regles_desactivees") or []}

    overview = theme_overview(summary, findings, catalogue, history)
    for row in overview:
        row["anchor"] = anchor(row["theme"])
        row["evolution"] = _evolution(row)
        row["page"] = page_of.get(row["theme"], {}).get("fichier")

    sections = []
    for row in overview:
        if row["statut"] == "ignore":
            continue
        subset = findings[findings["theme"] == row["theme"]]
        sections.append({
            **row,
            "chart": charts.svg_data_uri(charts.rules_svg(findings, catalogue, row["theme"])),
            "regles": _rule_rows(row["theme"], subset, catalogue, summary, previous, disabled),
            "conseillers": breakdown(subset, "conseiller", TOP),
            "lieux": breakdown(subset, "lieu", TOP),
            "premieres": _first_rows(subset, catalogue),
            "plusieurs_tables": subset["table"].nunique() > 1,
        })

    trend = charts.trend_svg(summary, history, catalogue)
    counsellors = charts.counsellors_svg(findings, catalogue, None, TOP)
    exports = _exports(summary)
    return {
        "structure": summary.get("structure") or "",
        "date_reference": summary.get("date_reference", ""),
        "genere_le": summary.get("genere_le", ""),
        "exports": exports,
        "lignes_ignorees": sum(row["lignes_ignorees"] for row in exports),
        "themes_ignores": [row for row in overview if row["statut"] == "ignore"],
        "regles_desactivees": [
            {"rule_id": rule_id, "raison": reason, "titre": known.get(rule_id, {}).get("titre", ""),
             "theme_titre": known.get(rule_id, {}).get("theme_titre", "")}
            for rule_id, reason in disabled.items()
        ],
        "parametres": _parameters(summary),
        "overview": overview,
        "sections": sections,
        "precedent": previous,
        "mois_anterieurs": len(earlier),
        "trend_chart": charts.svg_data_uri(trend) if trend else None,
        "counsellors_chart": charts.svg_data_uri(counsellors) if counsellors else None,
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
) -> str:
    """The report page as HTML text."""
    context = build_context(summary, findings, catalogue, history, pages)
    return environment().get_template("index.html.j2").render(**context)


def write_index(
    path: str | Path,
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    pages: list[dict] | None = None,
) -> Path:
    """Write the self-contained report to ``path`` (a file, or a folder that gets ``index.html``)."""
    path = Path(path)
    if path.is_dir():
        path = path / "index.html"
    html = render_index(summary, findings, catalogue, history, pages)
    check_offline(html, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
