"""The first lines of a delimited text file: Excel's « sep=; » hint, title lines, and the header.

Only the file's start is decoded (:data:`PROBE_BYTES`): finding the header costs a few lines, never
a second pass over the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .header import HEADER_LINES, Aliases, Fit, first_filled_line, header_fit, table_fits

PROBE_BYTES = 1 << 16
SEPARATORS: tuple[str, ...] = (";", ",", "\t", "|")
_SEP_HINT = re.compile(r'^\s*"?sep=(.)"?\s*$', re.IGNORECASE)


@dataclass(frozen=True)
class TextStart:
    """The start of a text file, decoded: its first lines and Excel's separator hint."""

    lines: list[str]  # physical lines (line ends removed), the hint line included
    hint: str | None  # the separator of a « sep=; » first line


@dataclass(frozen=True)
class TextHeader:
    """Where a table starts in a text file."""

    separator: str | None  # None: no line gives the table's columns, the reader detects it
    line: int  # 0-based physical line of the header
    fit: Fit | None  # how it fits the table (None: no line gives any of its columns)
    above: list[str]  # the non-blank lines above the header (title, filters…), as written


def text_start(path: str | Path) -> TextStart:
    """The decoded start of a file (UTF-8 with or without BOM, else Windows-1252; never an error)."""
    with Path(path).open("rb") as handle:
        data = handle.read(PROBE_BYTES)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data)  # a sequence cut at the end waits
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)
    if len(data) == PROBE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    hint = _SEP_HINT.match(lines[0]) if lines else None
    return TextStart(lines[: HEADER_LINES + 2], hint.group(1) if hint and hint.group(1) in SEPARATORS else None)


def _records(start: TextStart, separator: str) -> tuple[list[list[str]], list[int]]:
    """The cells of the first records and the physical line each starts on (the hint line skipped)."""
    first = 1 if start.hint else 0
    text = "\n".join(start.lines[first:])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows, starts, done = [], [], 0
    try:
        for row in reader:
            rows.append(row)
            starts.append(first + done)
            done = reader.line_num
            if len(rows) > HEADER_LINES:
                break
    except csv.Error:
        pass
    return rows, starts


def _separators(start: TextStart) -> tuple[str, ...]:
    return (start.hint,) if start.hint else SEPARATORS


def locate_header(start: TextStart, table: str, aliases: Aliases | None = None) -> TextHeader:
    """The separator and line of ``table``'s header: the first line holding its required columns, else
    the line closest to it (its fit says what is missing), else the first non-blank line as it is.
    """
    best: tuple[tuple[bool, int, int], TextHeader] | None = None
    for separator in _separators(start):
        rows, starts = _records(start, separator)
        fit = header_fit(rows, table, aliases)
        if fit is None:
            continue
        header = TextHeader(separator, starts[fit.line], fit, _above(start, starts[fit.line]))
        if best is None or fit.rank > best[0]:
            best = (fit.rank, header)
    if best is not None:
        return best[1]
    line = _first_line(start)
    return TextHeader(start.hint, line, None, _above(start, line))


def recognise(start: TextStart, aliases: Aliases | None = None) -> list[Fit]:
    """How the file's first lines fit each table, best first, whatever the separator."""
    fits: dict[str, Fit] = {}
    for separator in _separators(start):
        rows, _starts = _records(start, separator)
        for fit in table_fits(rows, aliases):
            known = fits.get(fit.table)
            if known is None or (fit.holds_required, fit.fields) > (known.holds_required, known.fields):
                fits[fit.table] = fit
    return sorted(fits.values(), key=lambda fit: fit.rank, reverse=True)


def _first_line(start: TextStart) -> int:
    """The first non-blank line after the hint: the header when no line fits the table."""
    first = 1 if start.hint else 0
    return first + first_filled_line([[line] for line in start.lines[first:]])


def _above(start: TextStart, line: int) -> list[str]:
    first = 1 if start.hint else 0
    return [text.strip() for text in start.lines[first:line] if text.strip()]
