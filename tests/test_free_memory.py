"""Memory a load freed goes back to the operating system (glibc's malloc on Linux)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kamkit.free_memory import _malloc_trim, release_free_memory


def private_kb() -> int:
    text = Path("/proc/self/status").read_text(encoding="ascii")
    return next(int(line.split()[1]) for line in text.splitlines()
                if line.startswith("RssAnon:"))


@pytest.mark.skipif(_malloc_trim() is None, reason="glibc's malloc_trim only")
def test_freed_blocks_in_the_middle_of_the_heap_are_given_back() -> None:
    blocks = [os.urandom(100_000) for _ in range(400)]  # 40 MB below the mmap threshold
    last = blocks[-1]  # keeps the heap's top in use: malloc trims only its top by itself
    del blocks
    before = private_kb()
    release_free_memory()
    assert before - private_kb() > 20_000  # most of the 40 MB
    assert len(last) == 100_000


def test_releasing_is_harmless_anywhere() -> None:
    release_free_memory()
    release_free_memory()
