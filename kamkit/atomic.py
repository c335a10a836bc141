"""Atomic writes: a crash or a kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()
"""What a plain ``open(path, "w")`` would give, where a temporary file is made 0600: reports
are read by others (a web server, a shared folder)."""


_RANDOM = "abcdefghijklmnopqrstuvwxyz0123456789_"
_RANDOM_LENGTH = 8
"""A temporary name's random part: as ``tempfile`` makes it, so the leftovers of earlier
kamkit versions (which used ``tempfile.mkstemp``) are recognised too."""
_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[" + re.escape(_RANDOM) + "]{"
                        + str(_RANDOM_LENGTH) + r"}\.tmp", re.DOTALL)


def temp_name(name: str) -> str:
    """The name of a temporary file or folder that becomes ``name``: hidden, beside it,
    ``.<name>.<random>.tmp`` (``is_temp_name`` knows it)."""
    random = "".join(secrets.choice(_RANDOM) for _ in range(_RANDOM_LENGTH))
    return f".{name}.{random}.tmp"


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one ``temp_name`` makes (a hidden ``.notes.v2.tmp`` is not)."""
    return _TEMP_NAME.fullmatch(name) is not None


def _made_beside(path: Path, make: Callable[[Path], T]) -> tuple[Path, T]:
    """A new temporary path beside ``path`` made by ``make`` (which raises FileExistsError
    when the name is taken: another is tried) and what ``make`` returned."""
    for _ in range(100):
        tmp = path.parent / temp_name(path.name)
        try:
            return tmp, make(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No temporary name is free", str(path))


_CREATE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
    os, "O_BINARY", 0)


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
        tmp, fd = _made_beside(path, lambda tmp: os.open(tmp, _CREATE, 0o600))
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
        staging, _ = _made_beside(target, lambda tmp: os.mkdir(tmp, 0o700))
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
    ``folder`` and below: only names this module makes (``is_temp_name``). Call it only
    while no other writer can be at work there (``kamkit run`` holds its lock)."""
    removed = []
    for tmp in folder.rglob(".*.tmp"):
        if tmp.is_file() and is_temp_name(tmp.name):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold the file ``lock`` exclusively meanwhile (waiting for other processes that hold
    it): for a read, merge and write that must not lose another writer's part. Without
    ``fcntl`` (not POSIX) there is no lock: an atomic write still keeps the file whole."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with lock.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        yield
