"""French wording: numbers, percentages, dates, months, quotes and agreement, as every stage writes them."""

from __future__ import annotations

import datetime as dt
import math

from .typography import NARROW_NBSP, NBSP  # NBSP: after « and before » and :; NARROW_NBSP: thousands, before %

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)


def fr_int(value: object) -> str:
    """12873 -> « 12 873 »; None -> « — »."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value):,}".replace(",", NARROW_NBSP)


def fr_decimal(value: float, digits: int = 1) -> str:
    """0.25 -> « 0,25 » with ``digits`` decimals at most (trailing zeros dropped)."""
    text = f"{value:,.{digits}f}".replace(",", NARROW_NBSP).replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fr_pct(share: float | None, digits: int = 1) -> str:
    """0.067 -> « 6,7 % »; None -> « — »."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    smallest = 0.5 * 10 ** -digits / 100
    if 0 < share < smallest:  # never « 0 % » for a rate that is not zero
        return f"<{NARROW_NBSP}{fr_decimal(2 * smallest * 100, digits)}{NARROW_NBSP}%"
    if 1 - smallest <= share < 1:  # nor « 100 % » for a score that is not perfect
        return f">{NARROW_NBSP}{fr_decimal(100 - 2 * smallest * 100, digits)}{NARROW_NBSP}%"
    return f"{fr_decimal(share * 100, digits)}{NARROW_NBSP}%"


def fr_points(delta: float | None, digits: int = 1) -> str:
    """Change of a share in percentage points, signed: -0.014 -> « −1,4 pt »."""
    if delta is None:
        return "—"
    points = round(delta * 100, digits)
    if points == 0:
        return f"0{NARROW_NBSP}pt"
    sign = "+" if points > 0 else "−"
    unit = "pt" if abs(points) < 2 else "pts"
    return f"{sign}{fr_decimal(abs(points), digits)}{NARROW_NBSP}{unit}"


def parse_date(value: object) -> dt.date | None:
    """A date from « 2026-10-31 », an ISO datetime, a date or None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def fr_date(value: object) -> str:
    """« 2026-10-31 » -> « 31/10/2026 »; unreadable values are shown as given."""
    day = parse_date(value)
    if day is None:
        return "" if value is None else str(value)
    return day.strftime("%d/%m/%Y")


def fr_datetime(value: object) -> str:
    """« 2026-11-01T06:00:12+01:00 » -> « 01/11/2026 à 06:00 »."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return fr_date(value)
    return moment.strftime("%d/%m/%Y à %H:%M")


def fr_month(value: object, short: bool = False) -> str:
    """« 2026-10-31 » -> « octobre 2026 » (« oct. 2026 » when short)."""
    day = parse_date(value)
    if day is None:
        return str(value or "")
    names = MONTHS_SHORT if short else MONTHS
    return f"{names[day.month - 1]} {day.year}"


def month_key(value: object) -> str:
    """« 2026-10-31 » -> « 2026-10 » (the audit folder's name)."""
    day = parse_date(value)
    return f"{day.year:04d}-{day.month:02d}" if day else str(value or "")


def shorten(text: object, limit: int) -> str:
    """Cut a text to ``limit`` characters, ending with « … » when cut."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def fr_quote(text: object) -> str:
    """« text » with no-break spaces inside the guillemets, as French typography wants."""
    return f"«{NBSP}{text}{NBSP}»"


def fr_counted(count: int, singular: str, plural: str) -> str:
    """« 1 anomalie », « 2 251 anomalies »: a French number and agreement, never « (s) »."""
    return f"{fr_int(count)} {singular if abs(count) < 2 else plural}"


def fr_of_month(value: object) -> str:
    """« 2026-10-31 » -> « d'octobre 2026 », « 2026-11-30 » -> « de novembre 2026 » (elision)."""
    month = fr_month(value)
    if not month:
        return ""
    return ("d'" if month[0] in "aeiouéèâ" else "de ") + month


_TABLE_NAMES = {"evenements": "événements"}  # the contract's table ids are unaccented; people read French


def table_name(table: object) -> str:
    """A table as people read its name: « événements » for ``evenements``, the others as they are."""
    return _TABLE_NAMES.get(str(table), str(table))
