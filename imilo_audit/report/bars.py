"""Bar charts drawn by the browser: findings per rule or per counsellor, stacked by severity.

HTML and inline styles, no image: the text stays text (searchable, read aloud, printed sharp), the
same fragment shows in JupyterLab, on the notebook pages and in the report, and it costs a
millisecond where a matplotlib figure costs a third of a second. Counts come from the findings
table, as in the tables beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
from markupsafe import Markup

from ..french.formatting import fr_int, shorten
from .formatting import SEVERITIES, SEVERITY_COLOURS, SEVERITY_PLURAL
from .stats import severity_counts
from .templating import environment


def rule_counts(findings: pd.DataFrame, catalogue: list[dict], theme: str) -> pd.DataFrame:
    """Findings of ``theme`` per rule (every rule of the catalogue, in its order) and severity."""
    ids = [rule["rule_id"] for rule in catalogue if rule.get("theme") == theme]
    subset = findings[findings["theme"] == theme]
    ids += [rule_id for rule_id in subset["rule_id"].unique().tolist() if rule_id not in ids]
    counts = severity_counts(subset["rule_id"], subset["gravite"]) if len(subset) else pd.DataFrame()
    return counts.reindex(index=ids, columns=list(SEVERITIES), fill_value=0).fillna(0).astype(int)


def counsellor_counts(findings: pd.DataFrame, theme: str | None, top: int) -> pd.DataFrame:
    """Findings per counsellor (the ``top`` most concerned first) and severity; all themes if None."""
    subset = findings if theme is None else findings[findings["theme"] == theme]
    subset = subset[subset["conseiller"] != ""]
    if subset.empty:
        return pd.DataFrame(columns=list(SEVERITIES))
    counts = severity_counts(subset["conseiller"], subset["gravite"]).reindex(columns=list(SEVERITIES), fill_value=0)
    order = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index
    return counts.loc[order].head(top).astype(int)


@dataclass(frozen=True)
class Bars:
    """One chart: a title, and per label its counts by severity. Shown as HTML by notebooks and pages."""

    title: str
    rows: list[tuple[str, dict[str, int]]]
    empty: str = "Aucune anomalie."

    def html(self) -> Markup:
        top = max((sum(counts.values()) for _label, counts in self.rows), default=0)
        rows = [_row(label, counts, top) for label, counts in self.rows]
        return Markup(_template().render(title=self.title, rows=rows, empty=self.empty, legend=_legend(self.rows)))

    def _repr_html_(self) -> str:
        return str(self.html())

    def __repr__(self) -> str:
        lines = [self.title] + [f"  {label} : {fr_int(sum(counts.values()))}" for label, counts in self.rows]
        return "\n".join(lines) if self.rows else f"{self.title} : {self.empty}"


@dataclass(frozen=True)
class Panels:
    """Charts side by side (they wrap under each other on a narrow screen)."""

    charts: list[Bars]

    def _repr_html_(self) -> str:
        inner = "".join(f'<div style="flex:1 1 340px;min-width:0">{chart.html()}</div>' for chart in self.charts)
        return f'<div class="barres-panneaux" style="display:flex;flex-wrap:wrap;gap:8px 32px">{inner}</div>'

    def __repr__(self) -> str:
        return "\n\n".join(repr(chart) for chart in self.charts)


def rule_bars(findings: pd.DataFrame, catalogue: list[dict], theme: str, title: str = "Anomalies par règle") -> Bars:
    """Findings per rule of ``theme``: every rule of the catalogue, named by its id and short title."""
    titles = {rule["rule_id"]: rule.get("titre", "") for rule in catalogue}
    counts = rule_counts(findings, catalogue, theme)
    rows = [(f"{rule_id} {shorten(titles.get(rule_id, ''), 48)}".strip(), _by_severity(counts, rule_id))
            for rule_id in counts.index]
    return Bars(title, rows)


def counsellor_bars(findings: pd.DataFrame, theme: str | None, top: int, title: str) -> Bars:
    """The ``top`` counsellors with the most findings (of ``theme``, or all)."""
    counts = counsellor_counts(findings, theme, top)
    rows = [(shorten(name, 40), _by_severity(counts, name)) for name in counts.index]
    return Bars(title, rows, empty="Aucune anomalie rattachée à un conseiller.")


def _by_severity(counts: pd.DataFrame, key: str) -> dict[str, int]:
    return {severity: int(counts.at[key, severity]) for severity in SEVERITIES}


def _row(label: str, counts: dict[str, int], top: int) -> dict:
    total = sum(counts.values())
    detail = ", ".join(f"{fr_int(n)} {SEVERITY_PLURAL[s].lower() if n > 1 else s}" for s, n in counts.items() if n)
    return {
        "label": label,
        "total": total,
        "width": round(100 * total / top, 2) if top else 0,
        "segments": [(SEVERITY_COLOURS[s], n) for s, n in counts.items() if n],
        "detail": detail or "aucune anomalie",
    }


def _legend(rows: list[tuple[str, dict[str, int]]]) -> list[tuple[str, str]]:
    present = [s for s in SEVERITIES if any(counts.get(s) for _label, counts in rows)]
    return [(SEVERITY_COLOURS[s], SEVERITY_PLURAL[s]) for s in present]


@cache
def _template():
    """The chart's template, compiled once per process."""
    return environment().get_template("bars.html.j2")
