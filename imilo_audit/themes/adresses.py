"""Addresses (ADR): normalised, complete, SDF / déménagement convention."""

from __future__ import annotations

import re

import pandas as pd

from ..text import LETTER, contains_word
from .base import Theme
from .context import AuditContext

PART_LABELS = {  # the missing part, with its agreement (« voie manquante », « code postal manquant »)
    "code_postal": "code postal manquant ou invalide",
    "commune": "commune manquante",
    "adresse_voie": "voie manquante",
    "adresse_complement": "nom du lieu-dit manquant en complément",
}
CHAMPS = ["adresse_normalisee", "code_postal", "commune", "adresse_voie", "adresse_complement"]


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per youth: actif, normalised flag, first incomplete field, SDF mention, NPAI."""
    frame = ctx.frame("jeunes", CHAMPS)
    frame["actif"] = ctx.actif
    frame["adresse_normalisee"] = ctx.checkbox("jeunes", "adresse_normalisee")
    frame["champ_adresse_incomplete"] = incomplete_field(
        ctx.column("jeunes", "code_postal"),
        ctx.column("jeunes", "commune"),
        ctx.column("jeunes", "adresse_voie"),
        ctx.column("jeunes", "adresse_complement"),
    )
    complement = ctx.same_text("jeunes", "adresse_complement")
    frame["partie_manquante"] = frame["champ_adresse_incomplete"].map(PART_LABELS).astype("string")
    frame["mention_sdf_demenagement"] = complement.map(mentions_sdf_or_move).astype(bool)
    frame["npai"] = ctx.checkbox("jeunes", "npai")
    return {"jeunes": frame}


def incomplete_field(postcode: pd.Series, commune: pd.Series, street: pd.Series, complement: pd.Series) -> pd.Series:
    """The first missing part of an address (ADR-02), or NA when it is complete.

    A postcode is 5 ASCII digits (rules.md "digits": ``０１０００`` is not one). ``-`` as the street is
    the lieu-dit convention, never an empty cell (the reader keeps it there).
    """
    street_text = street.astype("string").str.strip()
    checks = [
        ("code_postal", ~postcode.astype("string").str.fullmatch(r"[0-9]{5}").fillna(False).astype(bool)),
        ("commune", commune.isna()),
        ("adresse_voie", street_text.isna()),
        ("adresse_complement", (street_text == "-").fillna(False).astype(bool) & complement.isna()),
    ]
    result = pd.Series(pd.NA, index=postcode.index, dtype="string")
    for name, failing in reversed(checks):  # the first failing check wins
        result = result.mask(failing, name)
    return result


# « SDF » as rules.md spells it: also « S.D.F. » (dots, or spaces, between the letters) and in full
_SDF = re.compile(rf"(?<!{LETTER})(?:s[. ]?d[. ]?f|sans domicile fixe)(?!{LETTER})")


def mentions_sdf_or_move(key: str | None) -> bool:
    """ADR-03: the complement (same-text key) holds the word SDF, S.D.F., « sans domicile fixe » or DEMENAGEMENT."""
    return bool(key) and (_SDF.search(key) is not None or contains_word(key, "demenagement"))


THEME = Theme(id="adresses", titre="Adresses", notebook="10_adresses.ipynb", tables=("jeunes",), derive=derive)
