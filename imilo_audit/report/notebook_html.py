"""An executed theme notebook as a French HTML page without code, that opens offline.

nbconvert's ``basic`` template gives the cells' HTML and nothing else (no require.js, no MathJax,
no CDN); our own page around it carries the report's styles and a header naming the theme, the
structure and the date de référence. The page is rendered in the runner's process: it learns
them from the executed notebook itself, in the metadata of the output that
:class:`imilo_audit.notebook.Entete` wrote (``PAGE_METADATA``), else from papermill's parameters.
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

from ..french.formatting import fr_of_month
from .formatting import PAGE_METADATA, page_heading
from .offline import check_offline
from .templating import render_page

REMOVE_CELL_TAGS = ("remove_cell", "parameters", "injected-parameters")
REMOVE_INPUT_TAGS = ("remove_input",)
REMOVE_OUTPUT_TAGS = ("remove_output",)


class _PageExporter(HTMLExporter):
    """nbconvert's HTML exporter without its closing BeautifulSoup pass.

    That pass re-parses the whole page to add English alt texts to images and tab stops to the
    ``lab`` template's cells: our cells carry their French alt text (:func:`_without_noise`) and the
    ``basic`` template has no such cells, so it would only cost a third of each page's time.
    """

    def from_notebook_node(self, nb, resources=None, **kw):  # noqa: ANN001, ANN201 - nbconvert's signature
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@cache
def _exporter() -> HTMLExporter:
    """One exporter for every page (building one loads its templates: a tenth of a second)."""
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    config.TagRemovePreprocessor.remove_input_tags = set(REMOVE_INPUT_TAGS)
    config.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    return _PageExporter(
        config=config,
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="fr",
    )


_FIRST_HEADING = re.compile(r"\A\s*#\s+[^\n]*\n*")
_CHARACTER_REFERENCE = re.compile(r"&#(?:x([0-9a-fA-F]+)|([0-9]+));")
_MARKUP = frozenset('<>&"\'')


def _characters(html: str) -> str:
    """``&#224;`` written as ``à``: nbconvert's Markdown escapes accented letters, the page is UTF-8.

    Markup characters (``<>&"'``) stay references; the text reads the same in the browser, and the
    page's source and a search in it find « à corriger ».
    """
    def plain(match: re.Match) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        character = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
        return character if character and character not in _MARKUP else match.group(0)

    return _CHARACTER_REFERENCE.sub(plain, html)


def _without_noise(notebook: nbformat.NotebookNode, keep_stderr: bool) -> nbformat.NotebookNode:
    """A copy without empty code cells, title heading (the header shows it) and stderr (unless asked)."""
    notebook = copy.deepcopy(notebook)
    cells = []
    titled = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not titled:
            titled = True
            cell.source = _FIRST_HEADING.sub("", cell.source, count=1)
            if not cell.source.strip():
                continue
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


def page_info(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """What the page's header shows (``titre``, ``structure``, ``date_reference``), as the notebook said.

    papermill's parameters give the date de référence of a run; the outputs' ``PAGE_METADATA``
    (written by the notebook, which knows its export) complete and override them.
    """
    info: dict[str, str] = {}
    parameters = notebook.metadata.get("papermill", {}).get("parameters", {}) or {}
    if parameters.get("date_reference"):
        info["date_reference"] = str(parameters["date_reference"])
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            found = output.get("metadata", {}).get(PAGE_METADATA)
            if isinstance(found, dict):
                info.update({key: str(value) for key, value in found.items() if value not in (None, "")})
    return info


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
    info = page_info(notebook)
    title = title or info.get("titre") or notebook_title(notebook, ipynb_path.stem)
    structure, date_reference = info.get("structure", ""), info.get("date_reference", "")
    body, _resources = _exporter().from_notebook_node(_without_noise(notebook, keep_stderr))
    page = render_page(
        "notebook.html.j2", title=title, head_title=page_heading(title, structure, date_reference),
        structure=structure, date_reference=date_reference, mois=fr_of_month(date_reference),
        body=Markup(_characters(body)), back_link=back_link, source=ipynb_path.name,
    )
    check_offline(page, str(html_path))
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(page, encoding="utf-8")
    return html_path
