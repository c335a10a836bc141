"""The quarter batch (`kamkit run`) against the naive loop on the same accounts, in one run.

The naive loop is what a shell script does: per account `papermill` then
`jupyter nbconvert --to html`, one after the other. `kamkit run` renders the same notebooks
with its worker pool (``--jobs``, default one per core). Both start from nothing (``--force``)
and their wall time includes starting every process. Prints seconds per notebook, the ratio
and the report sizes; the numbers of our machine are in benchmarks/README.md.

With ``--large WORKBOOK`` (say ``scripts/make_large.py 1000 /tmp/large-1000``) it also runs
``kamkit run`` on as many accounts of that workbook and prints its time per notebook against
the demo's, measured in the same run. Accounts: the key accounts first, then the others.

Run: .venv/bin/python benchmarks/batch.py [--accounts N] [--jobs J] [--also SOURCE]
     [--large WORKBOOK] [--no-naive]
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kamkit import load_workbook
from kamkit.batch.definition import NOTEBOOK_FOLDER, REPORTS, cores

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUARTER = "2026Q3"


def timed(command: str, cwd: Path, source: Path | None = None) -> float:
    """Wall time of ``command``; with ``source``, kamkit (and the kernels') imported from
    that source tree."""
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    started = time.perf_counter()
    subprocess.run(["bash", "-c", command], cwd=cwd, check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def naive(accounts: list[str], out: Path) -> float:
    """A shell loop of papermill then nbconvert per account, as the issue measured it."""
    notebook = NOTEBOOK_FOLDER / REPORTS["analysis"].notebook
    steps = []
    for account in accounts:
        executed = out / f"{account}.ipynb"
        steps.append(
            f"{BIN / 'papermill'} {shlex.quote(str(notebook))} {shlex.quote(str(executed))} "
            f"-p account_id {shlex.quote(account)} -p as_of {QUARTER} -p language en "
            f"-p charts svg --cwd {shlex.quote(str(NOTEBOOK_FOLDER))} --no-progress-bar && "
            f"{BIN / 'jupyter'} nbconvert --to html {shlex.quote(str(executed))}")
    return timed(" && ".join(steps), ROOT)


def kamkit_run(accounts: list[str], out: Path, jobs: int, source: Path | None = None,
               workbook: Path | None = None) -> float:
    book = f"--workbook {shlex.quote(str(workbook))} " if workbook else ""
    return timed(f"{BIN / 'kamkit'} run --quarter {QUARTER} --notebooks analysis --force "
                 f"--jobs {jobs} --accounts {','.join(accounts)} {book}"
                 f"--output {shlex.quote(str(out))}", ROOT, source)


def first_accounts(workbook: Path | None, count: int) -> list[str]:
    """``count`` account ids: the key accounts first, then the others, in workbook order."""
    table = load_workbook(workbook).accounts
    key = table["status"] == "key_account"
    return [*table[key]["account_id"], *table[~key]["account_id"]][:count]


def sizes(files: list[Path]) -> str:
    kb = sorted(f.stat().st_size / 1000 for f in files)
    return f"{len(kb)} files, {kb[0]:.0f}-{kb[-1]:.0f} kB, mean {sum(kb) / len(kb):.0f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=4,
                        help="how many demo accounts, key accounts first (default 4)")
    parser.add_argument("--jobs", type=int, default=cores(),
                        help="kamkit run's workers (default: one per core)")
    parser.add_argument("--one-job-too", action="store_true",
                        help="also time kamkit run --jobs 1 (one worker, one kernel)")
    parser.add_argument("--also", type=Path, metavar="SOURCE",
                        help="also time kamkit run from another source tree (a checkout of "
                             "main before a change, say), in the same run")
    parser.add_argument("--large", type=Path, metavar="WORKBOOK",
                        help="also time kamkit run on as many accounts of this workbook")
    parser.add_argument("--no-naive", action="store_true",
                        help="leave out the naive loop (with --large or --also)")
    args = parser.parse_args()
    accounts = first_accounts(None, args.accounts)
    print(f"{len(accounts)} accounts ({', '.join(accounts)}), analysis notebook, "
          f"{os.cpu_count()} cores, kamkit run --jobs {args.jobs}, load average "
          f"{os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        naive_out, kamkit_out = Path(tmp, "naive"), Path(tmp, "kamkit")
        naive_out.mkdir()
        naive_s = None if args.no_naive else naive(accounts, naive_out)
        kamkit_s = kamkit_run(accounts, kamkit_out, args.jobs)
        large = first_accounts(args.large, args.accounts) if args.large else []
        large_s = (kamkit_run(large, Path(tmp, "large"), args.jobs, workbook=args.large)
                   if args.large else None)
        one_s = kamkit_run(accounts, Path(tmp, "one"), 1) if args.one_job_too else None
        also_s = (kamkit_run(accounts, Path(tmp, "also"), args.jobs, args.also.resolve())
                  if args.also else None)
        n = len(accounts)
        if naive_s is not None:
            print(f"naive loop (papermill + jupyter nbconvert): {naive_s:6.1f} s, "
                  f"{naive_s / n:5.2f} s per notebook")
        print(f"kamkit run:                                 {kamkit_s:6.1f} s, "
              f"{kamkit_s / n:5.2f} s per notebook")
        if one_s is not None:
            print(f"kamkit run --jobs 1:                        {one_s:6.1f} s, "
                  f"{one_s / n:5.2f} s per notebook")
        if large_s is not None:
            print(f"kamkit run, {len(large)} accounts of {args.large}: {large_s:6.1f} s, "
                  f"{large_s / len(large):5.2f} s per notebook, {large_s / kamkit_s:.2f}x the "
                  f"demo's ({', '.join(large[:3])}...)")
        if also_s is not None:
            print(f"kamkit run from {args.also}: {also_s:6.1f} s, {also_s / n:5.2f} s per "
                  f"notebook" + (f", {naive_s / also_s:.1f}x faster than the naive loop"
                                 if naive_s else "") + f"; this tree {kamkit_s / also_s:.2f}x")
        if naive_s is not None:
            print(f"ratio: kamkit run is {naive_s / kamkit_s:.1f}x faster "
                  f"(load average now {os.getloadavg()[0]:.1f})")
            print(f"reports, naive (nbconvert lab template): "
                  f"{sizes(sorted(naive_out.glob('*.html')))}")
        print(f"reports, kamkit run:                     "
              f"{sizes(sorted((kamkit_out / QUARTER).glob('*/analysis.html')))}")


if __name__ == "__main__":
    main()
