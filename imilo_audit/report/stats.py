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

from ..french.formatting import month_key, parse_date
from .formatting import NO_COUNSELLOR, NO_SITE, SEVERITIES, SEVERITY_RANK

FINDING_COLUMNS = (
    "rule_id", "gravite", "table", "id_enregistrement", "id_jeune",
    "conseiller", "lieu", "champ", "valeur", "message", "theme", "premiere_detection", "suivi",
)
PERSISTENT = "persistant"  # followup.PERSISTENT (kept here so the report needs no run code)


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


def records_to_fix(theme_findings: pd.DataFrame, severity: str | None = None) -> int:
    """Distinct records with at least one finding (of ``severity`` if given); a group finding counts for one."""
    found = theme_findings if severity is None else theme_findings[theme_findings["gravite"] == severity]
    with_id = found[found["id_enregistrement"] != ""]
    return int(with_id[["table", "id_enregistrement"]].drop_duplicates().shape[0]
               + (found["id_enregistrement"] == "").sum())


def follow_counts(findings: pd.DataFrame, fixed: pd.DataFrame | None = None) -> dict[str, int]:
    """``nouveaux``, ``persistants`` (by the ``suivi`` column: a finding without one is new) and ``corriges``."""
    persistent = int((findings["suivi"] == PERSISTENT).sum()) if "suivi" in findings else 0
    return {
        "nouveaux": len(findings) - persistent,
        "persistants": persistent,
        "corriges": 0 if fixed is None else len(fixed),  # the fixes only: the synthesis leaves out the rest
    }


def oldest_month(findings: pd.DataFrame) -> str:
    """The earliest ``premiere_detection`` of persistent findings ("" when none)."""
    if "suivi" not in findings:
        return ""
    months = findings.loc[findings["suivi"] == PERSISTENT, "premiere_detection"]
    months = months[months != ""]
    return str(months.min()) if len(months) else ""


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


def theme_anomalies(summary: dict, theme: str, catalogue: list[dict]) -> int | None:
    """Findings of a theme in a summary.json (None when the theme was not audited that month)."""
    rate = theme_rate(summary, theme, catalogue)
    return rate["anomalies"] if rate["regles"] else None


def theme_overview(
    summary: dict,
    findings: pd.DataFrame,
    catalogue: list[dict],
    history: list[dict] | None = None,
    fixed: pd.DataFrame | None = None,
) -> list[dict]:
    """One row per theme for the summary table of the report.

    Keys: ``theme``, ``titre``, ``statut``, ``raison``, ``controles`` (records checked),
    ``erreur``/``alerte``/``info``/``total`` (findings), ``a_corriger`` (distinct records with a
    finding), ``score`` (share of the records checked with no finding at all), ``taux``,
    ``nouveaux``/``persistants``/``corriges``/``depuis`` (follow-up), ``precedent`` (None on a
    first audit, else ``date_reference``, ``audite``, ``taux``, ``ecart``, ``total``, ``ecart_total``).
    """
    findings = prepare_findings(findings, catalogue)
    fixed = prepare_findings(fixed if fixed is not None else pd.DataFrame(), catalogue)
    previous = (earlier_months(summary, history or []) or [None])[-1]
    rows = []
    for item in theme_list(summary, catalogue, findings):
        theme = item["theme"]
        subset = findings[findings["theme"] == theme]
        counts = subset["gravite"].value_counts()
        checked = records_checked(summary, theme, catalogue)
        to_fix = records_to_fix(subset)
        score = max(0.0, 1 - to_fix / checked) if checked else None
        rate = theme_rate(summary, theme, catalogue)
        before = None
        if previous is not None:
            old = theme_rate(previous, theme, catalogue)
            audited = old["regles"] > 0
            before = {
                "date_reference": previous.get("date_reference"),
                "audite": audited,
                "taux": old["taux"],
                "ecart": (rate["taux"] - old["taux"])
                if rate["taux"] is not None and old["taux"] is not None else None,
                "total": old["anomalies"] if audited else None,
                "ecart_total": len(subset) - old["anomalies"] if audited else None,
            }
        rows.append({
            **item,
            "controles": checked,
            **{severity: int(counts.get(severity, 0)) for severity in SEVERITIES},
            "total": len(subset),
            "a_corriger": to_fix,
            "score": score,
            "taux": rate["taux"],
            **follow_counts(subset, fixed[fixed["theme"] == theme]),
            "depuis": oldest_month(subset),
            "precedent": before,
        })
    return rows


def severity_counts(labels: pd.Series, severities: pd.Series) -> pd.DataFrame:
    """Rows per label (sorted), a column per severity found, the counts: what ``pd.crosstab`` gives,
    counted by ``groupby().size()`` (crosstab calls Python once per group: ten times slower)."""
    return severities.groupby([labels, severities]).size().unstack(fill_value=0)


def top_rules(findings: pd.DataFrame, catalogue: list[dict], count: int = 3) -> list[dict]:
    """The rules to fix first: most errors, then most alerts; each with its counts and catalogue entry."""
    findings = prepare_findings(findings, catalogue)
    if findings.empty:
        return []
    table = severity_counts(findings["rule_id"], findings["gravite"]).reindex(columns=list(SEVERITIES), fill_value=0)
    table["total"] = table.sum(axis=1)
    order = {rule["rule_id"]: position for position, rule in enumerate(catalogue)}
    table["ordre"] = [order.get(rule, len(order)) for rule in table.index]
    table = table.sort_values(["erreur", "alerte", "total", "ordre"], ascending=[False, False, False, True])
    known = rules_by_id(catalogue)
    return [
        {**known.get(rule_id, {}), "rule_id": rule_id,
         **{key: int(values[key]) for key in (*SEVERITIES, "total")}}
        for rule_id, values in table.head(count).iterrows()
    ]


def trend_counts(summary: dict, history: list[dict], catalogue: list[dict]) -> pd.DataFrame:
    """Findings per month (rows, oldest first, indexed by date_reference) and theme (columns); NaN: not audited."""
    entries = [*earlier_months(summary, history), summary]
    themes = [t["theme"] for t in theme_list(summary, catalogue) if t["statut"] != "ignore"]
    records = {str(entry.get("date_reference")): {theme: theme_anomalies(entry, theme, catalogue) for theme in themes}
               for entry in entries}
    return pd.DataFrame.from_dict(records, orient="index", columns=themes, dtype=float)


def breakdown(
    theme_findings: pd.DataFrame,
    column: str,
    top: int = 15,
    fixed: pd.DataFrame | None = None,
    empty_label: str | None = None,
) -> dict[str, Any]:
    """Findings per value of ``column`` (``conseiller``, ``lieu`` or a display-name column), most first.

    Returns ``rows`` (nom, erreur, alerte, info, total, nouveaux, persistants, corriges, depuis),
    and ``autres``/``autres_anomalies`` for the groups left out beyond ``top``. ``fixed`` (last
    month's findings now gone, same columns) gives the ``corriges`` of each group.
    """
    empty = empty_label or (NO_COUNSELLOR if column == "conseiller" else NO_SITE)
    fixed = fixed if fixed is not None and len(fixed) else None
    if theme_findings.empty and fixed is None:
        return {"rows": [], "autres": 0, "autres_anomalies": 0, "vide": True}
    names = theme_findings[column].where(theme_findings[column] != "", empty)
    table = severity_counts(names, theme_findings["gravite"]) if len(theme_findings) else pd.DataFrame()
    table = table.reindex(columns=list(SEVERITIES), fill_value=0)
    table["total"] = table.sum(axis=1)
    persistent = theme_findings["suivi"] == PERSISTENT if "suivi" in theme_findings else names != names
    table["persistants"] = persistent.groupby(names).sum() if len(theme_findings) else 0
    table["nouveaux"] = table["total"] - table["persistants"]
    if fixed is not None:
        gone = fixed[column].where(fixed[column] != "", empty).value_counts()
        table = table.reindex(table.index.union(gone.index), fill_value=0)
        table["corriges"] = gone.reindex(table.index, fill_value=0)
    else:
        table["corriges"] = 0
    months = theme_findings.loc[persistent, "premiere_detection"] if "premiere_detection" in theme_findings else None
    since = months[months != ""].groupby(names[persistent]).min() if months is not None and len(months) else {}
    table = table.fillna(0).astype(int).sort_values(["total", *SEVERITIES], ascending=False, kind="stable")
    rows = [
        {"nom": name, **{key: int(value) for key, value in values.items()}, "depuis": str(since.get(name, ""))}
        for name, values in table.head(top).to_dict(orient="index").items()
    ]
    rest = table.iloc[top:]
    return {
        "rows": rows,
        "autres": len(rest),
        "autres_anomalies": int(rest["total"].sum()),
        "vide": bool(len(theme_findings) and (theme_findings[column] == "").all()),
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
