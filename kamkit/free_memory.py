"""Memory a cold load freed, handed back to the operating system.

Reading a large workbook makes and drops many intermediate buffers (text, cells, masks),
and the allocators keep what was freed for later use: at 1,000 accounts a process grew by
about 290 MB for 52 MB of tables, of which about 100 MB were free pages kept by Arrow's
allocator (mimalloc) and glibc's ``malloc``. Each kernel of a run that parsed the workbook
would keep them all its life; given back, the process holds about what the workbook holds.

Nothing here changes what a load returns; where an allocator cannot be asked (another C
library than glibc, no ctypes) that allocator's pages simply stay.

Arrow's own pool (mimalloc) keeps more than asked to give back: the tables' buffers lie in
its segments between the freed ones of the text and cells read before them, and a segment
with one buffer in use stays whole. A cold load therefore allocates Arrow memory from the C
library's ``malloc`` (``load_allocator``), whose free pages ``malloc_trim`` returns wherever
they lie: at 1,000 accounts the process then grows by about 1.8x the tables' size instead
of 2.6x (benchmarks/README.md, Session 7).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None elsewhere (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> None:
    """Give free pages kept by Arrow's memory pool and by ``malloc`` back to the system
    (well under a millisecond when there is little to give)."""
    if "pyarrow" in sys.modules:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)  # every arena, also the freed pages in the middle of the heap


_POOL_LOCK = threading.Lock()
_POOL_STATE: dict[str, Any] = {"open": 0, "restore": None}  # blocks open, the pool of before


@contextmanager
def load_allocator() -> Iterator[None]:
    """Within the block Arrow allocates from the C library's ``malloc`` (Arrow's system
    pool) where its default is mimalloc: a buffer is freed by the pool that made it, so the
    tables outlive the block unchanged. Blocks may overlap (threads): the pool of before is
    restored when the last one ends. Only on glibc, whose freed pages
    ``release_free_memory`` gives back; elsewhere nothing changes."""
    if _malloc_trim() is None:
        yield
        return
    import pyarrow as pa

    with _POOL_LOCK:
        if not _POOL_STATE["open"]:
            previous = pa.default_memory_pool()
            _POOL_STATE["restore"] = previous
            if previous.backend_name == "mimalloc":
                pa.set_memory_pool(pa.system_memory_pool())
        _POOL_STATE["open"] += 1
    try:
        yield
    finally:
        with _POOL_LOCK:
            _POOL_STATE["open"] -= 1
            if not _POOL_STATE["open"]:
                pa.set_memory_pool(_POOL_STATE["restore"])
                _POOL_STATE["restore"] = None
