"""Reading an Excel workbook (.xlsx): the sheet named like the table, else the first one.

Every cell becomes its text "as read" (docs/conventions.md): a native date is written
``jj/mm/aaaa`` (`` hh:mm:ss`` when the time is not midnight), a number without ``.0`` when whole,
else in decimal notation with a dot. Typing then follows the same path as delimited text.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UnreadableFileError
from ..text import strip_accents
from .sheet import RawSheet, sheet_from_grid

_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # encrypted .xlsx and old .xls share this container


def read_workbook(path: str | Path, table: str) -> RawSheet:
    """The header and records of the sheet of ``table`` in an .xlsx workbook."""
    path = Path(path)
    label = str(path)
    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            sheet = choose_sheet([str(name) for name in book.sheet_names], table)
            grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    except Exception as exc:  # calamine, zip and pandas raise many types for one cause
        raise UnreadableFileError(label, _why_unreadable(path, exc)) from None
    text = pd.DataFrame({i: render_column(grid.iloc[:, i]) for i in range(grid.shape[1])}, index=grid.index)
    if text.shape[1] == 0:
        raise UnreadableFileError(label, f"la feuille « {sheet} » est vide (aucune ligne d'en-tête).")
    return sheet_from_grid(text, label)


def choose_sheet(names: list[str], table: str) -> str:
    """The first sheet whose name starts with the table's (case and accents ignored), else the first."""
    if not names:
        raise ValueError("classeur sans feuille")
    for name in names:
        if strip_accents(name).casefold().strip().startswith(table):
            return name
    return names[0]


def _why_unreadable(path: Path, exc: Exception) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        return f"il ne peut pas être ouvert ({err.strerror or err})."
    if not head:
        return "le fichier est vide (0 octet)."
    if head.startswith(_OLE2_MAGIC):
        return (
            "le classeur est protégé par un mot de passe, ou c'est un ancien classeur Excel 97-2003 "
            "renommé en .xlsx. Ouvrez-le dans Excel, retirez le mot de passe et enregistrez-le au "
            "format .xlsx (ou exportez la table en CSV)."
        )
    if not head.startswith(b"PK"):
        return "ce n'est pas un classeur Excel .xlsx. Réexportez la table en .xlsx ou en CSV."
    return f"le classeur est endommagé ou incomplet ({exc}). Réexportez la table, en .xlsx ou en CSV."


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
