"""The quarter batch (`kamkit run`) against the naive loop on the same accounts, in one run.

The naive loop is what a shell script does: per account `papermill` then
`jupyter nbconvert --to html`, one after the other. `kamkit run` renders the same notebooks
with its worker pool (``--jobs``, default one per core). Both start from nothing (``--force``)
and their wall time includes starting every process. Prints seconds per notebook, the ratio
and the report sizes; the numbers of our machine are in benchmarks/README.md.

With ``--large WORKBOOK`` (say ``scripts/make_large.py 1000 /tmp/large-1000``) it also runs
``kamkit run`` on as many accounts of that workbook and prints its time per notebook against
the demo's, measured in the same run. Accounts: the key accounts first, then the others.
Each run is also taken apart from its log (``phases``): the fixed costs before any account
(loading, the quarter's snapshot, planning), the accounts' rendering per notebook (workers,
kernels and notebooks: what grows with the accounts), and the portfolio page and index at
the end; with these a run of every account of the workbook is extrapolated as fixed costs
plus its notebooks at the per-notebook time measured.

Run: .venv/bin/python benchmarks/batch.py [--accounts N] [--jobs J] [--also SOURCE]
     [--large WORKBOOK] [--no-naive] [--notebooks analysis,plan]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kamkit import load_workbook
from kamkit.batch.definition import NOTEBOOK_FOLDER, REPORTS, cores
from kamkit.batch.layout import LOG

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUARTER = "2026Q3"


def timed(command: str, cwd: Path, source: Path | None = None, check: bool = True) -> float:
    """Wall time of ``command``; with ``source``, kamkit (and the kernels') imported from
    that source tree. ``check=False``: a failure is said, not raised."""
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    started = time.perf_counter()
    done = subprocess.run(["bash", "-c", command], cwd=cwd, check=check, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if done.returncode:
        print(f"(exit code {done.returncode}: something failed, see the run's log)")
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


NOTEBOOKS = "analysis"
"""The reports each benchmarked run makes (``--notebooks``)."""


def kamkit_run(accounts: list[str], out: Path, jobs: int, source: Path | None = None,
               workbook: Path | None = None) -> float:
    book = f"--workbook {shlex.quote(str(workbook))} " if workbook else ""
    started = time.time()
    seconds = timed(f"{BIN / 'kamkit'} run --quarter {QUARTER} --notebooks {NOTEBOOKS} "
                    f"--force --jobs {jobs} --accounts {','.join(accounts)} {book}"
                    f"--output {shlex.quote(str(out))}", ROOT, source, check=False)
    (out / "started").write_text(repr(started))
    return seconds


_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO (.*)$")


def phases(out: Path, seconds: float) -> dict[str, float]:
    """A run's wall time (``seconds``) taken apart from its log: ``before`` (from the
    command's start to the run's first line: Python, loading, the snapshot, planning; of it
    ``snapshot`` where the log says so), ``accounts`` (from there to the last account done:
    workers, kernels, notebooks), ``notebooks`` (their number) and ``per_notebook``,
    ``portfolio`` (the portfolio page, as logged) and ``after`` (from the last account to
    the end: decks, index, portfolio page)."""
    started = float((out / "started").read_text())
    times: list[tuple[float, str]] = []
    for line in (out / QUARTER / LOG).read_text(encoding="utf-8").splitlines():
        if (match := _LINE.match(line)) is not None:
            when = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            times.append((when, match[2]))
    first = next(when for when, text in times if text.startswith("run "))
    done = [(when, int(m[1])) for when, text in times
            if (m := re.match(r"\S+ done: (\d+) notebook", text))
            and not text.startswith("portfolio ")]
    last = max(when for when, _ in done)
    notebooks = sum(count for _, count in done)
    snapshot = [(float(m[1]), float(m[2] or "nan")) for _, text in times
                if (m := re.search(r"measured in ([\d.]+) s(?: \(([\d.]+) s of CPU\))?", text))]
    portfolio = [float(m[1]) for _, text in times
                 if (m := re.match(r"portfolio done: \d+ notebook\(s\) in ([\d.]+) s", text))]
    return {"before": first - started,
            "snapshot": snapshot[0][0] if snapshot else float("nan"),
            "snapshot_cpu": snapshot[0][1] if snapshot else float("nan"),
            "accounts": last - first, "notebooks": notebooks,
            "per_notebook": (last - first) / notebooks,
            "portfolio": portfolio[0] if portfolio else float("nan"),
            "after": started + seconds - last}


def show_phases(label: str, parts: dict[str, float]) -> None:
    print(f"  {label}: before the accounts {parts['before']:.1f} s (snapshot "
          f"{parts['snapshot']:.1f} s, {parts['snapshot_cpu']:.1f} s of CPU), "
          f"{parts['notebooks']:.0f} notebooks in "
          f"{parts['accounts']:.1f} s = {parts['per_notebook']:.2f} s per notebook, after the "
          f"accounts {parts['after']:.1f} s (portfolio page {parts['portfolio']:.1f} s)")


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
    parser.add_argument("--notebooks", default=NOTEBOOKS,
                        help="the reports of the kamkit runs (default analysis; the naive "
                             "loop makes the analysis)")
    args = parser.parse_args()
    globals()["NOTEBOOKS"] = args.notebooks
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
                  f"{large_s / len(large):5.2f} s per account, {large_s / kamkit_s:.2f}x the "
                  f"demo's ({', '.join(large[:3])}...)")
            demo, big = phases(kamkit_out, kamkit_s), phases(Path(tmp, "large"), large_s)
            show_phases("demo", demo)
            show_phases("large", big)
            every = len(load_workbook(args.large).account_ids)
            fixed = big["before"] + big["after"]
            notebooks = every * big["notebooks"] / len(large)
            total = fixed + notebooks * big["per_notebook"]
            print(f"  per notebook on the large workbook: "
                  f"{big['per_notebook'] / demo['per_notebook']:.2f}x the demo's; all {every} "
                  f"accounts extrapolated: {fixed:.0f} s fixed + {notebooks:.0f} notebooks x "
                  f"{big['per_notebook']:.2f} s = {total / 60:.1f} min (load average now "
                  f"{os.getloadavg()[0]:.1f})")
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
