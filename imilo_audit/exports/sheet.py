"""What a file reader hands on: the header cells and the records, as text, blank lines removed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import UnreadableFileError

TEXT_TYPE = pa.large_string()  # what pandas' ``string`` dtype holds
_MAX_SLICES = 256  # kept rows are taken as zero-copy slices of the text when they form at most this many runs


def _byte_table(*values: int) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


# What the trim removes (the whitespace of str.isspace, as pyarrow's utf8_trim_whitespace), by UTF-8 byte:
_ASCII_SPACES = (*range(0x09, 0x0E), *range(0x1C, 0x21))
_MAY_START_SPACE = _byte_table(*_ASCII_SPACES, 0xC2, 0xE1, 0xE2, 0xE3)  # U+0085, U+00A0, U+1680, U+2000…, U+3000
_ENDS_ASCII_SPACE = _byte_table(*_ASCII_SPACES)
_MAY_END_SPACE = _byte_table(0x85, 0xA0, *range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F)  # last byte of those
_MAY_PRECEDE_END = _byte_table(0xC2, 0x80, 0x81, 0x9A)  # the byte before it


@dataclass
class RawSheet:
    """A file's cells as read, before any column is matched.

    ``headers[i]`` names column ``i`` of ``body``; ``body`` has one row per record (blank records
    removed, RangeIndex), pandas ``string`` cells stripped of surrounding whitespace, NA when empty.
    """

    headers: list[str]
    body: pd.DataFrame
    footer: int = 0  # lines after the data holding a single value (« Total », « Nombre de lignes : 3000 »), left out
    header_line: int = 1  # 1-based line (or row of the sheet) of the header
    above: list[str] = field(default_factory=list)  # non-blank lines above the header (titles, filters), as written
    sheet: str = ""  # of a workbook


def text_series(values: pa.Array | pa.ChunkedArray, index: pd.Index | None = None) -> pd.Series:
    """A pandas ``string`` Series over arrow text, without copying it."""
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values], type=values.type)
    return pd.Series(pd.arrays.ArrowStringArray(values), index=index, copy=False)


def strip_arrow(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Arrow text stripped of surrounding whitespace (as ``Series.str.strip``), null when empty."""
    chunks = [pc.utf8_trim_whitespace(chunk) if _may_need_trim(chunk) else chunk for chunk in values.chunks]
    stripped = pa.chunked_array(chunks, type=values.type)
    empty = pc.equal(pc.binary_length(stripped), 0)
    if pc.any(empty).as_py():
        stripped = pc.if_else(empty, pa.scalar(None, stripped.type), stripped)
    return stripped


def row_runs(kept: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of kept rows."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], kept, [False])).astype(np.int8)))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def keep_rows(values: pd.Series, kept: np.ndarray, runs: list[tuple[int, int]]) -> pd.Series:
    """The kept rows of a column, on a RangeIndex; text is sliced, not copied, when the runs are few."""
    if len(runs) == 1 and runs[0] == (0, len(values)):
        return values.set_axis(pd.RangeIndex(len(values)))
    if isinstance(values.array, pd.arrays.ArrowStringArray) and 0 < len(runs) <= _MAX_SLICES:
        text = values.array.__arrow_array__()
        chunks = [chunk for start, stop in runs for chunk in text.slice(start, stop - start).chunks]
        return text_series(pa.chunked_array(chunks, type=text.type))
    return values[kept].reset_index(drop=True)


def _may_need_trim(chunk: pa.Array) -> bool:
    """False when no cell of a text chunk starts or ends with whitespace (checked on bytes, not decoded).

    An empty cell looks at its neighbours' bytes: that may only answer True for nothing.
    """
    offsets_buffer, data_buffer = chunk.buffers()[1:3]
    if data_buffer is None or data_buffer.size == 0 or len(chunk) == 0:
        return False
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    if _MAY_START_SPACE[data.take(offsets[:-1], mode="clip")].any():
        return True
    ends = offsets[1:] - 1
    last = data.take(ends, mode="clip")
    if _ENDS_ASCII_SPACE[last].any():
        return True
    high = _MAY_END_SPACE[last]
    return bool(high.any() and _MAY_PRECEDE_END[data.take(ends[high] - 1, mode="clip")].any())


def strip_text(column: pd.Series) -> pd.Series:
    """Stripped ``string`` column, NA for empty cells."""
    text = column.astype("string")
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        stripped = text_series(strip_arrow(text.array.__arrow_array__()), index=text.index)
        return stripped.rename(text.name)
    text = text.str.strip()
    return text.mask(text == "")


def sheet_from_grid(grid: pd.DataFrame, path: str, header_width: int | None = None) -> RawSheet:
    """Split a grid of text cells (header row included) into headers and records.

    A record whose cells are all empty is a blank line: it is dropped and not counted. With
    ``header_width``, cells beyond the header's width must be empty (trailing separators are
    tolerated; data there means misaligned fields).
    """
    rows = pd.RangeIndex(len(grid))
    grid = pd.DataFrame({i: strip_text(grid.iloc[:, i]).set_axis(rows) for i in range(grid.shape[1])}, index=rows)
    filled = np.zeros(len(grid), dtype=bool)
    for i in range(grid.shape[1]):
        filled |= grid[i].notna().to_numpy()
    if not filled.all():
        runs = row_runs(filled)
        rows = pd.RangeIndex(int(filled.sum()))
        grid = pd.DataFrame({i: keep_rows(grid[i], filled, runs) for i in range(grid.shape[1])}, index=rows)
    if grid.empty:
        raise UnreadableFileError(path, "le fichier est vide : il n'a pas de ligne d'en-tête.")

    headers = ["" if pd.isna(v) else str(v) for v in grid.iloc[0]]
    footer = _footer_rows(grid)
    body = grid.iloc[1 : len(grid) - footer].reset_index(drop=True)
    width = len(headers)
    if header_width is not None and header_width < width:
        extra = body.iloc[:, header_width:].notna().any(axis=1)
        if extra.any():
            record = int(extra.to_numpy().nonzero()[0][0]) + 1
            raise UnreadableFileError(
                path,
                f"l'enregistrement n° {record} (en-tête exclu) a plus de champs que l'en-tête "
                f"({header_width} colonnes). Une valeur contient probablement le séparateur sans être "
                "entourée de guillemets : corrigez l'export ou réexportez-le.",
            )
        headers, body = headers[:header_width], body.iloc[:, :header_width]
    body.columns = pd.RangeIndex(body.shape[1])
    return RawSheet(headers=headers, body=body, footer=footer)


_FOOTER_ROWS = 100  # footer lines looked for at most


def looks_like_note(text: str) -> bool:
    """A single value that is a note (« Total », « Nombre de lignes : 3000 »), not an identifier."""
    text = text.strip()
    return bool(text) and (any(c.isspace() for c in text) or ":" in text or text.isalpha())


def _footer_rows(grid: pd.DataFrame) -> int:
    """Rows at the end of the data holding a value in one cell only (spec/exports.md "footer lines")."""
    tail = grid.iloc[max(1, len(grid) - _FOOTER_ROWS) :]
    counts = tail.notna().sum(axis=1).to_numpy()
    footer = 0
    for position in range(len(tail) - 1, -1, -1):
        if counts[position] != 1:
            break
        value = str(tail.iloc[position].dropna().iloc[0])
        if not looks_like_note(value):
            break  # an identifier alone: a record with nothing else, not a footer
        footer += 1
    if footer == len(counts) and len(tail) == len(grid) - 1:
        return 0  # no record with two values: a one-column file, not a footer
    return footer
