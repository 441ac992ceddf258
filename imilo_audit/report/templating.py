"""The report's Jinja2 environment: templates of ``templates/``, autoescape on, French filters.

Kept apart from the charts so that rendering a page does not load matplotlib.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..french.formatting import fr_date, fr_datetime, fr_int, fr_month, fr_pct, fr_points, shorten, table_name
from ..french.typography import french_spaces_html
from .formatting import SEVERITIES, SEVERITY_COLOURS, SEVERITY_PLURAL, SEVERITY_TEXT_COLOURS

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    """The report's Jinja2 environment: autoescape always on, French filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        fr_int=fr_int, fr_pct=fr_pct, fr_date=fr_date, fr_datetime=fr_datetime, fr_month=fr_month,
        fr_points=fr_points, shorten=shorten, table_name=table_name,
    )
    env.globals.update(
        SEVERITIES=SEVERITIES, SEVERITY_PLURAL=SEVERITY_PLURAL, SEVERITY_COLOURS=SEVERITY_COLOURS,
        SEVERITY_TEXT_COLOURS=SEVERITY_TEXT_COLOURS,
    )
    return env


def render_page(template_name: str, **context: object) -> str:
    """Render a page template of ``templates/`` with French typography (no-break spaces) applied."""
    return french_spaces_html(environment().get_template(template_name).render(**context))
