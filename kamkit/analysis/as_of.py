"""The as-of date of an analysis, and an account's data as it was known on that date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from types import MappingProxyType

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.workbook import AccountData

_QUARTER = re.compile(r"(\d{4})-?[qQ]([1-4])")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ACCEPTED = ("a date as YYYY-MM-DD (e.g. 2026-03-31) or a quarter as YYYYQn "
             "(e.g. 2026Q1 or 2026-Q1, meaning its last day)")


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
        if match := _QUARTER.fullmatch(text):
            year, quarter = int(match[1]), int(match[2])
            return _quarter_end(year, quarter)
        if _DAY.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as error:
                raise KamkitError(
                    f"Cannot read the as-of date {value!r}: {error}. Give {_ACCEPTED}."
                ) from None
    raise KamkitError(f"Cannot read the as-of date {value!r}: give {_ACCEPTED}.")


def _quarter_end(year: int, quarter: int) -> dt.date:
    first_of_next = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


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
    """
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def _not_after(frame: pd.DataFrame, column: str, limit: object) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` is not after ``limit`` (missing values stay)."""
    after = (frame[column] > limit).fillna(False).astype(bool)
    return frame[~after.to_numpy()]


def cut_off(account: AccountData, as_of: dt.date) -> AccountData:
    """The account's data as known on ``as_of``: every dated row after it removed.

    - sales: a month counts once it has started, so the month holding ``as_of`` is kept
      (its invoices up to ``as_of`` are all the ERP has) and later months are removed;
    - spend and spend_shares: years after ``as_of``'s year are removed;
    - history and feedback: rows dated after ``as_of`` are removed, and a complaint closed
      after ``as_of`` is shown as still open (``closed`` emptied);
    - relationships: links whose ``last_contact`` is after ``as_of`` are removed.

    Reference tables (services, locations, ...), contacts and the document are unchanged.
    Rows with a missing date are kept. The given ``account`` is not changed.

    Parameters
    ----------
    account
        One account's data.
    as_of
        The last day that counts (see ``parse_as_of``).

    Returns
    -------
    AccountData
        A new value holding the filtered tables.

    Notes
    -----
    The spend estimate of ``as_of``'s year is kept whole while that year's sales are only
    partly in; compare shares for ``last_full_year(as_of)`` or say the year is partial.
    """
    day = pd.Timestamp(as_of)
    tables = dict(account._tables)
    tables["sales"] = _not_after(tables["sales"], "month", day)
    for name in ("spend", "spend_shares"):
        tables[name] = _not_after(tables[name], "year", as_of.year)
    tables["history"] = _not_after(tables["history"], "date", day)
    feedback = _not_after(tables["feedback"], "date", day)
    closed_later = (feedback["closed"] > day).fillna(False).astype(bool)
    tables["feedback"] = feedback.assign(closed=feedback["closed"].mask(closed_later))
    tables["relationships"] = _not_after(tables["relationships"], "last_contact", day)
    return dataclasses.replace(account, _tables=MappingProxyType(tables))
