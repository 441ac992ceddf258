"""What every derivation needs: the tables, the date de référence, the thresholds, and routing.

Column access never fails on an absent optional column: it gives an empty column, and the rules
that need the column are disabled beforehand (see ``validation.disabled_rules``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..config import Thresholds
from ..exports import TABLES, Export, Table
from ..text import same_text_series

ROUTING = ["_table", "_id", "_id_jeune", "_conseiller", "_lieu"]


@dataclass
class AuditContext:
    """An export as of a date de référence, with the audit's thresholds."""

    export: Export
    date_reference: dt.date
    thresholds: Thresholds = field(default_factory=Thresholds)

    # --- dates -------------------------------------------------------------------------------
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
        """A column as read (typed columns: their raw text), as a string Series with NA for empty."""
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

    def routing(self, table: str) -> pd.DataFrame:
        """The routing columns of findings for every row of ``table`` (same index)."""
        schema = TABLES[table]
        data = self.table(table).data
        frame = pd.DataFrame(index=data.index)
        frame["_table"] = table
        frame["_id"] = self.column(table, schema.id_field)
        if table == "utilisateurs":
            frame["_id_jeune"] = pd.NA
            frame["_conseiller"] = pd.NA
            frame["_lieu"] = pd.NA
        elif table == "jeunes":
            frame["_id_jeune"] = frame["_id"]
            frame["_conseiller"] = self.column("jeunes", "conseiller_referent")
            frame["_lieu"] = self.column("jeunes", "lieu_rattachement")
        else:
            youth = self.column(table, "id_jeune")
            frame["_id_jeune"] = youth
            known = self.youth_routing.reindex(youth.to_numpy())
            own = self.column(table, "conseiller") if "conseiller" in schema.fields else None
            referent = pd.Series(known["_conseiller"].to_numpy(), index=data.index, dtype="string")
            frame["_conseiller"] = referent if own is None else own.where(own.notna(), referent)
            frame["_lieu"] = pd.Series(known["_lieu"].to_numpy(), index=data.index, dtype="string")
        return frame.astype("string")

    def frame(self, table: str, champs: list[str]) -> pd.DataFrame:
        """A validation frame: routing columns plus ``valeur__<champ>`` (text as read) per field."""
        frame = self.routing(table)
        for name in champs:
            frame[f"valeur__{name}"] = self.text(table, name)
        return frame
