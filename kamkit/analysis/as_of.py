"""An account's data as it was known on the as-of date (the date itself: ``kamkit.periods``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from kamkit.memo import per_account
from kamkit.workbook import AccountData


def _not_after(frame: pd.DataFrame, column: str, limit: object) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` is not after ``limit`` (missing values stay)."""
    after = (frame[column] > limit).fillna(False).astype(bool)
    return frame[~after.to_numpy()]


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
        A new value holding the filtered tables.

    Notes
    -----
    The spend estimate of ``as_of``'s year is kept whole while that year's sales are only
    partly in; compare shares for ``last_full_year(as_of)`` or say the year is partial.
    """
    day = pd.Timestamp(as_of)
    feedback = _not_after(account.feedback, "date", day)
    closed_later = (feedback["closed"] > day).fillna(False).astype(bool)
    span = account.sales_months
    if span is not None:  # the history as known on the day: it ends in the day's month
        span = (span[0], min(span[1], day.to_period("M").to_timestamp()))
        span = span if span[0] <= span[1] else None
    return dataclasses.replace(account, sales_months=span).with_tables(
        sales=_not_after(account.sales, "month", day),
        spend=_not_after(account.spend, "year", as_of.year),
        spend_shares=_not_after(account.spend_shares, "year", as_of.year),
        history=_not_after(account.history, "date", day),
        feedback=feedback.assign(closed=feedback["closed"].mask(closed_later)),
        relationships=_not_after(account.relationships, "last_contact", day))
