"""Where a run's files go: ``<output>/<quarter>/<account>/<report>[.<language>].{ipynb,html}``.

Account ids come from a workbook or the command line and can hold anything, so each becomes
a safe folder name; no id can reach outside the quarter folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from kamkit.errors import KamkitError

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

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_name(account_id: str) -> str:
    """A folder name for ``account_id``: the id itself when it is plain (letters, digits,
    '-' and '_'), otherwise its plain characters with a short hash of the id, so two ids
    never share a folder.

    Examples
    --------
    >>> safe_name("MAAS")
    'MAAS'
    >>> safe_name("../etc").startswith("etc-")
    True
    """
    if _PLAIN.fullmatch(account_id) and account_id.upper() not in _RESERVED:
        return account_id
    plain = re.sub(r"[^A-Za-z0-9_-]+", "_", account_id).strip("_-")[:40] or "account"
    digest = hashlib.sha256(account_id.encode("utf-8")).hexdigest()[:10]
    return f"{plain}-{digest}"


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
