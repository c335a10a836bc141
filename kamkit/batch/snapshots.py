"""The quarter's snapshot in a run: written beside the quarter's reports before they are
made (the reports and the portfolio read it), for the run's accounts only, so a run of some
accounts updates only their entries and re-running an old quarter never touches a later
one. The previous quarter's snapshot is an input of every report's cache key."""

from __future__ import annotations

import hashlib
import json
import logging

from kamkit import portfolio as pf
from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import previous_quarter, snapshot_path
from kamkit.errors import KamkitError
from kamkit.workbook import Workbook


def write_quarter_snapshot(definition: RunDefinition, workbook: Workbook,
                           account_ids: list[str], log: logging.Logger | None = None
                           ) -> pf.Snapshot:
    """Snapshot the portfolio as of the run's date (scores over the whole portfolio) and
    write the entries of ``account_ids`` into the quarter's snapshot, keeping the entries
    of other accounts that an earlier run of the same date wrote; an account the workbook
    left out (errors in its own data) has none, also when another account is run.

    Returns
    -------
    dict
        The quarter's snapshot as written.
    """
    full = pf.snapshot(workbook, definition.as_of)
    selected = set(account_ids)
    update = {**full, "accounts": {k: v for k, v in full["accounts"].items() if k in selected}}
    # an account whose own data has errors (``Workbook.left_out``), selected or not, loses
    # an earlier run's entry: its figures then are not what its data gives now, and the
    # portfolio page, of any run, says it is not in its figures
    unmeasured = set(workbook.left_out) | (selected - set(full["accounts"]))
    path = snapshot_path(definition.output, definition.quarter)
    if path.is_file():
        try:
            existing = pf.read_snapshot(path)
        except KamkitError as error:
            existing = None
            if log is not None:
                log.warning("the quarter's snapshot is replaced: %s", error)
        if existing is not None and existing["as_of"] == update["as_of"]:
            merged = pf.merge_snapshots(existing, update)
            update = {**merged, "accounts": {k: v for k, v in merged["accounts"].items()
                                             if k not in unmeasured}}
        if existing == update:
            return update
    pf.write_snapshot(path, update)
    return update


def read_previous(definition: RunDefinition) -> pf.Snapshot | None:
    """The previous quarter's snapshot of the run's output folder; None when there is none
    or it cannot be read (then nothing is compared)."""
    path = snapshot_path(definition.output, previous_quarter(definition.quarter))
    try:
        return pf.read_snapshot(path) if path.is_file() else None
    except KamkitError:
        return None


def digest(value: object) -> str:
    """A hash of a snapshot or of one of its entries (None: nothing)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def entries(previous: pf.Snapshot | None, current: pf.Snapshot,
            account_id: str) -> dict[str, str]:
    """The cache-key inputs of one account's reports: its entries in the previous and the
    current snapshot (a report shows what changed between them)."""
    before = (previous or {}).get("accounts", {}).get(account_id)
    return {"previous": digest(before), "current": digest(current["accounts"].get(account_id))}
