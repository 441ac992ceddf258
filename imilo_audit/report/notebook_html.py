"""An executed theme notebook as a French HTML page without code, that opens offline.

nbconvert's ``basic`` template gives the cells' HTML and nothing else (no require.js, no MathJax,
no CDN); our own page around it carries the styles.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from traitlets.config import Config

from .offline import check_offline
from .templating import environment

REMOVE_CELL_TAGS = ("remove_cell", "parameters", "injected-parameters")
REMOVE_INPUT_TAGS = ("remove_input",)
REMOVE_OUTPUT_TAGS = ("remove_output",)


@cache
def _exporter() -> HTMLExporter:
    """One exporter for every page (building one loads its templates: a tenth of a second)."""
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    config.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    return HTMLExporter(
        config=config,
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="fr",
    )


def _without_noise(notebook: nbformat.NotebookNode, keep_stderr: bool) -> nbformat.NotebookNode:
    """A copy without empty code cells and, unless asked, without stderr (warnings, progress bars)."""
    notebook = copy.deepcopy(notebook)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if not keep_stderr:
                cell.outputs = [
                    out for out in cell.get("outputs", [])
                    if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
                ]
            if not cell.outputs:
                continue
            cell.metadata.setdefault("alt", "Graphique de l'audit")  # nbconvert's default is English
        cells.append(cell)
    notebook.cells = cells
    return notebook


def notebook_title(notebook: nbformat.NotebookNode, default: str) -> str:
    """The notebook's ``metadata.title``, else its first Markdown heading, else ``default``."""
    if notebook.metadata.get("title"):
        return str(notebook.metadata["title"])
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{1,3}\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            if match:
                return match.group(1)
    return default


def notebook_to_html(
    ipynb_path: str | Path,
    html_path: str | Path,
    title: str | None = None,
    back_link: str | None = "index.html",
    keep_stderr: bool = False,
) -> Path:
    """Render an executed notebook to ``html_path`` without its code, as a French offline page.

    ``back_link`` is the relative address of the shared report (None for no link). Raises
    :class:`~imilo_audit.report.offline.ExternalRequestError` if the page would fetch anything.
    """
    ipynb_path, html_path = Path(ipynb_path), Path(html_path)
    notebook = nbformat.read(ipynb_path, as_version=4)
    title = title or notebook_title(notebook, ipynb_path.stem)
    body, _resources = _exporter().from_notebook_node(_without_noise(notebook, keep_stderr))
    page = environment().get_template("notebook.html.j2").render(
        title=title, body=Markup(body), back_link=back_link, source=ipynb_path.name,
    )
    check_offline(page, str(html_path))
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(page, encoding="utf-8")
    return html_path
