"""Charts of panels stacked one above the other (P5's revenue and margin against the plan,
A4's revenue with the events below) printed on A4 as a reader gets them: at the scale of
the other charts, their text as large, not held to one chart's height (P5 printed at 45%
of the page's width with 5 pt tick labels, review 9). Measured in Chromium's print
emulation at the page's 703 pixel content width, in English and Dutch."""

from __future__ import annotations

from pathlib import Path

import demo_reports
import nbformat
import pytest
from browser import A4_PRINTED_WIDTH, Chromium, emulate

from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.charts.render import chart_bundle
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport

pytestmark = pytest.mark.browser

MIN_SCALE = 0.95  # a stacked chart prints at least this large against how it is drawn
MIN_TEXT = 9  # pixels: about 7 pt on paper

SCALES = """[...document.querySelectorAll('.kk-chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  const scale = Math.min(box.width / svg.viewBox.baseVal.width, 1);
  return {title: svg.querySelector('title').textContent, width: box.width,
          height: box.height, smallest: Math.min(...sizes) * scale, scale};
})"""


def _stacked_page(language: str, folder: Path) -> tuple[Path, list[str]]:
    """Every chart of panels stacked vertically in the demo MAAS reports, on one report
    page (its template and stylesheet); and their titles."""
    outputs, titles = [], []
    for kind in (AnalysisReport, PlanReport):
        report = demo_reports.report(kind, "MAAS", language)
        for key in report.SECTIONS:
            for block in report.section(key).blocks:
                if isinstance(block, str):
                    continue
                spec = block.to_dict()
                if "vconcat" not in spec:
                    continue
                titles.append(spec["title"] if isinstance(spec["title"], str)
                              else spec["title"]["text"])
                data, _ = chart_bundle(spec)
                outputs.append(nbformat.v4.new_output(
                    "display_data", {"image/svg+xml": data["image/svg+xml"]}))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = outputs
    page = ReportPage(language, "stacked", (), "../index.html", "Back", "Contents", "footer")
    path = folder / f"stacked-{language}.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path, titles


@pytest.mark.parametrize("language", ["en", "nl"])
def test_stacked_panels_print_at_the_scale_of_the_other_charts(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    path, titles = _stacked_page(language, tmp_path)
    assert len(titles) >= 2, titles  # P5's and A4's: the test measures something
    tab = chromium.open(path.as_uri())
    try:
        emulate(tab, "print", A4_PRINTED_WIDTH)
        seen = tab.wait_for(SCALES)
        tab.screenshot(screenshots / f"stacked_{language}_print.png")
    finally:
        tab.close()
    assert isinstance(seen, list) and len(seen) == len(titles)
    for chart in seen:
        assert chart["width"] <= A4_PRINTED_WIDTH, chart
        assert chart["scale"] >= MIN_SCALE, chart
        assert chart["smallest"] >= MIN_TEXT, chart
