"""What a file reader hands on: the header cells and the records, as text, blank lines removed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import UnreadableFileError


@dataclass
class RawSheet:
    """A file's cells as read, before any column is matched.

    ``headers[i]`` names column ``i`` of ``body``; ``body`` has one row per record (blank records
    removed, RangeIndex), pandas ``string`` cells stripped of surrounding whitespace, NA when empty.
    """

    headers: list[str]
    body: pd.DataFrame


def strip_text(column: pd.Series) -> pd.Series:
    """Stripped ``string`` column, NA for empty cells."""
    text = column.astype("string").str.strip()
    return text.mask(text == "")


def sheet_from_grid(grid: pd.DataFrame, path: str, header_width: int | None = None) -> RawSheet:
    """Split a grid of text cells (header row included) into headers and records.

    A record whose cells are all empty is a blank line: it is dropped and not counted. With
    ``header_width``, cells beyond the header's width must be empty (trailing separators are
    tolerated; data there means misaligned fields).
    """
    grid = pd.DataFrame({i: strip_text(grid.iloc[:, i]) for i in range(grid.shape[1])}, index=pd.RangeIndex(len(grid)))
    grid = grid[grid.notna().any(axis=1)].reset_index(drop=True)
    if grid.empty:
        raise UnreadableFileError(path, "le fichier est vide : il n'a pas de ligne d'en-tête.")

    headers = ["" if pd.isna(v) else str(v) for v in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
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
    return RawSheet(headers=headers, body=body)
