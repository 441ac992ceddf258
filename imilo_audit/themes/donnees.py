"""Data the audit cannot read (DAT): unparsable cells, duplicate identifiers, orphan records.

These rules look at every typed cell and every record of every table (13 million cells for a
million youths), so the frames handed to Great Expectations stay lean: the table, the row's
position in it and the fact checked. Routing, values and labels are resolved afterwards, for the
rows GX flagged only (``resolve``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exports import TABLES
from .base import Theme
from .context import ROUTING, AuditContext

TYPED = ("date", "boolean", "amount")
LINE = "ligne_source"  # position of the record in its table
TABLE_NAMES = list(TABLES)
FIELD_NAMES = sorted({name for schema in TABLES.values() for name in schema.fields})


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Three long frames over every exported table: typed cells, records, records naming a youth."""
    cells: list[dict[str, np.ndarray]] = []
    records: list[dict[str, np.ndarray]] = []
    references: list[dict[str, np.ndarray]] = []
    for name in TABLES:
        if not ctx.has(name):
            continue
        cells.extend(_typed_cells(ctx, name))
        records.append(_records(ctx, name))
        if name not in ("jeunes", "utilisateurs"):
            youth = ctx.column(name, "id_jeune")
            named = np.flatnonzero(youth.notna().to_numpy())
            references.append(_part(name, named, jeune_connu=ctx.is_known_youth(youth.iloc[named])))
    return {
        "cellules": _stack(cells, {"champ_cellule": "category", "lisible": "bool"}),
        "enregistrements": _stack(records, {"champ_identifiant": "category", "nb_meme_identifiant": "int64"}),
        "references_jeunes": _stack(references, {"jeune_connu": "bool"}),
    }


def _typed_cells(ctx: AuditContext, table: str) -> list[dict[str, np.ndarray]]:
    """Non-empty cells of typed columns, with whether the reader could give them a value.

    Empty is rules.md's (``NULL`` in a date column is an absence, not an unreadable value).
    """
    parts = []
    for spec in TABLES[table].fields.values():
        if spec.kind not in TYPED or not ctx.has(table, spec.name):
            continue
        written = ctx.text(table, spec.name).notna().to_numpy()
        if not written.any():
            continue
        rows = np.flatnonzero(written)
        readable = ctx.column(table, spec.name).notna().to_numpy()[rows]
        parts.append(_part(table, rows, champ_cellule=FIELD_NAMES.index(spec.name), lisible=readable))
    return parts


def _records(ctx: AuditContext, table: str) -> dict[str, np.ndarray]:
    """Records with an identifier, and how many records of the table share it."""
    identifiers = ctx.column(table, TABLES[table].id_field)
    present = np.flatnonzero(identifiers.notna().to_numpy())
    if len(present) < len(identifiers):
        identifiers = identifiers.iloc[present]
    counts = np.ones(len(present), dtype="int64")
    shared = identifiers.duplicated(keep=False).to_numpy()
    if shared.any():  # rare: count only among the rows that share their identifier
        repeated = identifiers[shared]
        counts[shared] = repeated.map(repeated.value_counts()).to_numpy(dtype="int64")
    champ = FIELD_NAMES.index(TABLES[table].id_field)
    return _part(table, present, champ_identifiant=champ, nb_meme_identifiant=counts)


def _part(table: str, rows: np.ndarray, **columns: object) -> dict[str, np.ndarray]:
    """Columns of one table's part, arrays of the part's length (scalars repeated; names as codes)."""
    size = len(rows)
    part = {"_table": np.full(size, TABLE_NAMES.index(table), dtype="int8"), LINE: rows.astype("int64")}
    for name, value in columns.items():
        part[name] = np.asarray(value) if np.ndim(value) else np.full(size, value)
    return part


def _stack(parts: list[dict[str, np.ndarray]], columns: dict[str, str]) -> pd.DataFrame:
    """One frame of the parts; ``_table`` and the ``category`` columns as categories of their names."""
    dtypes = {"_table": "category", LINE: "int64", **columns}
    frame = pd.DataFrame(
        {name: np.concatenate([p[name] for p in parts]) if parts else np.array([], dtype="int64") for name in dtypes}
    )
    for name, dtype in dtypes.items():
        if dtype == "category":
            labels = TABLE_NAMES if name == "_table" else FIELD_NAMES
            frame[name] = pd.Categorical.from_codes(frame[name].astype("int64"), categories=labels)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def resolve(ctx: AuditContext, target: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of a frame, with routing, the value as read and the field's label."""
    rows = rows.copy()
    rows["_table"] = rows["_table"].astype("string")
    for column in ROUTING[1:]:
        rows[column] = pd.Series(pd.NA, index=rows.index, dtype="string")
    if target == "cellules":
        rows["libelle_champ"] = pd.Series(pd.NA, index=rows.index, dtype="string")
        rows["valeur_lue"] = pd.Series(pd.NA, index=rows.index, dtype="string")
    for table in rows["_table"].unique():
        mine = (rows["_table"] == table).to_numpy()
        lines = rows.loc[mine, LINE].to_numpy()
        routing = ctx.routing(table, lines)
        for column in ROUTING[1:]:
            rows.loc[mine, column] = routing[column].to_numpy()
        if target == "cellules":
            for champ in rows.loc[mine, "champ_cellule"].unique():
                these = mine & (rows["champ_cellule"] == champ).to_numpy()
                rows.loc[these, "libelle_champ"] = TABLES[table].fields[champ].header
                rows.loc[these, "valeur_lue"] = ctx.as_read(table, champ).iloc[rows.loc[these, LINE]].to_numpy()
    return rows


THEME = Theme(
    id="donnees",
    titre="Données illisibles",
    notebook="70_donnees.ipynb",
    tables=("jeunes",),
    derive=derive,
    resolve=resolve,
)
