"""Identity (IDN): names in capitals, a valid and certifiable NIR, family situation, « A vérifier »."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from stdnum.fr import nir as stdnum_nir

from ..text import counted, strip_accents
from .base import Theme
from .context import AuditContext, arrow_text, fr_days

CHAMPS = ["nom_usage", "nom_naissance", "nir", "situation_familiale", "savoirs_base"]
NAME_LABELS = {"nom_usage": "nom d'usage", "nom_naissance": "nom de naissance"}
NIR_LENGTH = 15  # rules.md: « 15 characters », ASCII digits (Corsica: 2A or 2B as department)
SAVOIRS_BASE_MOIS = 3  # IDN-06: « A vérifier » is temporary, at most 3 months after registration

# Lower-case, title-case letters and combining accents, searched in the NFD form (« É » is E + ◌́).
_LOWER = r"[\p{Ll}\p{Lt}]"
_ACCENT = r"\p{Mn}"
# What stdnum.fr.nir accepts once compacted, without anything to compact: 15 characters, ASCII digits
# but the department, which may be 2A or 2B (read in stdnum 2.2's ``nir.validate``).
_NIR_SHAPE = r"^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$"
_FORMATTING = re.compile(r"[ .\-]")  # rules.md, IDN-02: spaces, dots, dashes between the groups are formatting
_SEPARATORS = re.compile(r"[\s/_,;:]")  # any other separator is part of the value, hence a fault


def derive(ctx: AuditContext) -> dict[str, pd.DataFrame]:
    """One row per youth: actif, name at fault, NIR checks, family situation, « A vérifier » age."""
    frame = ctx.frame("jeunes", CHAMPS)
    frame["actif"] = ctx.actif
    champ, defect, suggestion = name_fault(ctx.column("jeunes", "nom_usage"), ctx.column("jeunes", "nom_naissance"))
    frame["champ_nom"] = champ
    frame["nom_libelle"] = champ.map(NAME_LABELS).astype("string")
    frame["nom_defaut"] = defect
    frame["nom_corrige"] = suggestion

    nir = ctx.column("jeunes", "nir").astype("string")
    valid = nir_valid(nir)
    frame["nir_present"] = nir.notna().to_numpy(dtype=bool)
    frame["nir_valide"] = valid
    frame["nir_motif"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    invalid = frame["nir_present"].to_numpy() & ~valid
    frame.loc[invalid, "nir_motif"] = [nir_fault(v) for v in nir[invalid]]
    frame["nir_certifiable"] = nir.str.slice(0, 1).isin(["1", "2"]).to_numpy(dtype=bool)
    frame["sans_nir"] = ctx.checkbox("jeunes", "sans_nir")

    frame["situation_familiale_cle"] = ctx.same_text("jeunes", "situation_familiale").fillna("")
    frame["savoirs_base_cle"] = ctx.same_text("jeunes", "savoirs_base")
    registration = ctx.column("jeunes", "date_inscription")  # a calendar day, as every typed date
    frame["date_inscription"] = registration
    frame["inscription_texte"] = fr_days(registration)
    return {"jeunes": frame}


def name_fault(usage: pd.Series, birth: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """IDN-01: the first name field not in unaccented capitals, what it holds, and its capital form.

    A field is at fault when it holds a lower-case letter (``ß`` too) or an accented one, however
    it is encoded (« É » or E followed by a combining accent). ``Œ`` and letters of other scripts in
    capitals are capitals.
    """
    champ = pd.Series(pd.NA, index=usage.index, dtype="string")
    defect = pd.Series(pd.NA, index=usage.index, dtype="string")
    suggestion = pd.Series(pd.NA, index=usage.index, dtype="string")
    for name, values in reversed((("nom_usage", usage), ("nom_naissance", birth))):  # the first field wins
        text = values.astype("string")
        decomposed = pc.utf8_normalize(arrow_text(text), "NFD")
        lower = _matches(decomposed, _LOWER)
        accent = _matches(decomposed, _ACCENT)
        wrong = lower | accent
        labels = np.where(
            lower & accent, "des minuscules et des accents", np.where(lower, "des minuscules", "des accents")
        )
        champ[wrong] = name
        defect[wrong] = labels[wrong]
        suggestion[wrong] = [strip_accents(v).upper() for v in text[wrong]]
    return champ, defect, suggestion


def _matches(text: pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(text, pattern).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def nir_valid(values: pd.Series) -> np.ndarray:
    """IDN-02: each NIR is 15 characters and python-stdnum finds it valid (False when empty).

    Spaces, dots and dashes between the groups are formatting and ``2a``/``2b`` read as ``2A``/``2B``
    (see :func:`is_valid_nir`); full-width digits (``１``), that stdnum would read, are refused.
    Vectorised path: a value of stdnum's shape whose key is right is valid (97 − the first 13 digits
    mod 97, 2A read as 19 and 2B as 18, as in ``stdnum.fr.nir.calc_check_digits``);
    stdnum decides every other value, once per distinct value.
    """
    text = arrow_text(values)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    valid = np.zeros(len(text), dtype=bool)
    shaped = _matches(text, _NIR_SHAPE)
    if shaped.any():
        candidates = text.filter(pa.array(shaped))
        digits = pc.replace_substring(pc.replace_substring(candidates, "2A", "19"), "2B", "18")
        number = pc.cast(pc.utf8_slice_codeunits(digits, 0, 13), pa.int64()).to_numpy(zero_copy_only=False)
        key = pc.cast(pc.utf8_slice_codeunits(digits, 13, 15), pa.int64()).to_numpy(zero_copy_only=False)
        valid[shaped] = 97 - number % 97 == key
    rest = np.flatnonzero(~valid & text.is_valid().to_numpy(zero_copy_only=False))
    codes, uniques = pd.factorize(text.take(pa.array(rest)).to_numpy(zero_copy_only=False))
    decided = np.array([is_valid_nir(value) for value in uniques], dtype=bool)
    valid[rest] = decided[codes] if len(rest) else False
    return valid


def nir_characters(value: str) -> str:
    """The NIR once its formatting is removed (rules.md, IDN-02): no spaces, dots or dashes, 2A/2B in capitals."""
    return _FORMATTING.sub("", value).upper()


def is_valid_nir(value: str) -> bool:
    """One NIR as rules.md reads IDN-02: 15 ASCII characters, valid for python-stdnum (key, 2A/2B).

    Spaces, dots or dashes between the groups (« 1 85 07 33 123 456 75 », « 1.85.07… », as a card
    or a form prints it) are a way of writing the 15 characters, not characters of the NIR;
    ``2a``/``2b`` read as ``2A``/``2B``. Any other separator, and full-width digits, are refused.
    """
    compact = nir_characters(value)
    return len(compact) == NIR_LENGTH and compact.isascii() and stdnum_nir.is_valid(compact)


def nir_fault(value: str) -> str:
    """Why an invalid NIR is invalid, in French, for the finding's message (never the NIR itself)."""
    value = nir_characters(value)
    if _SEPARATORS.search(value):
        return "séparateurs (barres obliques, virgules…)"
    if len(value) != NIR_LENGTH:
        return f"{counted(len(value), 'caractère', 'caractères')} au lieu de 15"
    if not re.fullmatch(_NIR_SHAPE, value):
        return "caractères autres que des chiffres"
    return "clé de contrôle incorrecte"


def parameters(ctx: AuditContext) -> dict[str, Any]:
    """IDN-06: a dossier registered before this day has been so for more than 3 months."""
    return {"limite_savoirs_base": ctx.months_before(SAVOIRS_BASE_MOIS)}


THEME = Theme(
    id="identite",
    titre="Identité",
    notebook="15_identite.ipynb",
    tables=("jeunes",),
    derive=derive,
    parameters=parameters,
)
