"""Findings of the account plan report (P1-P5), from the frames of ``kamkit.plan``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kamkit import formatting as fmt
from kamkit.currency import MONEY
from kamkit.findings.analysis import holder_phrase
from kamkit.labels import counted, t, words
from kamkit.locale import for_language
from kamkit.periods import months
from kamkit.plan import LETTERS, complete_months
from kamkit.plan.forecasting import month_end
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.units import figure

MAX_LISTED = 3
"""How many objectives, actions or contacts a sentence names before it says "and N more"."""


def listed(items: list[str], language: str) -> str:
    """``a, b, c`` or ``a, b, c and 2 more``."""
    if len(items) <= MAX_LISTED:
        return ", ".join(items)
    return t("find.more", language, items=", ".join(items[:MAX_LISTED]),
             count=len(items) - MAX_LISTED)


def metric_text(value: object, unit: object, language: str) -> str:
    """An objective's figure in its unit: EUR in full (a target and a baseline may lie
    close together), % with one decimal, other units (scores, counts) with one decimal or
    the one or two more they have (6.95: ``kamkit.units.figure``, as the P2 table); a
    figure without a unit yet (an objective still being typed) as a number."""
    unit = unit if isinstance(unit, str) else ""
    if unit == MONEY:
        return fmt.amount(value, language)
    if unit == "%":
        return fmt.per_cent(value, language, 1)
    return figure(value, "", language, exact=True)


def _points(value: object, language: str, decimals: int) -> str:
    """A size in percentage points without a sign ("6.4 pts"); the sentence says the
    direction."""
    if pd.isna(value):
        return fmt.number(None, language)
    return f"{fmt.number(value, language, decimals)} {for_language(language).points}"


def _growth_reason(row: pd.Series) -> tuple[str, float | None]:
    """The label of ``growth_above_history`` in the objective's growth unit (a gain in
    points for a share, growth in % for revenue), said as a loss when even the best year
    fell; with the best year's growth to show (its size when a loss)."""
    best = row.get("best_growth")
    points = _in_points(row)
    key = "gain_above_history" if points else "growth_above_history"
    if pd.notna(best) and best < 0:
        return f"{key}_fell", -float(best)
    return key, best


def _in_points(row: pd.Series) -> bool:
    """Whether the row's growth is in percentage points; its unit is missing (NA) where
    no growth was judged (a letter that failed for another reason)."""
    unit = row.get("growth_unit")
    return isinstance(unit, str) and unit == "pts"


def reason(row: pd.Series, letter: str, language: str) -> str:
    """Why a SMART letter failed, with the figures behind it."""
    code = row[f"{letter}_reason"]
    unit = row.get("unit")
    best = row.get("best_growth")
    if code == "growth_above_history":
        code, best = _growth_reason(row)
    size = _points if _in_points(row) else fmt.per_cent
    return t(f"smart.reason.{code}", language,
             needed=size(row.get("needed_growth"), language, 1),
             best=size(best, language, 1),
             wallet=fmt.amount_short(row.get("wallet"), language),
             target=metric_text(row.get("target"), unit, language),
             baseline=metric_text(row.get("baseline"), unit, language))


def objectives(status: pd.DataFrame, language: str) -> list[str]:
    """P2: how many objectives are SMART, and what is wrong with the others."""
    if status.empty:
        return [t("find.p2.none", language)]
    quantitative = status[status.kind == "quantitative"]
    smart = quantitative["smart"].fillna(False).astype(bool)
    out = [t("find.p2.count", language, count=len(status), quantitative=len(quantitative),
             smart=int(smart.sum()))]
    for _, row in quantitative[~smart].head(MAX_LISTED).iterrows():
        failed = [letter for letter in LETTERS
                  if pd.notna(row[letter]) and not bool(row[letter])]
        if not failed:
            continue
        out.append(t("find.p2.not_smart", language, id=row.id,
                     letters=", ".join(words(failed, "smart.letter.", language)),
                     reason=reason(row, failed[0], language)))
    met = status[status.target_met.fillna(False).astype(bool)]
    if not met.empty:
        out.append(t("find.p2.met", language, ids=listed(list(met.id), language)))
    return out


def product_mix(mix: pd.DataFrame, language: str) -> list[str]:
    """P3 product/service mix: the largest room to cross-sell and to deep-sell."""
    out = []
    for room in ("cross selling", "deep selling"):
        rows = mix[mix.room == room]
        if rows.empty:
            continue
        top = rows.iloc[0]
        out.append(t(f"find.p3.{room.replace(' ', '_')}", language, service=top.service_name,
                     location=top.location_name, open=fmt.amount_short(top.open_spend, language),
                     holder=holder_phrase(top.main_holder, top.main_holder_name, language),
                     cells=counted("cells", len(rows), language),
                     total=fmt.amount_short(rows.open_spend.sum(), language)))
    return out or [t("find.p3.no_room", language)]


def price_mix(prices: pd.DataFrame, year: int, language: str) -> list[str]:
    """P3 price mix: services below the margin policy in the latest year shown (the
    services sold in it: one not sold that year is no service within its policy)."""
    latest = prices[(prices.year == year) & prices.revenue.ne(0)]
    if latest.empty:
        return [t("find.p3.no_prices", language, year=year)]
    below = latest[latest.below_policy.fillna(False).astype(bool)]
    # sold, but the margin is not known (empty in sales.csv): the policy cannot be checked
    unknown = latest[latest.gross_margin.isna()]
    out = [t("find.p3.below_policy", language, year=year, service=row.service_name,
             margin=fmt.per_cent(row.margin_pct, language, 1),
             policy=fmt.per_cent(row.min_margin_pct, language))
           for row in below.itertuples()]
    if not unknown.empty:
        out.append(t("find.p3.margin_unknown", language, year=year,
                     services=listed(list(unknown.service_name), language)))
    return out or [t("find.p3.within_policy", language, year=year)]


def relationships(gaps: pd.DataFrame, language: str,
                  min_strength: int = DEFAULT_MIN_STRENGTH, *, contacts: int) -> list[str]:
    """P3 relationship mix: levels and departments where nobody of ours has a relationship
    of at least ``min_strength`` (as ``gaps`` was computed with). ``contacts`` is how many
    contacts the account has: without any, no gaps means nothing is known, not covered."""
    if not contacts:
        return [t("find.a8.none", language)]
    if gaps.empty:
        return [t("find.p3.covered", language, strength=min_strength,
                  name=t(f"strength.{min_strength}", language))]
    uncovered = int(gaps.uncovered.sum())
    places = [f"{d} ({t('level.' + lvl, language)})" for lvl, d in
              zip(gaps.level, gaps.department, strict=True)]
    return [t("find.p3.gaps", language, count=uncovered, places=listed(places, language),
              strength=min_strength)]


def team(gaps: pd.DataFrame, language: str, *, members: int, strategic: int) -> list[str]:
    """P3 account team: strategic contacts without an owner, mismatched levels.

    ``members`` is how many rows the plan's team has (``plan.team_match``), ``strategic``
    how many strategic contacts the account has: without either, no gaps proves nothing."""
    if not members:
        return [t("find.p3.team.no_team", language)]
    if strategic and gaps.empty:
        return [t("find.p3.team_ok", language)]
    out = [] if strategic else [t("find.p3.team.no_strategic", language)]
    for gap, rows in gaps.groupby("gap", sort=False):
        out.append(t(f"find.p3.team.{gap}", language, count=len(rows),
                     contacts=listed(list(rows.contact_name), language)))
    return out


def actions(plan: pd.DataFrame, without: pd.DataFrame, language: str) -> list[str]:
    """P4: what is overdue, due soon, unowned, and which objectives have no action."""
    if plan.empty:
        return [t("find.p4.none", language)]
    counts = plan.horizon.value_counts()
    out = [t("find.p4.count", language, count=len(plan),
             overdue=int(counts.get("overdue", 0)),
             weeks=int(counts.get("next 3 weeks", 0)),
             months=int(counts.get("next 3 months", 0)))]
    overdue = plan[plan.overdue.fillna(False).astype(bool)]
    if not overdue.empty:
        out.append(t("find.p4.overdue", language, ids=listed(list(overdue.id), language)))
    unowned = plan[plan.no_owner.fillna(False).astype(bool)]
    if not unowned.empty:
        out.append(t("find.p4.no_owner", language, ids=listed(list(unowned.id), language)))
    if not without.empty:
        out.append(t("find.p4.no_action", language, ids=listed(list(without.id), language)))
    return out


def nothing_to_measure(start: dt.date, end: dt.date, as_of: dt.date,
                       language: str) -> str | None:
    """Why a plan of the period ``start``-``end`` has nothing to measure on ``as_of``: it
    has not started, or its first month has not ended (``complete_months``: the running
    month is left out); None once a month of it has ended."""
    if len(complete_months(start, end, as_of)):
        return None
    if as_of < start:
        return t("find.plan.not_started", language, date=fmt.date(start, language))
    return t("find.plan.first_month", language,
             date=fmt.date(month_end(months(start, end)[0]), language))


def monitoring(fc: pd.DataFrame, language: str, waiting: str | None = None) -> list[str]:
    """P5: per measure, actual against plan to date, forecast and status; ``waiting``
    (``nothing_to_measure``): the targets, and why there is nothing to measure yet."""
    rows = fc.dropna(subset=["target"])
    if rows.empty:
        return [t("find.p5.none", language)]
    if waiting:  # no actual, forecast or status yet: said in words, not as n/a figures
        return [t("find.p5.measure.without_forecast", language,
                  measure=t(f"measure.{row.measure}", language),
                  target=fmt.amount_short(row.target, language), why=waiting)
                for row in rows.itertuples()]
    out = []
    for row in rows.itertuples():
        if row.months_elapsed and pd.isna(row.actual_to_date):
            # an actual that is not known (an empty gross margin): said so, not n/a figures
            out.append(t("find.p5.actual_unknown", language,
                         measure=t(f"measure.{row.measure}", language)))
            continue
        status = (t(f"status.{row.status}", language) if isinstance(row.status, str)
                  else t("word.unknown", language))
        actual, planned = fmt.amount_pair_short(row.actual_to_date, row.target_to_date,
                                                language)
        forecast, target = fmt.amount_pair_short(row.forecast, row.target, language)
        out.append(t("find.p5.measure", language,
                     measure=t(f"measure.{row.measure}", language), actual=actual,
                     planned=planned,
                     achieved=fmt.per_cent(row.achievement_to_date_pct, language),
                     forecast=forecast, target=target, status=status))
    return out


def reconciliation(rows: pd.DataFrame, language: str, waiting: str | None = None
                   ) -> list[str]:
    """P2 and P5: where an objective targets what P5 monitors, whether their targets agree
    (``plan.reconcile_targets``); both share one forecast, or with ``waiting``
    (``nothing_to_measure``) will once there is one."""
    out = []
    for row in rows.itertuples():
        values = {"id": row.id, "measure": t(f"measure.{row.measure}", language).lower(),
                  "objective": fmt.amount_short(row.objective_target, language),
                  "plan": fmt.amount_short(row.plan_target, language),
                  "difference": fmt.amount_short(abs(row.difference), language),
                  "source": t(f"find.reconcile.source.{row.plan_target_source}", language),
                  "forecast": fmt.amount_short(row.forecast, language), "why": waiting}
        key = ("same" if abs(row.difference) < 0.5
               else "below" if row.difference > 0 else "above")
        suffix = ".without_forecast" if waiting else ""
        out.append(t(f"find.reconcile.{key}{suffix}", language, **values))
    return out
