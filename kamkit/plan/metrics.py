"""The value of an objective's metric over a period: one formula per metric of ``METRICS``.

Values are in the metric's unit of ``documents.METRICS``, as targets are written: EUR,
per cent 0-100 for the "%" metrics (a target of 45 means 45%), counts, scores. A value
that cannot be computed (a share without a spend estimate, a margin without revenue, a
mean of no scores) is NaN (NA), never 0 or inf.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from kamkit.analysis.contacts import coverage_by_level
from kamkit.analysis.wallet import share_of_wallet
from kamkit.documents import METRICS, Scope
from kamkit.errors import KamkitError
from kamkit.periods import month_start, months
from kamkit.plan._common import between, ratio, scoped, window
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import AccountData

FLOW_METRICS = frozenset({"revenue", "gross_margin", "volume", "complaints"})
"""Metrics that add up over time: a part of the period is forecast pro rata to its end."""

LOWER_IS_BETTER = frozenset({"complaints"})
"""Metrics whose target lies below the baseline."""

MET_TO_DATE = frozenset({"revenue", "gross_margin", "volume", "services_bought"})
"""Metrics to raise whose value over a period grows as its months pass (sums, and the
services bought in it): once the value to date reaches the target the target is met, the
months to come only add to it (a credit note may take it back; the next report says so).
Any other metric is met or not on its value over the objective's whole period: a share, a
margin %, a score or the coverage of one month can fall back by the deadline, and
complaints to lower can still come."""


def _revenue(data: AccountData, start: dt.date, end: dt.date) -> float:
    return float(data.sales["revenue"].sum())


def _gross_margin(data: AccountData, start: dt.date, end: dt.date) -> float:
    # NaN when any month's margin is unknown: not the margin of the other months
    return float(data.sales["gross_margin"].sum(skipna=False))


def _margin_pct(data: AccountData, start: dt.date, end: dt.date) -> float:
    return ratio(_gross_margin(data, start, end), _revenue(data, start, end)) * 100


def _volume(data: AccountData, start: dt.date, end: dt.date) -> float:
    sales = data.sales
    if sales["service"].nunique() > 1:
        return np.nan  # the units of different services do not add up
    return float(sales["volume"].sum(min_count=1)) if not sales.empty else 0.0


def _services_bought(data: AccountData, start: dt.date, end: dt.date) -> float:
    revenue = data.sales.groupby("service")["revenue"].sum()
    return float((revenue > 0).sum())


def _holding_period(account: AccountData, start: dt.date, end: dt.date) -> AccountData:
    """The account whose yearly share of wallet gives the period's: the account itself when
    the period holds every sales month of the years it touches (those years' cells and sums
    are then the same, and the account's own is computed once for every such period: a
    baseline year, each year of the growth history), else its ``window``."""
    sold = account.sales["month"]
    first, last = month_start(start), month_start(end)
    # the months of the years from first's to last's (up to the last second of last's year)
    in_years = between(sold, pd.Timestamp(first.year, 1, 1),
                       pd.Timestamp(last.year + 1, 1, 1) - pd.Timedelta(1, "ns"))
    outside = in_years & ~between(sold, first, last)
    return window(account, start, end) if outside.any() else account


def _share_of_wallet(account: AccountData, start: dt.date, end: dt.date) -> float:
    # given the account, not its window (``_WHOLE``): see ``_holding_period``
    per_year = share_of_wallet(_holding_period(account, start, end),
                               by=("year",)).set_index("year")
    in_window = pd.Series(months(start, end)).dt.year.value_counts()
    spend = per_year["spend"].reindex(in_window.index)
    if spend.isna().any():
        return np.nan  # a year of the period without a spend estimate
    wallet = float((spend * in_window / 12).sum())
    ours = float(per_year["our_revenue"].reindex(in_window.index).fillna(0.0).sum())
    return float(np.minimum(ratio(ours, wallet), 1.0)) * 100


def _relationship_coverage(data: AccountData, start: dt.date, end: dt.date,
                           min_strength: int = DEFAULT_MIN_STRENGTH) -> float:
    coverage = coverage_by_level(data, min_strength)
    return ratio(coverage["covered"].sum(), coverage["contacts"].sum()) * 100


def _feedback(data: AccountData, kind: str) -> pd.DataFrame:
    feedback = data.feedback
    return feedback[(feedback["kind"] == kind).fillna(False).to_numpy()]


def _satisfaction(data: AccountData, start: dt.date, end: dt.date) -> float:
    scores = _feedback(data, "satisfaction")["score"].dropna()
    return float(scores.mean()) if not scores.empty else np.nan


def _complaints(data: AccountData, start: dt.date, end: dt.date) -> float:
    return float(len(_feedback(data, "complaint")))


_FORMULAS: dict[str, Callable[[AccountData, dt.date, dt.date], float]] = {
    "revenue": _revenue,
    "gross_margin": _gross_margin,
    "margin_pct": _margin_pct,
    "share_of_wallet": _share_of_wallet,
    "volume": _volume,
    "services_bought": _services_bought,
    "relationship_coverage": _relationship_coverage,
    "satisfaction": _satisfaction,
    "complaints": _complaints,
}
assert set(_FORMULAS) == set(METRICS), "every metric needs a formula"
_WHOLE = frozenset({"share_of_wallet"})
"""Formulas given the (scoped) account rather than its window: they pick the period's
months themselves."""


def metric_value(account: AccountData, metric: str, scope: Scope | None,
                 start: dt.date, end: dt.date,
                 min_strength: int = DEFAULT_MIN_STRENGTH) -> float:
    """The value of ``metric`` for the account between ``start`` and ``end`` (both included).

    The period holds the sales months from ``start``'s month to ``end``'s month and the
    feedback dated in it. The scope keeps the sales and spend of its service and location,
    and the feedback about its service. Relationships are a snapshot (relationships.csv
    holds the last contact, not when a relationship began), so ``relationship_coverage``
    is the same for every period; ``analysis.cut_off`` the account for an as-of view.

    Formulas:

    - ``revenue``: sum of ``revenue`` (EUR; 0 without sales);
    - ``gross_margin``: sum of ``gross_margin`` (EUR);
    - ``margin_pct``: gross margin / revenue x 100 (NA without revenue);
    - ``share_of_wallet``: our revenue in cells with a spend estimate / the wallet of the
      period x 100, capped at 100, where the wallet is each month's twelfth of its year's
      estimate (a whole calendar year: that year's estimate); NA when a year of the period
      has no estimate or the wallet is 0. Built on ``analysis.share_of_wallet``;
    - ``volume``: sum of ``volume`` in the service's unit; NA when the sales mix
      services (their units differ) or no row gives a volume; 0 without sales;
    - ``services_bought``: number of distinct services with revenue > 0;
    - ``relationship_coverage``: contacts with a relationship of at least
      ``min_strength`` / all contacts x 100, from ``analysis.coverage_by_level`` (no scope,
      no period; NA without contacts);
    - ``satisfaction``: mean ``score`` of the ``satisfaction`` feedback (score 0-10; NA
      without scores; scope: service only);
    - ``complaints``: number of ``complaint`` feedback rows (scope: service only); NA
      when the account has no feedback rows at all (of any kind or date).

    Parameters
    ----------
    account
        One account's data.
    metric
        A key of ``documents.METRICS``.
    scope
        The objective's scope, or None for the whole account.
    start, end
        The period, both days included.
    min_strength
        For ``relationship_coverage``: the relationship strength (1-5) from which a
        contact counts as covered; default 3, "regular working contact".

    Returns
    -------
    float
        The value in the metric's unit; NaN (NA) when it cannot be computed.

    Raises
    ------
    KamkitError
        For an unknown metric or a period that ends before it starts.
    """
    formula = _FORMULAS.get(metric)
    if formula is None:
        raise KamkitError(f"Unknown metric {metric!r}: use one of {', '.join(METRICS)}.")
    if metric == "relationship_coverage":
        formula = partial(_relationship_coverage, min_strength=min_strength)
    if metric == "complaints" and account.feedback.empty:
        return np.nan  # no feedback recorded at all: nothing says there were no complaints
    if metric == "relationship_coverage":
        # neither period nor scope touches contacts and relationships: the account's own
        # coverage, computed once for every period (``kamkit.memo``)
        return formula(account, start, end)
    # scoped first: one scoped account per scope, kept (``kamkit.memo``) for all its periods
    in_scope = scoped(account, scope)
    in_period = window(in_scope, start, end)  # also refuses a period that ends before it starts
    return formula(in_scope if metric in _WHOLE else in_period, start, end)
