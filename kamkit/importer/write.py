"""Writing an import: checked on a copy first, then each file atomically, with a backup.

The planned files are written into a temporary copy of the workbook and validated there
with ``kamkit validate``'s rules; only an import that adds no error is written for real.
Each file is replaced atomically (``kamkit.atomic``) after the previous version is kept
under ``.kamkit/backups/`` (``kamkit.edit.history``); the manifest is written last, so an
import cut short is completed by running it again.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kamkit.atomic import write_bytes_atomic
from kamkit.edit.history import History
from kamkit.errors import KamkitError
from kamkit.importer.merge import FilePlan
from kamkit.manifest import MANIFEST, Manifest, write_manifest
from kamkit.problems import Problem, Severity
from kamkit.workbook import DEMO_WORKBOOK, Checked, check_workbook


def target_folder(workbook: str | Path) -> Path:
    """The workbook folder an import writes to; a ``KamkitError`` for an .xlsx, a file or
    the bundled demo."""
    folder = Path(workbook)
    if folder.suffix.lower() == ".xlsx":
        raise KamkitError(f"{folder}: `kamkit import` writes a workbook folder of CSV files; "
                          "give a folder (a new one, or one made by `kamkit init`).")
    if folder.exists() and not folder.is_dir():
        raise KamkitError(f"{folder} is a file; give a workbook folder.")
    if folder.resolve() == DEMO_WORKBOOK.resolve():
        raise KamkitError("The bundled demo workbook is read-only; import into a folder of "
                          "your own.")
    return folder


def _errors(checked: Checked | None) -> list[Problem]:
    if checked is None:
        return []
    return [p for p in checked.problems if p.severity is Severity.ERROR]


def trial(folder: Path, plans: Iterable[FilePlan]) -> tuple[Checked, list[Problem]]:
    """The workbook as the import would leave it, checked; and the errors it would add."""
    has_tables = folder.is_dir() and any(folder.glob("*.csv"))
    before = {str(p) for p in _errors(check_workbook(folder) if has_tables else None)}
    with tempfile.TemporaryDirectory(prefix="kamkit-import-") as tmp:
        staging = Path(tmp) / "workbook"
        if folder.is_dir():
            shutil.copytree(folder, staging, ignore=shutil.ignore_patterns(".*"))
        staging.mkdir(exist_ok=True)
        for plan in plans:
            if plan.write is not None:
                (staging / plan.path.name).write_bytes(plan.write())
        after = check_workbook(staging)
    added = [p for p in _errors(after) if str(p) not in before]
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
