"""Text comparison as the charter means it: "same text" ignores case, accents and spaces.

rules.md: letters are folded, never dropped (``œ`` is ``oe``, ``æ`` is ``ae``, ``ß`` is ``ss``), and
letters of other scripts stay as they are. Accents are the combining diacritical marks that a
compatibility decomposition (NFKD) splits off a Latin letter (``é`` is ``e`` + U+0301); a Cyrillic
``й`` or a Greek ``ά`` keeps its sign, as other scripts' own signs do.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Whitespace as ``str.isspace`` knows it (RE2 syntax).
_SPACES = r"[\t\n\v\f\r\x1c-\x1f\x{85}\pZ]+"
_ASCII_SPACES = re.compile(r"[\t\n\v\f\r\x1c-\x1f ]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# The combining diacritical marks after a Latin letter: its accents.
_ACCENTS = r"(\p{Latin})[\x{0300}-\x{036F}\x{1AB0}-\x{1AFF}\x{1DC0}-\x{1DFF}\x{20D0}-\x{20FF}\x{FE20}-\x{FE2F}]+"
# Letters that no decomposition splits, folded to their letters (lower case: applied after folding case).
FOLDED_LETTERS: dict[str, str] = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"}
_FOLD_TABLE = str.maketrans(FOLDED_LETTERS)


def strip_accents(text: str) -> str:
    """Remove diacritics: « Désactivé » -> « Desactive »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def same_text_key(text: object) -> str | None:
    """Comparison key of a value: case-folded, accents removed, letters folded, spaces collapsed.

    Empty or missing values give None, so that they never equal a reference value.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    text = str(text)
    if text.isascii():
        return _ASCII_SPACES.sub(" ", text.lower()).strip() or None
    return _unicode_key(text)


@lru_cache(maxsize=65536)
def _unicode_key(text: str) -> str | None:
    return same_text_array(pa.array([text], type=pa.string()))[0].as_py()


def same_text_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`same_text_key` (object Series, None for empty), each distinct text once."""
    codes, uniques = pd.factorize(values.astype("string"))
    key = same_text_array(pa.array(np.asarray(uniques, dtype=object), type=pa.string(), from_pandas=True))
    keys = np.append(np.asarray(key.to_pylist(), dtype=object), None)  # code -1 (missing): None
    return pd.Series(keys[codes], index=values.index, dtype=object)


def same_text_array(text: pa.Array) -> pa.Array:
    """The "same text" key of each value of an Arrow string array (null for empty).

    Arrow does the work; Python's case folding only sees what Arrow's lower-casing leaves outside
    ASCII (a final sigma…), on those values only.
    """
    if len(text) == 0:
        return text
    if pc.all(pc.string_is_ascii(text).fill_null(True)).as_py():  # the bulk: ASCII folding is lower-casing
        key = pc.ascii_lower(text)
    else:
        key = pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(text, form="NFKD"), _ACCENTS, r"\1"))
        for letter, folded in FOLDED_LETTERS.items():
            key = pc.replace_substring(key, letter, folded)
        rest = pc.invert(pc.string_is_ascii(key).fill_null(True))
        if pc.any(rest).as_py():  # what lower-casing leaves to case folding
            folded_rest = [value.casefold().translate(_FOLD_TABLE) for value in key.filter(rest).to_pylist()]
            key = pc.replace_with_mask(key, rest, pa.array(folded_rest, type=key.type))
    key = pc.utf8_trim_whitespace(pc.replace_substring_regex(key, _SPACES, " "))
    return pc.if_else(pc.equal(key, ""), pa.scalar(None, key.type), key)


def counted(count: int, singular: str, plural: str) -> str:
    """« 1 autre ressource », « 3 autres ressources »: French agreement, never « (s) »."""
    return f"{count} {singular if abs(count) < 2 else plural}"


def counted_each(counts: pd.Series | np.ndarray, singular: str, plural: str) -> np.ndarray:
    """:func:`counted` of each count (integers), each distinct count worded once."""
    codes, uniques = pd.factorize(np.asarray(counts))
    return np.array([counted(int(n), singular, plural) for n in uniques], dtype=object)[codes]


def header_key(header: object) -> str:
    """Normalised column header: case-folded, unaccented, punctuation and spaces collapsed.

    « N° de sécurité sociale » and « n de securite  sociale » give the same key.
    """
    text = strip_accents(str(header)).casefold().replace("°", " ")
    return _NON_ALNUM.sub(" ", text).strip()


LETTER = r"[^\W\d_]"  # a letter of any script: what a word may not touch


def contains_word(key: str | None, word: str) -> bool:
    """True when ``word`` stands as a word in an already normalised key: not touching another letter.

    Digits, spaces and punctuation separate words (rules.md, USR-06): ``accueil2``, ``1test``,
    ``standard_ml`` hold a word; ``accueillant`` and ``testard`` do not.
    """
    if not key:
        return False
    return re.search(rf"(?<!{LETTER}){re.escape(word)}(?!{LETTER})", key) is not None
