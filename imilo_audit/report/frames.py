"""Rows of a findings table for Python loops, read column by column.

Iterating an Arrow-backed column yields one boxed value at a time (about a microsecond each);
``tolist()`` converts a whole column in C. The findings are read this way wherever pages and
workbooks loop over rows by the ten thousand.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def row_tuples(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    """Each row's values of ``columns``, in order (as ``itertuples(index=False, name=None)``)."""
    return list(zip(*(frame[column].tolist() for column in columns), strict=True)) if len(frame) else []


def row_dicts(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """Each row as ``{column: value}`` for ``columns`` (as ``to_dict(orient="records")``)."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in row_tuples(frame, names)]
