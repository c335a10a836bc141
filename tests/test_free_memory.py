"""Memory a load freed goes back to the operating system (glibc's malloc on Linux)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kamkit.free_memory import _malloc_trim, load_allocator, release_free_memory


def private_kb() -> int:
    text = Path("/proc/self/status").read_text(encoding="ascii")
    return next(int(line.split()[1]) for line in text.splitlines()
                if line.startswith("RssAnon:"))


@pytest.mark.skipif(_malloc_trim() is None, reason="glibc's malloc_trim only")
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
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


@pytest.mark.skipif(_malloc_trim() is None, reason="glibc's malloc_trim only")
def test_a_load_allocates_from_malloc_and_restores_the_pool_after_it() -> None:
    import pyarrow as pa

    before = pa.default_memory_pool()
    with load_allocator():
        inside = pa.default_memory_pool().backend_name
        with load_allocator():  # nested (or another thread's load): still malloc
            assert pa.default_memory_pool().backend_name == inside
        made = pa.array(["x" * 100] * 1000)
        assert pa.default_memory_pool().backend_name == inside
    assert pa.default_memory_pool().backend_name == before.backend_name
    assert inside == ("system" if before.backend_name == "mimalloc" else before.backend_name)
    assert made.to_pylist()[-1] == "x" * 100  # freed later by the pool that made it
    with pytest.raises(RuntimeError), load_allocator():
        raise RuntimeError
    assert pa.default_memory_pool().backend_name == before.backend_name


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_cold_load_leaves_the_pool_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    import kamkit
    from kamkit.workbook_cache import CACHE_VARIABLE

    monkeypatch.setenv(CACHE_VARIABLE, "0")
    before = pa.default_memory_pool().backend_name
    book = kamkit.load_workbook()
    assert pa.default_memory_pool().backend_name == before
    assert len(book.sales) > 0
