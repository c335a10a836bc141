"""The plan report's tables as a reader sees them in Chromium, on a screen 1280 pixels wide
and printed on A4: the P2 objectives table keeps its Objective column wide enough to read a
title as a line of words, not a word a line, and stays within the page."""

from __future__ import annotations

from pathlib import Path

import demo_reports
import nbformat
import pytest
from browser import Chromium

from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.report.plan import PlanReport

pytestmark = pytest.mark.browser

A4_CONTENT = 703  # pixels: A4's 210 mm less the page's 12 mm margins each side, at 96 per inch
MIN_CHARACTERS = 15  # a title's characters a line, on average: a few words, not one
MIN_EMS = 9.5  # an objective's title gets at least this many ems a line (some 3 words)

OBJECTIVES = """(() => {
  const table = document.querySelector('#kk-p2').closest('body').querySelector('table.kk-table');
  const head = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const column = head.indexOf(%r) + 1;
  const cells = [...table.querySelectorAll(`tbody td:nth-child(${column})`)];
  const em = parseFloat(getComputedStyle(cells[0]).fontSize);
  const box = table.parentElement.getBoundingClientRect();
  return {ems: Math.min(...cells.map(c => c.getBoundingClientRect().width)) / em,
          overflow: table.getBoundingClientRect().right - box.right,
          perLine: Math.min(...cells.map(c => {
            const range = document.createRange();
            range.selectNodeContents(c);
            const lines = Math.round(range.getBoundingClientRect().height /
                                     parseFloat(getComputedStyle(c).lineHeight));
            return c.textContent.trim().length / lines;
          }))};
})()"""


def _page(report: PlanReport, folder: Path) -> Path:
    """The P2 section as a report page: the page's template and its one stylesheet."""
    section = report.section("p2")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {"text/html": html})
                           for html in (section.html(), *(b for b in section.blocks
                                                           if isinstance(b, str)))]
    page = ReportPage(report.language, "P2", (), "../index.html", "Back", "Contents",
                      "footer")
    path = folder / "p2.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path


@pytest.mark.parametrize("language", ["en", "nl"])
def test_objective_titles_are_read_as_lines_on_screen_and_on_a4(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    report = demo_reports.report(PlanReport, "MAAS", language)
    tab = chromium.open(_page(report, tmp_path).as_uri())
    tab.send("Emulation.setScrollbarsHidden", {"hidden": True})  # paper has none
    measured = {}
    try:
        for media, width in (("screen", 1280), ("print", A4_CONTENT)):
            tab.send("Emulation.setEmulatedMedia", {"media": media})
            tab.send("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
            measured[media] = tab.wait_for(OBJECTIVES % report._t("word.objective"))
            tab.screenshot(screenshots / f"plan_p2_{language}_{media}.png")
    finally:
        tab.close()
    for media, seen in measured.items():
        assert isinstance(seen, dict)
        assert seen["ems"] >= MIN_EMS, (language, media, seen)
        assert seen["overflow"] <= 1, (language, media, seen)  # the table fits the page
        assert seen["perLine"] >= MIN_CHARACTERS, (language, media, seen)  # not a word a line
