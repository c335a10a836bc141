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

To compare versions in one run, name their checkouts: ``--checkouts /work/main .`` runs
this script under each (``PYTHONPATH=<checkout>``, its own process) ``--turns`` times in
turn, ``--repeat`` rounds each, and gives the medians of all their rounds side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from load_workbook import bare_read

import kamkit
from kamkit import workbook_cache
from kamkit.workbook import check_workbook

MINI = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mini"
BASELINE = "bare read (baseline)"


def cpu(work: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    """The CPU seconds of one call of ``work`` (``before`` runs first, not counted)."""
    before()
    start = time.process_time()
    work()
    return time.process_time() - start


def measure(path: Path, repeat: int) -> dict[str, list[float]]:
    """The CPU seconds of each step in each round for the workbook at ``path``."""
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
        BASELINE: (lambda: bare_read(path), lambda: None),
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
    return times


def show(path: Path, columns: dict[str, dict[str, list[float]]]) -> None:
    """Each step's median CPU ms and its ratio to the bare read, one column per version."""
    rounds = {len(times[BASELINE]) for times in columns.values()}
    print(f"\n{path} (CPU ms, median of {'/'.join(map(str, sorted(rounds)))} rounds; "
          "ratio to the bare read)")
    if len(columns) > 1:
        print(" " * 28 + "".join(f"{name[-22:]:>24s}" for name in columns))
    for step in next(iter(columns.values())):
        cells = []
        for times in columns.values():
            seconds, baseline = statistics.median(times[step]), statistics.median(times[BASELINE])
            cells.append(f"{seconds * 1000:9.1f} ms {seconds / baseline:5.1f}x")
        print(f"  {step:26s}" + "".join(f"{cell:>24s}" for cell in cells))


def compare(checkouts: list[Path], workbooks: list[Path], repeat: int, turns: int) -> None:
    """This script under each checkout in turn, ``turns`` times; all rounds shown."""
    found: dict[str, dict[str, dict[str, list[float]]]] = {}
    for _ in range(turns):
        for checkout in checkouts:
            env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
            out = subprocess.run(
                [sys.executable, __file__, *map(str, workbooks), "--repeat", str(repeat),
                 "--json"], env=env, check=True, capture_output=True, text=True).stdout
            for book, times in json.loads(out).items():
                mine = found.setdefault(book, {}).setdefault(str(checkout), {})
                for step, seconds in times.items():
                    mine.setdefault(step, []).extend(seconds)
    for book, columns in found.items():
        show(Path(book), columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbooks", nargs="*", type=Path,
                        default=[MINI, kamkit.DEMO_WORKBOOK])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--checkouts", type=Path, nargs="+", default=None,
                        help="compare these checkouts in one run (e.g. /work/main .)")
    parser.add_argument("--turns", type=int, default=3,
                        help="with --checkouts: how many times each runs, in turn")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.checkouts:
        compare(args.checkouts, args.workbooks, args.repeat, args.turns)
        return
    found = {str(path): measure(path, args.repeat) for path in args.workbooks}
    if args.json:
        print(json.dumps(found))
        return
    print(f"kamkit from {Path(kamkit.__file__).parent}")
    for path, times in found.items():
        show(Path(path), {"": times})


if __name__ == "__main__":
    main()
