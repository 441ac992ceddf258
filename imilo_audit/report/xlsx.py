"""A small, fast ``.xlsx`` writer for the counsellors' workbooks: text and number cells, a fixed set of
styles, column widths, row heights, a frozen header row and an autofilter — nothing else.

Why not xlsxwriter, which wrote them before: a run writes one workbook per counsellor (670 for a
findings-heavy Mission Locale, 730 nationally) and xlsxwriter spent 11 ms per workbook of about
70 rows (its general cell model, formats and XML writer), more than half of the synthesis. This
module writes the same parts (SpreadsheetML as Excel 2007+ reads it, the structure xlsxwriter
produces: shared strings, a styles part, one part per sheet, the ``_FilterDatabase`` names) for the
two sheet shapes the workbooks have, from strings joined at once: 7 to 10 times faster.
rustpy-xlsxwriter (rust_xlsxwriter) was measured too: 4 times faster, but its record-table API
cannot write the « Synthèse » sheet (free cells above a table) nor a quote prefix per cell.

Text follows Excel's rules as xlsxwriter applies them: ``&``, ``<``, ``>`` escaped, control
characters written ``_xHHHH_`` (and a literal ``_xHHHH_`` protected as ``_x005F_xHHHH_``),
leading or trailing spaces kept (``xml:space="preserve"``). No formula is ever written.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from xml.sax.saxutils import escape


class Style(IntEnum):
    """The cell styles of every workbook (positions in ``styles.xml``'s cellXfs)."""

    DEFAULT = 0
    TITLE = 1  # bold, 14 pt
    BOLD = 2
    HEADER = 3  # bold, blue-grey fill, wrapped, top
    NUMBER = 4  # whole number (« 0 »)
    TOTAL = 5  # bold, thin top border
    TOP = 6  # aligned to the top of the row
    WRAPPED = 7  # wrapped, top
    AS_TEXT = 8  # quote prefix: Excel keeps it text when edited
    AS_TEXT_WRAPPED = 9  # quote prefix, wrapped, top


_HEADER_FILL = "FFDDE4EC"
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    f'<fonts count="3"><font>{_FONT}</font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    f'<font><b/>{_FONT}</font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    f'<fill><patternFill patternType="solid"><fgColor rgb="{_HEADER_FILL}"/><bgColor indexed="64"/></patternFill>'
    '</fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="10">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" quotePrefix="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    '</styleSheet>'
)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PACKAGE_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_OFFICE = "application/vnd.openxmlformats-officedocument"
_SHEET_TYPE = f"{_OFFICE}.spreadsheetml.worksheet+xml"
_MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
_SELECTED = ' tabSelected="1"'
_PADDING = 0.7109375  # Excel's column width = characters + this padding (as xlsxwriter writes it)

_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def column_letter(number: int) -> str:
    """``0`` -> ``A``, ``25`` -> ``Z``, ``26`` -> ``AA``."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(n) for n in range(64)]


def _si(text: str) -> str:
    """One shared string's ``<si>`` element, escaped as Excel expects."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    text = escape(text)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<si><t xml:space="preserve">{text}</t></si>'
    return f"<si><t>{text}</t></si>"


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


@dataclass
class Sheet:
    """One worksheet: cells by row, column widths, row heights, frozen rows, filter. Rows and columns from 0."""

    name: str
    strings: dict[str, int]
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    rows: dict[int, str] = field(default_factory=dict)  # whole rows written by :meth:`table`
    width: int = 0  # columns used by :meth:`table`
    columns: list[tuple[int, int, float, int | None]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    frozen_rows: int = 0
    filter: tuple[int, int] | None = None  # last row, last column of a filter from A1
    references: int = 0  # shared-string uses, for the sst's count

    def string(self, value: str) -> int:
        """``value``'s position in the workbook's shared strings (added if new), counted as one more use."""
        index = self.strings.get(value)
        if index is None:
            index = self.strings[value] = len(self.strings)
        self.references += 1
        return index

    def text(self, row: int, column: int, value: str, style: int = Style.DEFAULT) -> None:
        """A text cell (``value`` as is: nothing is read as a number or formula)."""
        styled = f' s="{style}"' if style else ""
        self.cells.setdefault(row, []).append(
            (column, f'<c r="{_LETTERS[column]}{row + 1}"{styled} t="s"><v>{self.string(value)}</v></c>'))

    def number(self, row: int, column: int, value: int | float, style: int = Style.DEFAULT) -> None:
        """A number cell."""
        styled = f' s="{style}"' if style else ""
        cell = f'<c r="{_LETTERS[column]}{row + 1}"{styled}><v>{value}</v></c>'
        self.cells.setdefault(row, []).append((column, cell))

    def table(self, first_row: int, rows: list[tuple[tuple[str, ...], tuple[int, ...]]]) -> None:
        """Rows of text cells from ``first_row`` on: each row's values and the style of each value.

        The values are written as they are ("" leaves the cell empty): the fast path for long lists. Its
        rows hold no cell written by :meth:`text` or :meth:`number`.
        """
        if any(first_row <= row < first_row + len(rows) for row in self.cells):
            raise ValueError("a table's rows already hold cells")
        string = self.string
        for number, (values, styles) in enumerate(rows, start=first_row + 1):
            cells = "".join(f'<c r="{letter}{number}" s="{style}" t="s"><v>{string(value)}</v></c>'
                            for letter, style, value in zip(_LETTERS, styles, values) if value)  # noqa: B905
            self.rows[number - 1] = f'<row r="{number}">{cells}</row>'
            self.width = max(self.width, len(values))

    def set_columns(self, first: int, last: int, width: float, style: int | None = None) -> None:
        """Columns ``first`` to ``last`` ``width`` characters wide, with a default style."""
        self.columns.append((first, last, width, style))

    def xml(self, selected: bool) -> str:
        """The worksheet part."""
        rows = sorted({*self.cells, *self.rows})
        last_row = max(rows, default=0)
        last_column = max([column for cells in self.cells.values() for column, _ in cells] + [self.width - 1, 0])
        if self.filter is not None:
            last_row, last_column = max(last_row, self.filter[0]), max(last_column, self.filter[1])
        parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                 f'<dimension ref="A1:{_LETTERS[last_column]}{last_row + 1}"/><sheetViews>'
                 f'<sheetView{_SELECTED if selected else ""} workbookViewId="0"']
        if self.frozen_rows:
            top = f"A{self.frozen_rows + 1}"
            parts.append(f'><pane ySplit="{self.frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" '
                         'state="frozen"/><selection pane="bottomLeft"/></sheetView>')
        else:
            parts.append("/>")
        parts.append('</sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self.columns:
            parts.append("<cols>")
            for first, last, width, style in sorted(self.columns, key=lambda column: column[0]):
                styled = f' style="{style}"' if style else ""
                parts.append(f'<col min="{first + 1}" max="{last + 1}" width="{width + _PADDING}"{styled} '
                             'customWidth="1"/>')
            parts.append("</cols>")
        parts.append("<sheetData>")
        for row in rows:
            if row in self.rows:
                parts.append(self.rows[row])
                continue
            height = self.heights.get(row)
            tall = f' ht="{height}" customHeight="1"' if height else ""
            parts.append(f'<row r="{row + 1}"{tall}>{"".join(cell for _, cell in sorted(self.cells[row]))}</row>')
        parts.append("</sheetData>")
        if self.filter is not None:
            parts.append(f'<autoFilter ref="{self.filter_range()}"/>')
        parts.append(f"{_MARGINS}</worksheet>")
        return "".join(parts)

    def filter_range(self, absolute: bool = False) -> str:
        assert self.filter is not None
        row, column = self.filter
        if absolute:
            return f"$A$1:${_LETTERS[column]}${row + 1}"
        return f"A1:{_LETTERS[column]}{row + 1}"


class Workbook:
    """Sheets sharing one string table, saved as one ``.xlsx`` file."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []
        self._strings: dict[str, int] = {}

    def add_sheet(self, name: str) -> Sheet:
        """A new sheet (``name`` already valid for Excel: 31 characters at most, no ``[]:*?/\\``)."""
        sheet = Sheet(name, self._strings)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: str | Path, compresslevel: int = 6) -> None:
        """Write the workbook to ``path``."""
        sheets = self.sheets or [self.add_sheet("Feuille1")]
        count = len(sheets)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
            archive.writestr("[Content_Types].xml", self._content_types(count))
            archive.writestr("_rels/.rels", _ROOT_RELS)
            archive.writestr("docProps/app.xml", self._app())
            archive.writestr("docProps/core.xml", _core())
            archive.writestr("xl/workbook.xml", self._workbook())
            archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
            archive.writestr("xl/styles.xml", _STYLES)
            for number, sheet in enumerate(sheets, start=1):
                archive.writestr(f"xl/worksheets/sheet{number}.xml", sheet.xml(selected=number == 1))
            archive.writestr("xl/sharedStrings.xml", self._shared_strings())

    def _shared_strings(self) -> str:
        uses = sum(sheet.references for sheet in self.sheets)
        return (f'{_HEAD}<sst xmlns="{_MAIN}" count="{uses}" uniqueCount="{len(self._strings)}">'
                f'{"".join(map(_si, self._strings))}</sst>')

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_attribute(sheet.name)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, sheet in enumerate(self.sheets, start=1))
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f'{_attribute(_quoted(sheet.name))}!{sheet.filter_range(absolute=True)}</definedName>'
            for n, sheet in enumerate(self.sheets) if sheet.filter is not None)
        return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews>'
                '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
                f'<sheets>{sheets}</sheets>{f"<definedNames>{names}</definedNames>" if names else ""}'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def _app(self) -> str:
        titles = "".join(f"<vt:lpstr>{_attribute(sheet.name)}</vt:lpstr>" for sheet in self.sheets)
        count = len(self.sheets)
        return (f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>'
                '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
                f'</vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant></vt:vector></HeadingPairs>'
                f'<TitlesOfParts><vt:vector size="{count}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
                '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
                '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>')

    @staticmethod
    def _content_types(count: int) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
                         for n in range(1, count + 1))
        return (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.extended-properties+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
                f'{sheets}<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{_OFFICE}.spreadsheetml.sharedStrings+xml"/></Types>')


def _workbook_rels(count: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                     for n in range(1, count + 1))
    return (f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">{sheets}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')


def _core() -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator>imilo-audit</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')


def _quoted(name: str) -> str:
    """A sheet name as a formula names it: quoted (quotes doubled) unless plain letters, digits and ``_``."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", name):
        return name
    return "'" + name.replace("'", "''") + "'"
