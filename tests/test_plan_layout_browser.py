"""The plan report's tables as a reader sees them in Chromium, on a screen 1280 pixels wide
and printed on A4: the P2 objectives table keeps its Objective column wide enough to read a
title as a line of words, not a word a line, and stays within the page."""

from __future__ import annotations

import json
from pathlib import Path

import demo_reports
import pytest
from browser import A4_PRINTED_WIDTH, Chromium, emulate

from kamkit.charts.plan import _OBJECTIVE_LABEL_LIMIT
from kamkit.charts.render import vega_spec
from kamkit.charts.svg import drawn
from kamkit.labels import t
from kamkit.report.plan import PlanReport

pytestmark = pytest.mark.browser

MIN_CHARACTERS = 15  # a title's characters a line, on average: a few words, not one
MIN_EMS = 9.5  # an objective's title gets at least this many ems a line (some 3 words)

OBJECTIVES = """(() => {
  const table = document.querySelector('#kk-p2').closest('body').querySelector('table.kk-table');
  // a long header word has soft hyphens (kamkit.report.html.hyphenated_headers)
  const head = [...table.querySelectorAll('thead th')].map(
    th => th.textContent.replaceAll('\u00ad', '').trim());
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


@pytest.mark.parametrize("language", ["en", "nl"])
def test_objective_titles_are_read_as_lines_on_screen_and_on_a4(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    report = demo_reports.report(PlanReport, "MAAS", language)
    tab = chromium.open(demo_reports.section_page(report, "p2", tmp_path).as_uri())
    measured = {}
    try:
        for media, width in (("screen", 1280), ("print", A4_PRINTED_WIDTH)):
            emulate(tab, media, width)
            measured[media] = tab.wait_for(OBJECTIVES % report._t("word.objective"))
            tab.screenshot(screenshots / f"plan_p2_{language}_{media}.png")
    finally:
        tab.close()
    for media, seen in measured.items():
        assert isinstance(seen, dict)
        assert seen["ems"] >= MIN_EMS, (language, media, seen)
        assert seen["overflow"] <= 1, (language, media, seen)  # the table fits the page
        assert seen["perLine"] >= MIN_CHARACTERS, (language, media, seen)  # not a word a line


SMART_LABELS = """JSON.stringify([...document.querySelectorAll('svg text')]
  .filter(t => /^OB\\d/.test(t.textContent))
  .map(t => [t.textContent, t.getComputedTextLength()]))"""


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_smart_verdict_of_a_long_objective_is_seen(
        chromium: Chromium, tmp_path: Path, screenshots: Path, language: str) -> None:
    """MAAS OB1's title is too long for the chart's axis: Chromium shows it shortened
    before "(not SMART)", the verdict whole, each label within the axis's limit."""
    report = demo_reports.report(PlanReport, "MAAS", language)
    chart = next(b for b in report.section("p2").blocks if not isinstance(b, str | None))
    page = tmp_path / f"objectives.{language}.html"  # the chart as the report draws it
    page.write_text(f"<html><body>{drawn(vega_spec(chart.to_dict()))}</body></html>",
                    encoding="utf-8")
    tab = chromium.open(page.as_uri())
    try:
        labels = json.loads(str(tab.wait_for(SMART_LABELS)))
        tab.screenshot(screenshots / f"plan_p2_smart_{language}.png")
    finally:
        tab.close()
    verdict = f"… ({t('plan_chart.smart_no', language)})"
    assert any(text.startswith("OB1 ") and text.endswith(verdict) for text, _ in labels), labels
    assert all(width <= _OBJECTIVE_LABEL_LIMIT for _, width in labels), labels
