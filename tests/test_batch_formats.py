"""`kamkit run --formats html,pptx,pdf`: the option read once for file and command line, the
files made beside the reports and linked on the entry page, a failing PDF reported there
without a notebook link, and a clear message when nothing can print PDFs. The PDFs kamkit.pdf
writes, by Chromium and, without it, by WeasyPrint, have A4 pages and no heading alone at a
page's bottom."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pdf_pages import (
    MAX_ANALYSIS_PAGES,
    check_printed,
    headings_ending_pages,
    page_sizes,
    producer,
)

from kamkit import KamkitError
from kamkit import pdf as kpdf
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.index import index_page
from kamkit.cli import main

A4 = (595.28, 841.89)  # points
RUN = ["run", "--quarter", "2026Q3", "--report-date", "2026-10-01", "--accounts", "MAAS",
       "--formats", "pptx,pdf", "--jobs", "1"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one `kamkit run` of MAAS with decks and PDFs."""
    out = tmp_path_factory.mktemp("run")
    assert main([*RUN, "--output", str(out)]) == 0
    return out


def test_formats_always_include_html_and_name_the_unknown() -> None:
    assert load_definition(None, {"quarter": "2026Q3"}).formats == ("html",)
    assert load_definition(None, {"quarter": "2026Q3", "formats": "pdf,pptx"}).formats == (
        "html", "pptx", "pdf")
    with pytest.raises(KamkitError, match=r"formats: unknown format 'docx'; the formats are "
                                          "html, pptx, pdf"):
        load_definition(None, {"quarter": "2026Q3", "formats": "html,docx"})


def test_the_entry_page_links_decks_and_pdfs_and_reports_a_failed_one() -> None:
    definition = load_definition(None, {"quarter": "2026Q3", "formats": "pptx,pdf",
                                        "languages": "en,nl"})
    record = AccountRecord("A", "A & Co", None, {"analysis.en": "analysis.en.html"},
                           {"analysis.nl.pdf": "Chromium could not print it"},
                           files={"analysis.en.pdf": "analysis.en.pdf",
                                  "deck.nl.pptx": "deck.nl.pptx"})
    page = index_page([("A", record)], definition, definition.as_of, "en",
                      ["portfolio_deck.en.pptx"])
    assert 'href="A/analysis.en.pdf">Analysis (en) · PDF</a>' in page
    assert 'href="A/deck.nl.pptx">Review deck (nl)</a>' in page
    assert 'href="./portfolio_deck.en.pptx">Portfolio deck (en)</a>' in page
    assert "Analysis (nl) · PDF: failed – Chromium could not print it</span>" in page
    assert "analysis.nl.pdf.failed.ipynb" not in page


def test_without_chromium_or_weasyprint_pdf_is_a_clear_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(kpdf, "chromium", lambda: None)
    monkeypatch.setattr(kpdf, "_weasyprint", lambda: None)
    page = tmp_path / "page.html"
    page.write_text("<h1>x</h1>", encoding="utf-8")
    with pytest.raises(kpdf.PdfError, match=r"need headless Chromium or WeasyPrint.*"
                                            "apt-get install chromium"):
        kpdf.print_pdf(page, tmp_path / "page.pdf")
    assert not (tmp_path / "page.pdf").exists()


@pytest.mark.notebook
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(kpdf.chromium() is None, reason="chromium is not installed")
def test_a_run_makes_decks_and_a4_pdfs_and_links_them(run_folder: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    argv = [*RUN, "--output", str(run_folder)]
    quarter = run_folder / "2026Q3"
    account = quarter / "MAAS"
    pages = {}
    for report in ("analysis", "plan"):
        pdf = (account / f"{report}.pdf").read_bytes()
        reader = PdfReader(io.BytesIO(pdf))
        pages[report] = len(reader.pages)
        assert producer(pdf).startswith("Skia"), producer(pdf)  # Chromium's
        # A4 pages, no heading alone at a page's bottom
        check_printed(pdf, (account / f"{report}.html").read_text(encoding="utf-8"), report)
        assert "Maasport" in reader.pages[0].extract_text()
    assert 3 <= pages["analysis"] <= MAX_ANALYSIS_PAGES and 2 <= pages["plan"] <= 12, pages
    deck = Presentation(str(account / "deck.pptx"))
    assert len(deck.slides) == 11
    portfolio = Presentation(str(quarter / "portfolio_deck.pptx"))
    assert len(portfolio.slides) >= 4
    index = (quarter / "index.html").read_text(encoding="utf-8")
    # the entry page is the portfolio report: the deck in its header, the files by account
    for href in ("MAAS/analysis.pdf", "MAAS/plan.pdf", "MAAS/deck.pptx", "portfolio_deck.pptx"):
        assert f'href="{href}"' in index, href
    record = json.loads((account / ".kamkit-run.json").read_text(encoding="utf-8"))
    assert set(record["files"]) == {"analysis.pdf", "plan.pdf", "deck.pptx"}
    # the same run again: nothing to make, the files stay linked
    made = (account / "deck.pptx").stat().st_mtime_ns
    assert main(argv) == 0
    assert (account / "deck.pptx").stat().st_mtime_ns == made
    assert 'href="MAAS/deck.pptx"' in (quarter / "index.html").read_text(encoding="utf-8")


@pytest.mark.notebook
@pytest.mark.slow
def test_without_chromium_weasyprint_prints_the_report_on_a4(
        run_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("weasyprint")
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium to be found
    assert kpdf.chromium() is None and kpdf.printer() == "weasyprint"
    for report in ("analysis", "plan"):
        page = run_folder / "2026Q3" / "MAAS" / f"{report}.html"
        pdf = kpdf.print_pdf(page, tmp_path / f"{report}.pdf").read_bytes()
        assert producer(pdf).startswith("WeasyPrint"), producer(pdf)
        check_printed(pdf, page.read_text(encoding="utf-8"), report)
        assert len(page_sizes(pdf)) >= 2


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_heading_alone_at_a_page_bottom_is_found() -> None:
    """The check of the printed reports finds what it looks for: a heading whose text is
    pushed to the next page, and only then."""
    weasyprint = pytest.importorskip("weasyprint")
    page = """<html><head><style>@page {{ size: A4; margin: 12mm }}</style></head><body>
<h1>A report</h1><div style="height: 200mm"></div><h2>A heading alone</h2>
<p style="break-before: {0}">Its text.</p><p>More text.</p></body></html>"""
    alone = weasyprint.HTML(string=page.format("page")).write_pdf()
    assert page_sizes(alone) == [pytest.approx(A4, abs=1)] * 2
    assert headings_ending_pages(alone, page.format("page")) == [(1, "A heading alone")]
    with pytest.raises(AssertionError):
        check_printed(alone, page.format("page"), "alone")
    kept = weasyprint.HTML(string=page.format("auto")).write_pdf()
    assert headings_ending_pages(kept, page.format("auto")) == []


def test_weasyprint_loads_nothing_from_the_network(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("weasyprint")
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        page = tmp_path / "page.html"
        page.write_text(f'<html><head><link rel="stylesheet" href="{url}/style.css"></head>'
                        f'<body><h1>Report</h1><img src="{url}/logo.png"></body></html>',
                        encoding="utf-8")
        monkeypatch.setenv("PATH", str(tmp_path))  # no chromium: WeasyPrint prints
        pdf = kpdf.print_pdf(page, tmp_path / "page.pdf").read_bytes()
    finally:
        server.shutdown()
    assert producer(pdf).startswith("WeasyPrint") and asked == []
