"""The run's portfolio measurement kept between runs: a run of an unchanged workbook (a
re-run with nothing changed, a forced run, another quarter's run of the same date) takes the
accounts' key figures, criterion values and plans from it instead of measuring every
account again (0.2-0.3 s of CPU an account, before any report can start).

An entry is one JSON file named by its key: the hash of the workbook's fingerprint (the
names and bytes of every file it is read from, taken before it was loaded), the as-of
date, the statuses scored, the minimum strength, and kamkit's version and code with the
versions of the libraries that compute the figures. Any change to one of them gives another
key, so a stale entry is never found. An entry is never trusted over the source: its
checksum, its key and its format are checked on reading, and anything unexpected means the
portfolio is measured again. Only values that come back from JSON as they were (int,
float, str, bool, None) are kept; a measurement with anything else is not cached.

Entries live in a hidden folder of the workbook's cache folders
(``workbook_cache.folders``), the newest ``KEEP`` of them; ``KAMKIT_CACHE=0`` turns this
cache off too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kamkit import workbook_cache
from kamkit.atomic import write_bytes_atomic
from kamkit.portfolio.assess import Values

FOLDER = ".measured"
"""The entries' folder in a workbook's cache folder (hidden: the workbook's cache keeps
it when it replaces its own entry)."""

KEEP = 8
"""Entries kept per workbook (dates, settings and versions run lately); older ones go."""

_FORMAT = "kamkit-measured-1"
_PLAIN = (int, float, str, bool, type(None))

Plans = dict[str, dict[str, int]]
"""Account id -> its plan across the portfolio (``Measured.plans``)."""


@dataclass(frozen=True)
class Kept:
    """A measurement read back: the accounts' values (in the accounts' order) and plans."""

    figures: dict[str, dict[str, object]]
    values: dict[str, dict[str, float | None]]
    plans: Plans

    def valuer(self, account_ids: list[str]) -> Values:
        """``assess.Valuer``: the kept values of ``account_ids``; a KeyError for an account
        not kept (then the run measures)."""
        return ({a: dict(self.figures[a]) for a in account_ids},
                {a: dict(self.values[a]) for a in account_ids})


def key(fingerprint: str, as_of: dt.date, statuses: Sequence[str], min_strength: int) -> str:
    """The entry's name for a measurement of the workbook with ``fingerprint``."""
    import numpy as np
    import pandas as pd

    import kamkit
    from kamkit.code_fingerprint import code_fingerprint

    digest = hashlib.blake2b(digest_size=20)
    for part in (_FORMAT, kamkit.__version__, code_fingerprint(), pd.__version__,
                 np.__version__, fingerprint, as_of.isoformat(), json.dumps(list(statuses)),
                 str(min_strength)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _folders(workbook: Path) -> list[Path]:
    return [folder / FOLDER for folder in workbook_cache.folders(workbook)]


def _plain(measured: object) -> bool:
    """Whether every value of an account id -> name -> value mapping is plain JSON."""
    return isinstance(measured, dict) and all(
        isinstance(account, str) and isinstance(named, dict) and all(
            isinstance(name, str) and type(value) in _PLAIN for name, value in named.items())
        for account, named in measured.items())


def _checksum(payload: bytes) -> str:
    return f"{zlib.crc32(payload):08x}-{len(payload)}"


def read(workbook: Path, entry: str) -> Kept | None:
    """The measurement kept as ``entry`` for the workbook at ``workbook`` (resolved); None
    when there is none, the cache is off or the entry cannot be trusted in every part."""
    if not workbook_cache.enabled():
        return None
    for folder in _folders(workbook):
        try:
            head, _, payload = (folder / f"{entry}.json").read_bytes().partition(b"\n")
            header = json.loads(head)
            if (header.get("format") != _FORMAT or header.get("key") != entry
                    or header.get("checksum") != _checksum(payload)):
                continue
            body = json.loads(payload)
            figures, values, plans = body["figures"], body["values"], body["plans"]
            if not (_plain(figures) and _plain(values) and _plain(plans)
                    and list(values) == list(figures)):
                continue
        except Exception:  # not there, damaged, foreign: measure again
            continue
        return Kept(figures, values, plans)
    return None


def write(workbook: Path, entry: str, values: Values, plans: Plans) -> Path | None:
    """Keep a measurement (the accounts' ``values`` and ``plans``) as ``entry``; older
    entries beyond ``KEEP`` are removed. Returns where it was written; None when nothing
    is kept (the cache is off, a value JSON would change, no folder can be written)."""
    figures, criteria = values
    if not workbook_cache.enabled() or not (_plain(figures) and _plain(criteria)
                                            and _plain(plans)):
        return None
    payload = json.dumps({"figures": figures, "values": criteria, "plans": plans}).encode()
    header = json.dumps({"format": _FORMAT, "key": entry, "checksum": _checksum(payload)})
    for folder in _folders(workbook):
        target = folder / f"{entry}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, header.encode() + b"\n" + payload)
        except OSError:
            continue  # a read-only folder: try the user's cache
        _prune(folder)
        return target
    return None


def _prune(folder: Path) -> None:
    """Remove all but the newest ``KEEP`` entries (another run may remove them meanwhile)."""
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    entries = sorted(folder.glob("*.json"), key=modified, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
