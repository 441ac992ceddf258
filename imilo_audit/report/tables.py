"""Tables as the theme pages show them: French numbers, whole texts, one header row, the report's look.

pandas' own display cuts long texts (« … demandez-le... »), writes ``2251`` and puts the index name
on a second header row; a quality officer reads « 2 251 », whole messages and one header, in a table
styled like those of ``index.html`` (numbers on the right, severities as badges).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
from markupsafe import escape

from ..french.formatting import fr_decimal, fr_int
from .formatting import SEVERITIES

SEVERITY_HEADER = "Gravité"  # a column of that name is shown as badges, like the report's
NOWRAP_HEADERS = frozenset({"Règle", "Dossier", "Enregistrement"})
TEXT_HEADERS = frozenset({"Message", "Titre"})  # sentences: given room to wrap, never cut


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _formatter(values: pd.Series) -> tuple[Callable[[object], str], str]:
    """How a column's cells are written, and the cell class (``num`` for numbers)."""
    if pd.api.types.is_bool_dtype(values):
        return (lambda value: "" if _missing(value) else "oui" if value else "non"), ""
    if pd.api.types.is_integer_dtype(values):
        return (lambda value: "" if _missing(value) else fr_int(value)), "num"
    if pd.api.types.is_float_dtype(values):
        return (lambda value: "" if _missing(value) else fr_decimal(float(value), 2)), "num"
    return (lambda value: "" if _missing(value) else str(value)), ""


class FrenchTable:
    """A table for a theme page: ``_repr_html_`` for notebooks, ``to_html`` for tests and pages."""

    def __init__(self, frame: pd.DataFrame) -> None:
        named_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
        self.frame = frame.reset_index() if named_index else frame

    def to_html(self) -> str:
        """The table as HTML: every value from the data escaped (a name read from the export is text)."""
        frame = self.frame
        if frame.empty:  # a sentence says why (``frame.attrs["vide"]``) rather than an empty table
            return f'<p class="muted">{escape(frame.attrs.get("vide", "Aucune ligne."))}</p>'
        columns = [str(column) for column in frame.columns]
        writers = [_formatter(frame.iloc[:, position]) for position in range(len(columns))]
        head = "".join(
            f'<th scope="col"{_class(kind, name)}>{escape(name)}</th>'
            for name, (_write, kind) in zip(columns, writers, strict=True)
        )
        lines = [f'<table class="fr">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>']
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for name, value, (write, kind) in zip(columns, row, writers, strict=True):
                text = write(value)
                if name == SEVERITY_HEADER and text in SEVERITIES:
                    content = f'<span class="badge {text}">{text}</span>'
                else:
                    content = str(escape(text))
                cells.append(f"<td{_class(kind, name)}>{content}</td>")
            lines.append(f"<tr>{''.join(cells)}</tr>")
        lines.append("</tbody>\n</table>")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return self.to_html()
        return f'<div class="table-scroll">{self.to_html()}</div>'

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def _class(kind: str, name: str) -> str:
    classes = [kind] if kind else []
    if name in NOWRAP_HEADERS:
        classes.append("nowrap")
    elif name in TEXT_HEADERS:
        classes.append("texte")
    return f' class="{" ".join(classes)}"' if classes else ""


def french_table(frame: pd.DataFrame) -> FrenchTable:
    """``frame`` for display: its index as a first column, French numbers, nothing cut."""
    return FrenchTable(frame)
