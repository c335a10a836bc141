"""`kamkit run --formats html,pptx,pdf`: the option read once for file and command line, the
files made beside the reports and linked on the entry page, a failing PDF reported there
without a notebook link, and a clear message when nothing can print PDFs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kamkit import KamkitError
from kamkit import pdf as kpdf
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.index import index_page
from kamkit.cli import main

A4 = (595.28, 841.89)  # points


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
def test_a_run_makes_decks_and_a4_pdfs_and_links_them(tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    argv = ["run", "--quarter", "2026Q3", "--report-date", "2026-10-01", "--accounts",
            "MAAS", "--formats", "pptx,pdf", "--jobs", "1", "--output", str(tmp_path)]
    assert main(argv) == 0
    quarter = tmp_path / "2026Q3"
    account = quarter / "MAAS"
    pages = {}
    for report in ("analysis", "plan"):
        reader = PdfReader(io.BytesIO((account / f"{report}.pdf").read_bytes()))
        pages[report] = len(reader.pages)
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
                A4, abs=1)
        assert "Maasport" in reader.pages[0].extract_text()
    assert 3 <= pages["analysis"] <= 12 and 2 <= pages["plan"] <= 12, pages
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
