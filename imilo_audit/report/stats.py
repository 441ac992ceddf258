"""Figures of the report, computed from the findings table and summary.json (never from data).

Two measures per theme:
- the *score*: share of the records checked that have no ``erreur`` finding (this month only,
  it needs the findings);
- the *taux d'anomalies*: findings / checks over the theme's rules, read from summary.json, so
  that it can be compared with the summary.json of earlier months.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .formatting import NO_COUNSELLOR, NO_SITE, SEVERITIES, SEVERITY_RANK, month_key, parse_date

FINDING_COLUMNS = (
    "rule_id", "gravite", "table", "id_enregistrement", "id_jeune",
    "conseiller", "lieu", "champ", "valeur", "message", "theme",
)


def rules_by_id(catalogue: list[dict]) -> dict[str, dict]:
    """The catalogue keyed by ``rule_id``."""
    return {rule["rule_id"]: rule for rule in catalogue}


def prepare_findings(findings: pd.DataFrame, catalogue: list[dict]) -> pd.DataFrame:
    """A copy with every column of the contract as text ("" for empty) and a ``theme``."""
    frame = findings.copy()
    for column in FINDING_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    missing = frame["theme"] == ""
    if missing.any():
        theme_of = {rule["rule_id"]: rule.get("theme", "") for rule in catalogue}
        frame.loc[missing, "theme"] = frame.loc[missing, "rule_id"].map(theme_of).fillna("")
    return frame.reset_index(drop=True)


def theme_list(summary: dict, catalogue: list[dict], findings: pd.DataFrame | None = None) -> list[dict]:
    """Themes in report order: ``summary["themes"]``, then the catalogue's, then stray ones.

    Each item: ``theme``, ``titre``, ``statut`` (``audite``/``ignore``), ``raison``.
    """
    titles = {rule["theme"]: rule.get("theme_titre") or rule["theme"] for rule in catalogue}
    titles[""] = "Autres règles"  # findings of a rule missing from the catalogue
    themes: dict[str, dict] = {}
    for item in summary.get("themes") or []:
        theme = item["theme"]
        themes[theme] = {
            "theme": theme,
            "titre": item.get("titre") or titles.get(theme, theme),
            "statut": item.get("statut") or "audite",
            "raison": item.get("raison") or "",
        }
    extra = [rule["theme"] for rule in catalogue]
    if findings is not None and "theme" in findings.columns:
        extra += findings["theme"].unique().tolist()
    for theme in extra:
        themes.setdefault(theme, {"theme": theme, "titre": titles.get(theme, theme),
                                  "statut": "audite", "raison": ""})
    return list(themes.values())


def _rule_theme(rule: dict, catalogue_map: dict[str, dict]) -> str:
    return rule.get("theme") or catalogue_map.get(rule.get("rule_id", ""), {}).get("theme", "")


def theme_rate(summary: dict, theme: str, catalogue: list[dict]) -> dict[str, Any]:
    """``anomalies``, ``controles`` and ``taux`` of a theme over its rules in ``summary["regles"]``.

    ``controles`` sums the checks of every rule; ``taux`` is None when nothing was checked.
    """
    catalogue_map = rules_by_id(catalogue)
    rules = [r for r in summary.get("regles") or [] if _rule_theme(r, catalogue_map) == theme]
    anomalies = sum(int(r.get("anomalies") or 0) for r in rules)
    controles = sum(int(r.get("controles") or 0) for r in rules)
    return {
        "anomalies": anomalies,
        "controles": controles,
        "taux": anomalies / controles if controles else None,
        "regles": len(rules),
    }


def records_checked(summary: dict, theme: str, catalogue: list[dict]) -> int | None:
    """Records a theme looked at: per table, the most any of its rules checked, summed over tables."""
    catalogue_map = rules_by_id(catalogue)
    per_table: dict[str, int] = {}
    for rule in summary.get("regles") or []:
        if _rule_theme(rule, catalogue_map) != theme:
            continue
        table = rule.get("table") or catalogue_map.get(rule.get("rule_id", ""), {}).get("table", "")
        per_table[table] = max(per_table.get(table, 0), int(rule.get("controles") or 0))
    return sum(per_table.values()) if per_table else None


def records_with_error(theme_findings: pd.DataFrame) -> int:
    """Distinct records with at least one ``erreur`` (a group finding counts for one)."""
    errors = theme_findings[theme_findings["gravite"] == "erreur"]
    with_id = errors[errors["id_enregistrement"] != ""]
    return int(with_id[["table", "id_enregistrement"]].drop_duplicates().shape[0]
               + (errors["id_enregistrement"] == "").sum())


def earlier_months(summary: dict, history: list[dict]) -> list[dict]:
    """History entries before the current month, one per month (the latest generated), oldest first."""
    current = month_key(summary.get("date_reference"))
    by_month: dict[str, dict] = {}
    for entry in history or []:
        if parse_date(entry.get("date_reference")) is None:
            continue
        key = month_key(entry.get("date_reference"))
        if key >= current:
            continue
        kept = by_month.get(key)
        if kept is None or str(entry.get("genere_le", "")) >= str(kept.get("genere_le", "")):
            by_month[key] = entry
    return [by_month[key] for key in sorted(by_month)]


def _previous_score(entry: dict, theme: str) -> float | None:
    for item in entry.get("themes") or []:
        if item.get("theme") == theme and item.get("score") is not None:
            return float(item["score"])
    return None


def theme_overview(
    summary: dict, findings: pd.DataFrame, catalogue: list[dict], history: list[dict] | None = None
) -> list[dict]:
    """One row per theme for the summary table of the report.

    Keys: ``theme``, ``titre``, ``statut``, ``raison``, ``controles`` (records checked),
    ``erreur``/``alerte``/``info``/``total`` (findings), ``score``, ``taux``, ``precedent``
    (None on a first audit, else ``date_reference``, ``taux``, ``ecart``, ``score``).
    """
    findings = prepare_findings(findings, catalogue)
    previous = (earlier_months(summary, history or []) or [None])[-1]
    rows = []
    for item in theme_list(summary, catalogue, findings):
        theme = item["theme"]
        subset = findings[findings["theme"] == theme]
        counts = subset["gravite"].value_counts()
        checked = records_checked(summary, theme, catalogue)
        score = None
        if checked:
            score = max(0.0, 1 - records_with_error(subset) / checked)
        rate = theme_rate(summary, theme, catalogue)
        before = None
        if previous is not None:
            old = theme_rate(previous, theme, catalogue)
            before = {
                "date_reference": previous.get("date_reference"),
                "audite": old["regles"] > 0,
                "taux": old["taux"],
                "ecart": (rate["taux"] - old["taux"])
                if rate["taux"] is not None and old["taux"] is not None else None,
                "score": _previous_score(previous, theme),
            }
        rows.append({
            **item,
            "controles": checked,
            **{severity: int(counts.get(severity, 0)) for severity in SEVERITIES},
            "total": len(subset),
            "score": score,
            "taux": rate["taux"],
            "precedent": before,
        })
    return rows


def trend_table(summary: dict, history: list[dict], catalogue: list[dict]) -> pd.DataFrame:
    """Taux d'anomalies per month (rows, oldest first, indexed by date_reference) and theme (columns)."""
    entries = [*earlier_months(summary, history), summary]
    themes = [t["theme"] for t in theme_list(summary, catalogue) if t["statut"] != "ignore"]
    records = {}
    for entry in entries:
        records[str(entry.get("date_reference"))] = {
            theme: theme_rate(entry, theme, catalogue)["taux"] for theme in themes
        }
    return pd.DataFrame.from_dict(records, orient="index", columns=themes, dtype=float)


def breakdown(theme_findings: pd.DataFrame, column: str, top: int = 15) -> dict[str, Any]:
    """Findings per value of ``column`` (``conseiller`` or ``lieu``), by severity, most first.

    Returns ``rows`` (name, erreur, alerte, info, total), and ``autres``/``autres_anomalies``
    for the groups left out beyond ``top``.
    """
    empty = NO_COUNSELLOR if column == "conseiller" else NO_SITE
    if theme_findings.empty:
        return {"rows": [], "autres": 0, "autres_anomalies": 0, "vide": True}
    names = theme_findings[column].where(theme_findings[column] != "", empty)
    table = pd.crosstab(names, theme_findings["gravite"])
    for severity in SEVERITIES:
        if severity not in table.columns:
            table[severity] = 0
    table = table[list(SEVERITIES)]
    table["total"] = table.sum(axis=1)
    table = table.sort_values(["total", *SEVERITIES], ascending=False, kind="stable")
    rows = [
        {"nom": name, **{key: int(value) for key, value in values.items()}}
        for name, values in table.head(top).to_dict(orient="index").items()
    ]
    rest = table.iloc[top:]
    return {
        "rows": rows,
        "autres": len(rest),
        "autres_anomalies": int(rest["total"].sum()),
        "vide": bool((theme_findings[column] == "").all()),
    }


def sort_findings(theme_findings: pd.DataFrame, catalogue: list[dict], interleave: bool = False) -> pd.DataFrame:
    """Findings to fix first: by severity, then the catalogue's rule order, then as found.

    With ``interleave``, rules of a severity take turns (first of each rule, then second…), so
    that the first rows show an example of every rule.
    """
    order = {rule["rule_id"]: position for position, rule in enumerate(catalogue)}
    keys = pd.DataFrame({
        "severity": theme_findings["gravite"].map(SEVERITY_RANK).fillna(len(SEVERITIES)),
        "rule": theme_findings["rule_id"].map(order).fillna(len(order)),
        "position": range(len(theme_findings)),
    }, index=theme_findings.index)
    keys["turn"] = keys.groupby(["severity", "rule"]).cumcount() if interleave else 0
    return theme_findings.loc[keys.sort_values(["severity", "turn", "rule", "position"]).index]
