"""Tables as the theme pages show them: French numbers, whole texts, one header row.

pandas' own display cuts long texts (« … demandez-le... »), writes ``2251`` and puts the index name
on a second header row; a quality officer reads « 2 251 », whole messages and one header.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from .formatting import fr_decimal, fr_int


def french_table(frame: pd.DataFrame) -> Styler:
    """``frame`` for display: its index as a first column, French numbers, nothing cut."""
    shown = frame if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None else frame.reset_index()
    formats = {}
    for column in shown.columns:
        if pd.api.types.is_bool_dtype(shown[column]):
            continue
        if pd.api.types.is_integer_dtype(shown[column]):
            formats[column] = fr_int
        elif pd.api.types.is_float_dtype(shown[column]):
            formats[column] = lambda value: "" if pd.isna(value) else fr_decimal(value, 2)
    return (
        shown.style.hide(axis="index")
        .format(formats, na_rep="", escape="html")  # a name read from the export is text, never markup
        .set_table_attributes('class="dataframe"')
    )
