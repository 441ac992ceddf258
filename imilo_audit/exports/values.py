"""Vectorised reading of text cells: empty cells, dates, booleans, amounts.

The shared notions of rules.md live here, once, so that every rule inherits them:

- **empty** (:func:`empty_cells`): blank, or only ``NULL``, ``N/A``, ``NA``, ``-``, ``.``, ``?`` (same
  text), whatever the column's type, except ``-`` in ``adresse_voie`` (the lieu-dit convention);
- **dates** are typed at day precision: ``31/10/2026 10:00`` is the 31st of October, so that every
  comparison is by calendar day;
- **digits** are ASCII ``0``–``9``.

Each parser takes a ``string`` Series (stripped, NA for empty) and returns the typed Series on
the same index. A value that cannot be read gives a missing typed value, never an exception: the
text as read stays in ``Table.brut`` and the audit reports it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..text import same_text_key

DATE_DTYPE = "datetime64[us]"
BOOLEAN_DTYPE = "boolean"
AMOUNT_DTYPE = "Float64"

# (separator of the date part, number of ":" in the time part) -> formats tried in turn
DATE_FORMATS: dict[tuple[str, int], tuple[str, ...]] = {
    ("/", 0): ("%d/%m/%Y",),
    ("/", 1): ("%d/%m/%Y %H:%M",),
    ("/", 2): ("%d/%m/%Y %H:%M:%S",),
    ("-", 0): ("%Y-%m-%d", "%d-%m-%Y"),
    ("-", 1): ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"),
    ("-", 2): ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"),
}

TRUE_WORDS: tuple[str, ...] = ("oui", "o", "vrai", "1", "true", "x")
FALSE_WORDS: tuple[str, ...] = ("non", "n", "faux", "0", "false")
_BOOLEANS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}

# Fixed-width spellings read without strptime: the date's digits, its separator and where it stands, whether the
# day comes first, and what may stand between the date and a time (« T » in ISO date-times; none: no time).
_DATE_SHAPES: tuple[tuple[tuple[int, ...], str, tuple[int, ...], bool, tuple[str, ...]], ...] = (
    ((0, 1, 3, 4, 6, 7, 8, 9), "/", (2, 5), True, (" ",)),  # jj/mm/aaaa
    ((0, 1, 2, 3, 5, 6, 8, 9), "-", (4, 7), False, (" ", "T")),  # aaaa-mm-jj
    ((0, 1, 3, 4, 6, 7, 8, 9), "-", (2, 5), True, ()),  # jj-mm-aaaa
)


def _fixed_dates():
    """(byte length, positions of digits, separator, its positions, day first, what stands before the time)."""
    for digits, sep, seps, day_first, betweens in _DATE_SHAPES:
        yield 10, digits, sep, seps, day_first, " "
        for between in betweens:
            yield 16, (*digits, 11, 12, 14, 15), sep, seps, day_first, between  # hh:mm
            yield 19, (*digits, 11, 12, 14, 15, 17, 18), sep, seps, day_first, between  # hh:mm:ss


_FIXED_DATES = tuple(_fixed_dates())
# Years read without strptime; outside them (and for any other oddity) pandas decides, quirks included.
_FAST_YEARS = (1600, 2400)

# Spaces that may group thousands: space, tab, no-break, narrow no-break, thin, figure space.
_AMOUNT_NOISE = r"[ \t\u00a0\u202f\u2009\u2007€]"
_AMOUNT_NOISE_RE2 = "[ \t\u00a0\u202f\u2009\u2007€]"  # the same characters, for pyarrow (RE2 reads no \u escape)
_AMOUNT_FORM = r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)"  # ASCII digits only (rules.md "digits")

# rules.md "empty": these words (same text) say that a cell holds nothing.
EMPTY_WORDS: tuple[str, ...] = ("null", "n/a", "na", "-", ".", "?")
# Fields where some of those words mean something: ``-`` as the street is the lieu-dit convention (ADR-02).
MEANINGFUL_WORDS: dict[str, frozenset[str]] = {"adresse_voie": frozenset({"-"})}
# A cell can only be one of the words when it is short and has no ASCII character outside them
# (accented or full-width spellings are non-ASCII): the cheap filters before the same-text check.
_MAX_EMPTY_WORD_BYTES = 24
_WORD_START = np.zeros(256, dtype=bool)  # first byte of an empty word: n N - . ? or a non-ASCII character
_WORD_START[[ord(c) for c in "nN-.?"]] = True
_WORD_START[0x80:] = True
_NOT_EMPTY_WORD = "[^aAlLnNuU/.?\\-\\x80-\\x{10FFFF}]"


def empty_cells(text: pd.Series, field: str | None = None) -> np.ndarray:
    """Which cells of a text column rules.md calls empty: missing, or one of :data:`EMPTY_WORDS`.

    ``field`` names the column, for the words that mean something there (:data:`MEANINGFUL_WORDS`).
    """
    missing = text.isna().to_numpy(dtype=bool)
    words = empty_words(text, field)
    return missing if words is None else missing | words


def empty_words(text: pd.Series, field: str | None = None) -> np.ndarray | None:
    """Which cells hold only an empty word (``NULL``, ``-``…, same text); None when none does.

    Vectorised in Arrow; Python only sees the distinct short cells made of the words' letters.
    """
    values = arrow_chunks(text)
    maybe = np.concatenate([_may_be_word(chunk) for chunk in values.chunks] or [np.zeros(0, dtype=bool)])
    if not maybe.any():
        return None
    shorts = values.filter(pa.array(maybe))
    candidates = shorts.filter(pc.invert(pc.match_substring_regex(shorts, _NOT_EMPTY_WORD)))
    if len(candidates) == 0:
        return None
    words = set(EMPTY_WORDS) - MEANINGFUL_WORDS.get(field or "", frozenset())
    spellings = [v for v in pc.unique(candidates).to_pylist() if same_text_key(v) in words]
    if not spellings:
        return None
    found = pc.is_in(values, value_set=pa.array(spellings, type=values.type))
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _may_be_word(chunk: pa.Array) -> np.ndarray:
    """Cells short enough to be an empty word and starting like one, read on the bytes (no decoding)."""
    size = len(chunk)
    if chunk.type not in (pa.string(), pa.large_string()) or chunk.buffers()[2] is None:
        return np.zeros(size, dtype=bool) if chunk.null_count == size else np.ones(size, dtype=bool)
    width = np.int64 if chunk.type == pa.large_string() else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=width)[chunk.offset : chunk.offset + size + 1]
    lengths = np.diff(offsets)
    maybe = (lengths > 0) & (lengths <= _MAX_EMPTY_WORD_BYTES)
    if chunk.null_count:
        maybe &= chunk.is_valid().to_numpy(zero_copy_only=False)
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
    if len(data) == 0:
        return maybe
    maybe &= _WORD_START[data[np.minimum(offsets[:-1], len(data) - 1)]]
    return maybe


def blank_empty_cells(text: pd.Series, field: str | None = None) -> pd.Series:
    """The column with its empty words (:func:`empty_words`) as NA; the same Series when it has none."""
    words = empty_words(text, field)
    if words is None:
        return text
    return text.mask(words)


def arrow_chunks(text: pd.Series) -> pa.ChunkedArray:
    """A text Series as Arrow strings, nulls for missing values (no copy when already Arrow)."""
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        return text.array.__arrow_array__()
    return pa.chunked_array([pa.array(text.astype("string[pyarrow]").array)])


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates ``jj/mm/aaaa``, ``jj/mm/aaaa hh:mm[:ss]``, ``jj-mm-aaaa``, ``aaaa-mm-jj`` (with `` hh:mm[:ss]`` or
    ISO ``Thh:mm[:ss]``), as days.

    A time of day is checked (``25:00`` is unreadable) but not kept: rules compare calendar days.
    """
    # Dates repeat a lot: parse each distinct text once.
    codes, uniques = pd.factorize(text.astype("string"))
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=text.index, dtype=DATE_DTYPE)
    parsed = _parse_distinct_dates(pd.Series(uniques, dtype="string")).to_numpy()
    values = parsed[codes]
    values[codes < 0] = np.datetime64("NaT")
    return pd.Series(values, index=text.index, dtype=DATE_DTYPE)


def _parse_distinct_dates(text: pd.Series) -> pd.Series:
    index, text = text.index, text.reset_index(drop=True)
    result = _parse_fixed_dates(text)
    rest = text[np.isnat(result)]
    colons = rest.str.count(":")
    for (sep, n_colons), formats in DATE_FORMATS.items():
        candidates = (rest.str.contains(sep, regex=False) & (colons == n_colons)).fillna(False).astype(bool)
        for fmt in formats:
            rows = rest.index[candidates.to_numpy()]
            rows = rows[np.isnat(result[rows])]
            if len(rows):
                parsed = pd.to_datetime(rest[rows], format=fmt, errors="coerce")
                result[rows] = parsed.astype(DATE_DTYPE).to_numpy()
    days = result.astype("datetime64[D]").astype(DATE_DTYPE)  # the calendar day (rules.md "dates")
    return pd.Series(days, index=index, dtype=DATE_DTYPE)


def _parse_fixed_dates(text: pd.Series) -> np.ndarray:
    """Valid dates of the usual fixed-width spellings, vectorised; NaT for anything else."""
    result = np.full(len(text), np.datetime64("NaT"), dtype=DATE_DTYPE)
    values = text.array.__arrow_array__() if isinstance(text.array, pd.arrays.ArrowStringArray) else None
    if values is None or len(values) == 0:
        return result
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset : values.offset + len(values) + 1]
    data = values.buffers()[2]
    if data is None:
        return result
    data = np.frombuffer(data, dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    valid = ~np.asarray(values.is_null()) if values.null_count else np.ones(len(values), dtype=bool)
    for length, digits, sep, seps, day_first, between in _FIXED_DATES:
        rows = np.flatnonzero(valid & (lengths == length))
        if len(rows) == 0:
            continue
        cells = data[starts[rows, None] + np.arange(length)]
        shape = (cells[:, list(digits)] - ord("0") <= 9).all(axis=1) & (cells[:, list(seps)] == ord(sep)).all(axis=1)
        if length > 10:
            shape &= cells[:, 10] == ord(between)
            shape &= (cells[:, 13] == ord(":")) if length == 16 else (cells[:, [13, 16]] == ord(":")).all(axis=1)
        rows, cells = rows[shape], cells[shape].astype(np.int64) - ord("0")
        first = 0 if day_first else 8  # where the day is
        day = cells[:, first] * 10 + cells[:, first + 1]
        month = cells[:, 3] * 10 + cells[:, 4] if day_first else cells[:, 5] * 10 + cells[:, 6]
        at = 6 if day_first else 0
        year = cells[:, at] * 1000 + cells[:, at + 1] * 100 + cells[:, at + 2] * 10 + cells[:, at + 3]
        clock = [cells[:, i] * 10 + cells[:, i + 1] for i in (11, 14, 17) if i < length] + [0, 0, 0]
        hour, minute, second = clock[:3]
        months = (year - 1970) * 12 + month - 1
        days = months.astype("datetime64[M]").astype("datetime64[D]") + (day - 1)
        ok = (
            (year >= _FAST_YEARS[0])
            & (year <= _FAST_YEARS[1])
            & (month >= 1)
            & (month <= 12)
            & (day >= 1)
            & (days.astype("datetime64[M]") == months.astype("datetime64[M]"))
            & (hour <= 23)
            & (minute <= 59)
            & (second <= 59)
        )
        result[rows[ok]] = days[ok].astype(DATE_DTYPE)  # the time was checked, the day is kept
    return result


def parse_booleans(text: pd.Series) -> pd.Series:
    """Booleans ``Oui/Non``, ``O/N``, ``Vrai/Faux``, ``1/0``, ``true/false``, ``X`` (any case)."""
    codes, uniques = pd.factorize(text.astype("string"))
    words = pd.Series(uniques, dtype="string").str.casefold()
    truth = np.array([_BOOLEANS.get(word, False) for word in words] + [False], dtype=bool)
    known = np.array([word in _BOOLEANS for word in words] + [False], dtype=bool)
    values = pd.arrays.BooleanArray(truth[codes], ~known[codes])
    return pd.Series(values, index=text.index, dtype=BOOLEAN_DTYPE)


def parse_amounts(text: pd.Series) -> pd.Series:
    """Amounts ``1234.56``, ``1234,56``, ``1 234,56``, ``1 234,56 €`` (no-break spaces too)."""
    codes, uniques = pd.factorize(text.astype("string"))
    amounts = _parse_distinct_amounts(pd.Series(uniques, dtype="string")).array
    return pd.Series(amounts.take(codes, allow_fill=True), index=text.index, dtype=AMOUNT_DTYPE)


def _parse_distinct_amounts(text: pd.Series) -> pd.Series:
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        compact = pc.replace_substring_regex(text.array.__arrow_array__(), _AMOUNT_NOISE_RE2, "")
        compact = pd.Series(pd.arrays.ArrowStringArray(compact), index=text.index)
    else:
        compact = text.str.replace(_AMOUNT_NOISE, "", regex=True)
    valid = compact.str.fullmatch(_AMOUNT_FORM).fillna(False).astype(bool)
    numbers = compact.where(valid).str.replace(",", ".", regex=False)
    return pd.to_numeric(numbers, errors="coerce").astype(AMOUNT_DTYPE)


PARSERS = {"date": parse_dates, "boolean": parse_booleans, "amount": parse_amounts}


def parse(kind: str, text: pd.Series) -> pd.Series:
    """Typed values of a column of the given kind (``text`` returns the text itself)."""
    if kind == "text":
        return text.astype("string")
    return PARSERS[kind](text)
