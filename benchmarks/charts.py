"""Static SVG charts against interactive charts with the Vega JavaScript embedded once per
page, for one account's analysis: page size and time until drawn in headless Chromium.

Two pages hold the same charts and nothing else: inline SVG (what reports use), and the Vega
bundle from ``vl_convert.javascript_bundle()`` once plus each chart's spec and a
``vegaEmbed`` call (interactive charts). The notebooks' former "interactive" mode carried
the bundle once per chart; its size is printed, but its copies clash in one page (each
declares the same top-level constants), so it is not drawn. (Notebooks now send each chart's
Vega spec, which JupyterLab draws itself: kamkit/charts/render.py.) Times are from
navigation until every chart is an SVG with marks and a size in headless Chromium (median
of 3), measured with the browser helper of the tests (tests/browser.py).

Run: .venv/bin/python benchmarks/charts.py [ACCOUNT]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

import vl_convert as vlc

from kamkit.report.analysis import SECTIONS, AnalysisReport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import CHROMIUM, Chromium, charts_drawn


def page(body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>"
            f"<body>{body}</body></html>")


def svg_page(specs: list[dict]) -> str:
    return page("".join(f"<div>{vlc.vegalite_to_svg(spec)}</div>" for spec in specs))


def embedded_page(specs: list[dict], bundle: str) -> str:
    calls = "".join(f"vegaEmbed('#c{i}', {json.dumps(spec)}, {{renderer: 'svg', actions: false}});"
                    for i, spec in enumerate(specs))
    divs = "".join(f"<div id='c{i}'></div>" for i in range(len(specs)))
    return page(divs + f"<script>{calls}</script>", f"<script>{bundle}</script>")


def drawn(path: Path, charts: int) -> str:
    runs = []
    with Chromium() as browser:
        for _ in range(3):
            visit = browser.visit(path, charts_drawn(charts), timeout=60)
            drawn_charts = (visit.result or {}).get("sized", 0)
            if drawn_charts != charts or visit.remote_requests or visit.console_errors:
                return (f"not drawn: {drawn_charts} of {charts} charts, "
                        f"{visit.remote_requests} {visit.console_errors}")
            runs.append(visit.seconds)
    return f"drawn in {statistics.median(runs):.2f} s"


def main() -> None:
    account = sys.argv[1] if len(sys.argv) > 1 else "MAAS"
    report = AnalysisReport.build(None, account, "2026Q3", "en", "svg")
    charts = [block for key in SECTIONS for block in report.section(key).blocks
              if not isinstance(block, str)]
    specs = [chart.to_dict() for chart in charts]
    bundle = vlc.javascript_bundle()
    pages = {"inline SVG (reports)": svg_page(specs),
             "Vega bundle once + specs": embedded_page(specs, bundle)}
    spec_kb = sum(len(json.dumps(s)) for s in specs) / 1000
    print(f"{account}: {len(charts)} charts; specs {spec_kb:.0f} kB; "
          f"Vega bundle {len(bundle) / 1000:.0f} kB; the bundle per chart would be "
          f"{len(charts) * len(bundle) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, html in pages.items():
            path = Path(tmp, f"{len(html)}.html")
            path.write_text(html, encoding="utf-8")
            timing = drawn(path, len(charts)) if CHROMIUM else "(chromium is not installed)"
            print(f"{name:26} {len(html.encode()) / 1000:7.0f} kB   {timing}")


if __name__ == "__main__":
    main()
