"""Calendar arithmetic and date spellings of the sample (docs/conventions.md, « Dates et fenêtres »)."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by calendar months, clipped at the month's end (31/03 − 1 month = 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def rint(rng: random.Random, low: int, high: int) -> int:
    """An integer drawn uniformly in ``[low, high]`` (``random.randint``, several times faster)."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, values: Sequence[T]) -> T:
    """One of ``values`` (``random.choice``, faster)."""
    return values[int(rng.random() * len(values))]


def weighted(rng: random.Random, values: Sequence[T], cumulated: Sequence[float]) -> T:
    """One of ``values`` drawn with cumulated weights (``random.choices(...)[0]``, faster)."""
    return values[bisect.bisect_right(cumulated, rng.random() * cumulated[-1])]


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day drawn uniformly in ``[start, end]`` (``start`` when the range is empty)."""
    span = (end - start).days
    return start if span <= 0 else start + dt.timedelta(days=int(rng.random() * (span + 1)))


def fr(day: dt.date | None) -> str:
    """``jj/mm/aaaa``, the main form of i-milo exports; empty for None."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def fr_time(day: dt.date, rng: random.Random, seconds: bool = False) -> str:
    """``jj/mm/aaaa hh:mm[:ss]`` with a working-hours time."""
    text = f"{fr(day)} {rint(rng, 8, 17):02d}:{rint(rng, 0, 59):02d}"
    return text + f":{rint(rng, 0, 59):02d}" if seconds else text


def age(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class NativeDate(dt.date):
    """A date written as a native Excel date; its text « as read » is ``jj/mm/aaaa``."""

    def __str__(self) -> str:
        return fr(self)


def native(day: dt.date) -> NativeDate:
    return NativeDate(day.year, day.month, day.day)
