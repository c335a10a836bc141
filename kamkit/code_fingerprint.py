"""A hash of kamkit's own code, labels and report templates: part of the key of every cache
that holds what kamkit computed (the workbook's parsed tables and validation results, the
portfolio's measurement, an account's reports), so a changed rule is never answered from an
entry made by the code before it, not even in a development tree whose version is the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import kamkit

_PACKAGE = Path(kamkit.__file__).resolve().parent
_CODE_SUFFIXES = {".py", ".yaml", ".j2", ".json", ".css", ".js"}


def digest(parts: Iterable[bytes]) -> str:
    """SHA-256 of ``parts``, each prefixed with its length (so no two lists collide)."""
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()


@cache
def code_fingerprint() -> str:
    """A hash of kamkit's code, labels and report templates (not the demo data)."""
    files = sorted(p for p in _PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES
                   and "__pycache__" not in p.parts and "demo" not in p.parts)
    return digest(part for p in files
                  for part in (str(p.relative_to(_PACKAGE)).encode(), p.read_bytes()))
