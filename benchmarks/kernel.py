"""Where a notebook's time goes in one process: a fresh kernel per notebook (papermill's
default) against one kept kernel reset between notebooks (what `kamkit run` does), the
import cost in a kernel with and without jsonschema's optional rfc3987_syntax, and (with
--stages) the CPU time of a report's stages in this process: building it (computations and
chart objects), the charts' Vega-Lite specs, compiling them to Vega, drawing the SVG.

Run: .venv/bin/python benchmarks/kernel.py [--accounts N] [--stages]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamkit.speedups import UNUSED, skip_unused_format_checker

skip_unused_format_checker()

import papermill as pm  # noqa: E402  (after the line above, on purpose)

from kamkit import load_workbook  # noqa: E402
from kamkit.batch.definition import NOTEBOOK_FOLDER, REPORTS  # noqa: E402
from kamkit.batch.execute import KernelSession  # noqa: E402

NOTEBOOK = NOTEBOOK_FOLDER / REPORTS["analysis"].notebook


def parameters(account: str) -> dict[str, object]:
    return {"account_id": account, "as_of": "2026Q3", "language": "en", "charts": "svg"}


def fresh(accounts: list[str], out: Path) -> list[float]:
    seconds = []
    for account in accounts:
        started = time.perf_counter()
        pm.execute_notebook(str(NOTEBOOK), str(out / f"{account}.ipynb"),
                            parameters=parameters(account), progress_bar=False,
                            kernel_name="python3", cwd=str(NOTEBOOK_FOLDER))
        seconds.append(time.perf_counter() - started)
    return seconds


def kept(accounts: list[str], out: Path) -> list[float]:
    session = KernelSession(out, NOTEBOOK_FOLDER)
    try:
        return [session.run(NOTEBOOK, parameters(a), 600).seconds for a in accounts]
    finally:
        session.close()


def import_seconds(block: bool) -> float:
    """`import kamkit.report.analysis` (pandas, Altair, vl-convert) in a new interpreter."""
    prelude = f"import sys; sys.modules[{UNUSED!r}] = None; " if block else ""
    code = (f"{prelude}import time; t = time.perf_counter(); import kamkit.report.analysis; "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    return statistics.median(runs)


def stages(accounts: list[str]) -> None:
    """CPU seconds per report and stage (process time: steadier than wall time on a busy
    machine), after one account to warm up (imports, the portfolio's health)."""
    from kamkit.charts.render import chart_spec, vega_spec

    draw: Callable[[dict[str, Any]], str]
    try:  # as the reports draw (kamkit's fonts and ids)
        from kamkit.charts.svg import drawn as draw
    except ImportError:  # a checkout from before it, for a before-and-after
        import vl_convert

        draw = vl_convert.vega_to_svg
    from kamkit.report.analysis import AnalysisReport
    from kamkit.report.plan import PlanReport

    for report in (AnalysisReport, PlanReport):
        spent = dict.fromkeys(("build", "spec", "vega", "svg"), 0.0)
        for number, account in enumerate(accounts):
            clock = time.process_time()
            built = report.build(None, account, "2026Q3", "en", "svg")
            built.header_html()
            charts = [b for key in built.SECTIONS for b in built.section(key).blocks
                      if not isinstance(b, str)]
            times = {"build": time.process_time() - clock}
            for chart in charts:
                clock = time.process_time()
                spec = chart_spec(chart)
                times["spec"] = times.get("spec", 0.0) + time.process_time() - clock
                clock = time.process_time()
                vega = vega_spec(spec)
                times["vega"] = times.get("vega", 0.0) + time.process_time() - clock
                clock = time.process_time()
                draw(vega)
                times["svg"] = times.get("svg", 0.0) + time.process_time() - clock
            if number:  # the first warms up
                spent = {k: v + times.get(k, 0.0) for k, v in spent.items()}
        n = max(len(accounts) - 1, 1)
        total = sum(spent.values())
        print(f"{report.__name__}, CPU s per report: "
              + ", ".join(f"{k} {v / n:.3f} ({100 * v / total:.0f}%)" for k, v in spent.items())
              + f"; total {total / n:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=4)
    parser.add_argument("--stages", action="store_true",
                        help="only the CPU time of a report's stages, in this process")
    args = parser.parse_args()
    accounts = load_workbook().account_ids[: args.accounts]
    if args.stages:
        print(f"load average {os.getloadavg()[0]:.1f}")
        stages(accounts)
        return
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "fresh"), Path(tmp, "kept")
        a.mkdir()
        b.mkdir()
        fresh_s, kept_s = fresh(accounts, a), kept(accounts, b)
    print(f"{len(accounts)} notebooks, one process, one after the other")
    print(f"fresh kernel per notebook: {' '.join(f'{s:.2f}' for s in fresh_s)} s; "
          f"mean {statistics.mean(fresh_s):.2f} s")
    print(f"one kept kernel:           {' '.join(f'{s:.2f}' for s in kept_s)} s; "
          f"mean {statistics.mean(kept_s):.2f} s, after the first "
          f"{statistics.mean(kept_s[1:] or kept_s):.2f} s")
    print(f"import kamkit.report.analysis: {import_seconds(False):.2f} s, without "
          f"{UNUSED} {import_seconds(True):.2f} s")


if __name__ == "__main__":
    main()
