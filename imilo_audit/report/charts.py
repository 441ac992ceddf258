"""The report's matplotlib charts (trend, structures, ORI-01's shares; per-rule figures for notebooks that ask),
and the same as SVG text for the HTML page. The per-rule and per-counsellor bars of the pages are HTML (:mod:`.bars`).

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global backend change): the
HTML report renders them off-screen, and a notebook displays the returned figure as it is.
"""

from __future__ import annotations

import base64
import io

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..french.formatting import fr_decimal, fr_int, fr_month, shorten
from .bars import counsellor_counts, rule_counts
from .formatting import SEVERITIES, SEVERITY_COLOURS
from .stats import prepare_findings, theme_list, trend_counts

# Okabe-Ito palette (colour-blind safe) for themes, with a marker each so lines differ in grey too.
THEME_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00", "#000000")
THEME_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text kept as text: a tenth of the size, drawn in the page's own fonts
    "svg.hashsalt": "imilo-audit",  # stable ids: the same data gives the same file
}
_WIDTH = 10.0  # inches; the page scales the SVG to its column


class ReportFigure(Figure):
    """A Figure that a notebook displays as an image even when pyplot was never imported."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


def _figure(height: float, width: float = _WIDTH) -> ReportFigure:
    with matplotlib.rc_context(_STYLE):
        return ReportFigure(figsize=(width, height), layout="constrained")


def _label(text: object, limit: int = 60) -> str:
    """A data value as chart text: shortened, and « $ » kept literal (no mathtext)."""
    return shorten(text, limit).replace("$", r"\$")


def _count_axis(ax) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: fr_int(value)))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _stacked_bars(ax, labels: list[str], counts: pd.DataFrame, legend: bool = True) -> None:
    """Horizontal bars, one per label, stacked by severity, with the total written at the end."""
    positions = range(len(labels))
    left = pd.Series(0, index=counts.index, dtype=float)
    for severity in SEVERITIES:
        values = counts[severity].astype(float) if severity in counts else left * 0
        if values.sum() > 0:
            ax.barh(positions, values, left=left, color=SEVERITY_COLOURS[severity], label=severity,
                    height=0.65)
        left = left + values
    top = float(left.max()) if len(left) else 0.0
    for position, total in zip(positions, left, strict=True):
        ax.text(total + max(top, 1) * 0.01, position, fr_int(total), va="center", fontsize=8)
    ax.set_yticks(list(positions), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first label on top
    ax.set_xlim(0, max(top, 1) * 1.12)
    _count_axis(ax)
    if legend and left.sum() > 0:  # above the bars, never over them
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=8, frameon=False,
                  borderaxespad=0.3)


def _draw_rules(ax, findings: pd.DataFrame, catalogue: list[dict], theme: str, legend: bool = True) -> None:
    titles = {rule["rule_id"]: rule.get("titre", "") for rule in catalogue}
    counts = rule_counts(findings, catalogue, theme)
    labels = [_label(f"{rule_id}  {shorten(titles.get(rule_id, ''), 42)}".strip()) for rule_id in counts.index]
    _stacked_bars(ax, labels, counts, legend)
    ax.set_xlabel("Nombre d'anomalies")


def _draw_counsellors(ax, counts: pd.DataFrame, legend: bool = True) -> None:
    if counts.empty:
        ax.text(0.5, 0.5, "Aucune anomalie rattachée à un conseiller", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return
    _stacked_bars(ax, [_label(name, 32) for name in counts.index], counts, legend)
    ax.set_xlabel("Nombre d'anomalies")


def rules_figure(findings: pd.DataFrame, catalogue: list[dict], theme: str) -> Figure:
    """Findings per rule of ``theme`` (horizontal bars coloured by severity, every rule shown)."""
    findings = prepare_findings(findings, catalogue)
    counts = rule_counts(findings, catalogue, theme)
    fig = _figure(height=1.1 + 0.34 * max(len(counts), 1))
    with matplotlib.rc_context(_STYLE):
        _draw_rules(fig.add_subplot(), findings, catalogue, theme)
    return fig


def counsellors_figure(
    findings: pd.DataFrame, catalogue: list[dict] | None = None, theme: str | None = None, top: int = 15
) -> Figure:
    """Findings per counsellor (the ``top`` most concerned), stacked by severity; all themes if None."""
    findings = prepare_findings(findings, catalogue or [])
    counts = counsellor_counts(findings, theme, top)
    fig = _figure(height=1.1 + 0.28 * max(len(counts), 2))
    with matplotlib.rc_context(_STYLE):
        _draw_counsellors(fig.add_subplot(), counts)
    return fig


def trend_figure(
    summary: dict, history: list[dict], catalogue: list[dict], theme: str | None = None,
    table: pd.DataFrame | None = None,
) -> Figure | None:
    """Findings per month, one small chart per audited theme (or only ``theme``), each on its own scale.

    Counts, not rates: a theme with 3 findings and one with 3 000 both show their own movement, and
    the numbers written on the points are those of the summary table. None without history.
    ``table``: the :func:`~.stats.trend_counts` of these arguments, when the caller has it already.
    """
    table = trend_counts(summary, history, catalogue) if table is None else table
    if len(table) < 2:
        return None
    titles = {t["theme"]: t["titre"] for t in theme_list(summary, catalogue)}
    themes = [theme] if theme is not None else [name for name in table.columns if not table[name].isna().all()]
    if not themes:
        return None
    columns = min(4, len(themes))
    rows = -(-len(themes) // columns)
    fig = _figure(height=1.9 * rows + 0.3)
    with matplotlib.rc_context(_STYLE):
        axes = fig.subplots(rows, columns, squeeze=False)
        positions = list(range(len(table)))
        months = [fr_month(day, short=True) for day in table.index]
        for number, ax in enumerate(axes.flat):
            if number >= len(themes):
                ax.set_axis_off()
                continue
            name = themes[number]
            values = table[name] if name in table else pd.Series(float("nan"), index=table.index)
            colour = THEME_COLOURS[number % len(THEME_COLOURS)]
            ax.plot(positions, values, marker=THEME_MARKERS[number % len(THEME_MARKERS)], color=colour,
                    linewidth=1.8, markersize=4)
            top = float(values.max()) if values.notna().any() else 0.0
            for position, value in zip(positions, values, strict=True):
                if pd.notna(value) and (len(positions) <= 13 or position == positions[-1]):
                    ax.annotate(fr_int(value), (position, value), textcoords="offset points", xytext=(0, 5),
                                ha="center", fontsize=7.5)
            ax.set_ylim(0, max(top, 1) * 1.3)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: fr_int(value)))
            step = max(1, len(positions) // 6)
            ax.set_xticks(positions[::step], months[::step], fontsize=7.5)
            ax.set_title(_label(titles.get(name, name), 34), loc="left", fontsize=9.5)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    return fig


def structures_figure(structures: list[dict], overview: list[dict]) -> Figure:
    """Findings per 100 youths of each structure, stacked by theme (sizes differ: counts would mislead)."""
    themes = [row for row in overview if row["statut"] != "ignore"]
    fig = _figure(height=1.3 + 0.42 * max(len(structures), 2))
    with matplotlib.rc_context(_STYLE):
        ax = fig.add_subplot()
        positions = list(range(len(structures)))
        left = [0.0] * len(structures)
        for number, theme in enumerate(themes):
            values = [
                item["par_theme"].get(theme["theme"], 0) * 100 / item["jeunes"] if item["jeunes"] else 0.0
                for item in structures
            ]
            if sum(values) > 0:
                ax.barh(positions, values, left=left, color=THEME_COLOURS[number % len(THEME_COLOURS)],
                        label=_label(theme["titre"], 30), height=0.6)
            left = [a + b for a, b in zip(left, values, strict=True)]
        for position, total in zip(positions, left, strict=True):
            ax.text(total, position, f" {fr_decimal(total)}", va="center", fontsize=8)
        ax.set_yticks(positions, [_label(item["nom"], 40) for item in structures])
        ax.set_ylim(len(structures) - 0.5, -0.5)
        ax.set_xlim(0, max(max(left), 1) * 1.15)
        ax.set_xlabel("Anomalies pour 100 jeunes")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=4, fontsize=8, frameon=False)
    return fig


def structures_svg(structures: list[dict], overview: list[dict]) -> str:
    """:func:`structures_figure` as SVG text."""
    return figure_to_svg(structures_figure(structures, overview))


def theme_figure(findings: pd.DataFrame, catalogue: list[dict], theme: str, top: int = 10) -> Figure:
    """For notebooks: findings per rule of ``theme`` beside its ``top`` counsellors."""
    findings = prepare_findings(findings, catalogue)
    rules = rule_counts(findings, catalogue, theme)
    counsellors = counsellor_counts(findings, theme, top)
    title = next((t["titre"] for t in theme_list({}, catalogue) if t["theme"] == theme), theme)
    fig = _figure(height=1.5 + 0.36 * max(len(rules), len(counsellors), 2), width=13)
    with matplotlib.rc_context(_STYLE):
        left, right = fig.subplots(1, 2, width_ratios=(3, 2))
        _draw_rules(left, findings, catalogue, theme, legend=False)
        left.set_title("Anomalies par règle", loc="left")
        _draw_counsellors(right, counsellors, legend=False)
        right.set_title(f"Conseillers les plus concernés ({top} premiers)", loc="left")
        fig.suptitle(_label(title), fontweight="bold")
        handles, labels = left.get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="outside lower center", ncol=len(handles), frameon=False)
    return fig


def figure_to_svg(fig: Figure) -> str:
    """The figure as SVG text (no date in it, text as text in a system sans-serif font)."""
    buffer = io.StringIO()
    with matplotlib.rc_context(_STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figure_to_png_base64(fig: Figure, dpi: int = 110) -> str:
    """The figure as base64 PNG text (for a ``data:image/png;base64,`` URI)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,…``: an image inside the page, never a request."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def trend_svg(summary: dict, history: list[dict], catalogue: list[dict], theme: str | None = None,
              table: pd.DataFrame | None = None) -> str | None:
    """:func:`trend_figure` as SVG text; None without earlier months."""
    fig = trend_figure(summary, history, catalogue, theme, table)
    return None if fig is None else figure_to_svg(fig)


__all__ = [
    "counsellors_figure",
    "figure_to_png_base64",
    "figure_to_svg",
    "rules_figure",
    "svg_data_uri",
    "theme_figure",
    "trend_figure",
    "trend_svg",
]


def shares_figure(groups: pd.DataFrame, threshold: float, top: int = 25) -> Figure:
    """ORI-01: share of « Démarche personnelle » per group (``groupe``, ``part_demarche_personnelle``,
    ``effectif``), groups over the threshold in amber, the threshold as a dashed line."""
    data = groups.sort_values("part_demarche_personnelle", ascending=False).head(top).iloc[::-1]
    fig = _figure(max(2.0, 0.32 * len(data) + 1.2))
    with matplotlib.rc_context(_STYLE):
        ax = fig.add_subplot()
        if data.empty:
            ax.text(0.5, 0.5, "Aucun groupe d'au moins l'effectif minimum", ha="center", va="center")
            ax.set_axis_off()
            return fig
        shares = data["part_demarche_personnelle"].astype(float)
        over = shares > threshold
        colours = [SEVERITY_COLOURS["alerte"] if o else "#9aa5b1" for o in over]
        labels = [f"{_label(g, 45)} ({fr_int(n)})" for g, n in zip(data["groupe"], data["effectif"], strict=True)]
        ax.barh(labels, shares, color=colours)
        ax.axvline(threshold, color="#1f2933", linestyle="--", linewidth=1)
        ax.text(threshold, len(data) - 0.4, f" seuil {fr_decimal(threshold * 100, 0)} %", fontsize=8, va="bottom")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{fr_decimal(v * 100, 0)} %"))
        ax.set_xlim(0, max(1.0, float(shares.max()) * 1.05))
        ax.set_xlabel("Part des nouveaux inscrits venus par « Démarche personnelle » (effectif entre parenthèses)")
    return fig
