"""The analysis report's holder-share tables (A7) as a reader sees them in Chromium, on a
screen 1280 pixels wide and printed on A4, in English and Dutch: a table with a column per
service fits the page and the paper (a long Dutch service name wraps, hyphenated: it printed
the page smaller), and its shares stay on one line. For the demo's accounts with most
services, and for service names longer than the demo's."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import demo_reports
import pytest
from browser import A4_PRINTED_WIDTH, WIDE_TABLES, Chromium, emulate

from kamkit import DEMO_WORKBOOK
from kamkit.report.analysis import AnalysisReport
from kamkit.workbook import load_workbook

pytestmark = pytest.mark.browser

LONG_NAMES = {  # service: (English, Dutch), one long word or several
    "CLEAN": ("Comprehensive office and facility cleaning", "Kantoorschoonmaakwerkzaamheden"),
    "MAINT": ("Electromechanical maintenance", "Elektrotechnischeinstallatieonderhoud"),
    "SECUR": ("Securityandsurveillance", "Beveiligingsdienstverlening"),
    "CATER": ("Hospitality and catering", "Bedrijfsrestaurantexploitatie"),
    "WASTE": ("Decontamination", "Afvalinzamelingsverwerking"),
    "PEST": ("Integrated pest management", "Ongediertebestrijdingsprogramma"),
    "GREEN": ("Landscaping", "Groenvoorzieningsonderhoud"),
}

SHARES = """(() => {
  const tables = [...document.querySelectorAll('table.kk-table')];
  const numbers = tables.flatMap(t => [...t.querySelectorAll('td.kk-num')]);
  const lines = c => {
    const range = document.createRange();
    range.selectNodeContents(c);
    return range.getClientRects().length;
  };
  return {tables: tables.length, columns: Math.max(...tables.map(
            t => t.querySelectorAll('thead th').length)),
          brokenNumbers: numbers.filter(c => lines(c) > 1).map(c => c.textContent)};
})()"""


@pytest.fixture(scope="module")
def long_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workbook with service names longer than its own, in both languages."""
    folder = tmp_path_factory.mktemp("long-names") / "workbook"
    shutil.copytree(DEMO_WORKBOOK, folder)
    path = folder / "services.csv"
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        row["name"], row["name_nl"] = LONG_NAMES[row["service"]]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("account", ["MAAS", "ATLAS", "long names"])
def test_holder_shares_by_service_fit_the_screen_and_a4(
        chromium: Chromium, tmp_path: Path, screenshots: Path, long_names: Path,
        account: str, language: str) -> None:
    report = (AnalysisReport.build(load_workbook(long_names), "MAAS", "2026Q3", language)
              if account == "long names"
              else demo_reports.report(AnalysisReport, account, language))
    tab = chromium.open(demo_reports.section_page(report, "a7", tmp_path).as_uri())
    try:
        for media, width in (("screen", 1280), ("print", A4_PRINTED_WIDTH)):
            emulate(tab, media, width)
            seen = tab.evaluate(SHARES)
            assert isinstance(seen, dict) and seen["tables"] >= 3, seen
            assert seen["columns"] >= 7, seen  # the holder and a column per service
            assert tab.evaluate(WIDE_TABLES) == [], (account, language, media)
            assert seen["brokenNumbers"] == [], (account, language, media)
            tab.screenshot(screenshots / f"analysis_a7_{account}_{language}_{media}.png")
    finally:
        tab.close()
