"""Data the audit cannot read (DAT): unparsable cells, duplicate identifiers, orphan records."""

from __future__ import annotations

import pandas as pd

from ..exports import TABLES
from .base import Theme
from .context import ROUTING, AuditContext

TYPED = ("date", "boolean", "amount")


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Three long frames over every exported table: typed cells, records, records naming a youth."""
    cells, records, orphans = [], [], []
    known_youths = set(ctx.column("jeunes", "id_jeune").dropna())
    for name in TABLES:
        if not ctx.has(name):
            continue
        routing = ctx.routing(name)
        cells.extend(_typed_cells(ctx, name, routing))
        ids = routing.assign(champ_identifiant=TABLES[name].id_field)
        ids["nb_meme_identifiant"] = ids.groupby("_id", dropna=False)["_id"].transform("size").to_numpy()
        records.append(ids[ids["_id"].notna()])
        if name not in ("jeunes", "utilisateurs"):
            youth = routing[routing["_id_jeune"].notna()].copy()
            youth["jeune_connu"] = youth["_id_jeune"].isin(known_youths).astype(bool)
            orphans.append(youth)
    return {
        "cellules": _stack(
            cells, {"champ_cellule": "string", "libelle_champ": "string", "valeur_lue": "string", "lisible": bool}
        ),
        "enregistrements": _stack(records, {"champ_identifiant": "string", "nb_meme_identifiant": int}),
        "references_jeunes": _stack(orphans, {"jeune_connu": bool}),
    }


def _typed_cells(ctx: AuditContext, table: str, routing: pd.DataFrame) -> list[pd.DataFrame]:
    """Non-empty cells of typed columns, with whether the reader could give them a value."""
    parts = []
    for spec in TABLES[table].fields.values():
        if spec.kind not in TYPED or not ctx.has(table, spec.name):
            continue
        raw = ctx.text(table, spec.name)
        written = raw.notna()
        if not written.any():
            continue
        part = routing[written].copy()
        part["champ_cellule"] = spec.name
        part["libelle_champ"] = spec.header
        part["valeur_lue"] = raw[written]
        part["lisible"] = ctx.column(table, spec.name)[written].notna().astype(bool).to_numpy()
        parts.append(part)
    return parts


def _stack(parts: list[pd.DataFrame], columns: dict[str, object]) -> pd.DataFrame:
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in {**dict.fromkeys(ROUTING, "string"), **columns}.items()})
    return pd.concat(parts, ignore_index=True)


THEME = Theme(id="donnees", titre="Données illisibles", notebook="70_donnees.ipynb", tables=("jeunes",), derive=derive)
