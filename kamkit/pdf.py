"""Reports as PDF for the archive: the same HTML page printed on A4 by headless Chromium
(Debian's ``chromium``), else by WeasyPrint where it is installed (with Pango); a clear
message when neither is there.

The page's own print rules apply (``report.css``: ``@page { size: A4 }``, headings kept with
what follows). Chromium runs with every name and address outside the machine blocked, and
WeasyPrint loads only files and data: URLs, so a printed page can load nothing from
anywhere.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from kamkit.atomic import write_bytes_atomic
from kamkit.errors import KamkitError
from kamkit.problems import words

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
LOCAL = ("file", "data")
"""What a page printed by WeasyPrint may load: files of the machine and data: URLs."""
TIMEOUT = 120
"""Seconds one page may take to print."""

_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pdf-header-footer", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
)


class PdfError(KamkitError):
    """A page could not be printed, or nothing to print with is installed."""


def chromium() -> str | None:
    """The path of an installed Chromium (or Chrome); None without."""
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def _weasyprint() -> Any:
    """The weasyprint module; None where it is not installed (or its Pango is missing: it
    raises OSError on import then)."""
    try:
        import weasyprint
    except (ImportError, OSError):
        return None
    return weasyprint


def printer() -> str:
    """What prints PDFs here: "chromium" or "weasyprint".

    Raises
    ------
    PdfError
        When neither is installed, saying how to install one.
    """
    if chromium():
        return "chromium"
    if _weasyprint() is not None:
        return "weasyprint"
    raise PdfError.of(words("cli.pdf.no_printer"))


def _chromium_pdf(executable: str, page: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kamkit-pdf-") as work:
        out = Path(work) / "page.pdf"
        try:
            subprocess.run(
                [executable, *_FLAGS, f"--user-data-dir={work}/profile",
                 f"--print-to-pdf={out}", page.resolve().as_uri()],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT,
                check=False)
        except subprocess.TimeoutExpired:
            raise PdfError.of(words("cli.pdf.timeout", page=str(page), seconds=TIMEOUT)) from None
        if not out.is_file() or out.stat().st_size == 0:
            raise PdfError.of(words("cli.pdf.failed", page=str(page)))
        return out.read_bytes()


def pdf_bytes(page: Path) -> bytes:
    """The HTML file ``page`` printed to PDF (see the module)."""
    how = printer()
    if how == "chromium":
        return _chromium_pdf(str(chromium()), page)
    weasyprint = _weasyprint()
    # like Chromium's, WeasyPrint's page loads nothing from outside the machine
    fetcher = (weasyprint.URLFetcher(allowed_protocols=LOCAL)
               if hasattr(weasyprint, "URLFetcher") else None)
    return bytes(weasyprint.HTML(filename=str(page), url_fetcher=fetcher).write_pdf())


def print_pdf(page: Path, target: Path) -> Path:
    """Print the HTML file ``page`` to the PDF ``target``, written atomically."""
    write_bytes_atomic(target, pdf_bytes(page))
    return target
