"""How long the workbench takes to show another account, against re-running the analysis
notebook's cells for it (the way to look at another account before the workbench).

For each account: the explorer's pick (account card with key figures, and the visible view,
"Spend and share", with its charts as Vega specs for JupyterLab to draw) the first time and
again (cached), and, as the baseline in the same run, building every section of the analysis
report with its charts as the notebook shows them (Vega spec and SVG) in the same process
(what "edit the parameters cell and run all" costs, kernel start-up excluded). Median over
the accounts; the ratio is pick / baseline.

Run: .venv/bin/python benchmarks/explore.py [--workbook PATH | --replicate 1000] [--accounts N]
[--as-of Q]; ``--replicate N`` measures a workbook of N accounts made from the demo's
(``scripts/make_large.py``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kamkit.report.analysis import AnalysisReport
from kamkit.widgets import Explorer
from kamkit.widgets.views import section_outputs
from kamkit.workbook import load_workbook


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", default=None)
    parser.add_argument("--accounts", type=int, default=12)
    parser.add_argument("--as-of", default="2026Q3")
    parser.add_argument("--replicate", type=int, default=None)
    args = parser.parse_args()
    if args.replicate:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
        from make_large import replicate

        args.workbook = str(replicate(Path(tempfile.mkdtemp()) / "book", args.replicate))

    load = time.perf_counter()
    workbook = load_workbook(args.workbook)
    load = time.perf_counter() - load
    accounts = workbook.accounts
    ids = list(accounts.loc[accounts["status"] == "key_account", "account_id"])[:args.accounts]
    start = time.perf_counter()
    explorer = Explorer(workbook, ids[-1], args.as_of)
    opened = time.perf_counter() - start

    cold = [timed(lambda a=a: explorer.pick(a)) for a in ids]
    warm = [timed(lambda a=a: explorer.pick(a)) for a in ids]
    baseline = []
    for account_id in ids:
        def report(account_id: str = account_id) -> None:
            built = AnalysisReport.build(workbook, account_id, args.as_of)
            for key in built.SECTIONS:
                section_outputs(built.section(key), "svg")
        baseline.append(timed(report))

    name = args.workbook or "the demo"
    print(f"workbook: {name}, {len(workbook.account_ids)} accounts, {len(workbook.sales)} "
          f"sales rows; loaded in {load:.2f} s; explorer opened in {opened:.2f} s")
    print(f"{'':44}{'median s':>10}{'max s':>8}")
    for label, times in (("pick another account (first time)", cold),
                         ("pick it again (cached views)", warm),
                         ("baseline: the analysis report's sections", baseline)):
        print(f"{label:44}{statistics.median(times):>10.3f}{max(times):>8.3f}")
    base = statistics.median(baseline)
    print(f"ratio first pick / baseline: {statistics.median(cold) / base:.2f}")
    print(f"ratio cached pick / baseline: {statistics.median(warm) / base:.3f}")


if __name__ == "__main__":
    main()
