"""An account's data as it was known on the as-of date (the date itself: ``kamkit.periods``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from kamkit.memo import per_account
from kamkit.workbook import AccountData


def _after(frame: pd.DataFrame, column: str, limit: object) -> np.ndarray:
    """Whether each row of ``frame`` has its ``column`` after ``limit`` (missing: not)."""
    return (frame[column] > limit).fillna(False).to_numpy(dtype=bool)


@per_account
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
        A new value holding the filtered tables; ``account`` itself when nothing in it is
        after ``as_of`` (an account already cut off there), so that what was computed on it
        is not computed again (``kamkit.memo``).

    Notes
    -----
    The spend estimate of ``as_of``'s year is kept whole while that year's sales are only
    partly in; compare shares for ``last_full_year(as_of)`` or say the year is partial.
    """
    day = pd.Timestamp(as_of)
    feedback = account.feedback
    limits = {"sales": ("month", day), "spend": ("year", as_of.year),
              "spend_shares": ("year", as_of.year), "history": ("date", day),
              "feedback": ("date", day), "relationships": ("last_contact", day)}
    after = {name: _after(account.table(name), column, limit)
             for name, (column, limit) in limits.items()}
    closed_later = (feedback["closed"] > day).fillna(False).to_numpy(dtype=bool)
    span = account.sales_months
    if span is not None:  # the history as known on the day: it ends in the day's month
        span = (span[0], min(span[1], day.to_period("M").to_timestamp()))
        span = span if span[0] <= span[1] else None
    if span == account.sales_months and not closed_later.any() \
            and not any(rows.any() for rows in after.values()):
        return account  # nothing to cut
    tables = {name: account.table(name)[~rows] for name, rows in after.items()}
    kept = ~after["feedback"]
    tables["feedback"] = tables["feedback"].assign(
        closed=tables["feedback"]["closed"].mask(closed_later[kept]))
    return dataclasses.replace(account, sales_months=span).with_tables(**tables)
