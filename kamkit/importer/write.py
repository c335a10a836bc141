"""Writing an import: checked on a copy first, then each file atomically, with a backup.

The planned files are written into a temporary copy of the workbook and validated there
with ``kamkit validate``'s rules; only an import that adds no error is written for real.
Each file is replaced atomically (``kamkit.atomic``) after the previous version is kept
under ``.kamkit/backups/`` (``kamkit.edit.history``); the manifest is written last, so an
import cut short is completed by running it again.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kamkit.atomic import write_bytes_atomic
from kamkit.edit.history import History
from kamkit.errors import KamkitError
from kamkit.importer.merge import FilePlan
from kamkit.manifest import MANIFEST, Manifest, write_manifest
from kamkit.problems import Problem, Severity
from kamkit.schema import TABLES
from kamkit.workbook import Checked, check_workbook, is_demo


def target_folder(workbook: str | Path) -> Path:
    """The workbook folder an import writes to; a ``KamkitError`` for an .xlsx, a file or
    the bundled demo."""
    folder = Path(workbook)
    if folder.suffix.lower() == ".xlsx":
        raise KamkitError(f"{folder}: `kamkit import` writes a workbook folder of CSV files; "
                          "give a folder (a new one, or one made by `kamkit init`).")
    if folder.exists() and not folder.is_dir():
        raise KamkitError(f"{folder} is a file; give a workbook folder.")
    if is_demo(folder):
        raise KamkitError("The bundled demo workbook is read-only; import into a folder of "
                          "your own.")
    return folder


def _errors(checked: Checked | None) -> list[Problem]:
    if checked is None:
        return []
    return [p for p in checked.problems if p.severity is Severity.ERROR]


_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")
_TABLE_OF_FILE = {table.file_name: table for table in TABLES}


def _identity(problem: Problem, checked: Checked) -> tuple[object, ...]:
    """What a problem is about, so that one a workbook already had is known after the
    import moved its row: the file, the column, the kind of problem (its message with the
    numbers left out: row numbers and figures) and the row's key values (all its values for
    a table without a key) instead of its row number."""
    row: object = problem.row
    table = _TABLE_OF_FILE.get(problem.file)
    frame = checked.tables.get(table.name) if table is not None else None
    if table is not None and frame is not None and problem.row in frame.index:
        columns = list(table.key) or list(frame.columns)
        row = tuple("" if pd.isna(v) else str(v) for v in frame.loc[problem.row, columns])
    return (problem.file, problem.column, problem.location, _NUMBERS.sub("#", problem.message),
            row)


def trial(folder: Path, plans: Iterable[FilePlan]) -> tuple[Checked, list[Problem]]:
    """The workbook as the import would leave it, checked; and the errors it would add (an
    error it already had counts as new only when it is about other values: ``_identity``)."""
    has_tables = folder.is_dir() and any(folder.glob("*.csv"))
    checked_before = check_workbook(folder) if has_tables else None
    before = Counter(_identity(p, checked_before) for p in _errors(checked_before)
                     if checked_before is not None)
    with tempfile.TemporaryDirectory(prefix="kamkit-import-") as tmp:
        staging = Path(tmp) / "workbook"
        if folder.is_dir():
            shutil.copytree(folder, staging, ignore=shutil.ignore_patterns(".*"))
        staging.mkdir(exist_ok=True)
        for plan in plans:
            if plan.write is not None:
                (staging / plan.path.name).write_bytes(plan.write())
        after = check_workbook(staging)
    added = []
    for problem in _errors(after):
        identity = _identity(problem, after)
        if before[identity] > 0:
            before[identity] -= 1
        else:
            added.append(problem)
    return after, added


def write(folder: Path, plans: Iterable[FilePlan], manifest: Manifest) -> list[Path]:
    """Write the planned files and then the manifest; the files written."""
    history = History(folder)
    written = []
    for plan in plans:
        if plan.write is None:
            continue
        data = plan.write()
        if plan.path.exists():
            history.backup(plan.path, plan.path.read_bytes())
        write_bytes_atomic(plan.path, data)
        written.append(plan.path)
    if (folder / MANIFEST).exists():
        history.backup(folder / MANIFEST, (folder / MANIFEST).read_bytes())
    write_manifest(folder, manifest)
    return written
