"""Where a run's files go: ``<output>/<quarter>/<account>/<report>[.<language>].{ipynb,html}``.

Account ids come from a workbook or the command line and can hold anything, so each becomes
a safe folder name (``kamkit.ids.safe_name``); no id can reach outside the quarter folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kamkit.errors import KamkitError
from kamkit.ids import safe_name

TEMPLATES = Path(__file__).resolve().parent.parent / "report" / "templates"
TEMPLATE = "kamkit_report"
"""The nbconvert template of a report (``TEMPLATES/TEMPLATE``)."""
STYLE_SHEET = TEMPLATES / TEMPLATE / "report.css"
"""The look of reports and of the index page."""

INDEX = "index.html"
LOG = "kamkit-run.log"
LOCK = ".kamkit-run.lock"
STAMP = ".kamkit-run.json"
"""Per account: what the last run made, its cache key and its key figures."""


def account_folder(quarter_folder: Path, account_id: str) -> Path:
    """The folder of one account's reports, checked to be inside the quarter folder."""
    folder = quarter_folder / safe_name(account_id)
    if folder.resolve().parent != quarter_folder.resolve():
        raise KamkitError(f"Account {account_id!r} would be written outside {quarter_folder}.")
    return folder


def check_distinct(account_ids: Sequence[str]) -> None:
    """Refuse ids whose folders would coincide on a case-insensitive file system."""
    seen: dict[str, str] = {}
    for account_id in account_ids:
        key = safe_name(account_id).lower()
        if key in seen and seen[key] != account_id:
            raise KamkitError(f"Accounts {seen[key]!r} and {account_id!r} differ only in case; "
                              "their reports would share a folder. Rename one of them.")
        seen[key] = account_id


def report_stem(report: str, language: str, languages: Sequence[str]) -> str:
    """``analysis`` for a run in one language, ``analysis.nl`` with several."""
    return report if len(languages) == 1 else f"{report}.{language}"


def failed_name(stem: str) -> str:
    """The executed notebook of a failed report, kept for diagnosis."""
    return f"{stem}.failed.ipynb"


__all__ = ["INDEX", "LOCK", "LOG", "STAMP", "STYLE_SHEET", "TEMPLATE", "TEMPLATES",
           "account_folder", "check_distinct", "failed_name", "report_stem", "safe_name"]
