"""Loading a workbook and slicing an account, against baselines measured in the same run.

- cold load: ``kamkit.load_workbook`` with the cache off (read, parse, check every table
  and document) against a bare read of the same files (no types, no checks): the goal's
  baseline is every file of the workbook, so ``pandas.read_csv`` of each CSV table and
  ``yaml.load`` (libyaml's ``CSafeLoader``) of each YAML document; the ratio to the CSV
  tables alone is printed too. In wall time and in the process's CPU time (every thread;
  the wall time of a busy machine is mostly waiting for a core);
- warm load: ``load_workbook`` of the unchanged workbook, from its cache, against a bare
  pyarrow read of the cache's tables (no hashing of the sources, no documents);
- slice: ``Workbook.account`` for accounts spread over the workbook, against the bare
  read too, and with the scan it replaced (a boolean mask over every table);
- memory: what a cold and a warm load add to a fresh process (resident set after the
  load, and its peak during it, less the process before; the libraries imported first),
  against the tables' own in-memory size (``memory_usage(deep=True)``), Linux only.

Ratios are measured interleaved in one run (the machine is shared); medians of ``--repeat``.

Run: .venv/bin/python benchmarks/load.py [WORKBOOK ...] [--accounts N] [--repeat 3]
     (``--accounts N`` also makes a workbook of N accounts with scripts/make_large.py)
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

import pandas as pd
import pyarrow as pa
import yaml

import kamkit
from kamkit import fingerprint, workbook_cache
from kamkit.workbook import documents_folder, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from make_large import replicate  # (scripts/ is not a package)


def bare_csv_read(path: Path) -> None:
    """Every table's CSV file read by pandas, nothing checked."""
    for csv in sorted(path.glob("*.csv")):
        pd.read_csv(csv)


def bare_documents_read(path: Path) -> None:
    """Every account document read by PyYAML with libyaml (plain values, nothing checked)."""
    folder = documents_folder(path)
    for document in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        yaml.load(document.read_bytes(), Loader=yaml.CSafeLoader)


def bare_read(path: Path) -> None:
    """The baseline: every file of the workbook read bare, its CSV tables and its YAML
    documents."""
    bare_csv_read(path)
    bare_documents_read(path)


def seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def cpu_seconds(work: Callable[[], object]) -> float:
    """The process's CPU time (every thread) for ``work``: on a machine shared with other
    jobs the wall time measures the queue for a core as much as the work."""
    start = time.process_time()
    work()
    return time.process_time() - start


def scan(workbook: kamkit.Workbook, account_id: str) -> None:
    """The slice as it was before the index: a mask over every table."""
    for name in ("sales", "spend", "spend_shares", "contacts", "history", "feedback",
                 "judgements"):
        frame = workbook.table(name)
        frame[frame["account_id"] == account_id]


def bare_cache_read(entry: Path) -> None:
    """The warm baseline: every table of a cache entry read by pyarrow into pandas."""
    for file in sorted(entry.glob("*.arrow")):
        pa.ipc.open_file(pa.BufferReader(file.read_bytes())).read_all().to_pandas()


def cold_load(path: Path) -> None:
    """``load_workbook`` with the cache off: read, parse and check everything."""
    os.environ[workbook_cache.CACHE_VARIABLE] = "0"
    try:
        load_workbook(path)
    finally:
        del os.environ[workbook_cache.CACHE_VARIABLE]


MEMORY = """
import json, os, sys
import pandas, pyarrow, pyarrow.compute, pyarrow.csv, pydantic, yaml  # not the workbook's
import kamkit.workbook
from kamkit.workbook_cache import CACHE_VARIABLE

def status():
    with open("/proc/self/status") as handle:
        return {key: int(value.split()[0]) * 1024 for key, _, value in
                (line.partition(":") for line in handle)
                if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}

if sys.argv[2] == "cold":
    os.environ[CACHE_VARIABLE] = "0"
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the peak (VmHWM) from here on
before = status()
book = kamkit.workbook.load_workbook(sys.argv[1])
after = status()
tables = sum(int(book.table(name).memory_usage(deep=True).sum()) for name in book._tables)
print(json.dumps({"tables": tables, "added": after["VmRSS"] - before["VmRSS"],
                  "anon": after["RssAnon"] - before["RssAnon"],
                  "file": after["RssFile"] - before["RssFile"],
                  "peak": after["VmHWM"] - before["VmRSS"]}))
"""


def memory(path: Path, how: str) -> dict[str, int]:
    """What a ``how`` ("cold" or "warm") load adds to a fresh process's memory, in bytes."""
    # run in the folder above the kamkit imported here: ``-c`` puts the working folder
    # first on the path, which would load another checkout's kamkit from elsewhere
    done = subprocess.run([sys.executable, "-c", MEMORY, str(path.resolve()), how],
                          check=True, capture_output=True, text=True,
                          cwd=Path(kamkit.__file__).resolve().parent.parent)
    return json.loads(done.stdout)


def measure(path: Path, repeat: int) -> None:
    bare, csv_only, cold, bare_cpu, csv_cpu, cold_cpu = [], [], [], [], [], []
    for _ in range(repeat):  # interleaved, so all see the same load on the machine
        csv_only.append(seconds(lambda: bare_csv_read(path)))
        bare.append(csv_only[-1] + seconds(lambda: bare_documents_read(path)))
        cold.append(seconds(lambda: cold_load(path)))
        csv_cpu.append(cpu_seconds(lambda: bare_csv_read(path)))
        bare_cpu.append(csv_cpu[-1] + cpu_seconds(lambda: bare_documents_read(path)))
        cold_cpu.append(cpu_seconds(lambda: cold_load(path)))
    for folder in workbook_cache.folders(path.resolve()):  # a first load: no entry, no
        shutil.rmtree(folder, ignore_errors=True)  # digests kept (the cache folder only)
    fingerprint.forget()
    first = seconds(lambda: load_workbook(path))  # hashed, checked, and kept in the cache
    entry = max((p for folder in workbook_cache.folders(path.resolve())
                 for p in folder.glob("*/manifest.json")), key=lambda p: p.stat().st_mtime).parent
    bare_cache, warm = [], []
    for _ in range(repeat):
        bare_cache.append(seconds(lambda: bare_cache_read(entry)))
        warm.append(seconds(lambda: load_workbook(path)))
    workbook = load_workbook(path)
    ids = workbook.account_ids
    picks = ids[:: max(1, len(ids) // 50)]
    workbook.account(picks[0])  # the index is built once, on the first slice
    built = seconds(lambda: load_workbook(path).account(picks[0]))
    slices = [seconds(lambda a=a: workbook.account(a)) for a in picks]
    scans = [seconds(lambda a=a: scan(workbook, a)) for a in picks]
    rows = sum(len(workbook.table(t)) for t in ("sales", "spend", "spend_shares", "contacts"))
    b, c = statistics.median(bare), statistics.median(cold)
    t = statistics.median(csv_only)
    s, m = statistics.median(slices), statistics.median(scans)
    print(f"\n{path}: {len(ids)} accounts, {len(workbook.documents)} documents, {rows:,} rows "
          f"in sales, spend, spend_shares and contacts")
    print(f"  bare read: CSV tables and documents  {b:8.3f} s   (the CSV tables alone "
          f"{t:.3f} s)")
    print(f"  cold load_workbook                   {c:8.3f} s   {c / b:5.1f}x the bare read "
          f"({c / t:.1f}x the CSV tables alone)")
    bc_cpu, c_cpu = statistics.median(bare_cpu), statistics.median(cold_cpu)
    t_cpu = statistics.median(csv_cpu)
    print(f"  CPU time: bare read {bc_cpu:.3f} s (CSV alone {t_cpu:.3f} s), cold load "
          f"{c_cpu:.3f} s   {c_cpu / bc_cpu:5.1f}x ({c_cpu / t_cpu:.1f}x the CSV alone)")
    print(f"  first load: hashing, checking, writing the cache {first:8.3f} s")
    bc, w = statistics.median(bare_cache), statistics.median(warm)
    print(f"  bare read of the cache (pyarrow)     {bc:8.3f} s")
    print(f"  warm load_workbook (from the cache)  {w:8.3f} s   {w / bc:5.1f}x the bare cache "
          f"read, {w / t:.1f}x the bare CSV read")
    print(f"  warm load + first slice (the index) {built:8.3f} s")
    print(f"  account slice, median of {len(picks):3d}        {s * 1000:8.2f} ms  "
          f"(max {max(slices) * 1000:.2f} ms; the scan it replaced {m * 1000:.2f} ms, "
          f"{m / s:.0f}x)")
    if sys.platform == "linux":
        for how in ("cold", "warm"):
            used = memory(path, how)
            mb, own = 1e6, used["tables"]
            print(f"  memory, {how} load: tables {own / mb:6.1f} MB; the process grew by "
                  f"{used['added'] / mb:6.1f} MB ({used['added'] / own:.1f}x: "
                  f"{used['anon'] / mb:.1f} MB private, {used['file'] / mb:.1f} MB mapped "
                  f"files), peak +{used['peak'] / mb:.1f} MB ({used['peak'] / own:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workbooks", nargs="*", type=Path)
    parser.add_argument("--accounts", type=int, default=None,
                        help="also measure a workbook of this many accounts (made here)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = args.workbooks or [kamkit.DEMO_WORKBOOK]
    with tempfile.TemporaryDirectory() as folder:
        if args.accounts:
            paths.append(replicate(Path(folder) / f"accounts{args.accounts}", args.accounts))
        for path in paths:
            measure(path, args.repeat)


if __name__ == "__main__":
    main()
