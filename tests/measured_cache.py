"""The portfolio measurements of a test run (``portfolio.assess.measure``), kept in files so
that the two workers of ``make test-fast`` and the runs after it measure the demo portfolio
once (about 1.5 s of CPU each time) instead of once per process and run.

``tests/conftest.py`` offers ``source(folder)`` to ``assess.measure`` (``assess.offer``, the
way a ``kamkit run`` hands its kernels the measurement), with a folder in pytest's cache
(``pytest --cache-clear`` empties it; without pytest's cache, ``-p no:cacheprovider``,
nothing is shared): asked for a measurement it does not keep in this process, ``measure``
gets it from a file, or, when there is none, has it measured here and written for the
others. Never stale: a file is named by a hash of
everything a measurement is computed from (``entry_key``): kamkit's code, labels and
templates (``kamkit.code_fingerprint``, the key that makes ``kamkit run`` render a
report again), the versions of kamkit, Python, pandas, NumPy and pyarrow, the workbook's
files (``workbook.loaded_fingerprint``: names and contents) and the accounts it left out,
and what was asked (``assess.measure_key``). Only a workbook ``load_workbook_cached`` holds
is served (as ``batch.measuring.Handed`` does): a test that loads its own copy to change
how it is measured measures it itself. Files are written atomically (``kamkit.atomic``), and
one process measures while the others wait for its file (a lock per entry, where the
platform has ``fcntl``); a file that cannot be read is measured again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

import kamkit
from kamkit.atomic import write_bytes_atomic
from kamkit.code_fingerprint import code_fingerprint
from kamkit.portfolio import assess
from kamkit.portfolio.assess import Measured, MeasureKey, Source
from kamkit.workbook import Workbook, loaded_fingerprint

KEPT = 64
"""Entries kept in a folder: the last used; older ones (of code since changed, of a test's
own workbook in a folder of an earlier run) are removed."""


def entry_key(workbook: Workbook, key: MeasureKey) -> str | None:
    """The name of the file that holds ``workbook``'s measurement asked as ``key``; None
    for a workbook ``load_workbook_cached`` does not hold (its files are not known)."""
    files = loaded_fingerprint(workbook)
    if files is None:
        return None
    parts = [code_fingerprint(), kamkit.__version__, sys.version, pd.__version__,
             np.__version__, pa.__version__, str(workbook.path), files,
             sorted(workbook.left_out), repr(key)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


@contextmanager
def _alone(lock: Path) -> Iterator[None]:
    """Hold ``lock`` exclusively (wait for it); without ``fcntl``, no lock."""
    try:
        import fcntl
    except ImportError:  # not POSIX: processes may measure the same entry at once
        yield
        return
    with lock.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        yield


def _read(file: Path) -> Measured | None:
    try:
        found = pickle.loads(file.read_bytes())
    except Exception:  # absent, half a file of a killed process, another class: measure
        return None
    return found if isinstance(found, Measured) else None


def _used(file: Path) -> None:
    """Mark ``file`` used now, to the nanosecond: the file system's own times come from a
    coarse clock (a few ms), which gives two entries used one after the other the same."""
    now = time.time_ns()
    os.utime(file, ns=(now, now))


def _prune(folder: Path) -> None:
    """Remove all but the ``KEPT`` entries last used (and their locks)."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns,
                     reverse=True)
    for entry in entries[KEPT:]:
        for path in (entry, entry.with_suffix(".lock")):
            path.unlink(missing_ok=True)


def measured(folder: Path, workbook: Workbook, key: MeasureKey) -> Measured | None:
    """``workbook``'s measurement asked as ``key`` from its file in ``folder``, measured
    here and written there first if there is none; None for a workbook not served."""
    name = entry_key(workbook, key)
    if name is None:
        return None
    file = folder / f"{name}.pickle"
    with _alone(folder / f"{name}.lock"):
        found = _read(file)
        if found is not None:
            _used(file)  # kept by _prune
            return found
        as_of, account_ids, statuses, min_strength = key
        # _measure, not measure: measure would ask this source again for the same key
        made = assess._measure(workbook, as_of, account_ids,  # type: ignore[arg-type]
                               statuses, min_strength)  # type: ignore[arg-type]
        write_bytes_atomic(file, pickle.dumps(made))
        _used(file)
    _prune(folder)
    return made


def source(folder: Path) -> Source:
    """``assess.offer``'s source of the measurements kept in ``folder`` (made if needed)."""
    folder.mkdir(parents=True, exist_ok=True)

    def offered(workbook: Workbook, key: MeasureKey) -> Measured | None:
        return measured(folder, workbook, key)
    return offered
