"""How long loading and validating the demo workbook takes, against a bare read of the same
files (pandas.read_csv of every table and yaml.load of every document) in the same run.

Run: .venv/bin/python benchmarks/load_workbook.py [WORKBOOK] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

import kamkit
import kamkit.schema


def bare_read(path: Path) -> None:
    """The baseline: read every file, check nothing."""
    for csv in sorted(path.glob("*.csv")):
        pd.read_csv(csv)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for doc in sorted((path / "documents").glob("*.yaml")):
        yaml.load(doc.read_text(encoding="utf-8"), Loader=loader)


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workbook", nargs="?", type=Path, default=kamkit.DEMO_WORKBOOK)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    kamkit.load_workbook(args.workbook)  # warm imports and caches for both
    baseline = statistics.median(timed(lambda: bare_read(args.workbook), args.repeat))
    loading = statistics.median(timed(lambda: kamkit.load_workbook(args.workbook), args.repeat))
    rows = sum(len(kamkit.load_workbook(args.workbook).table(t.name))
               for t in kamkit.schema.TABLES)
    print(f"workbook: {args.workbook} ({rows} rows)")
    print(f"bare read (baseline):      {baseline:.3f} s")
    print(f"kamkit.load_workbook:      {loading:.3f} s")
    print(f"ratio load / bare read:    {loading / baseline:.1f}x (median of {args.repeat})")


if __name__ == "__main__":
    main()
