"""The report: everything that renders findings for people.

:mod:`.synthesis` gathers the themes' findings into findings.csv, summary.json and the report
(front door for a run); :mod:`.followup` compares them with earlier months; :mod:`.html`,
:mod:`.charts`, :mod:`.tables`, :mod:`.counsellor_pages`, :mod:`.workbooks` and
:mod:`.theme_page` render them. It reads findings, the rule catalogue and summary.json only; it
never re-checks data and never imports the run. Names below are loaded on first use, so that
rendering a notebook page does not import matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOMES = {
    "counsellors_figure": "charts",
    "rules_figure": "charts",
    "shares_figure": "charts",
    "theme_figure": "charts",
    "trend_figure": "charts",
    "render_index": "html",
    "write_index": "html",
    "notebook_to_html": "notebook_html",
    "ExternalRequestError": "offline",
    "external_requests": "offline",
    "theme_overview": "stats",
    "write_counsellor_workbooks": "workbooks",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
