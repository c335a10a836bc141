"""Portfolio measurements kept between processes and runs, in files: a run of an unchanged
workbook (a re-run with nothing changed, a forced run, another quarter's run of the same
date) takes the accounts' key figures, criterion values and plans from them instead of
measuring every account again (0.2-0.3 s of CPU an account, before any report can start),
and the processes of a test run and the runs after it share theirs (``source``).

An entry is one JSON file named by its key (``key``): the hash of the workbook's fingerprint
(the names and bytes of every file it is read from, taken before it was loaded; the
accounts a partial load leaves out follow from them), what was asked (as-of date, accounts,
statuses scored, minimum strength: ``assess.measure_key``), and kamkit's version and code
with the versions of Python and of the libraries that read and compute the figures. Any
change to one of them gives another key, so a stale entry is never found. An entry is never
trusted over the source: its checksum, its key and its format are checked on reading, and
anything unexpected means the portfolio is measured again. Only values that come back from
JSON as they were (int, float, str, bool, None) are kept; a measurement with anything else
is not cached. What an entry gives is measured as before from the values kept
(``assess._measure`` with ``Kept.valuer``): the same measurement as a fresh one.

A run's entries live in a hidden folder of the workbook's cache folders
(``workbook_cache.folders``), the ``KEEP`` last used of them; ``KAMKIT_CACHE=0`` turns this
cache off too. Files are written atomically (``kamkit.atomic``).
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kamkit import workbook_cache
from kamkit.atomic import exclusive, write_bytes_atomic
from kamkit.portfolio import assess
from kamkit.portfolio.assess import Measured, MeasureKey, Source, Valuer, Values
from kamkit.workbook import Workbook, loaded_fingerprint

FOLDER = ".measured"
"""The entries' folder in a workbook's cache folder (hidden: the workbook's cache keeps
it when it replaces its own entry)."""

KEEP = 8
"""Entries kept per workbook (dates, settings and versions run lately); older ones go."""

_FORMAT = "kamkit-measured-2"  # 2: the key holds the accounts asked; plans may be null
_PLAIN = (int, float, str, bool, type(None))

Plans = dict[str, dict[str, int]]
"""Account id -> its plan across the portfolio (``Measured.plans``)."""


@dataclass(frozen=True)
class Kept:
    """A measurement read back: the accounts' values (in the accounts' order) and plans
    (None: not measured with them)."""

    figures: dict[str, dict[str, object]]
    values: dict[str, dict[str, float | None]]
    plans: Plans | None

    def valuer(self, account_ids: list[str]) -> Values:
        """``assess.Valuer``: the kept values of ``account_ids``; a KeyError for an account
        not kept (then the caller measures)."""
        return ({a: dict(self.figures[a]) for a in account_ids},
                {a: dict(self.values[a]) for a in account_ids})


def key(fingerprint: str, asked: MeasureKey) -> str:
    """The entry's name for the measurement asked as ``asked`` (``assess.measure_key``) of
    the workbook whose files have ``fingerprint``."""
    return workbook_cache.entry_key(_FORMAT, sys.version, pd.__version__, np.__version__,
                                    pa.__version__, fingerprint, json.dumps(asked, default=str))


def folders(workbook: Path) -> list[Path]:
    """Where a run keeps the measurements of the workbook at ``workbook`` (resolved), in
    the order they are tried."""
    return [folder / FOLDER for folder in workbook_cache.folders(workbook)]


def _plain(measured: object) -> bool:
    """Whether every value of an account id -> name -> value mapping is plain JSON."""
    return isinstance(measured, dict) and all(
        isinstance(account, str) and isinstance(named, dict) and all(
            isinstance(name, str) and type(value) in _PLAIN for name, value in named.items())
        for account, named in measured.items())


def _checksum(payload: bytes) -> str:
    return f"{zlib.crc32(payload):08x}-{len(payload)}"


def _used(file: Path) -> None:
    """Mark ``file`` used now, to the nanosecond (kept by ``workbook_cache.prune``): the
    file system's own times come from a coarse clock (a few ms), which gives two entries
    used one after the other the same."""
    now = time.time_ns()
    with suppress(OSError):  # a read-only folder: its entries age as written
        os.utime(file, ns=(now, now))


def read(places: Sequence[Path], entry: str) -> Kept | None:
    """The measurement kept as ``entry`` in the first of ``places`` that has one; None when
    there is none, the cache is off or the entry cannot be trusted in every part."""
    if not workbook_cache.enabled():
        return None
    for folder in places:
        file = folder / f"{entry}.json"
        try:
            head, _, payload = file.read_bytes().partition(b"\n")
            header = json.loads(head)
            if (header.get("format") != _FORMAT or header.get("key") != entry
                    or header.get("checksum") != _checksum(payload)):
                continue
            body = json.loads(payload)
            figures, values, plans = body["figures"], body["values"], body["plans"]
            if not (_plain(figures) and _plain(values) and (plans is None or _plain(plans))
                    and list(values) == list(figures)):
                continue
        except Exception:  # not there, damaged, foreign: measure again
            continue
        _used(file)
        return Kept(figures, values, plans)
    return None


def write(places: Sequence[Path], entry: str, values: Values, plans: Plans | None,
          keep: int = KEEP) -> Path | None:
    """Keep a measurement (the accounts' ``values`` and ``plans``, None: not measured) as
    ``entry`` in the first of ``places`` that can be written; the entries beyond the
    ``keep`` last used there are removed. Returns where it was written; None when nothing
    is kept (the cache is off, a value JSON would change, no folder can be written)."""
    figures, criteria = values
    if not workbook_cache.enabled() or not (_plain(figures) and _plain(criteria)
                                            and (plans is None or _plain(plans))):
        return None
    payload = json.dumps({"figures": figures, "values": criteria, "plans": plans}).encode()
    header = json.dumps({"format": _FORMAT, "key": entry, "checksum": _checksum(payload)})
    for folder in places:
        target = folder / f"{entry}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, header.encode() + b"\n" + payload)
        except OSError:
            continue  # a read-only folder: try the next
        _used(target)
        workbook_cache.prune(folder, keep)
        return target
    return None




SHARED_KEEP = 64
"""Entries ``source`` keeps in its folder (of every workbook it measured): the last used;
older ones (of code since changed, of a test's own workbook) are removed."""


def source(folder: Path, keep: int = SHARED_KEEP) -> Source:
    """``assess.offer``'s source of measurements shared by processes through ``folder``
    (the test runs': ``tests/conftest.py``): asked for one it keeps, ``measure`` takes it
    from its file; else it is measured here and written there for the others, one process
    at a time (a lock per entry: the others wait, then read it). Only a workbook
    ``load_workbook_cached`` holds is served (its files are known, as ``measuring.Handed``
    asks): a test that loads its own copy to change how it is measured measures it
    itself."""
    folder.mkdir(parents=True, exist_ok=True)

    def offered(workbook: Workbook, asked: MeasureKey) -> Measured | None:
        fingerprint = loaded_fingerprint(workbook)
        if fingerprint is None:
            return None
        entry = key(fingerprint, asked)

        as_of, account_ids, statuses, min_strength = asked

        def measured(valuer: Valuer | None = None) -> Measured:
            # _measure, not measure: measure would ask this source again for the same key
            return assess._measure(workbook, as_of, account_ids,  # type: ignore[arg-type]
                                   statuses, min_strength, valuer)  # type: ignore[arg-type]

        with exclusive(folder / f"{entry}.lock"):
            kept = read([folder], entry)
            if kept is not None:
                try:
                    return measured(kept.valuer)
                except KeyError:  # an account not kept: measured below
                    pass
            made = measured()
            write([folder], entry, (made.figures, made.values), None, keep)
        return made
    return offered
