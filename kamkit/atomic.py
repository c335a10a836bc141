"""Atomic writes: a crash or a kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()
"""What a plain ``open(path, "w")`` would give, where mkstemp gives 0600: reports are read
by others (a web server, a shared folder)."""


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _named(error: OSError, path: Path) -> OSError:
    """The error with the file the user knows (not a temporary name, or none at all, as a
    full disk's write gives)."""
    return OSError(error.errno, error.strerror, str(path))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename; on
    any failure (a full disk, a read-only folder) no temporary file is left and the
    ``OSError`` names ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        if error.errno is None:
            raise
        raise _named(error, path) from error
    try:
        if hasattr(os, "fchmod"):  # POSIX
            os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        if error.errno is None:  # no system error to name a file in
            raise
        raise _named(error, path) from error
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_tree_atomic(source: Path, target: Path) -> None:
    """Copy a folder to ``target``, which must not exist yet, appearing there whole or not at
    all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp"))
    except OSError as error:
        raise _named(error, target) from error
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        os.replace(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        if error.errno is None:
            raise
        raise _named(error, target) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files a write killed midway (``kill -9``, a power cut) left in
    ``folder`` and below: only names this module makes (``.<name>.<random>.tmp``). Call it
    only while no other writer can be at work there (``kamkit run`` holds its lock)."""
    removed = []
    for tmp in folder.rglob(".*.tmp"):
        if tmp.is_file() and tmp.name.count(".") >= 3:
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed
