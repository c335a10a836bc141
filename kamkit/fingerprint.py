"""A workbook's fingerprint: a hash of the names and contents of the files it is read from.

The workbook cache (``kamkit.workbook_cache``) is keyed by it, so it must change with any
change to any file. Hashing every byte (34 MB at 1,000 accounts) is most of a warm load,
so, as git does for its index, each file's digest is kept with the file's stat (size,
modification and change times in nanoseconds, inode and device) and used again while the
stat is the same, in this process and in a ``.stats.json`` beside the cache's entries.

A digest is used again only when the stat cannot hide a change:

- every field is the same (an edit changes the size or the times; a file replaced by a
  rename has another inode and change time; setting the modification time back with
  ``os.utime`` moves the change time, which no user can set);
- the file's last change (the later of its modification and change times) was well before
  the digest was taken (``RACY_NS``), git's "racy" rule: a file changed again within its
  file system's timestamp granularity (2 s on FAT, a clock tick elsewhere) of an earlier
  change can keep all its times, so such a file is hashed again until its times are old
  enough to be told apart from any later change. The margin also covers a file server's
  clock running behind this machine's;
- the operating system keeps a change time (POSIX; on Windows ``st_ctime`` is the creation
  time, so there every file is hashed) and the file system reports one (not 0).

Anything else (a new, changed or racy file, an unreadable or foreign ``.stats.json``) means
the file is hashed: the stat only spares reading a file whose contents are known. Like git,
this relies on the file system updating a file's times when it is written, which POSIX asks
of every write.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from kamkit.atomic import write_bytes_atomic

RACY_NS = 10 * 10**9
"""How long before a digest was taken a file must have last changed for its stat to be
trusted: more than any file system's timestamp granularity (FAT's 2 s) and a margin for a
file server's clock behind this machine's. A file changed within it is hashed again on the
next fingerprint (a few ms for a typical edited file)."""
STATS_FILE = ".stats.json"
"""The digests by stat, beside the cache's entries (hidden: not an entry)."""
_FORMAT = "kamkit-stats-1"
_TRUSTS_CHANGE_TIME = os.name == "posix"


Stat = tuple[int, int, int, int, int]
"""What must stay the same for a file's digest to be used again: its size, modification
and change times (ns), inode and device."""


def _stat(result: os.stat_result) -> Stat:
    return (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino,
            result.st_dev)


class Record(NamedTuple):
    """A file's digest, its stat and when (``time.time_ns``, before the stat) it was taken."""

    stat: Stat
    taken_ns: int
    digest: bytes  # SHA-256

    @property
    def lasting(self) -> bool:
        """Whether any later change to the file is bound to change its stat (only such
        records are kept: another would have the file hashed every time anyway)."""
        _, mtime, ctime, inode, _ = self.stat
        return (_TRUSTS_CHANGE_TIME and ctime != 0 and inode != 0
                and max(mtime, ctime) < self.taken_ns - RACY_NS)


_KNOWN: dict[Path, dict[str, Record]] = {}
"""The (lasting) records of the workbooks fingerprinted in this process, by workbook."""
_LOCK = threading.Lock()


def fingerprint(workbook: Path, candidates: Iterable[str | Path],
                keep: Sequence[Path] = ()) -> str:
    """The hash of the names and contents of those ``candidates`` that are files.

    Parameters
    ----------
    workbook
        The workbook the files belong to (its records are kept under it in this process).
    candidates
        The paths the workbook may be read from, in a fixed order; those that are not
        files (folders, broken links, gone) are left out.
    keep
        Folders to keep the records in between processes (the workbook's cache folders,
        tried in order); none keeps them in this process only.
    """
    taken = time.time_ns()  # before any stat: a change after it moves the file's times
    known = _known(workbook, keep)
    files: list[tuple[str, Stat]] = []
    for path in candidates:
        try:
            result = os.stat(path)
        except OSError:
            continue  # as ``Path.is_file``: not there (any more), not a file
        if S_ISREG(result.st_mode):
            files.append((str(path), _stat(result)))
    digests: dict[str, bytes] = {}
    unknown = []
    for name, now in files:
        record = known.get(name)
        if record is not None and record.stat == now:
            digests[name] = record.digest
        else:
            unknown.append((name, now))
    if unknown:
        with ThreadPoolExecutor(max_workers=2) as pool:  # hashing releases the GIL
            hashed = list(pool.map(_hash, unknown))
        fresh = {}
        for (name, now), (digest, unchanged) in zip(unknown, hashed, strict=True):
            digests[name] = digest
            record = Record(now, taken, digest)
            if unchanged and record.lasting:
                fresh[name] = record
        if fresh:
            _remember(workbook, {name for name, _ in files}, fresh, keep)
    total = hashlib.sha256()
    for name, _ in files:
        total.update(name.encode() + b"\0" + digests[name])
    return total.hexdigest()


def _hash(file: tuple[str, Stat]) -> tuple[bytes, bool]:
    """The file's SHA-256 (about twice BLAKE2's speed with the CPU's SHA instructions), and
    whether its stat stayed ``file``'s while it was read (else the digest is not kept)."""
    name, before = file
    with open(name, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").digest()
        after = _stat(os.fstat(handle.fileno()))
    return digest, after == before


def _known(workbook: Path, keep: Sequence[Path]) -> dict[str, Record]:
    with _LOCK:
        known = _KNOWN.get(workbook)
    if known is None:
        known = next((found for found in map(_read, keep) if found is not None), {})
        with _LOCK:
            if len(_KNOWN) >= 8:  # a process loads a workbook or two: bound the memory
                _KNOWN.clear()
            known = _KNOWN.setdefault(workbook, known)
    return known


def _remember(workbook: Path, present: set[str], fresh: dict[str, Record],
              keep: Sequence[Path]) -> None:
    """Keep the fresh records (with those of the other files still present), in this process
    and in the first of ``keep`` that can be written."""
    with _LOCK:
        known = {name: record for name, record in _KNOWN.get(workbook, {}).items()
                 if name in present}
        known.update(fresh)
        _KNOWN[workbook] = known
    for folder in keep:
        try:
            write_bytes_atomic(folder / STATS_FILE, _encode(known))
        except OSError:
            continue  # a read-only folder: try the next
        return


def _encode(records: dict[str, Record]) -> bytes:
    body = json.dumps({name: [*record.stat, record.taken_ns, record.digest.hex()]
                       for name, record in sorted(records.items())})
    return json.dumps({"format": _FORMAT, "crc32": zlib.crc32(body.encode()),
                       "records": body}).encode()


def _read(folder: Path) -> dict[str, Record] | None:
    """The lasting records kept in ``folder``, or None when they cannot be trusted
    (missing, damaged, another format): then every file is hashed."""
    try:
        data = json.loads((folder / STATS_FILE).read_bytes())
        if data["format"] != _FORMAT or zlib.crc32(data["records"].encode()) != data["crc32"]:
            return None
        records = {}
        for name, (*fields, taken, digest) in json.loads(data["records"]).items():
            if (len(fields) != 5 or not all(type(v) is int for v in (*fields, taken))
                    or len(bytes.fromhex(digest)) != 32):
                return None
            record = Record(tuple(fields), taken, bytes.fromhex(digest))
            if record.lasting:
                records[name] = record
        return records
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def forget() -> None:
    """Drop this process's records (the next fingerprint reads the kept ones or hashes)."""
    with _LOCK:
        _KNOWN.clear()
