"""Reading a workbook (.xlsx, .xls, .ods): the sheet named like the table, else the sheet whose headers
fit it, else the first one; the header found below title lines (spec/exports.md).

Every cell becomes its text "as read" (docs/conventions.md): a native date is written
``jj/mm/aaaa`` (`` hh:mm:ss`` when the time is not midnight), a number without ``.0`` when whole,
else in decimal notation with a dot. Typing then follows the same path as delimited text.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import SheetTypeEnum, load_workbook

from ..errors import UnreadableFileError, os_error_fr
from ..text import strip_accents
from .header import HEADER_LINES, Aliases, Fit, first_filled_line, header_fit, table_fits
from .sheet import TEXT_TYPE, RawSheet, sheet_from_grid, text_series
from .text_lines import SEPARATORS

_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls share this container
# Text cells pandas.read_excel read as missing values (its default ``na_values``): still read so.
NA_TEXTS: tuple[str, ...] = (
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
)
_NA_TEXTS = frozenset(NA_TEXTS)
_NA_SET = pa.array(NA_TEXTS, type=TEXT_TYPE)
_NOT_RENDERED = object()


WORKBOOK_SUFFIXES: tuple[str, ...] = (".xlsx", ".xls", ".ods")


def read_workbook(path: str | Path, table: str, aliases: Aliases | None = None) -> RawSheet:
    """The header and records of the sheet of ``table`` in a workbook (.xlsx, .xls or .ods)."""
    path = Path(path)
    label = str(path)
    with _cyclic_gc_paused():  # millions of cell objects: collecting them as they come costs a third
        try:
            with path.open("rb") as handle:  # as pandas opened it: calamine then detects the format
                book = load_workbook(handle)
            try:
                names = [str(meta.name) for meta in book.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
                sheet = _pick_sheet(book, names, table, aliases)
                rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            finally:
                book.close()
        except Exception as exc:  # calamine and zip raise many types for one cause
            raise UnreadableFileError(label, _why_unreadable(path, exc)) from None
        if not rows or not any(rows):
            raise UnreadableFileError(label, f"la feuille « {sheet} » est vide (aucune ligne d'en-tête). "
                "Réexportez la table depuis i-milo, avec ses en-têtes.")
        start = _text_rows(rows[: HEADER_LINES + 1])
        fit = header_fit(start, table, aliases)
        line = fit.line if fit is not None else first_filled_line(start)  # the closest line says what is missing
        above = [" ".join(cell for cell in cells if cell) for cells in start[:line]]
        rows = rows[line:]
        try:
            columns = list(zip(*rows, strict=True))
        except ValueError:  # rows of unequal widths: pad them as pandas does
            width = max(len(row) for row in rows)
            columns = list(zip(*(list(row) + [""] * (width - len(row)) for row in rows), strict=True))
        del rows
        grid = {i: text_series(_column_text(values)) for i, values in enumerate(columns)}
        height = len(columns[0])
        del columns
    result = sheet_from_grid(pd.DataFrame(grid, index=pd.RangeIndex(height)), label)
    result.header_line, result.sheet, result.above = line + 1, sheet, [text for text in above if text]
    return result


def workbook_fits(path: str | Path, aliases: Aliases | None = None) -> list[tuple[str, Fit]]:
    """For a workbook named after no table: each sheet's best fit, best first (an unreadable one: none)."""
    fits: list[tuple[str, Fit]] = []
    try:
        with Path(path).open("rb") as handle:
            book = load_workbook(handle)
        try:
            for meta in book.sheets_metadata:
                if meta.typ == SheetTypeEnum.WorkSheet:
                    fits += [(str(meta.name), fit) for fit in table_fits(_first_rows(book, meta.name), aliases)]
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - an unreadable workbook fits no table (said when a table needs it)
        return []
    return sorted(fits, key=lambda item: item[1].rank, reverse=True)


def _pick_sheet(book, names: list[str], table: str, aliases: Aliases | None) -> str:
    """The sheet named like the table, else the one whose first lines hold the table's header, else the first."""
    if not names:
        raise _NoSheet("classeur sans feuille")
    for name in names:
        if strip_accents(name).casefold().strip().startswith(table):
            return name
    best: tuple[tuple[bool, int], str] | None = None
    for name in names:
        fit = header_fit(_first_rows(book, name), table, aliases)
        if fit is not None and (best is None or (fit.holds_required, fit.fields) > best[0]):
            best = ((fit.holds_required, fit.fields), name)
    return best[1] if best else names[0]


def _first_rows(book, name: str) -> list[list[str]]:
    """The text of a sheet's first rows, where its header may be."""
    return _text_rows(book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_LINES + 1))


def _text_rows(rows: list[list[object]]) -> list[list[str]]:
    return [[render_cell(value) or "" for value in row] for row in rows]


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (cell values hold no reference cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _column_text(values: tuple[object, ...]) -> pa.Array:
    """Text of each cell of an Excel column (null for empty cells and pandas' missing-value texts)."""
    try:
        text = pa.array(values, type=TEXT_TYPE)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # numbers, dates, booleans: rendered once per value
        return pa.array(_render_cells(values), type=TEXT_TYPE)
    return pc.if_else(pc.is_in(text, value_set=_NA_SET), pa.scalar(None, TEXT_TYPE), text)


def _render_cells(values: tuple[object, ...]) -> list[str | None]:
    """Text of the cells of a column holding other values than text, each distinct value rendered once."""
    rendered: dict[type, dict[object, str | None]] = {}  # by type: True, 1 and 1.0 are equal keys
    cells: list[str | None] = []
    append = cells.append
    for value in values:
        kind = type(value)
        if kind is str:
            append(None if value in _NA_TEXTS else value)
            continue
        cache = rendered.get(kind)
        if cache is None:
            cache = rendered[kind] = {}
        text = cache.get(value, _NOT_RENDERED)
        if text is _NOT_RENDERED:
            text = cache[value] = render_cell(value)
        append(text)
    return cells


def _why_unreadable(path: Path, exc: Exception) -> str:
    """What is wrong with a workbook calamine refused, in French (its own messages are English)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        return f"il ne peut pas être ouvert : {os_error_fr(err)}"
    if not head:
        return "le fichier est vide (0 octet). Réexportez la table, en .xlsx ou en CSV."
    if head.startswith(_OLE2_MAGIC) and path.suffix.casefold() == ".xls":
        return (
            "le classeur Excel 97-2003 (.xls) est protégé par un mot de passe, ou endommagé. Ouvrez-le dans "
            "Excel, retirez le mot de passe et enregistrez-le (ou exportez la table en CSV)."
        )
    if head.startswith(_OLE2_MAGIC):
        return (
            "le classeur est protégé par un mot de passe, ou c'est un ancien classeur Excel 97-2003 "
            "renommé en .xlsx. Ouvrez-le dans Excel, retirez le mot de passe et enregistrez-le au "
            "format .xlsx (ou exportez la table en CSV)."
        )
    if not head.startswith(b"PK"):
        if _looks_like_text(path):
            return (
                "ce n'est pas un classeur Excel .xlsx mais un fichier texte (CSV ?) : renommez-le en .csv, ou "
                "réexportez la table en .xlsx."
            )
        return "ce n'est pas un classeur Excel .xlsx. Réexportez la table en .xlsx ou en CSV."
    if isinstance(exc, _NoSheet):
        return "le classeur ne contient aucune feuille de calcul. Réexportez la table, en .xlsx ou en CSV."
    return (
        "le classeur est endommagé ou incomplet (copie interrompue ?), ou ce n'est pas un classeur Excel "
        "(une autre archive .zip renommée). Réexportez la table, en .xlsx ou en CSV."
    )


def _looks_like_text(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b"\x00" not in head and any(sep.encode() in head for sep in SEPARATORS)


class _NoSheet(ValueError):
    """A workbook without any worksheet."""


def render_column(values: pd.Series) -> pd.Series:
    """Text of each cell of an Excel column as a ``string`` Series (NA for empty cells)."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "empty":
        return pd.Series(pd.NA, index=values.index, dtype="string")
    if kind == "string":
        return values.astype("string")
    return values.map(render_cell).astype("string")


def render_cell(value: object) -> str | None:
    """Text "as read" of one Excel cell value (None for an empty cell)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "VRAI" if value else "FAUX"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return str(number)
        if number.is_integer():
            return str(int(number))
        return format(Decimal(repr(number)), "f")
    if isinstance(value, dt.datetime):
        return _render_datetime(value)
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return str(value)


def _render_datetime(value: dt.datetime) -> str:
    if value.microsecond >= 500_000:  # serial numbers carry float noise: round to the second
        value = value + dt.timedelta(microseconds=1_000_000 - value.microsecond)
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if (value.hour, value.minute, value.second) != (0, 0, 0):
        text += f" {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return text
