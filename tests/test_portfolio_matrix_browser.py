"""The portfolio matrix as a reader sees it in Chromium: every account's mark shows, none
hidden under another (the demo's ATLAS and LUMEN lie 4 points apart)."""

from __future__ import annotations

from pathlib import Path

import demo_reports
import pytest
from browser import Chromium

from kamkit.charts.render import chart_bundle, chart_spec
from kamkit.report import html

pytestmark = pytest.mark.browser

MARKS_SHOWN = """(() => {
  const marks = [...document.querySelectorAll('g.mark-symbol.role-mark path')];
  return marks.map(mark => {
    const box = mark.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    // the topmost mark at a mark's centre: itself, unless another mark hides it
    const top = document.elementsFromPoint(x, y).find(e => marks.includes(e));
    return top === mark;
  });
})()"""


def test_every_account_of_the_demo_matrix_shows_its_own_mark(
        chromium: Chromium, tmp_path: Path, screenshots: Path) -> None:
    report = demo_reports.portfolio("en")
    chart = report.section("pf_matrix").blocks[0]
    svg = chart_bundle(chart_spec(chart))[0]["image/svg+xml"]
    page = tmp_path / "matrix.html"
    page.write_text(f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><style>"
                    f"{html.stylesheet()}</style></head><body>{svg}</body></html>",
                    encoding="utf-8")
    placed = report.placements().dropna(subset=["attractiveness", "position"])
    tab = chromium.open(page.as_uri())
    try:
        shown = tab.wait_for(MARKS_SHOWN)
        tab.screenshot(screenshots / "portfolio_matrix.png")
    finally:
        tab.close()
    assert isinstance(shown, list) and len(shown) == len(placed)
    assert all(shown), shown
