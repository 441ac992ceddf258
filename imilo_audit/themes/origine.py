"""Origin of arrival (ORI): overuse of « Démarche personnelle », origin missing."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..french.formatting import fr_pct
from .base import Theme
from .context import AuditContext

DEMARCHE_PERSONNELLE = "demarche personnelle"
NEW_REGISTRATION_MONTHS = 12


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Youth rows (ORI-02) and one row per group of nouveaux inscrits large enough (ORI-01)."""
    jeunes = ctx.frame("jeunes", ["origine_venue"])
    jeunes["actif"] = ctx.actif
    jeunes["origine_venue"] = ctx.column("jeunes", "origine_venue")
    return {"jeunes": jeunes, "groupes": groups(ctx)}


def groups(ctx: AuditContext) -> pd.DataFrame:
    """Share of « Démarche personnelle » among nouveaux inscrits: whole export, per referent, per site."""
    new = ctx.in_window(ctx.column("jeunes", "date_inscription"), NEW_REGISTRATION_MONTHS)
    personal = (ctx.same_text("jeunes", "origine_venue") == DEMARCHE_PERSONNELLE).fillna(False)
    data = pd.DataFrame(
        {
            "personnelle": personal[new].astype(int),
            "conseiller": ctx.column("jeunes", "conseiller_referent")[new],
            "lieu": ctx.column("jeunes", "lieu_rattachement")[new],
        }
    )
    rows = [_group_row(data["personnelle"], "", "", "toute la structure")]
    for name, part in data.dropna(subset=["conseiller"]).groupby("conseiller", sort=True):
        rows.append(_group_row(part["personnelle"], str(name), "", f"conseiller {name}"))
    for name, part in data.dropna(subset=["lieu"]).groupby("lieu", sort=True):
        rows.append(_group_row(part["personnelle"], "", str(name), f"lieu {name}"))
    frame = pd.DataFrame(rows)
    frame = frame[frame["effectif"] >= ctx.thresholds.effectif_minimum].reset_index(drop=True)
    frame.insert(0, "_table", "jeunes")
    frame.insert(1, "_id", pd.NA)
    frame.insert(2, "_id_jeune", pd.NA)
    frame["valeur__origine_venue"] = frame["part_demarche_personnelle"].map(lambda share: f"{share:.2f}")
    frame["seuil"] = fr_pct(ctx.thresholds.seuil_demarche_personnelle, digits=0)
    frame["part"] = frame["part_demarche_personnelle"].map(lambda share: fr_pct(share, digits=0))
    return frame.astype({"_id": "string", "_id_jeune": "string", "_conseiller": "string", "_lieu": "string"})


def _group_row(personal: pd.Series, conseiller: str, lieu: str, label: str) -> dict[str, Any]:
    count = len(personal)
    return {
        "_conseiller": conseiller or pd.NA,
        "_lieu": lieu or pd.NA,
        "groupe": label,
        "effectif": count,
        "part_demarche_personnelle": float(personal.sum()) / count if count else 0.0,
    }


def parameters(ctx: AuditContext) -> dict[str, Any]:
    return {"seuil_demarche_personnelle": ctx.thresholds.seuil_demarche_personnelle}


THEME = Theme(
    id="origine",
    titre="Origine de la venue",
    notebook="30_origine.ipynb",
    tables=("jeunes",),
    derive=derive,
    parameters=parameters,
    detail="groupes",
)
