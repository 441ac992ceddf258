"""What reading an export gives: one typed table per file found."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Table:
    """One table of an export, typed.

    ``data`` has one row per kept record (RangeIndex, file order) and one column per field present,
    in the schema's order: text as ``string`` (stripped, NA when empty as rules.md means it: blank or
    only ``NULL``, ``N/A``, ``-``…), dates as ``datetime64[us]`` at midnight (the calendar day; a time
    of day is not kept), booleans as ``boolean``, amounts as ``Float64``. ``brut`` has, on the same
    index, the text as read (stripped, NA when blank) of every typed field present, and of every
    text field where an empty word (``NULL``…) was read.
    """

    name: str
    fichier: str
    data: pd.DataFrame
    brut: pd.DataFrame
    lignes_ignorees: int = 0
    colonnes_absentes: list[str] = field(default_factory=list)
    entetes: dict[str, str] = field(default_factory=dict)  # field -> header as written in the file
    colonnes_inconnues: list[str] = field(default_factory=list)  # headers matching no field, or a field given twice
    origine: str = "nom"  # how the file was taken for the table: « nom », « en-têtes » or « configuration »
    feuille: str = ""  # the sheet read, in a workbook
    ligne_entete: int = 1  # 1-based line (or row of the sheet) of the header
    lignes_avant: list[str] = field(default_factory=list)  # non-blank lines above the header (titles, filters)
    lignes_pied: int = 0  # footer lines after the data (one value only), counted in lignes_ignorees

    @property
    def lignes(self) -> int:
        """Number of records kept (ignored rows excluded)."""
        return len(self.data)


@dataclass
class Export:
    """The tables read from one export folder."""

    dossier: str
    tables: dict[str, Table]
    tables_absentes: list[str] = field(default_factory=list)
    fichiers_ignores: list[dict[str, str]] = field(default_factory=list)  # {"fichier", "raison"}: files no table

    @property
    def structure(self) -> str:
        """The structure the export names (``structure`` of the youths; several: their names, sorted)."""
        youths = self.tables["jeunes"].data if "jeunes" in self.tables else None
        if youths is None or "structure" not in youths.columns:
            return ""
        names = youths["structure"].dropna().astype(str).str.strip().unique()
        return ", ".join(sorted(name for name in names if name))
