"""Reports as a director gets them: printed to PDF by headless Chromium (A4, pages that are
not half empty, no section heading left at the bottom of a page, page 1 more than a table of
contents), and audited for accessibility by axe-core, run offline in the same browser (zero
violations), in English and Dutch, for a key account and a prospect."""

from __future__ import annotations

import base64
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from browser import A4_PRINTED_WIDTH, SPILLING_CELLS, WIDE_TABLES, emulate
from pdf_pages import A4, MAX_ANALYSIS_PAGES, PAGE_FOOTER, too_small

from kamkit import DEMO_WORKBOOK
from kamkit.cli import main

pytestmark = [pytest.mark.notebook, pytest.mark.browser]  # `kamkit run` starts kernels

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"  # tests/vendor/axe-core/README.md

HEADS = """(() => {
  const clean = s => s.replace(/\\s+/g, ' ').trim();
  const heads = [...document.querySelectorAll('h1, h2, h3')].map(h => clean(h.textContent));
  // a section's head: its heading, findings and method, which must not end a page
  const blocks = [...document.querySelectorAll('.jp-OutputArea-child')]
    .filter(c => c.querySelector('h2'))
    .flatMap(c => [...c.querySelectorAll('h2, p')].map(e => clean(e.textContent)));
  return {heads, blocks, h1: document.querySelectorAll('h1').length,
          levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
                    .map(h => Number(h.tagName[1]))};
})()"""

PRINT_TIME = re.compile(r"\d+/\d+/\d+, \d+:\d\d")
"""The print time in the browser's default header ("11/28/26, 11:25 AM")."""


def _plain(text: str) -> str:
    """Text as compared: ligatures resolved (the PDF writes "ﬁ"), spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _pdf(tab) -> bytes:
    """The page printed as a reader prints it with the browser's defaults: the print dialog
    adds the browser's header and footer (print time, the file's path) unless the page has
    its own (report.css)."""
    reply = tab.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                         "displayHeaderFooter": True}, timeout=120)
    return base64.b64decode(reply["data"])


def _axe(tab) -> list[dict]:
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    assert tab.evaluate("axe.version") == AXE_VERSION
    return tab.evaluate("""axe.run(document).then(result => result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))""", timeout=120)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    assert main(["run", "--quarter", "2026Q3", "--report-date", "2026-10-01", "--accounts",
                 "MAAS,AMAND", "--language", "en,nl", "--jobs", "1", "--output",
                 str(out)]) == 0
    return {f"{page.parent.name}/{page.stem}": page
            for page in sorted((out / "2026Q3").glob("*/*.html"))}


def test_reports_print_on_a4_with_headings_kept_with_what_follows(
        reports: dict[str, Path], chromium, screenshots: Path) -> None:
    from pypdf import PdfReader

    assert {"MAAS/analysis.en", "MAAS/analysis.nl", "MAAS/plan.nl", "AMAND/plan.en"} <= set(
        reports)
    pages: dict[str, int] = {}
    for name, path in reports.items():
        tab = chromium.open(path.as_uri())
        heads = tab.evaluate(HEADS)
        pdf = _pdf(tab)
        tab.close()
        (screenshots / f"{name.replace('/', '-')}.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        pages[name] = len(reader.pages)
        for page in reader.pages:  # A4, not US Letter
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
                A4, abs=1), name
        # no text smaller than the tables' (a chart held to 78 mm high had 5.9 pt text)
        assert too_small(pdf) == [], name
        texts = [[_plain(line) for line in page.extract_text().splitlines() if line.strip()]
                 for page in reader.pages]
        # each page numbered by the report's own footer, which keeps the browser's out: no
        # print time, and no path of the machine that printed it (file:///tmp/...)
        for number, lines in enumerate(texts, start=1):
            assert f"{number} / {len(texts)}" in lines, (name, number, lines[-3:])
            assert [line for line in lines if "file:" in line or PRINT_TIME.search(line)] == [], (
                name, number)
        texts = [[line for line in lines if not PAGE_FOOTER.match(line)] for lines in texts]
        # page 1 starts the report itself, not only its table of contents
        first = " ".join(texts[0])
        assert _plain(heads["heads"][0]) in first and _plain(heads["heads"][1]) in first, name
        # no page ends with a section's heading, findings or method: they stay with the
        # chart or table they introduce
        blocks = [b for b in heads["blocks"] if b]
        for number, lines in enumerate(texts[:-1], start=1):
            last = lines[-1]
            # (a line is part of a block; a block is not merely quoted in a longer line,
            # as "Not available yet: P3 Strategy: price mix. ..." quotes its heading)
            assert not any(last in block for block in blocks
                           if len(last) >= 8), f"{name}, page {number} ends with {last!r}"
        # one h1, then h2 and h3, never a level skipped
        assert heads["h1"] == 1, name
        assert all(b - a <= 1 for a, b in zip(heads["levels"], heads["levels"][1:],
                                              strict=False)), (name, heads["levels"])
    assert pages["MAAS/analysis.en"] <= MAX_ANALYSIS_PAGES, pages
    assert pages["MAAS/analysis.nl"] <= MAX_ANALYSIS_PAGES, pages
    (screenshots / "pdf-pages.json").write_text(json.dumps(pages, indent=1), encoding="utf-8")


def test_the_entry_page_fits_the_screen_and_a4_in_both_languages(
        reports: dict[str, Path], chromium, screenshots: Path) -> None:
    """The management entry page's account table, with a prospect's "too little known"
    note and plan statuses in words, fits a 1280 px window and the printed A4 width (a
    wider table made Chromium shrink the whole printed page to about 6 pt)."""
    quarter = next(iter(reports.values())).parents[1]
    for page in ("index.html", "index.nl.html"):
        tab = chromium.open((quarter / page).as_uri())
        assert tab.evaluate("document.querySelectorAll('table.kk-sortable tbody tr').length")
        assert tab.evaluate(WIDE_TABLES) == [], page
        assert tab.evaluate(SPILLING_CELLS) == [], page  # no text runs over its neighbours
        emulate(tab, "print", A4_PRINTED_WIDTH)
        assert tab.evaluate(WIDE_TABLES) == [], f"{page} printed"
        assert tab.evaluate(SPILLING_CELLS) == [], f"{page} printed"
        tab.screenshot(screenshots / f"{page}.print.png")
        tab.close()


def test_reports_pass_an_accessibility_audit_and_fit_the_screen(
        reports: dict[str, Path], chromium, screenshots: Path) -> None:
    for name, path in reports.items():
        # the workbook by its name: no path of the machine that made the report
        assert str(DEMO_WORKBOOK.parent) not in path.read_text(encoding="utf-8"), name
        tab = chromium.open(path.as_uri())
        # every table fits the page's width (the Dutch P2 table hid its last columns), and
        # the paper's (the Dutch holder shares by service made the page print smaller)
        assert tab.evaluate(WIDE_TABLES) == [], name
        violations = _axe(tab)
        tab.screenshot(screenshots / f"{name.replace('/', '-')}.png")
        emulate(tab, "print", A4_PRINTED_WIDTH)
        assert tab.evaluate(WIDE_TABLES) == [], f"{name} printed"
        tab.close()
        assert violations == [], (name, violations)
        assert tab.log.faults(console=False) == [], name
