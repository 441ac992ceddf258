"""Mobility and France Travail (MOB, FT): « Autres » as locomotion, licence without date, FT number."""

from __future__ import annotations

import pandas as pd

from .base import Theme
from .context import AuditContext

CHAMPS = ["moyen_locomotion", "permis", "date_obtention_permis", "inscrit_france_travail", "identifiant_france_travail"]
# rules.md MOB-01 (`Autres` / `Autre`, same text) is the value_set of expectations/mobilite.json.
# rules.md MOB-02: a licence is held unless `permis` is empty, `Aucun`, `En cours` or `Code` (same text).
PERMIS_NON_DETENU = ("aucun", "en cours", "code")


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per youth: actif, locomotion key, licence held, France Travail registration, empties."""
    frame = ctx.frame("jeunes", CHAMPS)
    frame["actif"] = ctx.actif
    frame["moyen_locomotion_cle"] = ctx.same_text("jeunes", "moyen_locomotion")
    frame["permis_detenu"] = licence_held(ctx.same_text("jeunes", "permis"))
    # Empty as rules.md reads it (blank, NULL, N/A, -…): an unreadable date is not empty (DAT-01).
    frame["texte__date_obtention_permis"] = ctx.text("jeunes", "date_obtention_permis")
    # Only a readable « oui » is judged: an unreadable value is a DAT-01 and decides nothing.
    frame["inscrit_france_travail"] = (ctx.column("jeunes", "inscrit_france_travail") == True).fillna(False)  # noqa: E712
    frame["texte__identifiant_france_travail"] = ctx.text("jeunes", "identifiant_france_travail")
    return {"jeunes": frame}


def licence_held(keys: pd.Series) -> pd.Series:
    """MOB-02: a licence is held when ``permis`` (same-text keys) is filled and not a step towards one."""
    return (keys.notna() & ~keys.isin(PERMIS_NON_DETENU)).fillna(False).astype(bool)


THEME = Theme(
    id="mobilite",
    titre="Mobilité et France Travail",
    notebook="57_mobilite.ipynb",
    tables=("jeunes",),
    derive=derive,
)
