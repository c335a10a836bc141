"""A workbook path as a notebook's user means it.

A notebook's kernel works in the notebook's folder (``notebooks/``), while its user wrote
the path from where they work: `kamkit init my-workbook` at the project's root, then
``workbook = "my-workbook"`` in ``notebooks/explore.ipynb``. A relative path is looked up
in the kernel's folder first, then in the folders above it up to the project's root (the
first with ``.git`` or ``pyproject.toml``, at most ``MAX_UP`` folders up, never above the
home folder); where it is in none, the message names where it looked and what is close.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from kamkit.errors import KamkitError

MAX_UP = 3
"""How many folders above the kernel's a relative workbook path is looked up in."""

PROJECT_MARKERS = (".git", "pyproject.toml")
"""A folder holding one of these is the project's root: nothing above it is searched."""


def search_folders(start: Path) -> list[Path]:
    """``start`` and the folders above it where a relative path is looked up, nearest
    first: up to the project's root, at most ``MAX_UP`` up, never above the home folder."""
    home = Path.home().resolve()
    folders = []
    for folder in (start, *start.parents)[:MAX_UP + 1]:
        folders.append(folder)
        if folder == home or any((folder / marker).exists() for marker in PROJECT_MARKERS):
            break
    return folders


def _shown(path: Path, start: Path) -> str:
    """``path`` as the user would write it from ``start`` (``../my-workbook``)."""
    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive (Windows)
        return str(path)


def _close(path: Path, folders: list[Path], start: Path) -> list[str]:
    """Workbooks (folders, .xlsx files) beside where ``path`` would be from each of
    ``folders`` whose names are close to its name, as paths from ``start``."""
    candidates: dict[str, Path] = {}
    for folder in folders:
        try:
            entries = list((folder / path.parent).iterdir())
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(".") and (
                    entry.is_dir() or entry.suffix.lower() == ".xlsx"):
                candidates.setdefault(entry.name, entry)
    close = difflib.get_close_matches(path.name, list(candidates), n=2, cutoff=0.6)
    return [_shown(candidates[found], start) for found in close]


def workbook_path(given: str | Path, start: Path | None = None) -> Path:
    """The workbook ``given`` names: itself when it is absolute or is there from ``start``
    (default: the working folder, a kernel's is its notebook's), else the first folder
    above ``start`` that holds it (``search_folders``).

    Raises
    ------
    KamkitError
        Where it is in none: naming the folders looked in and a close name found there.
    """
    path = Path(given).expanduser()
    here = (start or Path.cwd()).resolve()
    if path.is_absolute() or (here / path).exists():
        return here / path  # an absolute path stays as it is (``/`` joins to it)
    folders = search_folders(here)
    for folder in folders[1:]:
        if (folder / path).exists():
            return folder / path
    close = _close(path, folders, here)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise KamkitError(
        f"No workbook at {here / path}, nor at {str(given)!r} from the folders above it up "
        f"to the project's ({', '.join(str(f) for f in folders[1:]) or 'none'}).{hint} "
        "Give a folder of CSV files or an .xlsx file, as a path from one of those folders "
        "or in full (`kamkit init DIR` writes a starting point).")
