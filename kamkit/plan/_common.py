"""Helpers shared by the plan modules: the plan, time windows, scopes, names (months and
other calendar rules: ``kamkit.periods``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kamkit.documents import Plan, Scope
from kamkit.errors import KamkitError
from kamkit.memo import per_account
from kamkit.periods import month_start
from kamkit.workbook import AccountData


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` as a float; NaN (NA) when either is missing or the
    denominator is 0."""
    if pd.isna(denominator) or denominator == 0 or pd.isna(numerator):
        return np.nan
    return float(numerator / denominator)


def plan_of(account: AccountData) -> Plan | None:
    """The account's plan, or None when it has no document or no plan."""
    return account.document.plan if account.document is not None else None


@per_account
def window(account: AccountData, start: dt.date, end: dt.date) -> AccountData:
    """The account's sales and feedback between ``start`` and ``end``, both included.

    A sales month counts when it lies from ``start``'s month to ``end``'s month (a month
    counts once it has started, as in ``analysis.cut_off``); feedback counts when dated in
    the period. Every other table is unchanged: spend estimates are per year, and contacts
    and relationships are a snapshot (``cut_off`` the account first for an as-of view).
    """
    if end < start:
        raise KamkitError(f"The period {start} to {end} ends before it starts.")
    sales, feedback = account.sales, account.feedback
    in_months = between(sales["month"], month_start(start), month_start(end))
    in_days = between(feedback["date"], pd.Timestamp(start), pd.Timestamp(end))
    return account.with_tables(sales=sales[in_months], feedback=feedback[in_days])


def between(dates: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> np.ndarray:
    """Which of ``dates`` lie from ``first`` to ``last``, both included, as a NumPy mask
    (a missing date: False): ``dates.between(first, last).fillna(False).to_numpy()``.

    On a column of NumPy dates (the workbook's) it compares the column's own values (NumPy
    compares dates of different units exactly; NaT with anything is False); pandas' way
    builds a Series per comparison and joins them, several times the comparisons' cost,
    for every period of every objective."""
    if isinstance(dates.dtype, np.dtype) and dates.dtype.kind == "M":
        values = dates.to_numpy()
        return (values >= first.to_datetime64()) & (values <= last.to_datetime64())
    return dates.between(first, last).fillna(False).to_numpy(dtype=bool)


@per_account
def scoped(account: AccountData, scope: Scope | None) -> AccountData:
    """The account's sales, spend and spend shares in the scope's service and location, and
    its feedback about the scope's service (feedback has no location). No scope: unchanged."""
    if scope is None or (scope.service is None and scope.location is None):
        return account
    tables: dict[str, pd.DataFrame] = {}
    for name in ("sales", "spend", "spend_shares", "feedback"):
        frame = account.table(name)
        keep = np.ones(len(frame), dtype=bool)
        for column, value in (("service", scope.service), ("location", scope.location)):
            if value is not None and column in frame.columns:
                keep &= (frame[column] == value).fillna(False).to_numpy(dtype=bool)
        tables[name] = frame[keep]
    return account.with_tables(**tables)


def person_names(account: AccountData) -> dict[str, str]:
    """Our people's names by person id."""
    team = account.team
    return dict(zip(team["person_id"], team["name"], strict=True))


def names_of(ids: pd.Series, names: dict[str, str]) -> pd.Series:
    """The name of each id (NA where the id is missing or unknown)."""
    return ids.map(lambda value: names.get(value, pd.NA) if pd.notna(value) else pd.NA)


def as_timestamp(day: dt.date | None) -> pd.Timestamp:
    """A date as a ``Timestamp`` (NaT for None)."""
    return pd.Timestamp(day) if day is not None else pd.NaT
