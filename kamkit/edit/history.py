"""Backups of saved files and the change log of a workbook.

Backups go to ``<base>/.kamkit/backups/<file>/``, where ``<base>`` is the workbook folder
(or the folder holding an .xlsx workbook): a hidden folder that kamkit never reads as data.
The last ``KEEP`` versions of each file are kept. The change log is ``<base>/kamkit-changes.csv``,
one line per changed field or row, in plain UTF-8 CSV so a person can read a plan's history.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd

from kamkit.atomic import write_bytes_atomic
from kamkit.edit.results import Logged
from kamkit.edit.tree import MISSING, norm

STATE = ".kamkit"
BACKUPS = "backups"
SAVED = "saved"
"""Where each save's result is kept too (``<base>/.kamkit/saved/<file>/``): what an undo in a
later session merges from when the file changed since."""
LOG = "kamkit-changes.csv"
KEEP = 20
"""Backups kept per file."""
LOG_COLUMNS = ["when", "who", "account", "file", "where", "before", "after", "save"]


def author() -> str:
    """Who saves: $KAMKIT_USER, else git's user.name, else the login name."""
    name = os.environ.get("KAMKIT_USER", "").strip()
    if name:
        return name
    try:
        found = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                               timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found:
        return found
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def version_of(data: bytes | None) -> str | None:
    """The content hash a draft remembers to notice a change on disk."""
    return None if data is None else hashlib.sha256(data).hexdigest()[:20]


def shown(value: Any) -> str:
    """A value as the change log shows it."""
    if value is MISSING or value is None:
        return ""
    value = norm(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


class History:
    """The backups and the change log of one workbook."""

    def __init__(self, base: Path) -> None:
        self.base = base

    @property
    def log(self) -> Path:
        return self.base / LOG

    def backup(self, file: Path, data: bytes, save: str | None = None) -> Path:
        """Keep ``data`` (the file before a save, named by ``save`` when given); drop the
        oldest beyond ``KEEP``."""
        return self._keep(BACKUPS, file, data, f"{version_of(data)}" + (
            f"-{save}" if save else ""))

    def keep_saved(self, file: Path, data: bytes, save: str) -> Path:
        """Keep ``data``, the file as ``save`` wrote it (for an undo in a later session)."""
        return self._keep(SAVED, file, data, save)

    def find(self, kind: str, file: Path, save: str) -> Path | None:
        """The backup (``BACKUPS``) or saved copy (``SAVED``) of ``file`` made by ``save``."""
        found = sorted(self._folder(kind, file).glob(f"*-{save}{file.suffix}"))
        return found[-1] if found else None

    def _folder(self, kind: str, file: Path) -> Path:
        return self.base / STATE / kind / file.resolve().relative_to(self.base.resolve())

    def _keep(self, kind: str, file: Path, data: bytes, name: str) -> Path:
        state = self.base / STATE
        folder = self._folder(kind, file)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}-{name}{file.suffix}"
        write_bytes_atomic(target, data)
        ignore = state / ".gitignore"
        if not ignore.exists():  # backups are local copies, not part of the workbook's history
            write_bytes_atomic(ignore, b"*\n")
        for old in sorted(folder.glob(f"*{file.suffix}"))[:-KEEP]:
            old.unlink(missing_ok=True)
        return target

    def append(self, entries: list[Logged]) -> None:
        if not entries:
            return
        old = self.log.read_bytes() if self.log.exists() else b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if not old:
            writer.writerow(LOG_COLUMNS)
        for entry in entries:
            writer.writerow([getattr(entry, c) for c in LOG_COLUMNS])
        write_bytes_atomic(self.log, old + out.getvalue().encode("utf-8"))

    def read(self, account_id: str | None = None) -> pd.DataFrame:
        """The change log, oldest first (only ``account_id``'s entries when given)."""
        if not self.log.exists():
            return pd.DataFrame(columns=LOG_COLUMNS, dtype="string")
        frame = pd.read_csv(self.log, dtype="string", keep_default_na=False)
        frame["when"] = pd.to_datetime(frame["when"], utc=True, format="ISO8601")
        if account_id is not None:
            frame = frame[frame["account"] == account_id]
        return frame.reset_index(drop=True)
