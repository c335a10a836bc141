"""What checking and loading a small workbook costs, against a bare read of the same files
in the same run: the fixed cost per table and column that every test loading a small
workbook pays (issue 13's fast test tier).

For each workbook (default: the tests' 10-row ``tests/fixtures/mini`` and the bundled demo),
in CPU seconds of this process (every thread; wall time on a shared machine is mostly
waiting for a core), medians of ``--repeat`` rounds, each round measuring every step once,
interleaved:

- bare read (baseline): ``pandas.read_csv`` of every CSV file and ``yaml`` of every
  document, nothing typed or checked (``load_workbook.py``'s ``bare_read``);
- ``check_workbook``: read, type and check every table and document;
- cold load: ``load_workbook`` with the cache off (``KAMKIT_CACHE=0``);
- cold load, cache written: ``load_workbook`` into an empty cache folder;
- warm load: ``load_workbook`` from the cache.

Run: .venv/bin/python benchmarks/small_workbook.py [WORKBOOK ...] [--repeat 15]
To compare two versions, run it from each checkout (``PYTHONPATH=<checkout>``) one after
the other and compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from load_workbook import bare_read

import kamkit
from kamkit import workbook_cache
from kamkit.workbook import check_workbook

MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini"


def cpu(work: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    """The CPU seconds of one call of ``work`` (``before`` runs first, not counted)."""
    before()
    start = time.process_time()
    work()
    return time.process_time() - start


def measure(path: Path, repeat: int) -> dict[str, float]:
    """The median CPU seconds of each step for the workbook at ``path``."""
    cache = Path(tempfile.mkdtemp(prefix="kamkit-small-bench-"))
    os.environ[workbook_cache.FOLDER_VARIABLE] = str(cache)

    def emptied() -> None:
        shutil.rmtree(cache)
        cache.mkdir()

    def uncached() -> object:
        os.environ[workbook_cache.CACHE_VARIABLE] = "0"
        try:
            return kamkit.load_workbook(path)
        finally:
            del os.environ[workbook_cache.CACHE_VARIABLE]

    steps: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
        "bare read (baseline)": (lambda: bare_read(path), lambda: None),
        "check_workbook": (lambda: check_workbook(path), lambda: None),
        "cold load, cache off": (uncached, lambda: None),
        "cold load, cache written": (lambda: kamkit.load_workbook(path), emptied),
        "warm load (from cache)": (lambda: kamkit.load_workbook(path), lambda: None),
    }
    for work, before in steps.values():  # imports, compiled patterns, the cache entry
        before()
        work()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, (work, before) in steps.items():
            times[name].append(cpu(work, before))
    shutil.rmtree(cache, ignore_errors=True)
    return {name: statistics.median(found) for name, found in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbooks", nargs="*", type=Path,
                        default=[MINI, kamkit.DEMO_WORKBOOK])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"kamkit from {Path(kamkit.__file__).parent}")
    for path in args.workbooks:
        found = measure(path, args.repeat)
        baseline = found["bare read (baseline)"]
        print(f"\n{path} (CPU ms, median of {args.repeat}; ratio to the bare read)")
        for name, seconds in found.items():
            print(f"  {name:26s} {seconds * 1000:8.1f} ms  {seconds / baseline:5.1f}x")


if __name__ == "__main__":
    main()
