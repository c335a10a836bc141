"""The quarter snapshot: every account's figures, health, place in the matrix and plan
commitments as reported, stored beside the quarter's reports so the next quarter compares
with what was said then rather than with a recomputation. Format: ``docs/snapshot.md``."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit import analysis as an
from kamkit.atomic import write_text_atomic
from kamkit.errors import KamkitError, file_error
from kamkit.periods import parse_as_of, quarter_of
from kamkit.plan import action_plan
from kamkit.portfolio.assess import DEFAULT_STATUSES, measure
from kamkit.portfolio.health import _health
from kamkit.portfolio.metrics import revenue_last_12_months
from kamkit.portfolio.scores import MATRIX_AXES, _matrix, _scores
from kamkit.problems import words
from kamkit.schema import DEFAULT_MIN_STRENGTH, named_for_euro
from kamkit.workbook import AccountData, Workbook

FORMAT = "kamkit-portfolio-snapshot"
VERSION = 1
"""The snapshot format's version; ``read_snapshot`` refuses others."""

Snapshot = dict[str, Any]

_RENAMED_FIGURES = named_for_euro(["revenue", "revenue_12m"])
"""The money figures, named for the euro in snapshots written before workbooks had a
currency: the old key -> the key now (``read_snapshot`` reads both)."""


def _plain(value: object) -> object:
    """A JSON value: None for NA, NaN and infinity; dates as YYYY-MM-DD; numpy scalars as
    Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return (value.date() if isinstance(value, pd.Timestamp) else value).isoformat()
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _record(row: Mapping[str, object], columns: Sequence[str]) -> dict[str, object]:
    return {column: _plain(row[column]) for column in columns}


def _plan(account: AccountData, as_of: dt.date) -> dict[str, object] | None:
    document = account.document
    if document is None or document.plan is None:
        return None
    plan = document.plan
    overdue = dict(zip(*action_plan(account, as_of)[["id", "overdue"]].T.to_numpy(),
                       strict=True))
    return {
        "period": {"start": plan.period.start.isoformat(), "end": plan.period.end.isoformat()},
        "objectives": [{"id": o.id, "title": o.title, "metric": o.metric,
                        "target": o.target, "deadline": _plain(o.deadline), "owner": o.owner}
                       for o in plan.objectives],
        "actions": [{"id": a.id, "what": a.what, "owner": a.owner, "due": a.due.isoformat(),
                     "status": a.status, "objective": a.objective,
                     "overdue": bool(overdue.get(a.id, False))} for a in plan.actions],
    }


_FIGURES = ("year", "revenue", "revenue_growth_pct", "revenue_growth_reason", "margin_pct",
            "share", "share_change_pts", "share_reason", "share_change_reason", "plan_status",
            "plan_achievement_pct", "plan_status_reason")
_COMPONENT = ("value", "unit", "points", "weight", "contribution", "note")


def snapshot(workbook: Workbook, as_of: str | dt.date,
             account_ids: Sequence[str] | None = None,
             statuses: Sequence[str] = DEFAULT_STATUSES, *,
             min_strength: int = DEFAULT_MIN_STRENGTH) -> Snapshot:
    """Every account's key figures, health, place in the matrix and plan commitments as of
    ``as_of``, as plain JSON values (format: ``docs/snapshot.md``).

    The same workbook and date give the same snapshot (no clock time inside), so
    re-running a quarter rewrites the same file.

    Parameters
    ----------
    workbook
        The workbook.
    as_of
        The date or quarter reported on.
    account_ids, statuses, min_strength
        As for ``scores.scores`` (default: key accounts and prospects; strength 3).
        An account's entry is the same whether it is snapshot alone or with the others
        (scales to the portfolio's largest value run over the whole portfolio), so a run
        of some accounts can ``merge_snapshots`` its entries into the quarter's.

    Returns
    -------
    dict
        ``format``, ``version``, ``as_of``, ``quarter``, ``min_strength`` and ``accounts``:
        account id ->
        ``name``, ``status``, ``kam``, ``figures`` (``key_figures`` plus
        ``revenue_12m``), ``matrix`` (``attractiveness``, ``position``, their
        overrides, ``quadrant``), ``health`` (``score``, ``known_weight_pct``,
        ``components``: code -> value, unit, points, weight, contribution, note) and
        ``plan`` (None without one: ``period``, ``objectives`` with target, deadline and
        owner, ``actions`` with owner, due date, status and whether overdue).
    """
    day = parse_as_of(as_of)
    measured = measure(workbook, day, account_ids, statuses, min_strength=min_strength)
    placed = _matrix(measured, _scores(measured)).set_index("account_id")
    components = _health(measured)
    accounts: dict[str, object] = {}
    for info in measured.accounts.to_dict("records"):
        account_id = str(info["account_id"])
        account = workbook.account(account_id)
        figures = measured.figures[account_id]
        own = components[(components["account_id"] == account_id).to_numpy()]
        place = placed.loc[account_id]
        accounts[account_id] = {
            "name": info["name"], "status": info["status"], "kam": _plain(info["kam"]),
            "figures": {**_record(figures, _FIGURES), "revenue_12m": revenue_last_12_months(
                an.cut_off(account, day), day)},
            "matrix": {**{axis: _plain(place[axis]) for axis in MATRIX_AXES},
                       **{f"{axis}_override": bool(place[f"{axis}_override"])
                          for axis in MATRIX_AXES},
                       "quadrant": _plain(place["quadrant"])},
            "health": {"score": _plain(own["health"].iloc[0]) if not own.empty else None,
                       "known_weight_pct": (_plain(own["known_weight_pct"].iloc[0])
                                            if not own.empty else None),
                       "components": {str(row["component"]): _record(row, _COMPONENT)
                                      for row in own.to_dict("records")}},
            "plan": _plan(account, day),
        }
    return {"format": FORMAT, "version": VERSION, "as_of": day.isoformat(),
            "quarter": quarter_of(day), "min_strength": min_strength, "accounts": accounts}


def merge_snapshots(previous: Snapshot, update: Snapshot) -> Snapshot:
    """``previous`` with the accounts of ``update`` replaced or added: a run of some accounts
    updates only their entries. Both must be of the same date.

    Raises
    ------
    KamkitError
        When the dates differ (a snapshot holds one quarter as it was reported).
    """
    if previous["as_of"] != update["as_of"]:
        raise KamkitError(f"Cannot merge a snapshot as of {update['as_of']} into one as of "
                          f"{previous['as_of']}: a snapshot holds one date.")
    return {**previous, "accounts": {**previous["accounts"], **update["accounts"]}}


def write_snapshot(path: str | Path, data: Snapshot) -> Path:
    """Write a snapshot as JSON, atomically (a crash leaves the old file or the new one).

    Returns
    -------
    Path
        The file written.
    """
    target = Path(path)
    write_text_atomic(target, json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False)
                      + "\n")
    return target


_SHIPPED: dict[Path, bytes] = {}
"""Snapshot files by the path they have where a run was started (``ship_snapshot``)."""


def ship_snapshot(path: str | Path, data: bytes) -> None:
    """Make ``find_snapshot`` and ``read_snapshot`` in this process read ``data`` as the file
    at ``path``: a Dask worker of ``kamkit run`` and its kernels see the run's snapshots
    where they are not (``kamkit.batch.distributed``)."""
    _SHIPPED[Path(path)] = data


def find_snapshot(path: str | Path) -> Snapshot | None:
    """``read_snapshot(path)``, or None when there is no snapshot at ``path``."""
    exists = Path(path) in _SHIPPED or Path(path).is_file()
    return read_snapshot(path) if exists else None


def read_snapshot(path: str | Path) -> Snapshot:
    """Read a snapshot written by ``write_snapshot``.

    Raises
    ------
    KamkitError
        Naming the file when it is missing, not JSON, not a snapshot or of another version.
    """
    source = Path(path)
    try:
        shipped = _SHIPPED.get(source)
        data = json.loads(shipped.decode("utf-8") if shipped is not None
                          else source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KamkitError.of(words("cli.snapshot.missing", path=str(source))) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise file_error(source, words("cli.snapshot.unreadable", error=str(error))) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise file_error(source, words("cli.snapshot.not_snapshot", format=FORMAT))
    if data.get("version") != VERSION:
        raise file_error(source, words("cli.snapshot.version", found=repr(data.get("version")),
                                       version=str(VERSION)))
    if not isinstance(data.get("accounts"), dict) or not isinstance(data.get("as_of"), str):
        raise file_error(source, words("cli.snapshot.incomplete"))
    for entry in data["accounts"].values():
        figures = entry.get("figures") if isinstance(entry, dict) else None
        if isinstance(figures, dict):
            entry["figures"] = _with_reasons(
                {_RENAMED_FIGURES.get(k, k): v for k, v in figures.items()}, entry,
                data["as_of"])
    return data


def _with_reasons(figures: dict[Any, Any], entry: dict[str, Any], as_of: str
                  ) -> dict[Any, Any]:
    """``figures`` of a snapshot written before they said why a plan status or a growth is
    missing, with the reasons its entry tells (``key_figures.PLAN_REASONS``,
    ``GROWTH_REASONS``): no plan, nothing to judge yet (no month of the plan period had
    ended on ``as_of``) or, past that, no revenue target (a status was missing for no other
    reason then); no revenue in the year. A growth missing for another reason stays
    without one (the snapshot does not say which)."""
    if "plan_status_reason" not in figures:
        figures["plan_status_reason"] = None if figures.get("plan_status") else \
            _old_plan_reason(entry.get("plan"), as_of)
    if "revenue_growth_reason" not in figures:
        figures["revenue_growth_reason"] = (
            "no_revenue" if figures.get("revenue_growth_pct") is None
            and not figures.get("revenue") else None)
    # a missing share: no estimate or one of 0, which the snapshot does not say
    figures.setdefault("share_reason", None)
    figures.setdefault("share_change_reason", None)
    return figures


def _old_plan_reason(plan: object, as_of: str) -> str:
    period = plan.get("period") if isinstance(plan, dict) else None
    start = period.get("start") if isinstance(period, dict) else None
    if not isinstance(start, str):
        return "no_plan"
    first_month_end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date().isoformat()
    return "not_started" if as_of < first_month_end else "no_revenue_target"
