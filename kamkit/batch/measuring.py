"""The run's portfolio, measured once: every scored account's key figures and criterion
values (``portfolio.assess.measure``), the costly part of the quarter's snapshot (about
0.15 s an account), computed before any report is made because the snapshot's entries are
inputs of every report's cache key.

Where it pays, the accounts are measured in ``jobs`` processes at once, each reading the
prepared workbook itself (an account's values do not depend on the others'). The
measurement is then handed to the run's kernels (``prelude``): the health of an account's
reports and the portfolio report's matrix, health and key figures are scored over the whole
portfolio, which each kernel measured again before. A kernel takes the measurement only for
the very files it was made from (``workbook.loaded_fingerprint``); any other workbook is
measured as before.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from kamkit.atomic import write_bytes_atomic
from kamkit.batch import measured_cache
from kamkit.batch.measured_cache import Plans
from kamkit.portfolio.assess import (
    DEFAULT_STATUSES,
    Measured,
    MeasureKey,
    Valuer,
    Values,
    measure,
    measure_key,
    measured_values,
    offer,
)
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.workbook import (
    DEMO_WORKBOOK,
    Workbook,
    load_partially,
    load_workbook_cached,
    loaded_fingerprint,
    workbook_fingerprint,
)

PARALLEL_FROM = 40
"""Accounts to measure from which other processes measure them: each process starts
Python and reads the workbook first (a few seconds), more than 40 accounts take alone."""

CHUNKS_PER_JOB = 4
"""Parts per process, so a process that finishes early takes another."""

HANDED = "measured.pickle"
"""The measurement handed to the run's kernels, in a folder of the run's."""


def _resolved(path: Path | None) -> Path:
    return (path if path is not None else DEMO_WORKBOOK).resolve()


def _plans(workbook: Workbook, as_of: dt.date, account_ids: list[str]) -> Plans:
    """The portfolio page's plan column of ``account_ids``, measured with them: it was the
    largest part of that page, made in one kernel at the run's end (0.33 s an account).
    An account whose plan cannot be taken apart is left out: the page computes it and
    says what is wrong, as before."""
    from kamkit.report.portfolio_data import plan_rows  # the reports import the batch

    plans: Plans = {}
    for account_id in account_ids:
        try:
            plans.update(plan_rows(workbook, as_of, [account_id]))
        except Exception:  # the portfolio page says why, the run goes on
            continue
    return plans


def _values_apart(path: Path, fingerprint: str, as_of: dt.date, account_ids: list[str],
                  min_strength: int) -> tuple[Values, Plans] | None:
    """In a process of the pool: the values and plans of ``account_ids`` of the workbook
    at ``path``, loaded as the run loads it (an account whose own data has errors left
    out); None when its files are not the ones the run read (changed meanwhile)."""
    load_partially(path)
    workbook = load_workbook_cached(path)
    if loaded_fingerprint(workbook) != fingerprint:
        return None
    return (measured_values(workbook, as_of, account_ids, min_strength),
            _plans(workbook, as_of, account_ids))


class _Changed(Exception):
    """The workbook's files changed while the pool read them: measured here instead."""


def _pool_valuer(path: Path, fingerprint: str, as_of: dt.date, jobs: int,
                 min_strength: int, plans: Plans) -> Valuer:
    """Values of the accounts, measured in up to ``jobs`` processes, part by part; their
    plans go into ``plans``."""
    def values(account_ids: list[str]) -> Values:
        size = max(1, -(-len(account_ids) // (jobs * CHUNKS_PER_JOB)))
        parts = [account_ids[i:i + size] for i in range(0, len(account_ids), size)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(parts)),
                                 mp_context=context) as pool:
            results = list(pool.map(_values_apart, *zip(*[
                (path, fingerprint, as_of, part, min_strength) for part in parts],
                strict=True)))
        figures: dict[str, dict[str, object]] = {}
        criteria: dict[str, dict[str, float | None]] = {}
        for result in results:  # in the accounts' order, as measured in one process
            if result is None:
                raise _Changed
            figures.update(result[0][0])
            criteria.update(result[0][1])
            plans.update(result[1])
        return figures, criteria
    return values


def measure_portfolio(workbook: Workbook, path: Path | None, fingerprint: str,
                      as_of: dt.date, jobs: int,
                      statuses: Sequence[str] = DEFAULT_STATUSES, *,
                      min_strength: int = DEFAULT_MIN_STRENGTH) -> Measured:
    """``measure(workbook, as_of)`` of the whole portfolio, kept for this process as
    ``measure`` keeps it (so the snapshot then takes it), with the accounts measured in
    ``jobs`` processes at once when there are at least ``PARALLEL_FROM``; the measurement
    returned holds the accounts' plans as well (``Measured.plans``), for the portfolio
    page made by a kernel of the run (``hand_over``).

    ``path`` is where ``workbook`` was loaded from (None: the demo), ``fingerprint`` its
    files' ``workbook_fingerprint`` taken before loading: a process whose files differ
    (changed since) gives nothing back, and the accounts are measured here. The same
    measurement either way: each account's values are computed by the same code, and put
    together in the accounts' order. A measurement of the same files, date and settings
    by an earlier run is taken from ``measured_cache`` instead, and a new one kept there
    when the files did not change while it was made.
    """
    resolved = _resolved(path)
    places = measured_cache.folders(resolved)
    entry = measured_cache.key(fingerprint, measure_key(as_of, None, statuses,
                                                        min_strength=min_strength))
    unchanged = workbook_fingerprint(resolved) == fingerprint  # the files loaded are these
    kept = measured_cache.read(places, entry) if unchanged else None
    if kept is not None and kept.plans is not None:
        try:
            return replace(measure(workbook, as_of, None, statuses, min_strength=min_strength,
                                   valuer=kept.valuer), plans=kept.plans)
        except KeyError:  # an account not kept: measured below
            pass
    measured = _measured(workbook, resolved, fingerprint, as_of, jobs, statuses,
                         min_strength)
    if unchanged and workbook_fingerprint(resolved) == fingerprint:  # not changed meanwhile
        measured_cache.write(places, entry, (measured.figures, measured.values),
                             measured.plans)
    return measured


def _measured(workbook: Workbook, path: Path, fingerprint: str, as_of: dt.date, jobs: int,
              statuses: Sequence[str], min_strength: int) -> Measured:
    """``measure_portfolio`` without the cache: in ``jobs`` processes where it pays."""
    accounts = workbook.accounts
    count = int(accounts["status"].isin(list(statuses)).sum())
    if jobs > 1 and count >= PARALLEL_FROM:
        plans: Plans = {}
        try:
            measured = measure(workbook, as_of, None, statuses, min_strength=min_strength,
                               valuer=_pool_valuer(path, fingerprint, as_of, jobs,
                                                   min_strength, plans))
            if plans:
                return replace(measured, plans=plans)
        except Exception:  # files changed, a pool that broke or could not start, an error
            pass  # raised there: measured here, any error as a run without a pool says it
    measured = measure(workbook, as_of, None, statuses, min_strength=min_strength)
    return replace(measured, plans=_plans(workbook, as_of, list(measured.figures)))


@dataclass(frozen=True)
class Handed:
    """A measurement of the workbook at ``path`` (resolved) with the files of
    ``fingerprint``, asked as ``key``."""

    path: Path
    fingerprint: str
    key: MeasureKey
    measured: Measured

    def source(self, workbook: Workbook, key: MeasureKey) -> Measured | None:
        """``assess.offer``'s source: the measurement for the workbook loaded from the
        same files and the same key, else None."""
        if key != self.key or workbook.path != self.path:
            return None
        return self.measured if loaded_fingerprint(workbook) == self.fingerprint else None


def handed_file(folder: Path) -> Path:
    """Where ``hand_over`` writes the measurement in ``folder``."""
    return folder / HANDED


def hand_over(folder: Path, path: Path | None, fingerprint: str, measured: Measured,
              statuses: Sequence[str] = DEFAULT_STATUSES, *,
              min_strength: int = DEFAULT_MIN_STRENGTH) -> Path:
    """Write ``measured`` (the whole portfolio's, ``measure_portfolio``) into ``folder``
    for the run's kernels (``prelude``) and a cluster's workers (``take_shipped``)."""
    handed = Handed(_resolved(path), fingerprint,
                    measure_key(measured.as_of, None, statuses, min_strength=min_strength),
                    measured)
    file = handed_file(folder)
    write_bytes_atomic(file, pickle.dumps(handed))
    return file


def prelude(file: Path | None) -> str:
    """The code a kernel of this machine runs once started to take the measurement in
    ``file`` (``hand_over``; None: nothing)."""
    return "" if file is None else f"from kamkit.batch.measuring import take\ntake({str(file)!r})\n"


def take(file: str | Path) -> None:
    """In a kernel: let ``measure`` take the run's measurement in ``file`` (``hand_over``);
    a file that cannot be read leaves the kernel measuring as it would."""
    try:
        handed = pickle.loads(Path(file).read_bytes())
    except Exception:  # the reports are made either way; only slower
        return
    if isinstance(handed, Handed):
        offer(handed.source)


def take_shipped(workbook: Workbook, data: bytes) -> None:
    """On a cluster's worker and in its kernels: let ``measure`` take the run's measurement
    (``hand_over``'s file, as ``data``) for ``workbook``, the run's workbook shipped with it
    (``workbook.ship_workbook``: the very tables it was measured from)."""
    handed = pickle.loads(data)

    def source(book: Workbook, key: MeasureKey) -> Measured | None:
        return handed.measured if book is workbook and key == handed.key else None

    offer(source)
