"""Every chart of the demo MAAS and DELTA analyses and plans printed on A4 as a reader gets
them: at its drawn size, its text as large as on screen, smaller only to fit the paper's
width, and never higher than a page (so never split between pages). Held to 78 mm high, the
A6 whitespace chart printed at 0.78 with 5.9 pt text and P2's objectives at 0.82 (review
10); stacked panels (P5, A4 history) at 0.45 with 5 pt text before that (review 9).
Measured in Chromium's print emulation at the page's 703 pixel content width, and on the
PDF Chromium prints (the size of every text as printed), in English and Dutch."""

from __future__ import annotations

import base64
from pathlib import Path

import demo_reports
import nbformat
import pytest
from browser import A4_PRINTED_WIDTH, Chromium, emulate
from pdf_pages import MIN_TEXT_PT, too_small

from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.charts.render import chart_bundle, chart_title
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport

pytestmark = pytest.mark.browser

ACCOUNTS = ("MAAS", "DELTA")
PAGE_PX = 240 / 25.4 * 96  # report.css: a printed chart is 240 mm high at most
PT_PX = 96 / 72  # CSS pixels a point

SCALES = """[...document.querySelectorAll('.kk-chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  const drawn = svg.viewBox.baseVal.width;
  return {title: svg.querySelector('title').textContent, drawn, width: box.width,
          height: box.height, scale: box.width / drawn,
          smallest: Math.min(...sizes) * box.width / drawn};
})"""


def _charts_page(language: str, folder: Path) -> tuple[Path, list[str]]:
    """Every chart of the demo accounts' analyses and plans on one report page (its
    template and stylesheet), as drawn for the reports; and their titles."""
    outputs, titles = [], []
    for account in ACCOUNTS:
        for kind in (AnalysisReport, PlanReport):
            report = demo_reports.report(kind, account, language)
            for key in report.SECTIONS:
                for block in report.section(key).blocks:
                    if isinstance(block, str):
                        continue
                    spec = block.to_dict()
                    titles.append(chart_title(spec))
                    data, _ = chart_bundle(spec)
                    outputs.append(nbformat.v4.new_output(
                        "display_data", {"image/svg+xml": data["image/svg+xml"]}))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = outputs
    page = ReportPage(language, "charts", (), "../index.html", "Back", "Contents", "footer")
    path = folder / f"charts-{language}.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path, titles


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_chart_prints_at_its_drawn_size_within_the_page(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    path, titles = _charts_page(language, tmp_path)
    assert len(titles) >= 20, titles  # A4 to A8, whitespace, P2 to P5: the test measures
    tab = chromium.open(path.as_uri())
    try:
        emulate(tab, "print", A4_PRINTED_WIDTH)
        seen = tab.wait_for(SCALES)
        tab.screenshot(screenshots / f"charts_{language}_print.png")
        pdf = base64.b64decode(tab.send("Page.printToPDF", {
            "preferCSSPageSize": True, "printBackground": True}, timeout=120)["data"])
    finally:
        tab.close()
    (screenshots / f"charts_{language}.pdf").write_bytes(pdf)
    assert isinstance(seen, list) and len(seen) == len(titles)
    for chart in seen:
        assert chart["width"] <= A4_PRINTED_WIDTH + 0.5, chart
        assert chart["height"] <= PAGE_PX + 0.5, chart
        # as drawn (its text as on screen), or as large as the paper's width allows
        assert chart["scale"] >= 0.99 * min(1, A4_PRINTED_WIDTH / chart["drawn"]), chart
        assert chart["smallest"] >= MIN_TEXT_PT * PT_PX, chart
    # the PDF's own text, as printed: a chart's labels are text there
    assert too_small(pdf) == []
