"""Findings of the portfolio report: the portfolio's totals, the accounts that need attention
first and why, plan status across accounts, prospects and what changed since the previous
quarter's snapshot. Pure functions from the frames of ``kamkit.report.portfolio_data`` and
``kamkit.portfolio`` to sentences."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamkit import formatting as fmt
from kamkit.currency import MONEY
from kamkit.findings.plan import listed
from kamkit.labels import counted, t, words
from kamkit.locale import for_language
from kamkit.units import measured

ATTENTION_LISTED = 5
"""How many accounts the attention list names."""
HEALTH_LOW = 50.0
"""A health score below this needs attention."""
HEALTH_DROP = 5.0
"""A health score that fell by this many points since last quarter needs attention."""
SHARE_DROP_PTS = -1.0
"""A share of wallet that fell by this many points on the year before needs attention."""


def _number(value: object) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)  # type: ignore[arg-type]


def totals(table: pd.DataFrame, revenue: pd.DataFrame, year: int, language: str) -> list[str]:
    """How many accounts, their revenue, wallet and share, the year to date, plan status."""
    keys = table[table["status"] == "key_account"]
    out = [t("find.pf.count", language, count=len(keys),
             prospects=int((table["status"] == "prospect").sum()))]
    rows = revenue.set_index("year") if not revenue.empty else revenue
    if year in rows.index:
        wallet = keys["wallet"].sum(min_count=1)
        ours = keys["revenue"].sum(min_count=1)
        out.append(t("find.pf.revenue", language, year=year,
                     revenue=fmt.amount_short(rows.at[year, "revenue"], language),
                     growth=fmt.growth(rows.at[year, "growth_pct"], language),
                     wallet=fmt.amount_short(wallet, language),
                     share=fmt.share(ours / wallet if wallet else None, language)))
    if year + 1 in rows.index:
        out.append(t("find.pf.to_date", language, year=year + 1,
                     revenue=fmt.amount_short(rows.at[year + 1, "revenue"], language)))
    out.append(_plan_statuses(keys, language))
    return out


def _plan_statuses(keys: pd.DataFrame, language: str) -> str:
    """The key accounts' plans by status; those without a revenue target and accounts
    without a plan (no objective, no open action, as ``plans`` counts them) said apart."""
    planned = keys["objectives"] + keys["actions_open"] > 0
    if not planned.any():
        return t("find.pf.no_key_plans", language)
    with_plan = keys[planned.to_numpy()]
    statuses = with_plan["plan_status"].value_counts()
    missing = for_language(language).missing
    without_target = int(with_plan["plan_status"].isna().sum())
    without_plan = int((~planned).sum())
    return t("find.pf.plans", language, on=int(statuses.get("on_track", 0)),
             risk=int(statuses.get("at_risk", 0)), off=int(statuses.get("off_track", 0)),
             none=without_target or missing,
             without_plan=counted("accounts", without_plan, language) if without_plan
             else missing)


def _reasons(row: pd.Series, health_change: float | None,
             language: str) -> list[tuple[int, str]]:
    """(weight, phrase) of every reason an account needs attention."""
    out: list[tuple[int, str]] = []
    if row.get("plan_status") in ("off_track", "at_risk"):
        out.append((3 if row["plan_status"] == "off_track" else 2,
                    t(f"find.pf.why.{row['plan_status']}", language,
                      achieved=fmt.per_cent(row.get("plan_achievement_pct"), language))))
    overdue = int(row.get("actions_overdue") or 0)
    if overdue:
        out.append((2, t("find.pf.why.overdue", language, count=overdue)))
    health = _number(row.get("health"))
    if health_change is not None and health_change <= -HEALTH_DROP:
        out.append((2, t("find.pf.why.health_fell", language,
                         change=counted("points", abs(health_change), language),
                         health=fmt.number(health, language))))
    elif health is not None and health < HEALTH_LOW:
        weakest = row.get("weakest")
        out.append((2, t("find.pf.why.health_low", language, health=fmt.number(health, language),
                         weakest=words([weakest], "criterion.", language)[0]
                         if isinstance(weakest, str) else "–")))
    share = _number(row.get("share_change_pts"))
    if share is not None and share <= SHARE_DROP_PTS:
        out.append((1, t("find.pf.why.share", language, change=fmt.points(share, language, 1))))
    growth = _number(row.get("revenue_growth_pct"))
    if growth is not None and growth < 0:
        out.append((1, t("find.pf.why.revenue", language, growth=fmt.growth(growth, language))))
    return out


@dataclass(frozen=True)
class Flagged:
    """A key account that needs attention, and why (the weightiest reason first)."""

    account_id: str
    name: str
    kam: str
    reasons: tuple[str, ...]


def flagged(table: pd.DataFrame, health_changes: dict[str, float], language: str,
            limit: int = ATTENTION_LISTED) -> list[Flagged]:
    """The key accounts that need attention first, most reasons (by weight) first;
    ``health_changes`` is account id -> health points since last quarter (empty without a
    previous snapshot)."""
    scored = []
    for _, row in table[table["status"] == "key_account"].iterrows():
        reasons = _reasons(row, health_changes.get(str(row["account_id"])), language)
        if reasons:
            weight = sum(w for w, _ in reasons)
            scored.append((-weight, _number(row.get("health")) or 0.0, row, reasons))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [Flagged(str(row["account_id"]), str(row["name"]),
                    fmt.name(row["kam_name"], language),
                    tuple(phrase for _, phrase in sorted(reasons, key=lambda r: -r[0])))
            for _, _, row, reasons in scored[:limit]]


def attention_sentence(account: Flagged, language: str) -> str:
    """"Name (KAM name): reason; reason." """
    return t("find.pf.attention", language, name=account.name, kam=account.kam,
             reasons="; ".join(account.reasons))


def attention(table: pd.DataFrame, health_changes: dict[str, float], language: str,
              limit: int = ATTENTION_LISTED) -> list[tuple[str, str]]:
    """The accounts of ``flagged`` as (account id, sentence)."""
    return [(account.account_id, attention_sentence(account, language))
            for account in flagged(table, health_changes, language, limit)]


def plans(table: pd.DataFrame, language: str) -> list[str]:
    """Objectives on track and actions overdue across the accounts' plans."""
    with_plan = table[table["objectives"] + table["actions_open"] > 0]
    if with_plan.empty:
        return [t("find.pf.no_plans", language)]
    overdue = with_plan[with_plan["actions_overdue"] > 0]
    out = [t("find.pf.objectives", language, on=int(with_plan["objectives_on_track"].sum()),
             count=int(with_plan["objectives"].sum()),
             plans=counted("plans", len(with_plan), language))]
    out.append(t("find.pf.overdue", language, count=int(with_plan["actions_overdue"].sum()),
                 accounts=counted("accounts", len(overdue), language),
                 names=listed(list(overdue["name"]), language))
               if not overdue.empty else t("find.pf.none_overdue", language))
    return out


def _criterion_value(code: object, value: object, unit: object, language: str) -> str:
    if not isinstance(code, str):  # no criterion scored (pd.NA): no reason to name
        return for_language(language).missing
    name = words([code], "criterion.", language)[0]
    shown = fmt.amount_short(value, language) if unit == MONEY else measured(value, unit, language)
    return f"{name} ({shown})"


def prospects(ranked: pd.DataFrame, language: str) -> list[str]:
    """Per prospect, in rank order: its potential and why, and where to build first."""
    if ranked.empty:
        return [t("find.pf.no_prospects", language)]
    return [t("find.pf.prospect", language, rank=int(row["rank"]), name=row["name"],
              score=fmt.number(row["attractiveness"], language),
              wallet=fmt.amount_short(row["open_wallet"], language),
              reason=_criterion_value(row["reason"], row["reason_value"], row["reason_unit"],
                                      language),
              gap=_criterion_value(row["gap"], row["gap_value"], row["gap_unit"], language))
            for _, row in ranked.iterrows()]


MOVED = {"health": 1.0, "attractiveness": 1.0, "position": 1.0, "share": 0.005,
         "revenue_12m": 0.01}
"""The least change a figure's sentence names: points of health or score, a share's
fraction, and for revenue a fraction of what it was."""

GOALPOSTS = ("objective_retargeted", "objective_redated", "action_redated")
"""Changes that move a plan's goalposts: named in every account's changes."""


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def change_value(change: str, value: object, language: str, short: bool = True) -> str:
    """A value of a change (``before`` or ``after`` of ``kamkit.portfolio.changes``) as
    the report writes it: an amount (rounded as in a sentence, in full when not
    ``short``), share, score, status, quadrant, date or target; "–" missing."""
    if _missing(value):
        return "–"
    if change in ("revenue_12m", "revenue"):
        return fmt.amount_short(value, language) if short else fmt.amount(value, language)
    if change == "share":
        return fmt.share(value, language, 1)
    if change in ("health", "attractiveness", "position", "plan_achievement_pct"):
        return fmt.number(value, language)
    if change == "plan_status":
        return t(f"status.{value}", language)
    if change == "quadrant":
        return t(f"quadrant.{value}", language)
    if change in ("objective_redated", "action_redated", "action_overdue"):
        return fmt.date(value, language)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.number(value, language)  # a target
    return str(value)


def change_name(change: str, subject: object, language: str) -> str:
    """What changed, in words: "revenue last 12 months", "objective OB2 re-targeted"
    (the label ``change.<code>``)."""
    if change == "health_component" and isinstance(subject, str):
        subject = words([subject], "criterion.", language)[0]
    return t(f"change.{change}", language, subject="" if _missing(subject) else subject)


SAID = (*MOVED, "plan_status", "quadrant", *GOALPOSTS, "action_overdue", "action_new",
        "action_closed", "objective_new", "objective_removed", "action_removed")
"""The changes the reports tell: figures that moved (``MOVED``), a plan status or quadrant
that is another, and the plan's commitments."""

_FROM_TO = ("health", "share", "attractiveness", "position", "plan_status", "quadrant",
            *GOALPOSTS)
"""Changes told with their values before and after."""


def told_changes(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one account's changes (``kamkit.portfolio.changes``) the reports tell:
    a figure that moved at least ``MOVED``, a plan status or quadrant that is another, and
    every change of the plan's commitments, in ``rows``' order."""
    told = []
    for row in rows.itertuples():
        change = str(row.change)
        delta = _number(row.delta)
        if change in MOVED:
            told.append(delta is not None and abs(delta) >= MOVED[change] * (
                abs(_number(row.before) or 0.0) if change == "revenue_12m" else 1.0))
        elif change in ("plan_status", "quadrant"):
            told.append(not (_missing(row.before) or _missing(row.after))
                        and row.before != row.after)
        else:
            told.append(change in SAID)
    return rows[told]


def account_changes(rows: pd.DataFrame, language: str) -> list[str]:
    """What changed for one account (its rows of ``kamkit.portfolio.changes``), the figures
    that moved first, then plan changes (``told_changes``); nothing when nothing moved."""
    out = []
    for row in told_changes(rows).itertuples():
        change = str(row.change)
        what = change_name(change, row.subject, language)
        before, after = (change_value(change, row.before, language),
                         change_value(change, row.after, language))
        if before == after:  # rounded alike ("EUR 3.5m → EUR 3.5m"): in full
            before, after = (change_value(change, row.before, language, short=False),
                             change_value(change, row.after, language, short=False))
        if change == "revenue_12m":
            delta, was = _number(row.delta), _number(row.before)
            growth = fmt.growth(delta / was * 100, language) if delta is not None and was \
                else "–"
            out.append(t("find.change.grew", language, what=what, before=before, after=after,
                         growth=growth))
        elif change in _FROM_TO:
            out.append(t("find.change.moved", language, what=what, before=before,
                         after=after))
        else:
            out.append(what)
    return out
