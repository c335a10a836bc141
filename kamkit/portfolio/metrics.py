"""The values of the computed criteria (``kamkit.scoring.METRICS``): one figure per
account and code, from the account's data as of a date, via ``kamkit.analysis`` and
``kamkit.plan``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

import pandas as pd

from kamkit import analysis as an
from kamkit.key_figures import account_key_figures
from kamkit.periods import last_full_year, month_start, shift_months
from kamkit.plan import action_plan
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.scoring import METRICS_BY_CODE
from kamkit.workbook import AccountData


def _number(value: object) -> float | None:
    """A float, or None for None, NA, NaN and infinities (never a silent 0)."""
    if value is None or pd.isna(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isinf(number) else number


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _year_value(frame: pd.DataFrame, year: int, column: str) -> float | None:
    rows = frame.loc[frame["year"] == year, column]
    return _number(rows.iloc[0]) if not rows.empty else None


def last_twelve_months(as_of: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last month of the 12 complete months up to ``as_of``: to ``as_of``'s
    month when it is the month's last day, else to the month before."""
    next_day = as_of + dt.timedelta(days=1)
    last = month_start(as_of) if next_day.month != as_of.month else month_start(
        shift_months(as_of, -1))
    return last - pd.DateOffset(months=11), last


def _revenue_between(sales: pd.DataFrame, first: pd.Timestamp,
                     last: pd.Timestamp) -> float:
    months = pd.to_datetime(sales["month"])
    inside = ((months >= first) & (months <= last)).fillna(False).to_numpy()
    return float(sales.loc[inside, "revenue"].sum())


def revenue_last_12_months(known: AccountData, as_of: dt.date) -> float:
    """Our revenue in the 12 complete months up to ``as_of`` (``last_twelve_months``)."""
    return _revenue_between(known.sales, *last_twelve_months(as_of))


def revenue_trend(known: AccountData, as_of: dt.date) -> float | None:
    """Revenue of the last 12 complete months against the 12 before, in per cent; None when
    the 12 before had no revenue, or when the workbook's sales history
    (``AccountData.sales_months``) does not cover all 24 months: a month outside it is not
    known, and counting it as 0 would show an 18-month export's falling account as rising."""
    first, last = last_twelve_months(as_of)
    earliest = first - pd.DateOffset(months=12)
    span = known.sales_months
    if span is None or earliest < span[0] or last > span[1]:
        return None
    recent = _revenue_between(known.sales, first, last)
    before = _revenue_between(known.sales, earliest, first - pd.DateOffset(months=1))
    change = _ratio(recent - before, before)
    return None if change is None else change * 100


def key_contact_coverage(known: AccountData,
                         min_strength: int = DEFAULT_MIN_STRENGTH) -> float | None:
    """The share (%) of the account's decision makers and high-influence contacts that one
    of our people has a relationship of at least ``min_strength`` with, as A8 counts them
    (``uncovered_key_contacts``); None when the account has no such contact."""
    contacts = known.contacts
    key = int(((contacts["buying_role"] == "decision_maker")
               | (contacts["influence"] == "high")).fillna(False).sum())
    if key == 0:
        return None
    return (key - len(an.uncovered_key_contacts(known, min_strength))) / key * 100


def _since(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The rows of ``frame`` dated in the 12 months up to ``as_of``."""
    since = pd.Timestamp(shift_months(as_of, -12))
    return frame[(frame["date"] > since).fillna(False).to_numpy()]


def _latest_satisfaction(known: AccountData, as_of: dt.date) -> float | None:
    scores = _since(an.satisfaction(known), as_of)
    return None if scores.empty else float(scores["score"].iloc[-1])


def _complaints(known: AccountData, as_of: dt.date) -> float | None:
    # no feedback recorded at all: nothing says there were no complaints
    if known.feedback.empty:
        return None
    return float(len(_since(an.complaints(known, as_of), as_of)))


def _last_contact_days(known: AccountData, as_of: dt.date) -> float | None:
    history = known.history
    dates = pd.concat([known.relationships["last_contact"],
                       history.loc[(history["type"] == "meeting").fillna(False).to_numpy(),
                                   "date"]]).dropna()
    if dates.empty:
        return None
    return float((pd.Timestamp(as_of) - pd.to_datetime(dates).max()).days)


def _history_years(known: AccountData, as_of: dt.date) -> float:
    """Calendar years with revenue, up to the last full year."""
    revenue = an.revenue_by_year(known)
    full = revenue[(revenue["year"] <= last_full_year(as_of)).to_numpy()]
    return float((full["revenue"] > 0).sum())


def _overdue(account: AccountData, as_of: dt.date) -> float | None:
    document = account.document
    if document is None or document.plan is None or not document.plan.actions:
        return None  # no actions: none overdue proves nothing
    return float(action_plan(account, as_of)["overdue"].sum())


def _document_review_days(account: AccountData, as_of: dt.date) -> float | None:
    document = account.document
    reviewed = None if document is None else document.reviewed
    if reviewed is None or reviewed > as_of:
        return None
    return float((as_of - reviewed).days)


def account_metrics(account: AccountData, as_of: dt.date,
                    figures: Mapping[str, object] | None = None,
                    min_strength: int = DEFAULT_MIN_STRENGTH) -> dict[str, float | None]:
    """Every computed criterion of one account as of ``as_of``, by code (see ``METRICS``).

    None where a value cannot be computed: no spend estimate (wallet, its growth, the open
    wallet, the share), no revenue (margin), no revenue in the 12 months before (the trend),
    no satisfaction score in the last 12 months, no feedback at all (complaints), no plan
    or a plan without actions (overdue actions), no recorded contact, no ``reviewed:``
    date. Never a 0 standing in for a missing figure. ``figures``: the
    account's ``key_figures.account_key_figures`` when the caller has them already;
    ``min_strength``: the relationship strength from which a key contact counts as covered.
    """
    known = an.cut_off(account, as_of)
    year = last_full_year(as_of)
    if figures is None:
        figures = account_key_figures(account, as_of)
    spend = an.total_spend(known)
    wallet = _year_value(spend, year, "spend")
    wallet_before = _year_value(spend, year - 1, "spend")
    years = spend["year"].dropna()
    estimate_years = [int(y) for y in years if int(y) <= year]
    growth = _ratio(None if wallet is None or wallet_before is None
                    else wallet - wallet_before, wallet_before)
    share = _number(figures["share"])
    achievement = _number(figures["plan_achievement_pct"])
    values: dict[str, Callable[[], float | None]] = {
        "wallet": lambda: wallet,
        "wallet_growth": lambda: None if growth is None else growth * 100,
        # the share is capped at 1, so this is the wallet less our sales in it, never < 0;
        # no share with a wallet means a wallet of 0
        "open_wallet": lambda: (None if wallet is None
                                else wallet * (1 - share) if share is not None else 0.0),
        "margin": lambda: _number(figures["margin_pct"]),
        "share_of_wallet": lambda: None if share is None else share * 100,
        "relationship_coverage": lambda: key_contact_coverage(known, min_strength),
        "satisfaction": lambda: _latest_satisfaction(known, as_of),
        "history": lambda: _history_years(known, as_of),
        "revenue_trend": lambda: revenue_trend(known, as_of),
        "share_trend": lambda: _number(figures["share_change_pts"]),
        "complaints": lambda: _complaints(known, as_of),
        "plan_progress": lambda: achievement,
        "overdue_actions": lambda: _overdue(account, as_of),
        "last_contact": lambda: _last_contact_days(known, as_of),
        "wallet_age": lambda: (float(year - max(estimate_years)) if estimate_years
                               else None),
        "document_review": lambda: _document_review_days(account, as_of),
    }
    return {code: values[code]() for code in METRICS_BY_CODE}
