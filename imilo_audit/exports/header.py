"""Finding a table's header among a file's first lines, and the table a file's headers fit.

BI exports put title, structure, « Extraction du … » and filter lines above the table: the header
is the first line, within the first :data:`HEADER_LINES`, that holds the table's required columns
(spec/exports.md, "Above and below the table"). A file named after no table belongs to the table
whose required columns it holds and whose other columns it matches best.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..text import header_key
from .columns import header_index
from .schema import TABLES, TableSchema

HEADER_LINES = 30
MIN_RECOGNISED = 3  # columns a file named after no table must share with a table (or two, half of its headers)

Aliases = Mapping[str, Mapping[str, Sequence[str]]]


@dataclass(frozen=True)
class Fit:
    """How well one line of a file fits a table as its header."""

    table: str
    line: int  # index of the line among the rows looked at
    fields: int  # distinct fields the line's headers give
    headers: int  # non-empty cells of the line
    missing: tuple[str, ...]  # required fields without a column (empty: the line is the table's header)
    cells: tuple[str, ...] = ()  # the line's non-empty cells, as written

    @property
    def holds_required(self) -> bool:
        return not self.missing

    @property
    def rank(self) -> tuple[bool, int, int]:
        """Higher is better: the required columns held, then more of the table's columns, then an earlier line."""
        return self.holds_required, self.fields, -self.line

    @property
    def recognisable(self) -> bool:
        """Enough of the table's columns to take a file named after no table for it (docs/conventions.md)."""
        enough = self.fields >= MIN_RECOGNISED or (self.fields >= 2 and 2 * self.fields >= self.headers)
        return self.holds_required and enough


def line_fit(cells: Sequence[str], schema: TableSchema, index: Mapping[str, str], line: int) -> Fit:
    """How the cells of one line fit ``schema`` as its header."""
    written = tuple(cell.strip() for cell in cells if cell and cell.strip())
    keys = [header_key(cell) for cell in written]
    fields = {index[key] for key in keys if key in index}
    missing = tuple(name for name in schema.required_fields if name not in fields)
    return Fit(schema.name, line, len(fields), len(keys), missing, written)


def header_fit(rows: Sequence[Sequence[str]], table: str, aliases: Aliases | None = None) -> Fit | None:
    """The first line (within :data:`HEADER_LINES`) holding the table's required columns, else the
    line closest to it (most fields; None when no line gives any field)."""
    schema = TABLES[table]
    index = header_index(schema, (aliases or {}).get(table))
    best: Fit | None = None
    for line, cells in enumerate(rows[:HEADER_LINES]):
        fit = line_fit(cells, schema, index, line)
        if fit.holds_required:
            return fit
        if fit.fields and (best is None or fit.fields > best.fields):
            best = fit
    return best


def table_fits(rows: Sequence[Sequence[str]], aliases: Aliases | None = None) -> list[Fit]:
    """For every table, how the file's first lines fit it, best first (tables no line fits are left out)."""
    fits = [fit for table in TABLES if (fit := header_fit(rows, table, aliases)) is not None]
    return sorted(fits, key=lambda fit: fit.rank, reverse=True)


def first_filled_line(rows: Sequence[Sequence[str]]) -> int:
    """The first line holding a non-empty cell (the header when no line fits the table), or 0."""
    return next((i for i, cells in enumerate(rows) if any(cell and cell.strip() for cell in cells)), 0)
