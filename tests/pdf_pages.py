"""What a printed report must be, checked on the PDF file itself (pypdf): A4 pages, and no
page ending with a heading (a heading alone at a page's bottom, its section on the next).
The headings are found by their text in the HTML page the PDF was printed from."""

from __future__ import annotations

import io
import re
import unicodedata
from html.parser import HTMLParser

A4 = (595.28, 841.89)  # points
# the demo's MAAS analysis (issue 11); 13 since its A4 history chart (revenue above the
# events) prints at full scale like the other stacked charts, not at 0.54 with 4.5 pt text;
# still 13 with every chart at its drawn size (review 10: DELTA's 12 pages became 13)
MAX_ANALYSIS_PAGES = 13
MIN_TEXT_PT = 6.9
"""The smallest text a printed report may have, charts included: the tables' 7 pt, less
the A6 whitespace chart's 10 px cell text, fitted to the paper's width at 0.93 (6.97 pt;
a chart held to 78 mm high printed it at 5.9 pt, review 10)."""
HEADINGS = ("h1", "h2", "h3", "h4")


def plain(text: str) -> str:
    """Text as compared: ligatures resolved (a PDF writes "ﬁ"), spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADINGS:
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS and self._open is not None:
            self.found.append(plain("".join(self._open)))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def headings(page_html: str) -> list[str]:
    """The texts of the page's headings (h1-h4), in order."""
    parser = _Headings()
    parser.feed(page_html)
    return [text for text in parser.found if text]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(page.mediabox.width), float(page.mediabox.height))
            for page in PdfReader(io.BytesIO(pdf)).pages]


def producer(pdf: bytes) -> str:
    """What made the PDF (its document information's /Producer)."""
    from pypdf import PdfReader

    return str((PdfReader(io.BytesIO(pdf)).metadata or {}).get("/Producer", ""))


def text_sizes(pdf: bytes) -> list[tuple[int, float, str]]:
    """(page number, size in points as printed, text) of every piece of text in the PDF: its
    font size times the scale of its text and current transformation matrices (Chromium
    writes a scaled chart's text at the chart's font size under a scaling matrix)."""
    from pypdf import PdfReader

    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  number: int = number) -> None:
            if not text.strip():
                return
            # the text matrix in page space, whose determinant is the area scale
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            found.append((number, size * abs(a * d - b * c) ** 0.5, plain(text)))

        page.extract_text(visitor_text=visit)
    return found


PAGE_FOOTER = re.compile(r"^\s*(\d+) / (\d+)\s*$")
"""The line of a printed page's own footer, its number of the pages (report.css, ``@page``)."""


def bottom_lines(pdf: bytes) -> list[str]:
    """Each page's lowest line of text above its footer (``PAGE_FOOTER``), "" for a page
    without text: from pypdf's layout mode, which places the text as it stands on the page
    (the order a file holds its text in can put a chart's labels last)."""
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = [line for line in page.extract_text(extraction_mode="layout").splitlines()
                 if line.strip() and not PAGE_FOOTER.match(line)]
        out.append(plain(lines[-1]) if lines else "")
    return out


def headings_ending_pages(pdf: bytes, page_html: str) -> list[tuple[int, str]]:
    """(page number, line) of every page but the last whose bottom line is a heading of the
    HTML page (a heading wrapped over two lines counts by its last line)."""
    heads = headings(page_html)
    found = []
    for number, last in enumerate(bottom_lines(pdf)[:-1], start=1):
        if len(last) >= 4 and any(last == head or (len(last) >= 8 and head.endswith(last))
                                  for head in heads):
            found.append((number, last))
    return found


def check_printed(pdf: bytes, page_html: str, name: str) -> None:
    """Assert the PDF printed from ``page_html`` has A4 pages, no heading at a page's
    bottom and no text smaller than ``MIN_TEXT_PT``."""
    sizes = page_sizes(pdf)
    assert sizes, name
    for width, height in sizes:
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (name, width, height)
    assert headings_ending_pages(pdf, page_html) == [], name
    assert too_small(pdf) == [], name


def too_small(pdf: bytes) -> list[tuple[int, float, str]]:
    """The texts of the PDF printed smaller than ``MIN_TEXT_PT`` (``text_sizes``)."""
    return [(page, round(size, 2), text) for page, size, text in text_sizes(pdf)
            if size < MIN_TEXT_PT]
