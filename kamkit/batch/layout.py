"""Where a run's files go: ``<output>/<quarter>/<account>/<report>[.<language>].{ipynb,html}``.

Account ids come from a workbook or the command line and can hold anything, so each becomes
a safe folder name (``kamkit.ids.safe_name``); no id can reach outside the quarter folder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kamkit.atomic import write_text_atomic
from kamkit.errors import KamkitError
from kamkit.ids import safe_name
from kamkit.periods import parse_quarter, quarter_name

if TYPE_CHECKING:  # for annotations only: the batch modules import this one first
    from kamkit.batch.definition import RunDefinition

TEMPLATES = Path(__file__).resolve().parent.parent / "report" / "templates"
TEMPLATE = "kamkit_report"
"""The nbconvert template of a report (``TEMPLATES/TEMPLATE``)."""
STYLE_SHEET = TEMPLATES / TEMPLATE / "report.css"
"""The look of reports and of the index page."""
INDEX_TEMPLATE = "quarter_index.html.j2"
"""The Jinja template of a quarter's plain index page (in ``TEMPLATES``)."""

INDEX = "index.html"
DECK = "deck"
"""The stem of an account's review deck (``deck.pptx``, ``deck.nl.pptx``)."""
PORTFOLIO_DECK = "portfolio_deck"
"""The stem of the quarter's portfolio deck, beside the entry page."""
LOG = "kamkit-run.log"
LOCK = ".kamkit-run.lock"
STAMP = ".kamkit-run.json"
"""Per account: what the last run made, its cache key and its key figures."""
OWNER = ".kamkit-account.json"
"""Per account folder: the id it belongs to, claimed before anything is written in it."""
SNAPSHOT = "snapshot.json"
"""The quarter's portfolio snapshot (``kamkit.portfolio.snapshot``), beside its reports."""
PORTFOLIO = "portfolio"
"""The stem of the quarter's portfolio report: ``portfolio.html``, ``portfolio.nl.html``."""


NOT_MADE = ""
"""The href of a report that could not be made, in the links the portfolio page gets."""

PORTFOLIO_STAMP = ".kamkit-portfolio.json"
"""In the quarter folder: what the last run made of the portfolio, and its cache key."""


def entry_name(language: str, languages: Sequence[str]) -> str:
    """The quarter's entry page in ``language``: ``index.html`` in the run's first language,
    ``index.<language>.html`` in the others."""
    return INDEX if language == languages[0] else f"index.{language}.html"


def other_entries(definition: RunDefinition, language: str) -> list[tuple[str, str]]:
    """(language, entry page) of the quarter's entry pages in languages other than
    ``language``: the run's others, from the next one on, then those an earlier run made in
    a language this run does not make (a one-language run keeps the link to them)."""
    from kamkit.labels import LANGUAGES  # labels import much; a layout question rarely

    run = list(definition.languages)
    at = run.index(language) + 1 if language in run else 0
    found = [(lang, entry_name(lang, run)) for lang in (*run[at:], *run[:at]) if lang != language]
    return found + [(lang, entry_name(lang, run)) for lang in LANGUAGES
                    if lang not in run and lang != language
                    and (definition.folder / entry_name(lang, run)).is_file()]


def previous_quarter(quarter: str) -> str:
    """The quarter before ``quarter`` (2026Q3 -> 2026Q2, 2026Q1 -> 2025Q4)."""
    year, number = parse_quarter(quarter) or (0, 0)
    if not year:
        raise KamkitError(f"{quarter!r} is not a quarter; write it as 2026Q3.")
    return quarter_name(year - 1, 4) if number == 1 else quarter_name(year, number - 1)


def snapshot_path(output: Path, quarter: str) -> Path:
    """Where a run writing quarter folders into ``output`` keeps ``quarter``'s snapshot."""
    return output / quarter / SNAPSHOT


def account_folder(quarter_folder: Path, account_id: str) -> Path:
    """The folder of one account's reports, checked to be inside the quarter folder."""
    folder = quarter_folder / safe_name(account_id)
    if folder.resolve().parent != quarter_folder.resolve():
        raise KamkitError(f"Account {account_id!r} would be written outside {quarter_folder}.")
    return folder


def check_distinct(account_ids: Sequence[str]) -> None:
    """Refuse ids whose folders would coincide, also on a case-insensitive file system."""
    seen: dict[str, str] = {}
    for account_id in account_ids:
        key = safe_name(account_id).lower()
        if key in seen and seen[key] != account_id:
            why = ("differ only in case" if seen[key].lower() == account_id.lower() else
                   f"would both be written to the folder {safe_name(account_id)!r}")
            raise KamkitError(f"Accounts {seen[key]!r} and {account_id!r} {why}; their "
                              "reports would share a folder. Rename one of them.")
        seen[key] = account_id


def folder_owner(folder: Path) -> str | None:
    """The account an existing report folder belongs to: its claim, else the account of the
    record a run left in it (folders made before claims); None for a new or empty folder."""
    for name, key in ((OWNER, "account_id"), (STAMP, "account_id")):
        try:
            owner = json.loads((folder / name).read_text(encoding="utf-8"))[key]
        except FileNotFoundError:
            continue
        except (OSError, ValueError, TypeError, KeyError):
            owner = None  # unreadable: judged below
        if isinstance(owner, str):
            return owner
        raise KamkitError(f"{folder / name} cannot be read, so it is not known whose reports "
                          f"{folder} holds; remove the folder if it is not needed.")
    return None


def claim_folders(folders: Mapping[str, Path]) -> None:
    """Make each account folder belong to its account before anything is written in it.

    Every folder is checked against what is on disk first: one that holds another account's
    reports (an id whose folder name equals another id's, run in another run, or a case twin
    on a case-insensitive disk) stops the run with nothing written.

    Raises
    ------
    KamkitError
        Naming the folder, its owner and the account that would overwrite it.
    """
    new = []
    for account_id, folder in folders.items():
        owner = folder_owner(folder) if folder.is_dir() else None
        if owner is None:
            new.append((account_id, folder))
        elif owner != account_id:
            raise KamkitError(
                f"The folder {folder} holds the reports of account {owner!r}; account "
                f"{account_id!r} would overwrite them. Rename one of the two accounts, or "
                "write this run to another --output.")
    for account_id, folder in new:
        write_text_atomic(folder / OWNER, json.dumps({"account_id": account_id}))


def report_stem(report: str, language: str, languages: Sequence[str]) -> str:
    """``analysis`` for a run in one language, ``analysis.nl`` with several."""
    return report if len(languages) == 1 else f"{report}.{language}"


def report_stems(definition: RunDefinition) -> list[str]:
    """The stems of every report an account gets in a run, in report and language order."""
    return [report_stem(r.name, lang, definition.languages) for r in definition.reports
            for lang in definition.languages]


def failed_name(stem: str) -> str:
    """The executed notebook of a failed report, kept for diagnosis."""
    return f"{stem}.failed.ipynb"



def portfolio_decks(definition: RunDefinition) -> list[str]:
    """The file names of the quarter's portfolio decks beside the entry page, one per
    language; none without pptx in the run's formats."""
    if "pptx" not in definition.formats:
        return []
    return [f"{report_stem(PORTFOLIO_DECK, language, definition.languages)}.pptx"
            for language in definition.languages]


__all__ = [
    "DECK",
    "INDEX",
    "INDEX_TEMPLATE",
    "LOCK",
    "LOG",
    "NOT_MADE",
    "OWNER",
    "PORTFOLIO",
    "PORTFOLIO_DECK",
    "PORTFOLIO_STAMP",
    "SNAPSHOT",
    "STAMP",
    "STYLE_SHEET",
    "TEMPLATE",
    "TEMPLATES",
    "account_folder",
    "check_distinct",
    "claim_folders",
    "entry_name",
    "failed_name",
    "folder_owner",
    "portfolio_decks",
    "previous_quarter",
    "report_stem",
    "report_stems",
    "safe_name",
    "snapshot_path",
]
