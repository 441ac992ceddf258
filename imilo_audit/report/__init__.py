"""The report: renders the findings table as HTML pages, charts and counsellor workbooks.

It reads findings, the rule catalogue and summary.json only; it never re-checks data.
"""

from .charts import counsellors_figure, rules_figure, shares_figure, theme_figure, trend_figure
from .html import render_index, write_index
from .notebook_html import notebook_to_html
from .offline import ExternalRequestError, external_requests
from .stats import theme_overview
from .workbooks import write_counsellor_workbooks

__all__ = [
    "ExternalRequestError",
    "counsellors_figure",
    "external_requests",
    "notebook_to_html",
    "render_index",
    "rules_figure",
    "shares_figure",
    "theme_figure",
    "theme_overview",
    "trend_figure",
    "write_counsellor_workbooks",
    "write_index",
]
