"""The plan's objectives (P2): baseline, current value, forecast, progress, and the SMART
check of each letter against the data.

Reason codes (one per letter, the first that applies; NA when the letter holds), for the
labels table to translate:

- specific: ``qualitative_no_metric`` (NA), ``no_metric``, ``unknown_metric``,
  ``unknown_service``, ``unknown_location``, ``scope_not_applicable``;
- measurable: ``qualitative_no_metric`` (NA), ``no_metric``, ``unknown_metric``,
  ``no_target``, ``no_baseline``;
- achievable: ``qualitative_no_metric``, ``no_metric``, ``unknown_metric``, ``no_target``
  (all NA); ``target_below_zero``, ``target_above_100``, ``target_above_scale``,
  ``target_above_services``, ``target_above_wallet`` (with ``wallet`` or
  ``wallet_volume`` and ``wallet_year``), ``growth_above_history`` (with
  ``needed_growth``, ``best_growth``, ``growth_unit``, ``best_growth_year``);
  ``no_wallet_estimate``, ``no_baseline``, ``no_history`` (NA: a check that could not be made);
- relevant: ``no_conclusion``, ``unknown_conclusion``;
- time_bound: ``no_deadline``, ``deadline_outside_period``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kamkit.analysis.as_of import cut_off
from kamkit.analysis.organisation import check_min_strength
from kamkit.analysis.wallet import total_spend
from kamkit.documents import METRICS, SIGNED_METRICS, Objective, Plan, Scope
from kamkit.frames import empty, frame_of, joined
from kamkit.memo import per_account
from kamkit.periods import months, parse_as_of, shift_months
from kamkit.plan._common import as_timestamp, person_names, plan_of, scoped
from kamkit.plan.forecasting import complete_months, last_complete_day, month_end, run_rate
from kamkit.plan.metrics import FLOW_METRICS, LOWER_IS_BETTER, MET_TO_DATE, metric_value
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import AccountData

BASELINE_MONTHS = 12
"""The baseline is the metric over this many months just before the plan period starts."""

LETTERS = ("specific", "measurable", "achievable", "relevant", "time_bound")
"""The SMART letters, as column names."""

_WALLET_METRICS = {"revenue": "wallet", "gross_margin": "wallet",
                   "volume": "wallet_volume"}
_GROWTH_METRICS = frozenset({"revenue", "gross_margin", "volume", "share_of_wallet"})
_NO_SCOPE = {"relationship_coverage": ("service", "location"),
             "satisfaction": ("location",), "complaints": ("location",)}
"""Scope parts a metric cannot measure: contacts have no service or location, feedback
has no location."""

OBJECTIVE_COLUMNS: dict[str, object] = {
    "id": "string", "title": "string", "kind": "string", "metric": "string",
    "unit": "string", "service": "string", "location": "string", "scope": "string",
    "target": "float64", "deadline": "datetime64[s]", "owner": "string",
    "owner_name": "string", "conclusions": "string", "baseline": "float64",
    "current": "float64", "through": "datetime64[s]", "forecast": "float64",
    "progress": "float64",
    "lower_is_better": "bool", "reaches_target": "boolean", "target_met": "boolean",
    "deadline_passed": "bool",
    **{name: kind for letter in LETTERS
       for name, kind in ((letter, "boolean"), (f"{letter}_reason", "string"))},
    "smart": "boolean", "needed_growth": "float64", "best_growth": "float64",
    "growth_unit": "string", "best_growth_year": "Int64", "wallet": "float64",
    "wallet_volume": "float64", "wallet_year": "Int64",
}


@dataclass(frozen=True)
class Check:
    """One letter's verdict: True, False or None (cannot be judged), and why not."""

    ok: bool | None
    reason: str | None = None


_PASS = Check(True)
_SAME = 1e-9  # a target this close to the baseline equals it


def _first(*checks: Check) -> Check:
    """The first failed check, else the first undecided one, else a pass."""
    for wanted in (False, None):
        for check in checks:
            if check.ok is wanted:
                return check
    return _PASS


def _is(value: Any, condition: Callable[[Any], bool], fail: str, unknown: str) -> Check:
    """``condition(value)`` as a check; undecided (``unknown``) when ``value`` is NA."""
    if pd.isna(value):
        return Check(None, unknown)
    return _PASS if condition(value) else Check(False, fail)


@dataclass(frozen=True)
class _Context:
    """What every objective of one plan is judged against."""

    account: AccountData
    plan: Plan
    as_of: dt.date
    services: dict[str, str]
    locations: dict[str, str]
    conclusions: frozenset[str]
    people: dict[str, str]
    min_strength: int


def _metric_check(objective: Objective) -> Check:
    """Whether the objective names a metric kamkit can compute."""
    if objective.metric is None:
        if objective.kind == "qualitative":
            return Check(None, "qualitative_no_metric")
        return Check(False, "no_metric")
    if objective.metric not in METRICS:
        return Check(False, "unknown_metric")
    return _PASS


def _specific(objective: Objective, context: _Context) -> Check:
    scope = objective.scope
    missing = _NO_SCOPE.get(objective.metric or "", ())
    return _first(
        _metric_check(objective),
        _PASS if scope.service in (None, *context.services) else Check(False, "unknown_service"),
        _PASS if scope.location in (None, *context.locations)
        else Check(False, "unknown_location"),
        Check(False, "scope_not_applicable")
        if any(getattr(scope, part) is not None for part in missing) else _PASS,
    )


def _range_checks(metric: str, target: float, context: _Context) -> list[Check]:
    """The target within what the metric can reach at all."""
    checks = [] if metric in SIGNED_METRICS else [
        _PASS if target >= 0 else Check(False, "target_below_zero")]
    if METRICS[metric] == "%":
        checks.append(_PASS if target <= 100 else Check(False, "target_above_100"))
    if metric == "satisfaction":
        checks.append(_PASS if target <= 10 else Check(False, "target_above_scale"))
    if metric == "services_bought":
        checks.append(_PASS if target <= len(context.services)
                      else Check(False, "target_above_services"))
    return checks


def _wallet(account: AccountData, scope: Scope, year: int) -> dict[str, object]:
    """The account's spend estimate in the scope for ``year``, or the latest year before it
    with one: wallet, wallet_volume (NA when the scope mixes services), wallet_year."""
    spend = total_spend(scoped(account, scope), by=("year",))
    spend = spend[(spend["year"] <= year).to_numpy()]
    if spend.empty:
        return {"wallet": np.nan, "wallet_volume": np.nan, "wallet_year": pd.NA}
    last = spend.iloc[-1]
    return {"wallet": last["spend"], "wallet_volume": last["volume"],
            "wallet_year": int(last["year"])}


def growth_unit(metric: str) -> str:
    """How growth of ``metric`` is measured: "pts" (percentage points) for a metric that is
    itself in per cent (a share, a margin %: 40% to 45% is +5 pts, not +12.5%), "%" (of
    the value before) for the others."""
    return "pts" if METRICS.get(metric) == "%" else "%"


def _growth(metric: str, before: float, after: float) -> float:
    """``after`` against ``before`` in ``growth_unit(metric)``; NaN for a growth in % from
    a value that is not above 0."""
    if growth_unit(metric) == "pts":
        return after - before
    return (after / before - 1) * 100 if before > 0 else np.nan


def _best_growth(account: AccountData, metric: str, scope: Scope,
                 before: dt.date) -> tuple[float, object]:
    """The best yearly growth of the metric in the account's history
    (``growth_unit(metric)``), and its year.

    Calendar years from the account's first year of sales to the last one that ends before
    ``before``; growth of a year = value / value of the year before - 1 (in points: value
    minus the value of the year before), skipped when either is NA or (in %) the year
    before is 0. (NaN, NA) when no year has a growth figure.
    """
    first = account.sales["month"].min()
    if pd.isna(first):
        return np.nan, pd.NA
    values = {year: metric_value(account, metric, scope, dt.date(year, 1, 1),
                                 dt.date(year, 12, 31))
              for year in range(first.year, before.year)}
    growth = {year: _growth(metric, values[year - 1], values[year]) for year in values
              if year - 1 in values and pd.notna(values[year]) and pd.notna(values[year - 1])}
    growth = {year: change for year, change in growth.items() if pd.notna(change)}
    if not growth:
        return np.nan, pd.NA
    year = max(growth, key=lambda y: (growth[y], -y))
    return float(growth[year]), year


def _beyond_baseline(objective: Objective, baseline: float) -> Check:
    """The target asks for a change from the baseline in the good direction: not already
    met at the baseline (equal to it), not below it for a metric to raise, nor above it
    for one to lower (complaints)."""
    assert objective.target is not None
    if pd.isna(baseline):
        return _PASS  # measurable says so
    if abs(objective.target - baseline) < _SAME:
        return Check(False, "met_at_baseline")
    if objective.metric in LOWER_IS_BETTER:
        return _PASS if objective.target < baseline else Check(False, "above_baseline")
    return _PASS if objective.target > baseline else Check(False, "below_baseline")


def _growth_check(objective: Objective, baseline: float,
                  context: _Context) -> tuple[Check, dict[str, object]]:
    """The growth the target needs over the baseline against the account's best year,
    both in ``growth_unit`` of the metric."""
    if pd.isna(baseline):
        return Check(None, "no_baseline"), {}
    assert objective.metric is not None and objective.target is not None
    unit = growth_unit(objective.metric)
    if baseline <= 0 and unit == "%":
        return _PASS, {}  # a new service (or a loss): judged on the wallet alone
    needed = _growth(objective.metric, baseline, objective.target)
    if needed <= 0:
        return _PASS, {"needed_growth": needed, "growth_unit": unit}
    best, year = _best_growth(context.account, objective.metric, objective.scope,
                              context.plan.period.start)
    figures = {"needed_growth": needed, "best_growth": best, "growth_unit": unit,
               "best_growth_year": year}
    return _is(best, lambda b: needed <= b, "growth_above_history", "no_history"), figures


def _achievable(objective: Objective, baseline: float,
                context: _Context) -> tuple[Check, dict[str, object]]:
    """The achievable letter, with the figures behind it."""
    figures: dict[str, object] = {"needed_growth": np.nan, "best_growth": np.nan,
                                  "growth_unit": pd.NA, "best_growth_year": pd.NA, "wallet": np.nan,
                                  "wallet_volume": np.nan, "wallet_year": pd.NA}
    metric, target = objective.metric, objective.target
    known = _metric_check(objective)
    if known.ok is not True:
        return Check(None, known.reason), figures
    if target is None:
        return Check(None, "no_target"), figures
    assert metric is not None
    checks = [*_range_checks(metric, target, context), _beyond_baseline(objective, baseline)]
    if metric in _WALLET_METRICS:
        deadline = objective.deadline or context.plan.period.end
        figures.update(_wallet(context.account, objective.scope, deadline.year))
        wallet = figures[_WALLET_METRICS[metric]]
        checks.append(_is(wallet, lambda w: target <= w, "target_above_wallet",
                          "no_wallet_estimate"))
    if metric in _GROWTH_METRICS:
        growth, found = _growth_check(objective, baseline, context)
        figures.update(found)
        checks.append(growth)
    return _first(*checks), figures


def _measurable(objective: Objective, baseline: float) -> Check:
    known = _metric_check(objective)
    if known.ok is not True:
        return known
    if objective.target is None:
        return Check(False, "no_target")
    return Check(False, "no_baseline") if pd.isna(baseline) else _PASS


def _relevant(objective: Objective, context: _Context) -> Check:
    if not objective.conclusions:
        return Check(False, "no_conclusion")
    if not context.conclusions.intersection(objective.conclusions):
        return Check(False, "unknown_conclusion")
    return _PASS


def _time_bound(objective: Objective, plan: Plan) -> Check:
    if objective.deadline is None:
        return Check(False, "no_deadline")
    if not plan.period.start <= objective.deadline <= plan.period.end:
        return Check(False, "deadline_outside_period")
    return _PASS


def _progress(expected: float, baseline: float, target: float | None, lower: bool) -> float:
    """Share of the way from baseline to target; NA when the target is not beyond the
    baseline in the good direction (or a figure is missing)."""
    if target is None or pd.isna(expected) or pd.isna(baseline):
        return np.nan
    gap = target - baseline
    if gap == 0 or (gap > 0) == lower:
        return np.nan
    return (expected - baseline) / gap + 0.0  # + 0.0: no -0.0


def _values(objective: Objective, context: _Context) -> dict[str, float]:
    """Baseline, current (to date) and, for flow metrics, forecast of a computable metric."""
    metric, scope, plan, as_of = objective.metric, objective.scope, context.plan, context.as_of
    start, end = plan.period.start, plan.period.end
    through = last_complete_day(start, end, as_of)
    values = {"baseline": np.nan, "current": np.nan, "forecast": np.nan}
    if _metric_check(objective).ok is not True:
        return values
    assert metric is not None

    def value(first: dt.date, last: dt.date) -> float:
        return metric_value(context.account, metric, scope, first, last,
                            context.min_strength)

    values["baseline"] = value(shift_months(start, -BASELINE_MONTHS),
                               start - dt.timedelta(days=1))
    if through is not None:
        values["current"] = value(start, through)
    horizon = objective.deadline or end
    if metric in FLOW_METRICS and start <= horizon:
        values["forecast"] = run_rate(context.account, metric, start, horizon, as_of,
                                      scope).forecast
    return values


def _beyond(value: float, target: float | None, lower: bool) -> Any:
    """Whether ``value`` is at or beyond ``target`` in the good direction; NA without
    either."""
    if target is None or pd.isna(value):
        return pd.NA
    return bool(value <= target if lower else value >= target)


def _target_met(objective: Objective, values: dict[str, float], lower: bool,
                context: _Context) -> Any:
    """Whether the target is met for what the objective says: its metric over the plan
    period from its start to the deadline (the period end without one).

    Judged on the complete months of that window (``complete_months``). Once they all
    have ended, on the value over the whole window; before, only a metric of
    ``MET_TO_DATE`` can be met (its value to date reached the target), any other is not
    met yet (False). NA without a target or a value, before a month of the window has
    ended, or for a deadline before the period starts.
    """
    metric, start = objective.metric, context.plan.period.start
    horizon = objective.deadline or context.plan.period.end
    if objective.target is None or _metric_check(objective).ok is not True or horizon < start:
        return pd.NA
    assert metric is not None
    done = complete_months(start, horizon, context.as_of)
    if not len(done):
        return pd.NA
    through = month_end(done[-1])
    value = (values["current"] if through == last_complete_day(
        start, context.plan.period.end, context.as_of)
        else metric_value(context.account, metric, objective.scope, start, through,
                          context.min_strength))
    reached = _beyond(value, objective.target, lower)
    if len(done) == len(months(start, horizon)) or reached is pd.NA:
        return reached
    return bool(reached) and metric in MET_TO_DATE


def _row(objective: Objective, context: _Context) -> dict[str, object]:
    scope = objective.scope
    values = _values(objective, context)
    lower = objective.metric in LOWER_IS_BETTER
    expected = values["forecast" if objective.metric in FLOW_METRICS else "current"]
    target = objective.target
    achievable, figures = _achievable(objective, values["baseline"], context)
    letters = {
        "specific": _specific(objective, context),
        "measurable": _measurable(objective, values["baseline"]),
        "achievable": achievable,
        "relevant": _relevant(objective, context),
        "time_bound": _time_bound(objective, context.plan),
    }
    verdicts = {name: check.ok for name, check in letters.items()}
    scope_names = [name for name in (context.services.get(scope.service or ""),
                                     context.locations.get(scope.location or "")) if name]
    return {
        "id": objective.id, "title": objective.title, "kind": objective.kind,
        "metric": objective.metric, "unit": METRICS.get(objective.metric or ""),
        "service": scope.service, "location": scope.location, "scope": joined(scope_names),
        "target": target, "deadline": as_timestamp(objective.deadline),
        "owner": objective.owner, "owner_name": context.people.get(objective.owner or ""),
        "conclusions": joined(objective.conclusions),
        **values, "through": as_timestamp(last_complete_day(
            context.plan.period.start, context.plan.period.end, context.as_of)),
        "progress": _progress(expected, values["baseline"], target, lower),
        "lower_is_better": lower, "reaches_target": _beyond(expected, target, lower),
        "target_met": _target_met(objective, values, lower, context),
        "deadline_passed": objective.deadline is not None and objective.deadline < context.as_of,
        **{key: value for name, check in letters.items()
           for key, value in ((name, check.ok), (f"{name}_reason", check.reason))},
        "smart": (False if False in verdicts.values()
                  else True if all(verdicts.values()) else None),
        **figures,
    }


@per_account
def objective_status(account: AccountData, as_of: dt.date | str,
                     min_strength: int = DEFAULT_MIN_STRENGTH) -> pd.DataFrame:
    """Each objective of the plan with its figures and its SMART check (P2).

    The account is first cut off at ``as_of`` (``analysis.cut_off``): nothing later counts.
    Figures, in the metric's unit (see ``metric_value``; "%" metrics in per cent):

    - ``baseline``: the metric over the 12 months before the plan period starts (a plan
      for 2026 is measured against 2025). Relationship coverage has no history (the
      relationships are a snapshot): its baseline is its current value;
    - ``current``: the metric to date, over the complete months from the period start to
      ``through`` (the end of the last month that has ended on ``as_of``: the running
      month is left out; the period end when ``as_of`` is later; NA before a month of the
      period has ended). Every metric alike: revenue, margin, volume and complaints summed
      over those months; shares, margins and scores over the same months (a share of
      wallet against the months' part of the yearly spend estimate);
    - ``forecast``, flow metrics only (revenue, gross margin, volume, complaints): to the
      deadline (the period end without one) by ``forecasting.run_rate``, the forecast P5
      and the key figures use too; once the deadline has passed it is the actual value
      from the start to the deadline;
    - ``progress``: ``(expected - baseline) / (target - baseline)`` with ``expected`` the
      forecast for flow metrics and the current value otherwise; 1.0 = target reached,
      above 1 beyond it; NA when the target does not lie beyond the baseline in the good
      direction (above it; below it for complaints, ``lower_is_better``);
    - ``reaches_target``: ``expected`` at or beyond the target (NA without either): on
      course to meet it;
    - ``target_met``: the target met for what the objective says, the metric over the
      window from the period start to the deadline (the period end without one), on its
      complete months: once they have all ended, the window's value at or beyond the
      target; before, only a metric to raise that grows as months pass
      (``metrics.MET_TO_DATE``: revenue, gross margin, volume, services bought) whose
      value to date reached it; any other is not met yet (False): a month's share or
      score is not the year's, complaints can still come. NA without a target or a
      value, or before a month of the window has ended.

    SMART, each letter True, False or NA (cannot be judged), with a ``*_reason`` code
    (NA when the letter holds; see the module docstring):

    - specific: a known metric, a scope whose service and location exist and that the
      metric can measure (feedback has no location, contacts neither);
    - measurable: a numeric target and a baseline that can be computed;
    - achievable: the target within the metric's range (>= 0, % <= 100, score <= 10,
      services <= services offered); beyond the baseline in the good direction
      (``met_at_baseline`` when equal to it, ``below_baseline`` for a metric to raise,
      ``above_baseline`` for complaints: a target the account already meets asks for
      nothing); for revenue and gross margin at most the wallet
      (the spend estimate in scope of the deadline's year, or the latest year before it),
      for volume at most the estimated volume; for revenue, gross margin, volume and share
      the growth needed over the baseline (``needed_growth``) not above the best
      yearly growth in the account's own history of that metric in scope, full calendar
      years before the period (``best_growth``), both in ``growth_unit``: percentage
      points for a metric in % (share of wallet), else % of the value before. A
      revenue, margin or volume baseline of 0 (a new service) is judged on the wallet
      alone; a target at or below the baseline needs no growth;
    - relevant: linked to at least one existing strategic conclusion;
    - time_bound: a deadline inside the plan period.

    Relationship coverage counts a contact from relationship strength ``min_strength``
    (1-5, default 3 "regular working contact"; see ``analysis.coverage_by_level``).

    A qualitative objective with a metric is checked as a quantitative one; without a
    metric, S, M and A are NA (``qualitative_no_metric``). ``smart`` is False when a
    letter is False, True when all hold, else NA.

    Parameters
    ----------
    account
        One account's data.
    as_of
        The date the figures run to (a date, "2026-09-30" or "2026Q3").
    min_strength
        The relationship strength from which a contact counts as covered (1-5).

    Returns
    -------
    DataFrame
        One row per objective in plan order, columns ``OBJECTIVE_COLUMNS``: ``id``,
        ``title``, ``kind``, ``metric``, ``unit``, ``service``, ``location``, ``scope``
        (service and location names, "" for the whole account), ``target``, ``deadline``,
        ``owner``, ``owner_name``, ``conclusions`` (ids, comma-separated), ``baseline``,
        ``current``, ``through`` (the last day ``current`` covers; NaT before any),
        ``forecast``, ``progress``, ``lower_is_better``, ``reaches_target``, ``target_met``,
        ``deadline_passed`` (deadline before ``as_of``), the five letters and their
        ``*_reason``, ``smart``, ``needed_growth``, ``best_growth``,
        ``growth_unit`` ("%" or "pts"), ``best_growth_year``, ``wallet``,
        ``wallet_volume``, ``wallet_year``. Empty with these columns when the account has no plan.
    """
    plan = plan_of(account)
    if plan is None or not plan.objectives:
        return empty(OBJECTIVE_COLUMNS)
    assert account.document is not None
    day = parse_as_of(as_of)
    context = _Context(
        account=cut_off(account, day), plan=plan, as_of=day,
        services=dict(zip(account.services["service"], account.services["name"],
                          strict=True)),
        locations=dict(zip(account.locations["location"], account.locations["name"],
                           strict=True)),
        conclusions=frozenset(c.id for c in account.document.analysis.conclusions),
        people=person_names(account),
        min_strength=check_min_strength(min_strength),
    )
    rows = [_row(objective, context) for objective in plan.objectives]
    # built at once (``frame_of``): a frame of the rows cast column by column took as long
    # as the rows' figures
    return frame_of({name: [row[name] for row in rows] for name in OBJECTIVE_COLUMNS},
                    OBJECTIVE_COLUMNS)
