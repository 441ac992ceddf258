"""The charter's shared notions the sample needs, written from rules.md for the oracle alone.

The oracle checks the audit against the charter, not against itself: nothing here comes from the
package's own implementation (``imilo_audit.text``, ``imilo_audit.config``), only its words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata

# rules.md "same text": "Letters are folded, never dropped: œ is oe, æ is ae, ß is ss".
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"))


def same_text(text: str | None) -> str | None:
    """rules.md's "same text" key: case, accents, surrounding and repeated spaces ignored.

    Accents are the marks written over or under a Latin letter; letters of other scripts stay as
    they are, with their own signs. None for an empty text.
    """
    if text is None:
        return None
    if text.isascii():
        return " ".join(text.split()).casefold() or None
    kept: list[str] = []
    after_latin = False
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            if after_latin:
                continue  # an accent of the Latin letter before it
        else:
            after_latin = unicodedata.name(char, "").startswith("LATIN ")
        kept.append(char)
    folded = "".join(kept).casefold()
    for letter, letters in _LIGATURES:
        folded = folded.replace(letter, letters)
    return " ".join(folded.split()) or None


def closing_date(cloture_bilan: str, year: int) -> dt.date:
    """rules.md USR-01: the day of ``year`` (N) from which the annual report of N-1 is closed.

    ``cloture_bilan`` is written ``MM-JJ`` (default ``03-31``, the 31st of March); a 29th of
    February is the 28th in a common year.
    """
    month_text, _, day_text = cloture_bilan.partition("-")
    month, day = int(month_text), int(day_text)
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
