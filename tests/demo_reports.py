"""The demo's reports as of 2026Q3, built once per test process and shared by every test
module that only reads them (a report builds each section once and keeps it): the MAAS
analysis in Dutch, say, is read by the report, locale, presentation and summary tests.
A test that changes what a report is built from (snapshots, thresholds, another workbook)
builds its own."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

import nbformat

from kamkit.batch.convert import ReportConverter, ReportPage
from kamkit.report.base import Report
from kamkit.report.portfolio import PortfolioReport
from kamkit.workbook import DEMO_WORKBOOK

AS_OF = "2026Q3"  # the demo's data run to September 2026

R = TypeVar("R", bound=Report)


@cache
def report(kind: type[R], account_id: str, language: str, as_of: str = AS_OF) -> R:
    """The report ``kind`` (AnalysisReport, PlanReport) of one demo account."""
    return kind.build(None, account_id, as_of, language)


def portfolio(language: str, kam: str | None = None, folder: Path | None = None
              ) -> PortfolioReport:
    """The demo's portfolio report as of 2026Q3, without snapshots: the whole portfolio or
    one KAM's page; of the workbook in ``folder`` if given (the small demo of
    ``SMALL_FAST_WHOLE_SLOW``; the demo's own folder is the demo, built once)."""
    return _portfolio(language, kam, None if folder == DEMO_WORKBOOK else folder)


@cache
def _portfolio(language: str, kam: str | None, folder: Path | None) -> PortfolioReport:
    return PortfolioReport.build(folder, AS_OF, language, kam=kam)


def section_page(report: Report, key: str, folder: Path) -> Path:
    """One section of a report as a report page (the page's template and its one
    stylesheet), for a browser test to measure: ``folder/<key>.<language>.html``."""
    section = report.section(key)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {"text/html": html})
                           for html in (section.html(), *(b for b in section.blocks
                                                           if isinstance(b, str)))]
    page = ReportPage(report.language, key.upper(), (), "../index.html", "Back", "Contents",
                      "footer")
    path = folder / f"{key}.{report.language}.html"
    path.write_text(ReportConverter().convert(nb, page), encoding="utf-8")
    return path
