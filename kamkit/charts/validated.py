"""The shapes of chart specs validated against the Vega-Lite schema, kept across processes.

``render.chart_spec`` validates a spec in full only when its shape (``digest``: its keys,
nesting and the types of its values) was never validated; each kernel of a run validated
every shape of its first report again, about 0.4 s of CPU. A shape validated by any
process (a run, a test, a notebook) is kept in one small JSON file, which later processes
read once.

The file is named by its key (``key``): a hash of Altair's version (which writes the specs
and bundles the schema), jsonschema's (which validates), the Vega-Lite schema's, kamkit's
version and code (``code_fingerprint``: the charts, which decide what values a shape can
hold) and Python's. Any change to one of them gives another file, so a shape is never
vouched for by a validation of other code or another schema. A file that cannot be read, or
is damaged or foreign (another format or key inside), is taken as empty and rewritten at
the next shape validated. Writers merge what the file holds with their own shapes under a
lock (where the system has ``fcntl``) and replace it atomically: kernels validating at once
lose nothing.

The files live in ``chart-shapes`` of kamkit's user cache folder
(``workbook_cache.user_cache``), the newest ``KEEP`` of them; ``KAMKIT_CACHE=0`` turns it
off (each process then validates each shape once, as before).
"""

from __future__ import annotations

import hashlib
import json
import sys
from contextlib import suppress
from functools import cache
from pathlib import Path

from kamkit import workbook_cache
from kamkit.atomic import exclusive, write_bytes_atomic

FOLDER = "chart-shapes"
KEEP = 8
"""Files kept (versions of kamkit and its libraries used lately); older ones go."""

_FORMAT = "kamkit-chart-shapes-1"
_LOCK = ".lock"

_SEEN: set[str] = set()
"""The digests of the shapes validated, in this process or kept in the file."""
_READ: list[bool] = [False]
"""Whether the file was read in this process (once)."""


def _canonical(node: object) -> str:
    """A spec's shape as text: its keys in order, nesting and the types of its values,
    without the values themselves or the data (``datasets``); a list as the set of its
    items' shapes (sorted: the same text in every process)."""
    if isinstance(node, dict):
        return "{" + ",".join(f"{json.dumps(key)}:{_canonical(value)}"
                              for key, value in node.items() if key != "datasets") + "}"
    if isinstance(node, list):
        return "[" + ",".join(sorted({_canonical(item) for item in node})) + "]"
    return type(node).__name__


def digest(spec: dict[str, object]) -> str:
    """The digest of a spec's shape. Two specs of one shape differ only in values of the
    same type (titles, numbers, field lists), which the schema does not constrain beyond
    their type in any kamkit chart."""
    return hashlib.blake2b(_canonical(spec).encode(), digest_size=16).hexdigest()


@cache
def key() -> str:
    """The name of the file of this process's shapes: what decides whether a shape is
    valid (see the module)."""
    from importlib.metadata import version

    import altair

    return workbook_cache.entry_key(_FORMAT, altair.__version__, version("jsonschema"),
                                    altair.SCHEMA_VERSION, sys.version)


def _folder() -> Path:
    return workbook_cache.user_cache() / FOLDER


def _file() -> Path:
    return _folder() / f"{key()}.json"


def _kept() -> set[str]:
    """The digests in this process's file; none when it is missing, damaged or foreign."""
    try:
        kept = json.loads(_file().read_bytes())
        if kept.get("format") != _FORMAT or kept.get("key") != key():
            return set()
        shapes = kept["shapes"]
        if not (isinstance(shapes, list) and all(isinstance(s, str) for s in shapes)):
            return set()
        return set(shapes)
    except Exception:  # not there, unreadable, damaged: validate again
        return set()


def read() -> None:
    """Read the file into this process, once (a kernel's warm-up does it ahead)."""
    if not _READ[0]:
        _READ[0] = True
        if workbook_cache.enabled():
            _SEEN.update(_kept())


def known(shape: str) -> bool:
    """Whether the shape with digest ``shape`` was validated (here or in the file)."""
    read()
    return shape in _SEEN


def add(shape: str) -> None:
    """Keep the shape with digest ``shape`` as validated, here and in the file; a file that
    cannot be written is left as it is."""
    _SEEN.add(shape)
    if not workbook_cache.enabled():
        return
    folder = _folder()
    with suppress(OSError):  # a read-only cache: this process keeps its own
        folder.mkdir(parents=True, exist_ok=True)
        with exclusive(folder / _LOCK):
            _SEEN.update(_kept())  # what others wrote meanwhile
            write_bytes_atomic(_file(), json.dumps(
                {"format": _FORMAT, "key": key(), "shapes": sorted(_SEEN)}).encode())
            workbook_cache.prune(folder, KEEP)
