"""Text comparison as the charter means it: "same text" ignores case, accents and spaces."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """Remove diacritics: « Désactivé » -> « Desactive »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def same_text_key(text: object) -> str | None:
    """Comparison key of a value: case-folded, unaccented, spaces stripped and collapsed.

    Empty or missing values give None, so that they never equal a reference value.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    key = _SPACES.sub(" ", strip_accents(str(text)).casefold()).strip()
    return key or None


def same_text_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`same_text_key` (object Series, None for empty), each distinct text once."""
    codes, uniques = pd.factorize(values.astype("string"))
    text = pd.Series(uniques, dtype="string")
    key = (
        text.str.normalize("NFKD")
        .str.encode("ascii", errors="ignore")
        .str.decode("ascii")
        .str.casefold()
        .str.replace(_SPACES, " ", regex=True)
        .str.strip()
    )
    key = key.mask(key == "")
    keys = np.append(key.astype(object).where(key.notna(), None).to_numpy(), None)  # code -1 (missing): None
    return pd.Series(keys[codes], index=values.index, dtype=object)


def counted(count: int, singular: str, plural: str) -> str:
    """« 1 autre ressource », « 3 autres ressources »: French agreement, never « (s) »."""
    return f"{count} {singular if abs(count) < 2 else plural}"


def header_key(header: object) -> str:
    """Normalised column header: case-folded, unaccented, punctuation and spaces collapsed.

    « N° de sécurité sociale » and « n de securite  sociale » give the same key.
    """
    text = strip_accents(str(header)).casefold().replace("°", " ")
    return _NON_ALNUM.sub(" ", text).strip()


def contains_word(key: str | None, word: str) -> bool:
    """True when ``word`` stands as a whole word in an already normalised key."""
    if not key:
        return False
    return re.search(rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])", key) is not None
