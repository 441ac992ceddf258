"""Trainings (FOR): objective, planned end, forbidden values, interruption consistency, dates."""

from __future__ import annotations

import pandas as pd

from .base import Theme
from .context import AuditContext

CHAMPS = ["objectif", "date_fin_prevue", "validation_preparee", "motif_interruption", "date_debut"]


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """Training rows with comparison keys and how the training ended."""
    frame = ctx.frame("formations", CHAMPS)
    frame["objectif"] = ctx.column("formations", "objectif")
    frame["objectif_cle"] = ctx.same_text("formations", "objectif")
    frame["validation_cle"] = ctx.same_text("formations", "validation_preparee")
    frame["motif_interruption"] = ctx.column("formations", "motif_interruption")
    frame["date_debut"] = ctx.column("formations", "date_debut")
    frame["date_fin_prevue"] = ctx.column("formations", "date_fin_prevue")
    frame["texte__date_fin_prevue"] = ctx.text("formations", "date_fin_prevue")  # FOR-02: empty cells only
    frame["fin_formation"] = ending(
        ctx.text("formations", "date_fin_reelle"),
        ctx.column("formations", "date_fin_reelle"),
        frame["date_fin_prevue"],
    )
    return {"formations": frame}


def ending(real_text: pd.Series, real: pd.Series, planned: pd.Series) -> pd.Series:
    """« anticipee » (left before the planned end), « normale », or « inconnue » (dates unknown)."""
    result = pd.Series("inconnue", index=real.index, dtype="string")
    result[real_text.isna()] = "normale"  # still in training, or ended without a real end date
    known = real.notna() & planned.notna()
    result[known & (real >= planned)] = "normale"
    result[known & (real < planned)] = "anticipee"
    return result


THEME = Theme(
    id="formations", titre="Formations", notebook="50_formations.ipynb", tables=("formations",), derive=derive
)
