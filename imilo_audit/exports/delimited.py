"""Reading a delimited text file (.csv, .txt): encoding, separator, quoted fields."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..errors import UnreadableFileError, os_error_fr
from .sheet import TEXT_TYPE, RawSheet, looks_like_note, sheet_from_grid, text_series
from .text_lines import SEPARATORS
from .values import arrow_chunks

_SNIFF_CHARS = 32_000
_HEADER_CHARS = 1_000_000  # far beyond any header record
_PREFIX_BYTES = 4 * (_HEADER_CHARS + 1)  # UTF-8 bytes that hold more characters than the header needs
_MAX_COLUMNS = 16_384  # as many as Excel: wider files take the slower path
_ARROW_BLOCK = 1 << 22  # bytes pyarrow parses at a time
_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
_COUNT_BLOCK = 1 << 24  # bytes whose line feeds are counted at a time
# A well-formed UTF-8 sequence of two bytes or more.
_UTF8_SEQUENCE_BYTES = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_END_MARK = "\ue000fin-du-fichier\ue000"  # a last line of our own: an unclosed quote swallows it

LineBreaks = Callable[[str], bool]
"""Given a column's header, True when its values may hold line breaks (free text, comments)."""


def read_delimited(
    path: str | Path, line_breaks: LineBreaks | None = None, header_line: int = 0, separator: str | None = None
) -> RawSheet:
    """The header and records of a delimited text file (UTF-8 with or without BOM, or Windows-1252).

    The header is on physical line ``header_line`` (0-based: the lines above it are titles, filters
    or Excel's « sep=; »); ``separator`` is the one found with it (None: detected here).
    ``line_breaks`` says which columns may hold line breaks inside quotes (None: every column). A
    record spanning lines elsewhere, or swallowing whole records, is a stray quote: the file is
    refused, never guessed (as is a quote never closed, a file mixing two encodings, or a file whose
    last record is cut: a copy still running). Lines after the data holding a single value (« Nombre
    de lignes : 3000 ») are footer lines: left out and counted.
    """
    path = Path(path)
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(label, f"il ne peut pas être ouvert : {os_error_fr(exc)}") from None
    payload, text = _utf8_payload(data, label)
    del data  # the payload holds it, or its UTF-8 copy
    if header_line:
        payload, text = payload[_line_offset(payload, header_line) :], None
    if text is None:
        text = _decode_prefix(payload)
    if _blank(text) and len(text) > _HEADER_CHARS:  # only the start was decoded
        text = bytes(payload).decode("utf-8")
    if _blank(text):
        raise UnreadableFileError(
            label, "le fichier est vide (aucune ligne d'en-tête). Réexportez la table depuis i-milo, avec ses en-têtes."
        )
    sep = separator or detect_separator(text)
    header_width = _header_width(text, sep)
    del text
    _refuse_cut_last_line(payload, sep, header_width, label, header_line)
    payload, footer = _without_footer_lines(payload, sep)
    grid = _read_grid_arrow(payload, sep)
    if grid is None:  # what pyarrow refuses or may read otherwise: the pandas parser decides
        grid = _read_grid(bytes(payload).decode("utf-8"), sep, label, header_line)
    if _may_span_lines(grid, payload):
        _refuse_stray_quotes(grid, payload, sep, label, line_breaks, header_line)
    sheet = sheet_from_grid(grid, label, header_width=header_width)
    sheet.footer += footer
    sheet.header_line = header_line + 1
    return sheet


def _line_offset(payload: memoryview | bytes, line: int) -> int:
    """The byte where physical line ``line`` (0-based) starts."""
    position = 0
    for _ in range(line):
        window = bytes(payload[position : position + _SNIFF_CHARS])
        ends = [i for i in (window.find(b"\n"), window.find(b"\r")) if i >= 0]
        if not ends:
            return len(payload)
        end = position + min(ends)
        position = end + (2 if payload[end : end + 2] == b"\r\n" else 1)
    return position


def _last_line(payload: memoryview | bytes) -> bytes:
    """The bytes after the last line end (empty when the file ends with a line end)."""
    tail = bytes(payload[-_SNIFF_CHARS:])
    cut = max(tail.rfind(b"\n"), tail.rfind(b"\r"))
    return tail[cut + 1 :] if cut >= 0 or len(tail) < len(payload) else tail


def _refuse_cut_last_line(
    payload: memoryview | bytes, sep: str, header_width: int | None, label: str, header_line: int
) -> None:
    """Refuse a file whose last line has no line end and fewer fields than the header: a copy still
    running, or a file cut short. Read partly, it would silently lose the records after the cut."""
    last = _last_line(payload)
    if not last.strip() or header_width is None or len(last) == len(payload):
        return
    text = last.decode("utf-8", errors="replace")
    if text.count('"') % 2:  # inside a quoted value: the quote checks say where it starts
        return
    fields = next(csv.reader([text], delimiter=sep), [])
    if len(fields) >= header_width or (len(fields) == 1 and looks_like_note(text)):
        return
    line = header_line + _count_newlines(payload) + 1
    raise UnreadableFileError(
        label,
        f"il semble coupé : sa dernière ligne (ligne {line}) s'arrête au milieu d'un enregistrement "
        f"({len(fields)} champ{'s' if len(fields) > 1 else ''} sur {header_width}) et ne se termine pas par un "
        "retour à la ligne. Le fichier est sans doute encore en cours de copie, ou a été tronqué : rien n'a été "
        "audité. Attendez la fin de la copie (ou copiez de nouveau le fichier exporté), puis relancez l'audit.",
    )


def _without_footer_lines(payload: memoryview | bytes, sep: str) -> tuple[memoryview | bytes, int]:
    """The payload without the lines after the data that hold no separator (notes, counts), and how many."""
    footer, end = 0, len(payload)
    encoded = sep.encode()
    for _ in range(100):
        body = bytes(payload[max(end - _SNIFF_CHARS, 0) : end])
        stripped = body.rstrip(b"\r\n")
        cut = max(stripped.rfind(b"\n"), stripped.rfind(b"\r"))
        if cut < 0:
            break
        line = stripped[cut + 1 :]
        if encoded in line or b'"' in line or not line.strip():
            break
        if not looks_like_note(line.decode("utf-8", errors="replace")):
            break
        footer += 1
        end = end - len(body) + cut + 1
    return (payload[:end] if footer else payload), footer


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
        raise UnreadableFileError(
            label, "le fichier est vide (0 octet). Réexportez la table depuis i-milo, ou retirez ce fichier du dossier."
        )
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
    if not start:
        _refuse_mixed_encodings(data, label)
    text = decode(data, label) if start else _decode_cp1252(data, label)
    return text.encode("utf-8"), text


def _refuse_mixed_encodings(data: bytes, label: str) -> None:
    """Refuse a file that is not UTF-8 as a whole but holds whole lines of UTF-8 text.

    Decoded as Windows-1252, its UTF-8 lines would read ``PrÃ©nom``: headers lost, names garbled.
    One numpy pass on the bytes clears a plain Windows-1252 file: no byte that starts a UTF-8
    sequence is followed by a continuation byte.
    """
    if not _may_hold_utf8_sequence(data):
        return
    utf8_line = None
    for number, match in enumerate(_UTF8_SEQUENCE_BYTES.finditer(data)):
        if number >= 1000:
            break
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        try:
            data[start : len(data) if end < 0 else end].decode("utf-8")
        except UnicodeDecodeError:
            continue  # Windows-1252 text that happens to hold such a pair (« Ã© » typed as is)
        utf8_line = data.count(b"\n", 0, start) + 1
        break
    if utf8_line is None:
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    bad_line = data.count(b"\n", 0, bad) + 1
    raise UnreadableFileError(
        label,
        f"il mélange deux encodages : la ligne {bad_line} est en Windows-1252 (octet 0x{data[bad]:02X}) alors que "
        f"la ligne {utf8_line} est en UTF-8. Lu d'un seul encodage, une partie du texte serait déformée "
        "(« PrÃ©nom » au lieu de « Prénom »). Réexportez le fichier depuis i-milo en un seul encodage "
        "(de préférence « CSV UTF-8 »), ou corrigez la ligne "
        f"{bad_line} dans un éditeur de texte et enregistrez le fichier en UTF-8.",
    )


def _may_hold_utf8_sequence(data: bytes) -> bool:
    """True when some byte that starts a UTF-8 sequence is followed by a continuation byte."""
    view = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(view), _COUNT_BLOCK):
        block = view[start : start + _COUNT_BLOCK + 1]  # one byte of overlap: pairs across blocks
        high = np.flatnonzero(block[:-1] >= 0xC2)  # few: accented letters in Windows-1252
        lead, follower = block[high], block[high + 1]
        if ((lead <= 0xF4) & (follower >= 0x80) & (follower <= 0xBF)).any():
            return True
    return False


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


def _read_grid(text: str, sep: str, label: str, offset: int = 0) -> pd.DataFrame:
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
            with _no_field_limit():
                width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=0)
            return pd.read_csv(io.StringIO(text), names=list(range(width)), **options)
    except pd.errors.EmptyDataError:
        raise UnreadableFileError(label, "le fichier est vide (aucune ligne d'en-tête).") from None
    except (pd.errors.ParserError, csv.Error, ValueError):
        _refuse_unclosed_quote(text, sep, label, offset)
        raise UnreadableFileError(
            label,
            f"sa structure est illisible avec le séparateur {_SEPARATOR_NAMES[sep]} : ses enregistrements "
            "n'ont pas une forme régulière (guillemets, séparateurs). Réexportez le fichier depuis i-milo, "
            "ou ouvrez-le dans un tableur et enregistrez-le au format « CSV UTF-8 ».",
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
        return None  # pyarrow accepts an unclosed quote; pandas refuses it (and says where it starts)
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


# --- records that do not match their lines -----------------------------------------------------


@contextmanager
def _no_field_limit() -> Iterator[None]:
    """Let the csv module read values of any length (its default limit is 128 Kio)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _count_newlines(payload: memoryview | bytes) -> int:
    view = np.frombuffer(payload, dtype=np.uint8)
    return sum(
        int(np.count_nonzero(view[start : start + _COUNT_BLOCK] == 0x0A)) for start in range(0, len(view), _COUNT_BLOCK)
    )


def _holds_line_break(data: pa.Buffer | memoryview | bytes) -> bool:
    """True when the bytes hold a LF or a CR (numpy compares bytes far faster than a substring search)."""
    view = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(view), _COUNT_BLOCK):
        block = view[start : start + _COUNT_BLOCK]
        if (block == 0x0A).any() or (block == 0x0D).any():
            return True
    return False


def _may_span_lines(grid: pd.DataFrame, payload: memoryview | bytes) -> bool:
    """False when no record can span lines: no more line feeds than records (header included).

    Blank lines also add line feeds: then the cells themselves are looked at.
    """
    return _count_newlines(payload) > len(grid) or _first_match(_whole(pa.py_buffer(payload)), "\r([^\n]|$)")


def _multiline_cells(column: pd.Series) -> np.ndarray:
    """Rows of a grid column whose cell holds a line break (each chunk's bytes searched once first)."""
    rows, offset = [], 0
    for chunk in arrow_chunks(column).chunks:
        data = chunk.buffers()[2]
        if data is not None and _holds_line_break(data):
            found = pc.or_(pc.match_substring(chunk, "\n"), pc.match_substring(chunk, "\r"))
            rows.append(np.flatnonzero(pc.fill_null(found, False).to_numpy(zero_copy_only=False)) + offset)
        offset += len(chunk)
    return np.concatenate(rows) if rows else np.array([], dtype=np.int64)


def _refuse_stray_quotes(
    grid: pd.DataFrame,
    payload: memoryview | bytes,
    sep: str,
    label: str,
    line_breaks: LineBreaks | None,
    offset: int = 0,
) -> None:
    """Refuse a record whose quoted value spans lines where the export never breaks a line.

    A value may hold line breaks in a column that ``line_breaks`` allows (free text), unless it
    holds as many separators as a whole record: then a stray quote swallowed the lines after it.
    """
    columns = {i: rows for i in range(grid.shape[1]) if len(rows := _multiline_cells(grid.iloc[:, i]))}
    if not columns:
        return
    headers = [str(value).strip() if isinstance(value, str) else "" for value in grid.iloc[0]]
    width = len(headers)
    suspects = False
    for i, rows in columns.items():
        if not _may_break(headers, i, line_breaks) and (rows > 0).any():  # a header may be on two lines
            suspects = True
            break
        cells = grid.iloc[rows, i].astype("string")
        if (cells.str.count(re.escape(sep)) >= _swallowed_separators(width)).any():
            suspects = True
            break
    if not suspects:
        return
    text = bytes(payload).decode("utf-8")
    for number, (start, row) in enumerate(_records(text, sep, offset)):
        for i, cell in enumerate(row):
            if not _LINE_BREAK.search(cell):
                continue
            free = number == 0 or _may_break(headers, i, line_breaks)
            if free and cell.count(sep) < _swallowed_separators(width):
                continue
            line = _cell_line(start, row, i)
            last = line + len(_LINE_BREAK.findall(cell))
            raise UnreadableFileError(
                label,
                f"à la ligne {line}, la valeur de la colonne {_column_name(headers, i)} commence par un guillemet "
                f"« \" » qui ne se referme qu'à la ligne {last} : les lignes {line} à {last} seraient lues comme "
                "une seule valeur, et les dossiers de ces lignes perdus. Retirez ce guillemet en trop au début de "
                f"la valeur (ligne {line}) dans un éditeur de texte, ou réexportez le fichier depuis i-milo.",
            )


def _cell_line(start: int, row: list[str], position: int) -> int:
    """The line where cell ``position`` of a record starting on line ``start`` starts."""
    return start + sum(len(_LINE_BREAK.findall(previous)) for previous in row[:position])


def _swallowed_separators(width: int) -> int:
    """Separators in a value from which it holds whole records rather than free text."""
    return max(width - 1, 2)


def _may_break(headers: list[str], position: int, line_breaks: LineBreaks | None) -> bool:
    if position >= len(headers) or not headers[position]:
        return line_breaks is None
    return line_breaks is None or line_breaks(headers[position])


def _column_name(headers: list[str], position: int) -> str:
    if position < len(headers) and headers[position]:
        return f"« {headers[position]} »"
    return f"n° {position + 1}"


def _records(text: str, sep: str, offset: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on; an unclosed quote swallows ``_END_MARK``."""
    lines = io.StringIO(text if text.endswith(("\n", "\r")) else text + "\n", newline="")
    ends = io.StringIO(_END_MARK + "\n", newline="")

    def source() -> Iterator[str]:
        yield from lines
        yield from ends

    reader = csv.reader(source(), delimiter=sep, quotechar='"', doublequote=True)
    with _no_field_limit():
        done = 0
        for row in reader:
            start, done = done + 1, reader.line_num
            if row and any(cell.strip() for cell in row):
                yield start + offset, row


def _refuse_unclosed_quote(text: str, sep: str, label: str, offset: int = 0) -> None:
    """Refuse text that ends inside a quoted value, naming the line where that value starts."""
    headers: list[str] | None = None
    last: tuple[int, list[str]] | None = None
    for start, row in _records(text, sep, offset):
        if headers is None:
            headers = [cell.strip() for cell in row]
        last = (start, row)
    if last is None or last[1] == [_END_MARK]:
        return
    start, row = last
    i = next((k for k, cell in enumerate(row) if _END_MARK in cell), len(row) - 1)
    line = _cell_line(start, row, i)
    end = offset + len(_LINE_BREAK.findall(text)) + (not text.endswith(("\n", "\r")))  # the file's last line
    raise UnreadableFileError(
        label,
        f"à la ligne {line}, la valeur de la colonne {_column_name(headers or [], i)} commence par un guillemet "
        f"« \" » qui n'est jamais refermé : tout le reste du fichier (lignes {line} à {max(end, line)}) serait lu "
        "comme une seule valeur. Retirez ce guillemet en trop dans un éditeur de texte, ou réexportez le "
        "fichier depuis i-milo.",
    )
