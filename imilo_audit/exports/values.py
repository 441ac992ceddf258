"""Vectorised typing of text cells: dates, booleans, amounts.

Each parser takes a ``string`` Series (stripped, NA for empty) and returns the typed Series on
the same index. A value that cannot be read gives a missing typed value, never an exception: the
text as read stays in ``Table.brut`` and the audit reports it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DATE_DTYPE = "datetime64[us]"
BOOLEAN_DTYPE = "boolean"
AMOUNT_DTYPE = "Float64"

# (separator of the date part, number of ":" in the time part) -> format
DATE_FORMATS: dict[tuple[str, int], str] = {
    ("/", 0): "%d/%m/%Y",
    ("/", 1): "%d/%m/%Y %H:%M",
    ("/", 2): "%d/%m/%Y %H:%M:%S",
    ("-", 0): "%Y-%m-%d",
    ("-", 1): "%Y-%m-%d %H:%M",
    ("-", 2): "%Y-%m-%d %H:%M:%S",
}

TRUE_WORDS: tuple[str, ...] = ("oui", "o", "vrai", "1", "true", "x")
FALSE_WORDS: tuple[str, ...] = ("non", "n", "faux", "0", "false")
_BOOLEANS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}

# Spaces that may group thousands: space, tab, no-break, narrow no-break, thin, figure space.
_AMOUNT_NOISE = r"[ \t\u00a0\u202f\u2009\u2007€]"
_AMOUNT_FORM = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)"


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates ``jj/mm/aaaa``, ``jj/mm/aaaa hh:mm[:ss]``, ``aaaa-mm-jj`` (``hh:mm[:ss]`` too)."""
    # Dates repeat a lot: parse each distinct text once.
    codes, uniques = pd.factorize(text.astype("string"))
    if len(uniques) == 0:
        return pd.Series(pd.NaT, index=text.index, dtype=DATE_DTYPE)
    parsed = _parse_distinct_dates(pd.Series(uniques, dtype="string")).to_numpy()
    values = parsed[codes]
    values[codes < 0] = np.datetime64("NaT")
    return pd.Series(values, index=text.index, dtype=DATE_DTYPE)


def _parse_distinct_dates(text: pd.Series) -> pd.Series:
    result = pd.Series(pd.NaT, index=text.index, dtype=DATE_DTYPE)
    colons = text.str.count(":")
    for (sep, n_colons), fmt in DATE_FORMATS.items():
        candidates = (text.str.contains(sep, regex=False) & (colons == n_colons)).fillna(False).astype(bool)
        if candidates.any():
            parsed = pd.to_datetime(text[candidates], format=fmt, errors="coerce")
            result[candidates] = parsed.astype(DATE_DTYPE)
    return result


def parse_booleans(text: pd.Series) -> pd.Series:
    """Booleans ``Oui/Non``, ``O/N``, ``Vrai/Faux``, ``1/0``, ``true/false``, ``X`` (any case)."""
    key = text.astype("string").str.casefold()
    return key.map(_BOOLEANS).astype(BOOLEAN_DTYPE)


def parse_amounts(text: pd.Series) -> pd.Series:
    """Amounts ``1234.56``, ``1234,56``, ``1 234,56``, ``1 234,56 €`` (no-break spaces too)."""
    compact = text.astype("string").str.replace(_AMOUNT_NOISE, "", regex=True)
    valid = compact.str.fullmatch(_AMOUNT_FORM).fillna(False).astype(bool)
    numbers = compact.where(valid).str.replace(",", ".", regex=False)
    return pd.to_numeric(numbers, errors="coerce").astype(AMOUNT_DTYPE)


PARSERS = {"date": parse_dates, "boolean": parse_booleans, "amount": parse_amounts}


def parse(kind: str, text: pd.Series) -> pd.Series:
    """Typed values of a column of the given kind (``text`` returns the text itself)."""
    if kind == "text":
        return text.astype("string")
    return PARSERS[kind](text)
