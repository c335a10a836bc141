"""The frames the portfolio report shows, gathered for a workbook as of a date: per
account its key figures, place in the portfolio matrix, health, plan status and actions,
and the revenue of the portfolio per year. The scores, health and snapshots are computed
by ``kamkit.portfolio``; this only puts them side by side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from kamkit import analysis as an
from kamkit import plan as pl
from kamkit import portfolio as pf
from kamkit.batch.layout import previous_quarter, snapshot_path
from kamkit.frames import total_if_known
from kamkit.key_figures import account_key_figures
from kamkit.periods import last_full_year, quarter_of
from kamkit.portfolio import DEFAULT_STATUSES
from kamkit.portfolio.assess import measure
from kamkit.workbook import AccountData, Workbook


def _objectives_on_track(status: pd.DataFrame) -> tuple[int, int]:
    """(quantitative objectives, those whose forecast reaches the target or that are met)."""
    rows = status[status["kind"] == "quantitative"]
    if rows.empty:
        return 0, 0
    on_track = rows["target_met"].fillna(False) | rows["reaches_target"].fillna(False)
    return len(rows), int(on_track.sum())


def plan_row(account: AccountData, as_of: dt.date) -> dict[str, int]:
    """One account's plan across the portfolio: quantitative objectives and those on track,
    open and overdue actions (all 0 without a plan); ``account`` is cut off at ``as_of``."""
    objectives = on_track = actions = overdue = 0
    if account.document is not None and account.document.plan is not None:
        objectives, on_track = _objectives_on_track(pl.objective_status(account, as_of))
        plan = pl.action_plan(account, as_of)
        actions = int((plan["horizon"] != "done").sum())
        overdue = int(plan["overdue"].fillna(False).astype(bool).sum())
    return {"objectives": objectives, "objectives_on_track": on_track,
            "actions_open": actions, "actions_overdue": overdue}


def plan_rows(workbook: Workbook, as_of: dt.date,
              account_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """``plan_row`` of each of ``account_ids``, cut off at ``as_of``."""
    return {account_id: plan_row(an.cut_off(workbook.account(account_id), as_of), as_of)
            for account_id in account_ids}


def portfolio_ids(workbook: Workbook, kam: str | None = None,
                  statuses: Sequence[str] = DEFAULT_STATUSES) -> list[str]:
    """The accounts of the portfolio (of one KAM when given), in workbook order."""
    table = workbook.accounts
    table = table[table["status"].isin(list(statuses)).to_numpy()]
    if kam:
        table = table[(table["kam"] == kam).to_numpy()]
    return list(table["account_id"])


def portfolio_table(workbook: Workbook, as_of: dt.date,
                   account_ids: Sequence[str]) -> pd.DataFrame:
    """Every account of ``account_ids`` with its place in the matrix
    (``kamkit.portfolio.matrix``, scored over the whole portfolio), health
    (``health_summary``), key figures, KAM's name and plan (``plan_row``), in that order.
    """
    placed = pf.matrix(workbook, as_of).set_index("account_id")
    health = pf.health_summary(portfolio_health(workbook, as_of)).set_index("account_id")
    # the key figures the matrix's measurement computed already (of the same account as of
    # the same day: ``account_key_figures`` cuts the account off itself), and the plans
    # where a run's measurement has them (computed as below, in its measuring processes)
    measurement = measure(workbook, as_of)
    measured, plans = measurement.figures, measurement.plans
    names = dict(zip(workbook.team["person_id"], workbook.team["name"], strict=True))
    rows = []
    for account_id in account_ids:
        account = an.cut_off(workbook.account(account_id), as_of)
        place = placed.loc[account_id] if account_id in placed.index else None
        info = account.account
        figures = measured.get(account_id) or account_key_figures(account, as_of)
        row: dict[str, object] = {
            "account_id": account_id, "name": info.name, "status": info.status,
            "kam": info.kam, "kam_name": names.get(str(info.kam), info.kam),
            **figures, **(plans[account_id] if account_id in plans
                           else plan_row(account, as_of))}
        for column in ("attractiveness", "position", "attractiveness_computed",
                       "position_computed", "attractiveness_override", "position_override",
                       "attractiveness_known_pct", "position_known_pct",
                       "quadrant", "wallet", "open_wallet"):
            row[column] = place[column] if place is not None else pd.NA
        for column, source in (("health", "health"), ("weakest", "weakest"),
                               ("health_known_pct", "known_weight_pct")):
            row[column] = (health.at[account_id, source] if account_id in health.index
                           else pd.NA)
        rows.append(row)
    return pd.DataFrame(rows)


def placements(table: pd.DataFrame, previous: pf.Snapshot | None) -> pd.DataFrame:
    """``table`` (``portfolio_table``) with each account's place in the matrix last quarter
    as reported then (``attractiveness_before``, ``position_before``; NaN without), for
    ``kamkit.charts.portfolio.portfolio_matrix_chart``."""
    before = (previous or {}).get("accounts", {})
    return table.assign(
        attractiveness_before=[(before.get(a) or {}).get("matrix", {}).get("attractiveness")
                               for a in table["account_id"]],
        position_before=[(before.get(a) or {}).get("matrix", {}).get("position")
                         for a in table["account_id"]]).astype(
        {"attractiveness_before": "float64", "position_before": "float64",
         "attractiveness": "float64", "position": "float64"})


def revenue_by_year(workbook: Workbook, as_of: dt.date,
                    account_ids: Sequence[str]) -> pd.DataFrame:
    """Revenue and gross margin of the accounts together per year, with the growth of
    every complete year; the running year is to date."""
    frames = [an.revenue_by_year(an.cut_off(workbook.account(a), as_of)) for a in account_ids]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["year", "revenue", "gross_margin", "growth_pct"])
    every = pd.concat(frames)
    total = every.groupby("year", as_index=False)[["revenue"]].sum()
    total["gross_margin"] = total_if_known(every["gross_margin"],
                                               every["year"]).to_numpy()
    # partial years (the workbook's history as a whole) are the same for every account
    partial = pd.Series(every.groupby("year")["partial"].any().to_numpy(), index=total.index)
    growth = total["revenue"].pct_change() * 100
    total["growth_pct"] = growth.mask(partial | partial.shift(1, fill_value=False))
    total.loc[total["year"] > last_full_year(as_of), "growth_pct"] = float("nan")
    total["partial"] = partial
    return total


def actions_across(workbook: Workbook, as_of: dt.date,
                   account_ids: Sequence[str]) -> pd.DataFrame:
    """The open actions of every plan among ``account_ids``, with their account, by
    horizon (``kamkit.plan.action_plan``'s columns plus ``account_id`` and ``name``)."""
    frames = []
    for account_id in account_ids:
        account = an.cut_off(workbook.account(account_id), as_of)
        if account.document is None or account.document.plan is None:
            continue
        plan = pl.action_plan(account, as_of)
        frames.append(plan.assign(account_id=account_id, name=account.account.name))
    if not frames:
        return pd.DataFrame(columns=["account_id", "name", "horizon", "id", "what",
                                     "owner_name", "due", "status", "overdue"])
    out = pd.concat(frames, ignore_index=True)
    out = out[out["horizon"] != "done"]
    order = {h: i for i, h in enumerate(pl.HORIZONS)}
    return out.assign(_h=out["horizon"].map(order)).sort_values(
        ["_h", "due"], kind="stable").drop(columns="_h").reset_index(drop=True)


_LAST_HEALTH: list[tuple[Workbook, dt.date, pd.DataFrame]] = []
"""The last workbook's health (kept with the workbook, so its identity stays its own):
every account report of a batch worker's kernel asks for the same portfolio's."""


def portfolio_health(workbook: Workbook, as_of: dt.date) -> pd.DataFrame:
    """``kamkit.portfolio.health`` of the whole portfolio, computed once per workbook and
    date in a process."""
    for book, day, frame in _LAST_HEALTH:
        if book is workbook and day == as_of:
            return frame
    frame = pf.health(workbook, as_of)
    _LAST_HEALTH[:] = [(workbook, as_of, frame)]
    return frame


def previous_snapshot(snapshots: Path | None, as_of: dt.date) -> pf.Snapshot | None:
    """The snapshot of the quarter before ``as_of``'s in the folder ``snapshots`` (quarter
    folders, as ``kamkit run`` writes them), as reported then; None when there is none."""
    if snapshots is None:
        return None
    path = snapshot_path(snapshots, previous_quarter(quarter_of(as_of)))
    return pf.find_snapshot(path)


def current_snapshot(snapshots: Path | None, workbook: Workbook,
                     as_of: dt.date) -> pf.Snapshot:
    """The snapshot of ``as_of``: the one its quarter's run wrote when it is of this very
    date (what the quarter reports), else computed now over the whole portfolio."""
    if snapshots is not None:
        written = pf.find_snapshot(snapshot_path(snapshots, quarter_of(as_of)))
        if written is not None and written["as_of"] == as_of.isoformat():
            return written
    return pf.snapshot(workbook, as_of)


def changes_since(previous: pf.Snapshot, current: pf.Snapshot,
                  account_ids: Sequence[str]) -> pd.DataFrame:
    """``kamkit.portfolio.changes`` of the accounts ``account_ids`` only."""
    keep = set(account_ids)

    def only(snapshot: pf.Snapshot) -> pf.Snapshot:
        return {**snapshot, "accounts": {k: v for k, v in snapshot["accounts"].items()
                                         if k in keep}}

    return pf.changes(only(previous), only(current))
