"""What a chart costs in the kernel per chart mode, against Altair's own SVG renderer measured
in the same run: time to turn one account's analysis charts into display data, and the size
that data adds to the notebook.

- Altair "svg" (the baseline): SVG only; JupyterLab does not draw it in a notebook it does
  not trust.
- kamkit "svg": the Vega spec JupyterLab draws (compiled by vl-convert) plus the SVG,
  drawn from that compiled spec.
- kamkit "interactive": the Vega spec only.

Run: .venv/bin/python benchmarks/chart_modes.py [ACCOUNT]
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import altair as alt

import kamkit.charts.render  # noqa: F401  (registers kamkit's renderers)
from kamkit.report.analysis import SECTIONS, AnalysisReport

RENDERERS = {"Altair svg (baseline)": "svg", "kamkit svg": "kamkit-svg",
             "kamkit interactive": "kamkit-interactive"}


def display_data(charts: list[alt.TopLevelMixin], renderer: str) -> tuple[float, int]:
    alt.renderers.enable(renderer)
    started = time.perf_counter()
    bundles = [chart._repr_mimebundle_() for chart in charts]
    seconds = time.perf_counter() - started
    data = [b[0] if isinstance(b, tuple) else b for b in bundles]
    return seconds, len(json.dumps(data))


def main() -> None:
    account = sys.argv[1] if len(sys.argv) > 1 else "MAAS"
    report = AnalysisReport.build(None, account, "2026Q3", "en", "svg")
    charts = [block for key in SECTIONS for block in report.section(key).blocks
              if not isinstance(block, str)]
    times: dict[str, list[float]] = {name: [] for name in RENDERERS}
    sizes: dict[str, int] = {}
    for _ in range(5):  # interleaved, so that a busy machine slows every mode alike
        for name, renderer in RENDERERS.items():
            seconds, sizes[name] = display_data(charts, renderer)
            times[name].append(seconds)
    base = statistics.median(times["Altair svg (baseline)"])
    print(f"{account}: {len(charts)} charts, median of 5")
    for name in RENDERERS:
        median = statistics.median(times[name])
        print(f"{name:24} {median:6.2f} s  {median / base:4.2f}x  {sizes[name] / 1000:5.0f} kB")


if __name__ == "__main__":
    main()
