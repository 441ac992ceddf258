"""Reading a delimited text file (.csv, .txt): encoding, separator, quoted fields."""

from __future__ import annotations

import codecs
import csv
import functools
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..errors import UnreadableFileError
from .sheet import TEXT_TYPE, RawSheet, sheet_from_grid, text_series

SEPARATORS: tuple[str, ...] = (";", ",", "\t", "|")
_SNIFF_CHARS = 32_000
_HEADER_CHARS = 1_000_000  # far beyond any header record
_PREFIX_BYTES = 4 * (_HEADER_CHARS + 1)  # UTF-8 bytes that hold more characters than the header needs
_MAX_COLUMNS = 16_384  # as many as Excel: wider files take the slower path
_ARROW_BLOCK = 1 << 22  # bytes pyarrow parses at a time
_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}


def read_delimited(path: str | Path) -> RawSheet:
    """The header and records of a delimited text file (UTF-8 with or without BOM, or Windows-1252)."""
    path = Path(path)
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(label, f"il ne peut pas être ouvert ({exc.strerror or exc}).") from None
    payload, text = _utf8_payload(data, label)
    del data  # the payload holds it, or its UTF-8 copy
    if text is None:
        text = _decode_prefix(payload)
    if _blank(text) and len(text) > _HEADER_CHARS:  # only the start was decoded
        text = bytes(payload).decode("utf-8")
    if _blank(text):
        raise UnreadableFileError(label, "le fichier est vide (aucune ligne d'en-tête).")
    sep = detect_separator(text)
    header_width = _header_width(text, sep)
    del text
    grid = _read_grid_arrow(payload, sep)
    if grid is None:  # what pyarrow refuses or may read otherwise: the pandas parser decides
        grid = _read_grid(bytes(payload).decode("utf-8"), sep, label)
    return sheet_from_grid(grid, label, header_width=header_width)


def decode(data: bytes, label: str) -> str:
    """Text of a file: UTF-8 (BOM or not), else Windows-1252; anything else is unreadable."""
    _refuse_undecodable(data, label)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            start = exc.start + len(codecs.BOM_UTF8)
            raise UnreadableFileError(label, _bad_bytes(data, start, "UTF-8")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_cp1252(data, label)


def _refuse_undecodable(data: bytes, label: str) -> None:
    if not data:
        raise UnreadableFileError(label, "le fichier est vide (0 octet).")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise UnreadableFileError(
            label,
            "il n'est ni en UTF-8 ni en Windows-1252 (UTF-16 ou fichier binaire ?). "
            "Réenregistrez-le au format « CSV UTF-8 » ou en .xlsx.",
        )


def _decode_cp1252(data: bytes, label: str) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(label, _bad_bytes(data, exc.start, "UTF-8 ni en Windows-1252")) from None


def _utf8_payload(data: bytes, label: str) -> tuple[memoryview | bytes, str | None]:
    """The file's text as UTF-8 bytes (BOM removed), and its decoded text when it had to be decoded.

    Valid UTF-8 (checked by pyarrow, as strict as Python) is used as is; anything else is decoded
    as :func:`decode` does.
    """
    _refuse_undecodable(data, label)
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if _is_utf8(data, start):
        return memoryview(data)[start:], None
    text = decode(data, label) if start else _decode_cp1252(data, label)
    return text.encode("utf-8"), text


def _blank(text: str) -> bool:
    return not text or text.isspace()  # as ``not text.strip()``, without copying the text


def _offsets(start: int, end: int) -> pa.Buffer:
    return pa.py_buffer(np.array([start, end], dtype=np.int64))


def _is_utf8(data: bytes, start: int) -> bool:
    try:
        pa.LargeStringArray.from_buffers(1, _offsets(start, len(data)), pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _decode_prefix(payload: memoryview | bytes) -> str:
    """The text of valid UTF-8 bytes: whole, or at least its first ``_HEADER_CHARS + 1`` characters."""
    if len(payload) <= _PREFIX_BYTES:
        return bytes(payload).decode("utf-8")
    return codecs.getincrementaldecoder("utf-8")().decode(bytes(payload[:_PREFIX_BYTES]))


def _bad_bytes(data: bytes, position: int, encodings: str) -> str:
    line = data.count(b"\n", 0, position) + 1
    return (
        f"l'octet 0x{data[position]:02X} (ligne {line}, position {position}) n'est pas lisible en "
        f"{encodings}. Réenregistrez le fichier au format « CSV UTF-8 »."
    )


def detect_separator(text: str) -> str:
    """The separator among ``;`` ``,`` tab ``|``: csv.Sniffer, checked against the header line."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    best = max(SEPARATORS, key=lambda sep: counts[sep])  # ties: the first in SEPARATORS
    return best if counts[best] > 0 else ";"


def _read_grid(text: str, sep: str, label: str) -> pd.DataFrame:
    options = dict(
        sep=sep,
        header=None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=True,
        quotechar='"',
        doublequote=True,
        engine="c",
    )
    try:
        try:
            return pd.read_csv(io.StringIO(text), **options)
        except pd.errors.ParserError:
            # Some record is wider than the first one: read again as wide as the widest.
            width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=0)
            return pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    except pd.errors.EmptyDataError:
        raise UnreadableFileError(label, "le fichier est vide (aucune ligne d'en-tête).") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise UnreadableFileError(
            label,
            f"sa structure est illisible avec le séparateur {_SEPARATOR_NAMES[sep]} "
            f"(guillemet jamais refermé ?). Détail : {exc}",
        ) from None


def _read_grid_arrow(payload: memoryview | bytes, sep: str) -> pd.DataFrame | None:
    """The grid of text cells parsed by pyarrow, or None when pandas must decide."""
    buffer = pa.py_buffer(payload)
    whole = _whole(buffer)
    if _first_match(whole, "\r([^\n]|$)"):
        return None  # pandas reads some records after a lone CR (old Mac line end) its own way
    block_size = _block_size(payload)
    if block_size is None:
        return None
    quoted = _first_match(whole, '"')  # without quotes, no value holds a line break: a faster parse
    read = pa_csv.ReadOptions(autogenerate_column_names=True, block_size=block_size)
    parse = pa_csv.ParseOptions(
        delimiter=sep,
        quote_char='"' if quoted else False,
        double_quote=True,
        escape_char=False,
        newlines_in_values=quoted,
    )
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(buffer), read_options=read, parse_options=parse, convert_options=_convert_options()
        )
    except (pa.ArrowException, ValueError):
        return None  # a record wider or narrower than the first one, a record beyond a block…
    if table.num_rows == 0 or any(column.type != pa.large_binary() for column in table.columns):
        return None
    if quoted and _may_end_in_quotes(buffer, table.column(table.num_columns - 1)[-1].as_py()):
        return None  # pyarrow accepts an unclosed quote; pandas refuses it
    if quoted and any(_has_lone_cr(column) for column in table.columns):
        return None  # a quoted CRLF lost its LF after all (see _block_size)
    # The payload is valid UTF-8 and cells split it on ASCII bytes only: each cell is valid UTF-8.
    columns = {
        i: text_series(pa.chunked_array([chunk.view(TEXT_TYPE) for chunk in column.chunks], type=TEXT_TYPE))
        for i, column in enumerate(table.columns)
    }
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


@functools.cache
def _convert_options() -> pa_csv.ConvertOptions:
    """Every cell as bytes (checked UTF-8 beforehand), empty cells as nulls: no type guessing."""
    return pa_csv.ConvertOptions(
        column_types={f"f{i}": pa.large_binary() for i in range(_MAX_COLUMNS)},
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )


def _block_size(payload: memoryview | bytes) -> int | None:
    """A pyarrow block size that puts no block boundary between a CR and its LF.

    pyarrow (up to 26 at least) drops the LF of a CRLF inside a quoted value when the block ends
    right after the CR; blocks start at multiples of the block size.
    """
    for size in range(_ARROW_BLOCK, _ARROW_BLOCK + 64):
        if all(payload[end - 1 : end + 1] != b"\r\n" for end in range(size, len(payload), size)):
            return size
    return None


def _whole(buffer: pa.Buffer) -> pa.Array:
    """A one-value binary array over a buffer, for pyarrow's search functions."""
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, _offsets(0, buffer.size), buffer])


def _first_match(values: pa.Array, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(values, pattern)).as_py())


def _has_lone_cr(column: pa.ChunkedArray) -> bool:
    """True when a cell holds a CR that no LF follows (the file itself has none)."""
    for chunk in column.chunks:
        data = chunk.buffers()[2]
        if data is not None and _first_match(_whole(data), "\r") and _first_match(chunk, "\r([^\n]|$)"):
            return True
    return False


def _may_end_in_quotes(buffer: pa.Buffer, last: bytes | None) -> bool:
    """True when the text may end inside a quoted field whose content is ``last`` (the last cell read)."""
    tail = b'"' + (last or b"").replace(b'"', b'""')
    return buffer.size >= len(tail) and buffer.slice(buffer.size - len(tail)).to_pybytes() == tail


def _header_width(text: str, sep: str) -> int | None:
    """Number of fields of the first non-blank record (the header); None if csv cannot tell."""
    try:
        for row in csv.reader(io.StringIO(text[:_HEADER_CHARS]), delimiter=sep):
            if any(cell.strip() for cell in row):
                return len(row)
    except csv.Error:
        pass
    return None
