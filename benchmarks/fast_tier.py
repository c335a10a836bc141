"""The fast tier's cost and coverage, test by test: which dear tests it could give to ``slow``
without covering fewer lines of kamkit (the rule: conftest.py at the top of the repository).

    python benchmarks/fast_tier.py                     # runs the fast tier once, -n 2
    python benchmarks/fast_tier.py --data DIR          # reads a run this script made

It runs ``make test-fast``'s pytest command (on ``paths`` if given) under coverage with one
context per test (``--cov=kamkit --cov-context=test``) and with ``--cpu-log``
(tests/tier_costs.py), then prints the tier's CPU and line coverage of kamkit, and goes
through the tests over the threshold, dearest first: a test that covers fewer than ``--rate``
lines per CPU second that the tests left in the tier do not is listed to move (``slow``, or a
smaller ``sample(n)``; most cover no such line: another input through the same lines); the
others earn their place. Last, the tier's CPU and coverage without the listed tests. A test's
CPU includes a shared build it was the first in its process to use (the demo reports, a
module fixture): the next user pays it then, so moving such a test saves less than it cost;
make the build lazy instead where it can be. CPU under coverage is about twice that without
(``COVERAGE_COST``): the defaults are the rule's figures scaled by it. After marking,
``--data DIR --now`` checks the tier as the tree marks it against the recorded run (a family's
``sample(n)`` keeps cases spread evenly, not necessarily the ones listed to keep)."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
TIER = "not notebook and not browser and not slow"
Line = tuple[str, int]
COVERAGE_COST = 2.0
"""About how much dearer a test is under coverage with contexts (359 against 171 CPU s for the
whole tier, 2026-11-28): this script's figures are under coverage, the rule's are not."""
THRESHOLD = 0.1 * COVERAGE_COST
"""The rule's 0.1 s of CPU over which a test must earn its place (conftest.py), under
coverage."""
RATE = 10.0 / COVERAGE_COST
"""The rule's 10 lines of kamkit no other fast test covers per CPU second, under coverage."""


def run_tier(folder: Path, workers: int, paths: list[str]) -> None:
    """The fast tier (of ``paths``, or all) under coverage, a context per test, its data and
    costs in ``folder``; without pytest's cache, so that each process measures the
    portfolios it reports on, as a test alone would (``batch.measured_cache.source``), and the lines
    of measuring count for every test that needs them."""
    env = {**os.environ, "COVERAGE_FILE": str(folder / "coverage")}
    subprocess.run([sys.executable, "-m", "pytest", "-m", TIER, "-n", str(workers), "-q",
                    "-p", "no:cacheprovider", "--cov=kamkit", "--cov-context=test",
                    "--cov-report=", f"--cpu-log={folder / 'costs.json'}", *paths],
                   cwd=ROOT, env=env, check=False)


def tier_now() -> set[str]:
    """The tests of the fast tier as the markers in the tree sort them now."""
    out = subprocess.run([sys.executable, "-m", "pytest", "-m", TIER, "-n", "0", "-q",
                          "--collect-only"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return {line for line in out.splitlines() if "::" in line}


def lines_by_test(data: coverage.CoverageData) -> tuple[dict[str, set[Line]], set[Line]]:
    """The kamkit lines each test ran (setup, call, teardown), and those run outside any
    test (imports at collection)."""
    tests: dict[str, set[Line]] = {}
    shared: set[Line] = set()
    for filename in data.measured_files():
        for lineno, contexts in data.contexts_by_lineno(filename).items():
            for context in contexts:
                nodeid = context.rsplit("|", 1)[0]
                (tests.setdefault(nodeid, set()) if nodeid else shared).add((filename, lineno))
    return tests, shared


def statements(folder: Path) -> tuple[set[Line], float]:
    """kamkit's statements and the percentage of them the run covered."""
    cov = coverage.Coverage(data_file=str(folder / "coverage"), source=["kamkit"])
    cov.load()
    percent = cov.report(file=io.StringIO())
    found: set[Line] = set()
    for path in (ROOT / "kamkit").rglob("*.py"):
        found.update((str(path), lineno) for lineno in cov.analysis2(str(path))[1])
    return found, percent


def choose(costs: dict[str, float], tests: dict[str, set[Line]], shared: set[Line],
           threshold: float, rate: float) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Dearest first, the tests over ``threshold`` that cover fewer than ``rate`` lines per
    CPU second that the tests left in the tier do not (to move: most cover none), and the
    others, each with how many lines only it covers."""
    left = Counter(line for lines in tests.values() for line in lines)
    moved, kept = [], []
    for nodeid in sorted(costs, key=costs.__getitem__, reverse=True):
        if costs[nodeid] <= threshold:
            break
        lines = tests.get(nodeid, set())
        own = sum(1 for line in lines if left[line] == 1 and line not in shared)
        if own >= rate * costs[nodeid]:
            kept.append((nodeid, own))
            continue
        moved.append((nodeid, own))
        left.subtract(lines)
    return moved, kept


def covered(tests: dict[str, set[Line]], shared: set[Line], keep: set[str],
            among: set[Line]) -> int:
    """The number of the statements ``among`` that the tests ``keep`` (or imports) run."""
    return len(among & shared.union(*(lines for nodeid, lines in tests.items()
                                          if nodeid in keep)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="test files or folders (default: all)")
    parser.add_argument("--data", type=Path, help="a folder of an earlier run of this script")
    parser.add_argument("--threshold", type=float, default=THRESHOLD,
                        help="CPU seconds (under coverage) of a test over which it is looked "
                             f"at ({THRESHOLD:g})")
    parser.add_argument("--rate", type=float, default=RATE,
                        help="lines covered by no other test per CPU second that keep a test "
                             f"over the threshold in the tier ({RATE:g})")
    parser.add_argument("--now", action="store_true",
                        help="with --data: the recorded CPU and coverage of the tier as the "
                             "tree marks it now (after moving tests)")
    parser.add_argument("-n", "--workers", type=int, default=2)
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="fast-tier-"))
    if args.data is None:
        run_tier(folder, args.workers, args.paths)
        print(f"data in {folder} (--data {folder} reads it again)")
    costs: dict[str, float] = json.loads((folder / "costs.json").read_text(encoding="utf-8"))
    data = coverage.CoverageData(basename=str(folder / "coverage"))
    data.read()
    tests, shared = lines_by_test(data)
    found, percent = statements(folder)
    total = len(found)
    if args.now:
        keep = tier_now()
        now = 100 * covered(tests, shared, keep, found) / total
        then = 100 * covered(tests, shared, set(costs), found) / total
        print(f"the tier now: {len(keep)} tests, {sum(costs.get(n, 0) for n in keep):.1f} s of "
              f"CPU in tests as recorded, {now:.1f}% of the statements (the recorded run: "
              f"{len(costs)} tests, {sum(costs.values()):.1f} s, {then:.1f}%)")
        return
    moved, kept = choose(costs, tests, shared, args.threshold, args.rate)
    every = covered(tests, shared, set(costs), found)
    after = covered(tests, shared, set(costs) - {nodeid for nodeid, _ in moved}, found)
    cpu = sum(costs.values())
    print(f"\nfast tier: {len(costs)} tests, {cpu:.1f} s of CPU in tests, {percent:.1f}% of "
          f"kamkit's {total} statements ({every} lines)")
    print(f"\n{len(moved)} tests over {args.threshold:g} s that cover fewer than {args.rate:g} "
          f"lines per second no other test covers ({sum(costs[n] for n, _ in moved):.1f} s): "
          "for slow, or a sample")
    for nodeid, own in moved:
        print(f"  {costs[nodeid]:6.2f}  {own:4d} lines  {nodeid}")
    print(f"\n{len(kept)} tests over {args.threshold:g} s that earn their place "
          f"({sum(costs[n] for n, _ in kept):.1f} s)")
    for nodeid, own in kept:
        print(f"  {costs[nodeid]:6.2f}  {own:4d} lines  {nodeid}")
    print(f"\nwithout the {len(moved)}: {cpu - sum(costs[n] for n, _ in moved):.1f} s of CPU "
          f"in tests, {after} lines ({every - after} fewer: {100 * after / total:.1f}% against "
          f"{100 * every / total:.1f}% of the statements)")


if __name__ == "__main__":
    main()
