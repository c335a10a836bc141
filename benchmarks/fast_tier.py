"""The fast tier's cost and coverage, test by test: which dear tests it could give to ``slow``
without covering fewer lines of kamkit (the rule: conftest.py at the top of the repository).

    python benchmarks/fast_tier.py                     # runs the fast tier once, -n 2
    python benchmarks/fast_tier.py --data DIR          # reads a run this script made

It runs ``make test-fast``'s pytest command under coverage with one context per test
(``--cov=kamkit --cov-context=test``) and with ``--cpu-log`` (tests/tier_costs.py), then
prints the tier's CPU and line coverage of kamkit, and goes through the tests that cost more
than ``--threshold`` CPU seconds, dearest first: a test every line of which the rest of the
tier still covers is *redundant* (it can go to ``slow``, or be sampled, and the tier covers
the same lines); the others are listed with the lines only they cover. A test's CPU includes
a shared build it was the first in its process to use (the demo reports, say): such a build
is paid by the next test that uses it, so moving that test saves less than it cost. CPU under
coverage is about twice that without: compare the figures of one run."""

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


def run_tier(folder: Path, workers: int) -> None:
    """The fast tier under coverage, a context per test, its data and costs in ``folder``."""
    env = {**os.environ, "COVERAGE_FILE": str(folder / "coverage")}
    subprocess.run([sys.executable, "-m", "pytest", "-m", TIER, "-n", str(workers), "-q",
                    "--cov=kamkit", "--cov-context=test",
                    "--cov-report=", f"--cpu-log={folder / 'costs.json'}"],
                   cwd=ROOT, env=env, check=False)


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


def statements(folder: Path) -> tuple[int, float]:
    """The number of kamkit's statements and the percentage the run covered."""
    cov = coverage.Coverage(data_file=str(folder / "coverage"), source=["kamkit"])
    cov.load()
    percent = cov.report(file=io.StringIO())
    total = 0
    for filename in cov.get_data().measured_files() | {str(p) for p in
                                                        (ROOT / "kamkit").rglob("*.py")}:
        try:
            total += len(cov.analysis2(filename)[1])
        except coverage.CoverageException:
            continue
    return total, percent


def choose(costs: dict[str, float], tests: dict[str, set[Line]], shared: set[Line],
           threshold: float) -> tuple[list[str], list[tuple[str, int]]]:
    """Dearest first, the tests over ``threshold`` whose every line the tests left in the
    tier still cover (redundant), and the others with how many lines only they cover."""
    left = Counter(line for lines in tests.values() for line in lines)
    redundant, unique = [], []
    for nodeid in sorted(costs, key=costs.__getitem__, reverse=True):
        if costs[nodeid] <= threshold:
            break
        lines = tests.get(nodeid, set())
        own = [line for line in lines if left[line] == 1 and line not in shared]
        if own:
            unique.append((nodeid, len(own)))
            continue
        redundant.append(nodeid)
        left.subtract(lines)
    return redundant, unique


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="a folder of an earlier run of this script")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="CPU seconds of a test over which it is looked at (0.5)")
    parser.add_argument("-n", "--workers", type=int, default=2)
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="fast-tier-"))
    if args.data is None:
        run_tier(folder, args.workers)
        print(f"data in {folder} (--data {folder} reads it again)")
    costs: dict[str, float] = json.loads((folder / "costs.json").read_text(encoding="utf-8"))
    data = coverage.CoverageData(basename=str(folder / "coverage"))
    data.read()
    tests, shared = lines_by_test(data)
    total, percent = statements(folder)
    redundant, unique = choose(costs, tests, shared, args.threshold)
    print(f"\nfast tier: {len(costs)} tests, {sum(costs.values()):.1f} s of CPU in tests "
          f"(under coverage), {percent:.1f}% of kamkit's {total} statements")
    print(f"\n{len(redundant)} tests over {args.threshold:g} s whose lines the rest of the tier "
          f"covers ({sum(costs[n] for n in redundant):.1f} s): for slow, or a sample")
    for nodeid in redundant:
        print(f"  {costs[nodeid]:6.2f}  {nodeid}")
    print(f"\n{len(unique)} tests over {args.threshold:g} s that alone cover some lines "
          f"({sum(costs[n] for n, _ in unique):.1f} s): keep, or make cheaper")
    for nodeid, count in unique:
        print(f"  {costs[nodeid]:6.2f}  {count:4d} lines  {nodeid}")


if __name__ == "__main__":
    main()
