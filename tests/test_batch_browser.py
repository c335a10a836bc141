"""A report and the entry page (the portfolio) of a quarter batch, opened in headless
Chromium with the network blocked: every chart is drawn, the console stays clean and no
request leaves the machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, Chromium, charts_drawn

from kamkit.cli import main

pytestmark = [
    pytest.mark.notebook,  # `kamkit run` starts kernels
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: "
                       "see .ci/run; locally `apt-get install chromium`)")]

LINKS_OK = """(() => {
  const links = [...document.querySelectorAll('a[href]:not([href^="#"])')];
  return links.length ? links.map(a => a.getAttribute('href')) : null;
})()"""


def test_report_and_index_draw_offline(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--quarter", "2026Q3", "--accounts", "KRONE", "--notebooks",
                 "analysis", "--language", "nl", "--jobs", "1", "--output", str(tmp_path)]) == 0
    capsys.readouterr()
    quarter = tmp_path / "2026Q3"
    report = quarter / "KRONE" / "analysis.html"
    charts = len(re.findall(r'<svg [^>]*class="marks"', report.read_text(encoding="utf-8")))
    assert charts >= 8
    with Chromium() as browser:
        for page, check in ((report, charts_drawn(charts)), (quarter / "index.html", LINKS_OK)):
            visit = browser.visit(page, check)
            assert visit.result, f"{page.name}: not drawn in time"
            assert visit.requests == [page.as_uri()]  # the page itself, nothing else
            assert visit.faults() == []
    assert set(visit.result) == {"KRONE/analysis.html"}  # the entry page links the one report
