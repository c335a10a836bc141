"""The one forecast kamkit makes of a figure that adds up over time (revenue, gross margin,
volume, complaints) to the end of a period: the seasonal run rate.

P2 (an objective's forecast to its deadline), P5 (the plan period's revenue and gross
margin), the findings and the key figures of the index and the portfolio all call
``run_rate``, so one revenue has one forecast wherever it is shown.

The running month is left out: a month counts once it has ended on the as-of date
(``complete_months``). Monthly sales of a month that has only begun are a few days of a
month, and comparing them with a whole month (or extrapolating them) would swing the
forecast from week to week.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamkit.analysis.history import revenue_by_year
from kamkit.documents import Scope
from kamkit.errors import KamkitError
from kamkit.frames import frame_of
from kamkit.grouping import Groups
from kamkit.memo import per_account
from kamkit.periods import months
from kamkit.plan._common import ratio, scoped
from kamkit.plan.metrics import FLOW_METRICS, metric_value
from kamkit.workbook import AccountData

SEASONALITY_YEARS = 3
"""At most this many full calendar years before the period give the seasonality."""

SEASONAL_METRICS = frozenset({"revenue", "gross_margin", "volume"})
"""Flow metrics that follow the revenue's seasonality; the others (complaints) are spread
evenly over the months."""

WEIGHTINGS = ("seasonal", "equal")
"""How ``run_rate`` weighs the months: by the account's seasonality, or equally."""


@per_account
def seasonality(account: AccountData, before: dt.date) -> pd.DataFrame:
    """The share of each calendar month in the account's revenue before ``before``.

    The years used are the last (up to ``SEASONALITY_YEARS``) whole calendar years before
    ``before``'s year in which the account was a customer all year: years with revenue
    above 0 after the year of its first sale, or that first year when it has sales in all
    12 months (a first year that starts mid-year would make its empty months look like a
    season).

    Parameters
    ----------
    account
        One account's data (``scoped`` to a service or location for their seasonality).
    before
        The period's start.

    Returns
    -------
    DataFrame
        Twelve rows, ``calendar_month`` 1-12, ``revenue`` (summed over the years used)
        and ``share`` (of the total; all NA when there is no such history).
    """
    yearly = revenue_by_year(account)
    whole = (yearly["year"] > yearly["year"].min()) | (yearly["months_with_sales"] == 12)
    use = whole & (yearly["year"] < before.year) & (yearly["revenue"] > 0)
    years = yearly.loc[use.to_numpy(), "year"].tail(SEASONALITY_YEARS).tolist()
    sales = account.sales
    # each sale's year and calendar month from the NumPy dates (the workbook's months are
    # naive datetime64), its revenue added up per calendar month by ``Groups``: the bits
    # of ``groupby(month.dt.month)["revenue"].sum()`` on the sales of those years, without
    # pandas' date accessors, filter, groupby and reindex (most of the time here)
    dates = sales["month"].to_numpy(dtype="datetime64[s]")
    used = ~np.isnat(dates) & np.isin(dates.astype("datetime64[Y]").astype("int64") + 1970,
                                      years)
    calendar = dates[used].astype("datetime64[M]").astype("int64") % 12 + 1
    groups = Groups(calendar.tolist())
    summed = dict(zip((key[0] for key in groups.keys),
                      groups.sums(sales["revenue"].iloc[np.flatnonzero(used)]).tolist(),
                      strict=True))
    revenue = np.array([summed.get(month, 0.0) for month in range(1, 13)], dtype="float64")
    total = revenue.sum()  # as ``Series.sum``: NumPy's sum of the twelve
    return frame_of({"calendar_month": np.arange(1, 13, dtype="int64"), "revenue": revenue,
                     "share": [ratio(value, total) for value in revenue]},
                    _SEASONALITY_COLUMNS)


_SEASONALITY_COLUMNS: dict[str, object] = {"calendar_month": "int64", "revenue": "float64",
                                           "share": "float64"}


def month_end(month: pd.Timestamp) -> dt.date:
    """The last day of the month starting on ``month``."""
    return (month + pd.offsets.MonthEnd(0)).date()


def complete_months(start: dt.date, end: dt.date, as_of: dt.date) -> pd.DatetimeIndex:
    """The months of the period ``start``-``end`` that have ended on ``as_of``.

    A month counts once its last day is on or before ``as_of``: on 30 September
    September counts, on 3 October October does not yet (the running month is left out).

    Examples
    --------
    >>> [f"{m:%m}" for m in complete_months(dt.date(2026, 1, 1), dt.date(2026, 12, 31),
    ...                                     dt.date(2026, 3, 5))]
    ['01', '02']
    """
    return _complete_months(start, end, as_of).copy()  # a copy: its name can be set in place


@functools.lru_cache(maxsize=1024)
def _complete_months(start: dt.date, end: dt.date, as_of: dt.date) -> pd.DatetimeIndex:
    """``complete_months``, kept: the plan's objectives, P5 and the key figures ask for the
    same periods again and again."""
    period = months(start, end)
    ends = pd.DatetimeIndex([pd.Timestamp(month_end(m)) for m in period])
    return period[ends <= pd.Timestamp(as_of)]


def last_complete_day(start: dt.date, end: dt.date, as_of: dt.date) -> dt.date | None:
    """The last day of the last complete month of the period on ``as_of`` (see
    ``complete_months``); None when no month of it has ended yet."""
    done = complete_months(start, end, as_of)
    return month_end(done[-1]) if len(done) else None


def month_weights(account: AccountData, start: dt.date, end: dt.date, metric: str = "revenue",
                  scope: Scope | None = None) -> tuple[pd.Series, str]:
    """Each month's weight in the period ``start``-``end`` for the run rate, and how.

    Revenue, gross margin and volume (``SEASONAL_METRICS``) weigh each month by its
    calendar month's share of the scope's revenue in the last whole years before the
    period (``seasonality``; "seasonal"); without such history, and for complaints, each
    month weighs the same ("equal").

    Returns
    -------
    (Series, str)
        The weights indexed by the months' first days (only their ratios matter: a
        calendar month's revenue share, or 1 for every month), and "seasonal" or "equal".
    """
    period = months(start, end)
    if metric in SEASONAL_METRICS:
        shares = seasonality(scoped(account, scope), start).set_index("calendar_month")["share"]
        weights = pd.Series(period.month.map(shares), index=period).fillna(0.0)
        if weights.sum() > 0:
            return weights, "seasonal"
    return _equal(period), "equal"


def _equal(period: pd.DatetimeIndex) -> pd.Series:
    """Equal weights for the months of a period."""
    return pd.Series(1.0, index=period)


@dataclass(frozen=True)
class RunRate:
    """A flow figure to date and its forecast to the period end (see ``run_rate``).

    Attributes
    ----------
    to_date
        The figure over the complete months (0 without sales; NA before any month ended).
    forecast
        The figure expected over the whole period (NA when no month has ended).
    through
        The last day counted (the end of the last complete month), None before any.
    months_counted, months_total
        Complete months and all months of the period.
    weighting
        "seasonal" or "equal" (``month_weights``).
    """

    to_date: float
    forecast: float
    through: dt.date | None
    months_counted: int
    months_total: int
    weighting: str


def run_rate(account: AccountData, metric: str, start: dt.date, end: dt.date,
             as_of: dt.date, scope: Scope | None = None) -> RunRate:
    """The forecast of a flow metric over ``start``-``end``: the one method kamkit uses.

    ``forecast = to date / weight of the complete months x weight of the whole period``
    (the seasonal run rate): the months still to come are expected to go as the months
    so far went, each in proportion to its weight (``month_weights``: the account's own
    seasonality in scope, or equal months). Only complete months count
    (``complete_months``): the running month is left out. When the complete months weigh
    nothing in the seasonality (no revenue in them in past years) the months weigh
    equally. Once the period has ended the
    forecast is the actual figure.

    Parameters
    ----------
    account
        One account's data (``cut_off`` at ``as_of`` first: nothing later may count).
    metric
        One of ``FLOW_METRICS``: "revenue", "gross_margin", "volume", "complaints".
    start, end
        The period (``end`` an objective's deadline or the plan period's end).
    as_of
        The date the figures run to.
    scope
        A service and/or location, or None for the whole account.

    Returns
    -------
    RunRate

    Raises
    ------
    KamkitError
        For a metric that does not add up over time.
    """
    if metric not in FLOW_METRICS:
        raise KamkitError(f"Cannot forecast {metric!r}: only {', '.join(sorted(FLOW_METRICS))}"
                          " add up over time.")
    total = len(months(start, end))
    done = complete_months(start, end, as_of)
    weights, how = month_weights(account, start, end, metric, scope)
    if not len(done):
        return RunRate(np.nan, np.nan, None, 0, total, how)
    through = month_end(done[-1])
    to_date = metric_value(account, metric, scope, start, through)
    counted = float(weights.loc[done].sum())
    if counted <= 0:  # no revenue in these months of past years: no season to go by
        weights, how = _equal(months(start, end)), "equal"
        counted = float(weights.loc[done].sum())
    expected = (to_date if len(done) == total
                else to_date * float(weights.sum()) / counted)
    return RunRate(to_date, expected, through, len(done), total, how)


__all__ = [
    "SEASONALITY_YEARS",
    "SEASONAL_METRICS",
    "WEIGHTINGS",
    "RunRate",
    "complete_months",
    "last_complete_day",
    "month_end",
    "month_weights",
    "run_rate",
    "seasonality",
]
