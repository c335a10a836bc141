"""Dates and periods: the as-of date, quarters, the last full year and calendar months.

One home for the calendar rules the analysis, the plan, the charts and the quarter batch
share. Nothing here reads account data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.problems import Words, words

QUARTER = re.compile(r"(\d{4})-?[qQ]([1-4])")
"""A quarter as written by a user: 2026Q3, 2026-Q3 or 2026q3."""

def parse_quarter(text: str) -> tuple[int, int] | None:
    """The (year, quarter) of a quarter text, or None when ``text`` is no quarter.

    Examples
    --------
    >>> parse_quarter(" 2026-q3 ")
    (2026, 3)
    >>> parse_quarter("Q3 2026") is None
    True
    """
    match = QUARTER.fullmatch(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def quarter_name(year: int, quarter: int) -> str:
    """The quarter as kamkit writes it: ``2026Q3``."""
    return f"{year}Q{quarter}"


def quarter_of(day: dt.date) -> str:
    """The quarter holding ``day``, written as ``2026Q3``.

    Examples
    --------
    >>> quarter_of(dt.date(2026, 9, 30))
    '2026Q3'
    """
    return quarter_name(day.year, (day.month - 1) // 3 + 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter.

    Examples
    --------
    >>> quarter_end(2026, 4)
    datetime.date(2026, 12, 31)
    """
    first_of_next = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def parse_as_of(value: str | dt.date | None) -> dt.date:
    """The as-of date from a date, a text date or a quarter.

    Parameters
    ----------
    value
        A ``date`` (a ``datetime`` or ``Timestamp`` is cut to its day), ``"2026-03-31"``,
        a quarter ``"2026Q1"`` / ``"2026-Q1"`` / ``"2026q1"`` (its last day, here
        2026-03-31), or None for today.

    Returns
    -------
    date

    Raises
    ------
    KamkitError
        For anything else, naming what was given and what is accepted.

    Examples
    --------
    >>> parse_as_of("2026Q2")
    datetime.date(2026, 6, 30)
    """
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if quarter := parse_quarter(text):
            return quarter_end(*quarter)
        from kamkit.parsing import typed_date  # the workbook's date reader (it is heavier)
        from kamkit.problems import SaidError

        try:
            day = typed_date(text)
        except SaidError as error:  # said in the workbench's language too
            raise _unread(value, error.words) from None
        if day is not None:
            return day
    raise _unread(value)


def _unread(value: object, reason: Words | None = None) -> KamkitError:
    """The as-of date ``value`` cannot be read (``reason``: why), and what is accepted."""
    accepted = words("as_of.accepted")
    return KamkitError.of(
        words("as_of.unread", value=repr(value), accepted=accepted) if reason is None else
        words("as_of.unread_because", value=repr(value), reason=reason, accepted=accepted))


def last_full_year(as_of: dt.date) -> int:
    """The last calendar year that is complete on ``as_of``.

    Parameters
    ----------
    as_of
        The analysis date.

    Returns
    -------
    int
        ``as_of``'s own year when ``as_of`` is 31 December, otherwise the year before.

    Examples
    --------
    >>> last_full_year(dt.date(2025, 12, 31)), last_full_year(dt.date(2026, 3, 31))
    (2025, 2025)
    """
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def month_start(day: dt.date) -> pd.Timestamp:
    """The first day of ``day``'s month.

    Examples
    --------
    >>> month_start(dt.date(2026, 2, 17))
    Timestamp('2026-02-01 00:00:00')
    """
    return pd.Timestamp(day).to_period("M").to_timestamp()


def months(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """The first days of the months from ``start``'s month to ``end``'s month, both included
    (empty when ``end`` is in an earlier month).

    Examples
    --------
    >>> [f"{m:%Y-%m}" for m in months(dt.date(2025, 11, 30), dt.date(2026, 1, 1))]
    ['2025-11', '2025-12', '2026-01']
    """
    return _months(start, end).copy()  # a copy: an index's name can be set in place


@functools.lru_cache(maxsize=1024)
def _months(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """``months``, kept: a report asks for the same few periods dozens of times."""
    return pd.period_range(month_start(start), month_start(end), freq="M").to_timestamp()


def shift_months(day: dt.date, count: int) -> dt.date:
    """``day`` moved by ``count`` calendar months, clipped to the month's last day.

    Examples
    --------
    >>> shift_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    return (pd.Timestamp(day) + pd.DateOffset(months=count)).date()


__all__ = [
    "QUARTER",
    "last_full_year",
    "month_start",
    "months",
    "parse_as_of",
    "parse_quarter",
    "quarter_end",
    "quarter_name",
    "quarter_of",
    "shift_months",
]


def months_covered(years: Iterable[int], first: pd.Timestamp, last: pd.Timestamp) -> list[int]:
    """How many months of each year lie between the months ``first`` and ``last`` (both
    included): 12 for a year the span covers whole, fewer for its first or last year.

    Examples
    --------
    >>> months_covered([2023, 2024, 2025, 2026], pd.Timestamp("2024-07-01"),
    ...                pd.Timestamp("2025-02-01"))
    [0, 6, 2, 0]
    """
    out = []
    for year in years:
        start = max(pd.Timestamp(year=year, month=1, day=1), first)
        end = min(pd.Timestamp(year=year, month=12, day=1), last)
        out.append(max(0, (end.year - start.year) * 12 + end.month - start.month + 1))
    return out
