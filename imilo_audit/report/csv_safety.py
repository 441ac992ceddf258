"""Text cells of the CSV outputs that a spreadsheet would run as formulas, neutralised and restored.

A text value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading apostrophe (OWASP, CSV injection); a plain negative number (``-5``, ``-12,50``, ``-1 234.5``)
is no formula and is written as it is. Reading an earlier ``findings.csv`` back removes that
apostrophe, so that the follow-up compares the values themselves (outputs.md).
"""

from __future__ import annotations

import pandas as pd

FORMULA_START = r"[=+\-@\t\r]"
NEGATIVE_NUMBER = r"-\d+(?:[.,]\d+)?|-\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?"


def _risky(text: pd.Series) -> pd.Series:
    return text.str.match(FORMULA_START, na=False) & ~text.str.fullmatch(NEGATIVE_NUMBER, na=False)


def neutralised(column: pd.Series) -> pd.Series:
    """The column as written: risky text values behind an apostrophe."""
    if not (pd.api.types.is_string_dtype(column) or pd.api.types.is_object_dtype(column)):
        return column
    text = column.astype("string")
    risky = _risky(text)
    if not risky.any():
        return column
    return column.astype(object).where(~risky.to_numpy(), ("'" + text).to_numpy(dtype=object))


def restored(column: pd.Series) -> pd.Series:
    """The column as it was before :func:`neutralised`: the apostrophe it added removed."""
    text = column.astype("string")
    quoted = text.str.startswith("'", na=False)
    if not quoted.any():
        return column
    rest = text.str.slice(1)
    added = quoted & _risky(rest)
    return column.where(~added.to_numpy(), rest)
