"""What every derivation needs: the tables, the date de référence, the thresholds, and routing.

Column access never fails on an absent optional column: it gives an empty column, and the rules
that need the column are disabled beforehand (see ``validation.disabled_rules``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import Thresholds
from ..exports import TABLES, Export, Table
from ..exports.values import blank_empty_cells
from ..text import same_text_series

ROUTING = ["_table", "_id", "_id_jeune", "_conseiller", "_lieu"]


def arrow_text(values: object) -> pa.Array | pa.ChunkedArray:
    """Text values (a Series, an array) as an Arrow string array, NA as null."""
    return pa.array(values, type=pa.string(), from_pandas=True)


def fr_days(dates: pd.Series) -> pd.Series:
    """``jj/mm/aaaa`` of each date (NA for an unknown one), each distinct date formatted once."""
    codes, uniques = pd.factorize(dates)
    texts = np.append(np.asarray(pd.DatetimeIndex(uniques).strftime("%d/%m/%Y"), dtype=object), None)
    return pd.Series(texts[codes], index=dates.index, name=dates.name, dtype="string")  # code -1 (NaT): NA


@dataclass
class AuditContext:
    """An export as of a date de référence, with the audit's thresholds."""

    export: Export
    date_reference: dt.date
    thresholds: Thresholds = field(default_factory=Thresholds)
    _texts: dict[tuple[str, str], pd.Series] = field(default_factory=dict, init=False, repr=False, compare=False)

    # --- dates -------------------------------------------------------------------------------
    # Typed dates are calendar days (the reader drops a time of day): every comparison below, and
    # every rule's, is by day, as rules.md's "dates" requires.
    @property
    def reference(self) -> pd.Timestamp:
        return pd.Timestamp(self.date_reference)

    def months_before(self, months: int) -> pd.Timestamp:
        """The date de référence minus ``months`` calendar months (clipped at month end)."""
        return self.reference - pd.DateOffset(months=months)

    def in_window(self, dates: pd.Series, months: int) -> pd.Series:
        """``reference - months < date <= reference`` (False for unknown dates)."""
        return ((dates > self.months_before(months)) & (dates <= self.reference)).fillna(False).astype(bool)

    # --- columns -----------------------------------------------------------------------------
    def has(self, table: str, name: str | None = None) -> bool:
        """The table was exported (and, if ``name`` is given, the column is in its file)."""
        if table not in self.export.tables:
            return False
        return name is None or name in self.export.tables[table].data.columns

    def table(self, table: str) -> Table:
        return self.export.tables[table]

    def column(self, table: str, name: str) -> pd.Series:
        """A typed column, or an empty one of the right length when the file lacks it."""
        data = self.table(table).data
        if name in data.columns:
            return data[name]
        kind = TABLES[table].fields[name].kind
        dtype = {"date": "datetime64[us]", "boolean": "boolean", "amount": "Float64"}.get(kind, "string")
        return pd.Series(pd.array([None] * len(data), dtype=dtype), index=data.index, name=name)

    def text(self, table: str, name: str) -> pd.Series:
        """The text of a column's cells, NA where the cell is empty (rules.md: blank, ``NULL``, ``-``…).

        For a typed column, this tells an empty cell (NA) from an unreadable one (text, no value):
        rules on an "empty" field read this, never ``as_read``.
        """
        if (table, name) not in self._texts:
            tab = self.table(table)
            kind = TABLES[table].fields[name].kind
            if kind != "text" and name in tab.brut.columns:
                values = blank_empty_cells(tab.brut[name].astype("string"), name)
            else:
                values = self.column(table, name).astype("string")
            self._texts[(table, name)] = values
        return self._texts[(table, name)]

    def forget_texts(self) -> None:
        """Drop the texts :meth:`text` kept: a theme's columns, not needed by the kernel's next theme."""
        self._texts.clear()

    def as_read(self, table: str, name: str) -> pd.Series:
        """The cells as read (stripped; ``NULL`` stays ``NULL``, a time stays): findings' ``valeur``."""
        tab = self.table(table)
        values = tab.brut[name] if name in tab.brut.columns else self.column(table, name)
        return values.astype("string")

    def same_text(self, table: str, name: str) -> pd.Series:
        """Comparison keys of a text column ("same text": case, accents, spaces ignored)."""
        return same_text_series(self.column(table, name))

    def checkbox(self, table: str, name: str) -> pd.Series:
        """A boolean where an empty cell means "non" and an unreadable one stays unknown (None)."""
        values = self.column(table, name)
        empty = self.text(table, name).isna()
        known = values.where(~empty, False)
        return known.astype(object).where(known.notna(), None)

    # --- dossiers ----------------------------------------------------------------------------
    @cached_property
    def actif(self) -> pd.Series:
        """The *périmètre actif* of rules.md, one boolean per ``jeunes`` row."""
        months = self.thresholds.perimetre_mois
        jeunes = self.table("jeunes").data
        has_contact, has_registration = (
            self.has("jeunes", "date_dernier_contact"),
            self.has("jeunes", "date_inscription"),
        )
        if months == 0 or not (has_contact or has_registration):
            return pd.Series(True, index=jeunes.index)
        contact = self.column("jeunes", "date_dernier_contact")
        registration = self.column("jeunes", "date_inscription")
        reference_date = contact.where(contact.notna(), registration)
        return self.in_window(reference_date, months)

    @cached_property
    def youth_routing(self) -> pd.DataFrame:
        """Referent and site of each youth id (first row wins for a duplicated id)."""
        jeunes = pd.DataFrame(
            {
                "id_jeune": self.column("jeunes", "id_jeune"),
                "_conseiller": self.column("jeunes", "conseiller_referent"),
                "_lieu": self.column("jeunes", "lieu_rattachement"),
            }
        )
        return jeunes.drop_duplicates("id_jeune").set_index("id_jeune")

    @cached_property
    def _youth_arrays(self) -> dict[str, pa.Array]:
        """``youth_routing`` as Arrow arrays, for hash look-ups (pandas would go through Python objects)."""
        routing = self.youth_routing
        arrays = {"id_jeune": routing.index, **{c: routing[c] for c in routing.columns}}
        return {name: arrow_text(values) for name, values in arrays.items()}

    def is_known_youth(self, youths: pd.Series) -> np.ndarray:
        """For each youth id of ``youths``, whether ``jeunes`` has that dossier (False for empty)."""
        known = pc.is_in(arrow_text(youths), value_set=self._youth_arrays["id_jeune"])
        return known.to_numpy(zero_copy_only=False).astype(bool)

    def youth_columns(self, youths: pd.Series) -> dict[str, pd.Series]:
        """Referent (``_conseiller``) and site (``_lieu``) of each youth id of ``youths`` (NA if unknown)."""
        arrays = self._youth_arrays
        positions = pc.index_in(arrow_text(youths), value_set=arrays["id_jeune"])
        return {
            name: pd.Series(pd.array(arrays[name].take(positions), dtype="string"), index=youths.index)
            for name in ("_conseiller", "_lieu")
        }

    def routing(self, table: str, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The routing columns of findings for every row of ``table`` (same index), or for ``rows``.

        ``rows`` are positions in the table: themes whose frames are too large to carry routing
        (one row per cell) resolve it for the flagged rows only.
        """
        schema = TABLES[table]
        data = self.table(table).data

        def take(name: str) -> pd.Series:
            values = self.column(table, name).astype("string")
            return values if rows is None else values.iloc[rows]

        frame = pd.DataFrame(index=data.index if rows is None else data.index[rows])
        frame["_table"] = pd.Series(table, index=frame.index, dtype="string")
        frame["_id"] = take(schema.id_field)
        if table == "utilisateurs":
            for column in ("_id_jeune", "_conseiller", "_lieu"):
                frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
        elif table == "jeunes":
            frame["_id_jeune"] = frame["_id"]
            frame["_conseiller"] = take("conseiller_referent")
            frame["_lieu"] = take("lieu_rattachement")
        else:
            frame["_id_jeune"] = take("id_jeune")
            known = self.youth_columns(frame["_id_jeune"])
            referent = known["_conseiller"]
            if "conseiller" in schema.fields:
                own = take("conseiller")
                referent = own.where(own.notna(), referent)
            frame["_conseiller"] = referent
            frame["_lieu"] = known["_lieu"]
        return frame

    def frame(self, table: str, champs: list[str]) -> pd.DataFrame:
        """A validation frame: routing columns plus ``valeur__<champ>`` (the value as read) per field.

        ``valeur__`` is what findings show: ``NULL`` there is not NA. Test emptiness on ``text``.
        """
        frame = self.routing(table)
        for name in champs:
            frame[f"valeur__{name}"] = self.as_read(table, name)
        return frame
