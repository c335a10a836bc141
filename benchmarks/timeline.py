"""Where a `kamkit run`'s wall time and CPU go: a timeline of its process tree.

Runs ``kamkit run ARGS`` and samples its process tree every ``--every`` seconds with
psutil: each process's CPU (user + system), what it is (the run, a worker, a kernel, a
measuring process) and when it started and ended. Prints per process its CPU and life, a
chart of each process's CPU per time slice, the share of the run each kind of process
took, how much of the machine's ``--cores`` the tree left unused (the idle core-seconds:
meaningful on a quiet machine only) and the run log's milestones on the same clock.

Run: .venv/bin/python benchmarks/timeline.py [--every 0.05] [--slice 1] -- run ARGS...
     (ARGS as for ``kamkit run``; ``--output`` required, its log is read)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO (.*)$")


@dataclass
class Seen:
    """One process of the tree as sampled."""

    pid: int
    parent: int
    kind: str
    started: float  # seconds after the run started
    ended: float = 0.0
    cpu: list[tuple[float, float]] = field(default_factory=list)  # (t, CPU s so far)

    @property
    def total(self) -> float:
        return self.cpu[-1][1] if self.cpu else 0.0

    def used(self, start: float, end: float) -> float:
        """CPU s between two times (linear between samples)."""
        def at(t: float) -> float:
            before = (self.started, 0.0)
            for point in self.cpu:
                if point[0] >= t:
                    span = point[0] - before[0]
                    share = (t - before[0]) / span if span > 0 else 1.0
                    return before[1] + (point[1] - before[1]) * max(0.0, min(1.0, share))
                before = point
            return before[1]
        return at(end) - at(start)


def kind_of(process: psutil.Process, root: int) -> str:
    if process.pid == root:
        return "run"
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "?"
    if "ipykernel" in line:
        return "kernel"
    if "multiprocessing" in line or "spawn_main" in line:
        return "child"
    return os.path.basename(line.split(" ")[0]) or "?"


def sample(command: list[str], every: float) -> tuple[dict[int, Seen], float, float, int]:
    """Run ``command`` and sample its tree; (processes, start epoch, wall, exit code)."""
    epoch = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(proc.pid)
    seen: dict[int, Seen] = {}
    while proc.poll() is None:
        now = time.perf_counter() - started
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                times = p.cpu_times()
                if p.pid not in seen:
                    seen[p.pid] = Seen(p.pid, p.ppid(), kind_of(p, root.pid),
                                       max(0.0, p.create_time() - epoch))
                item = seen[p.pid]
                if item.kind == "child":  # a kernel is a worker's fork until it executes
                    now_kind = kind_of(p, root.pid)
                    item.kind = now_kind if now_kind in ("kernel", "child") else item.kind
                item.cpu.append((now, times.user + times.system))
                item.ended = now
            except psutil.Error:
                continue
        time.sleep(every)
    wall = time.perf_counter() - started
    return seen, epoch, wall, proc.returncode


def named(seen: dict[int, Seen]) -> dict[int, str]:
    """A short name per process: run, w1/k1 (a worker and its kernel), m1 (others)."""
    names = {}
    workers = 0
    others = 0
    for item in sorted(seen.values(), key=lambda s: s.started):
        if item.kind == "run":
            names[item.pid] = "run"
        elif item.kind == "kernel":
            parent = names.get(item.parent, "?")
            names[item.pid] = ("k" + parent[1:]) if parent.startswith("w") else "k?"
        elif item.kind == "child":
            has_kernel = any(o.parent == item.pid and o.kind == "kernel"
                             for o in seen.values())
            if has_kernel:
                workers += 1
                names[item.pid] = f"w{workers}"
            else:
                others += 1
                names[item.pid] = f"m{others}"
        else:
            others += 1
            names[item.pid] = f"{item.kind[:6]}{others}"
    return names


def milestones(log: Path, epoch: float) -> list[tuple[float, str]]:
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        match = LOG_LINE.match(line)
        if match:
            when = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            out.append((when - epoch, match[2][:90]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.05, help="seconds between samples")
    parser.add_argument("--slice", type=float, default=1.0, help="seconds per chart column")
    parser.add_argument("--cores", type=int, default=psutil.cpu_count() or 2)
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- run ARGS for kamkit")
    options = parser.parse_args()
    args = [a for a in options.args if a != "--"]
    output = Path(args[args.index("--output") + 1])
    load = os.getloadavg()[0]
    seen, epoch, wall, code = sample([str(BIN / "kamkit"), *args], options.every)
    names = named(seen)
    total = sum(s.total for s in seen.values())
    print(f"wall {wall:.1f} s, CPU of the tree {total:.1f} s, exit code {code}, "
          f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print("\nprocess  kind    from      to     CPU s  share")
    for item in sorted(seen.values(), key=lambda s: s.started):
        print(f"{names[item.pid]:7} {item.kind:7} {item.started:6.1f} {item.ended:7.1f} "
              f"{item.total:7.2f} {item.total / total:6.1%}")
    kinds: dict[str, float] = {}
    for item in seen.values():
        label = names[item.pid].rstrip("0123456789") or item.kind
        kinds[label] = kinds.get(label, 0.0) + item.total
    print("\nby kind: " + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})"
                                    for k, v in sorted(kinds.items())))
    cols = int(wall // options.slice) + 1
    order = sorted(seen.values(), key=lambda s: names[s.pid])
    print(f"\nCPU per {options.slice:g} s slice (digit: tenths of a core, # a full core)")
    idle = 0.0
    rows = {item.pid: "" for item in order}
    for c in range(cols):
        start, end = c * options.slice, min(wall, (c + 1) * options.slice)
        used = 0.0
        for item in order:
            share = item.used(start, end) / max(end - start, 1e-9)
            used += item.used(start, end)
            rows[item.pid] += ("#" if share >= 0.95 else "." if share < 0.05
                               else str(int(share * 10 + 0.5)))
        idle += max(0.0, options.cores * (end - start) - used)
    for item in order:
        print(f"{names[item.pid]:7} {rows[item.pid]}")
    print(f"{'':7} " + "".join(str(c // 10 % 10) if c % 10 == 0 else " " for c in range(cols)))
    print(f"\nidle core-seconds (of {options.cores} cores x {wall:.1f} s): {idle:.1f} "
          f"({idle / (options.cores * wall):.0%})")
    log = next(output.rglob("kamkit-run.log"), None)
    if log is not None:
        print("\nrun log:")
        for when, what in milestones(log, epoch):
            print(f"{when:7.1f} {what}")


if __name__ == "__main__":
    main()
