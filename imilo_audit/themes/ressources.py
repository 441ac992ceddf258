"""Resources (RES): incomplete, contradictory and never-closed resource lines; youths with none."""

from __future__ import annotations

import pandas as pd

from ..text import counted_each
from .base import Theme
from .context import AuditContext

AUCUN = "aucun"
CHAMPS = ["date_debut", "montant", "date_fin", "type_ressource"]


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Resource lines with their dates, "Aucun" flag and open/replaced status; youths' line counts."""
    lines = ctx.frame("ressources", CHAMPS)
    start, end = ctx.column("ressources", "date_debut"), ctx.column("ressources", "date_fin")
    kind = ctx.same_text("ressources", "type_ressource")
    youth = ctx.column("ressources", "id_jeune")
    lines["date_debut"] = start
    lines["date_fin"] = end
    lines["montant"] = ctx.column("ressources", "montant").astype("float64")
    lines["texte__date_debut"] = ctx.text("ressources", "date_debut")  # RES-01, RES-02: empty cells only
    lines["texte__montant"] = ctx.text("ressources", "montant")
    lines["est_aucun"] = (kind == AUCUN).fillna(False).astype(bool)
    no_end = ctx.text("ressources", "date_fin").isna()  # an unreadable end is not an absent one
    lines["sans_date_fin"] = no_end
    lines["debut_derniere_ligne_meme_type"] = latest_start_of_same_kind(youth, kind, start)
    reference = ctx.reference
    is_open = ((start <= reference) & (no_end | (end >= reference))).fillna(False).astype(bool)
    lines["ouverte"] = is_open
    open_others = (is_open & ~lines["est_aucun"]).groupby(youth.to_numpy()).transform("sum")
    lines["autres_ressources_ouvertes"] = open_others.to_numpy().astype(int)
    lines["autres_ressources_texte"] = counted_each(
        lines["autres_ressources_ouvertes"], "autre ressource", "autres ressources"
    )

    jeunes = ctx.frame("jeunes", [])
    jeunes["actif"] = ctx.actif
    counts = youth.value_counts()
    jeunes["nb_lignes_ressources"] = ctx.column("jeunes", "id_jeune").map(counts).fillna(0).astype(int).to_numpy()
    return {"ressources": lines, "jeunes": jeunes}


def latest_start_of_same_kind(youth: pd.Series, kind: pd.Series, start: pd.Series) -> pd.Series:
    """For each line, the latest known start among lines of the same youth and resource type."""
    keys = pd.DataFrame({"jeune": youth.to_numpy(), "type": kind.to_numpy(), "debut": start.to_numpy()})
    latest = keys.groupby(["jeune", "type"], dropna=False)["debut"].transform("max")
    return pd.Series(latest.to_numpy(), index=start.index)


THEME = Theme(
    id="ressources", titre="Ressources", notebook="40_ressources.ipynb", tables=("ressources",), derive=derive
)
