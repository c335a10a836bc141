"""The management entry page of a quarter: every account with its key figures and links to
its reports. Every text is escaped; the page loads nothing from anywhere."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

import kamkit
from kamkit import formatting as fmt
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import (
    INDEX_TEMPLATE,
    STYLE_SHEET,
    TEMPLATES,
    failed_name,
    other_entries,
)
from kamkit.batch.report_files import Entry, earlier_version, entries
from kamkit.currency import in_currency
from kamkit.display import (
    growth_text,
    margin_text,
    plan_status_text,
    revenue_text,
    share_change_text,
    share_text,
)
from kamkit.labels import counted, t
from kamkit.periods import last_full_year
from kamkit.report.html import stylesheet, text
from kamkit.settings import read_settings
from kamkit.workbook import DEMO_WORKBOOK, is_demo


def page_footer(definition: RunDefinition, language: str) -> str:
    """The footer of every page of a run: kamkit's version and the workbook's name (a page
    shows no path of the machine that made it; the executed notebook keeps the path)."""
    workbook = Path(definition.workbook or DEMO_WORKBOOK)
    if is_demo(workbook):
        return t("batch.footer_demo", language, version=kamkit.__version__)
    return t("batch.footer", language, version=kamkit.__version__, workbook=workbook.name)

_ERROR_SHOWN = 300
"""Characters of an error message shown on the index; the run log has all of it."""


def _href(folder: str, file: str) -> str:
    return f"{quote(folder)}/{quote(file)}"


def report_label(name: str, language: str, shown: str = "") -> str:
    """A report's or file's label in ``language``: "Analysis" for analysis, "Analysis (nl)"
    with ``shown`` "nl", "Analysis · PDF" for analysis.pdf."""
    entry = Entry.of(name)
    label = t(f"batch.report.{entry.report}", language) + (f" ({shown})" if shown else "")
    return f"{label} · PDF" if entry.format == ".pdf" else label


def file_label(name: str, language: str) -> str:
    """"Analysis · PDF" for analysis.pdf, "Review deck (nl)" for deck.nl.pptx."""
    return report_label(name, language, Entry.of(name).language)


def earlier_link(record: AccountRecord, folder: Path, name: str, language: str,
                 shown: str = "") -> tuple[str, str] | None:
    """(label, href from the quarter folder) of the last good version of the failed
    ``name`` ("Analysis, earlier version of 12 November 2026"); None when there is none."""
    version = earlier_version(record, folder, name)
    if version is None:
        return None
    file, made = version
    return (t("batch.earlier", language, report=report_label(name, language, shown),
              date=fmt.date(made, language)), _href(folder.name, file))


@dataclass(frozen=True)
class _Link:
    """A link under an account: a report or file, or what failed with the executed
    notebook's href (None: no notebook of its own) and its last good version's link."""

    label: str
    href: str | None
    error: str | None = None
    earlier: _Link | None = None


def _report_links(record: AccountRecord, folder: Path, language: str,
                  languages: Sequence[str]) -> list[_Link]:
    """Every report and file of the account, each with its language where the run has
    several or it is not the page's; then what failed."""
    def shown(lang: str) -> str:
        return lang if len(languages) > 1 or lang != language else ""

    links = [_Link(report_label(name, language, shown(lang)), _href(folder.name, file))
             for name, file, lang in entries(record, folder)]
    for name, error in record.failed.items():
        entry = Entry.of(name)
        notebook = not entry.format and (folder / failed_name(name)).is_file()
        lang = shown(entry.language or record.language)
        earlier = earlier_link(record, folder, name, language, lang)
        links.append(_Link(report_label(name, language, lang),
                           _href(folder.name, failed_name(name)) if notebook else None,
                           _shortened(record.said.get(name, {}).get(language, error)),
                           _Link(*earlier) if earlier is not None else None))
    return links


_ABSOLUTE_PATH = re.compile(
    r"(?<![\w.:/\\])(?:[A-Za-z]:[\\/]|/)(?:[^\s'\"()<>,;:/\\]+[\\/])+(?=[^\s'\"()<>,;/\\]*)")
"""The folders of an absolute path (``/tmp/run/out/``, ``C:\\work\\``) in an error message:
the page names the file, not where it lies on the machine that made it."""


def _shortened(message: str) -> str:
    """An error message as the index shows it: without the folders of the paths it names
    (the run log has them), cut to ``_ERROR_SHOWN`` characters."""
    message = _ABSOLUTE_PATH.sub("", message)
    return message if len(message) <= _ERROR_SHOWN else message[:_ERROR_SHOWN - 1] + "…"


@dataclass(frozen=True)
class _Figure:
    """A figure's cell: its text, and whether that is words (why the figure is not known,
    which may wrap) rather than a number (which stays on one line)."""

    text: str
    words: bool


def _row(record: AccountRecord, folder: Path, language: str,
         languages: Sequence[str]) -> dict[str, object]:
    f = record.figures
    shown = {"revenue": revenue_text(f, language), "revenue_growth_pct": growth_text(f, language),
             "margin_pct": margin_text(f, language),
             "share": share_text(f, language), "share_change_pts": share_change_text(f, language)}
    return {"name": record.name, "account_id": record.account_id,
            "figures": [_Figure(text, fmt.is_missing(f.get(key))) for key, text in shown.items()],
            "plan": plan_status_text(f, language),
            "links": _report_links(record, folder, language, languages)}


def _escaped(value: object) -> object:
    """Every value the template shows, escaped as the reports escape text."""
    return value if isinstance(value, Markup) else Markup(text(value))


@cache
def _template() -> Template:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                              keep_trailing_newline=True, finalize=_escaped,
                              undefined=StrictUndefined)
    return environment.get_template(INDEX_TEMPLATE)


def index_page(records: Sequence[tuple[str, AccountRecord]], definition: RunDefinition,
               made: dt.date, language: str | None = None,
               decks: Sequence[str] = (), portfolio_failed: str | None = None) -> str:
    """The plain index page of ``definition``'s quarter in ``language`` (default: its
    first): the entry page while the portfolio report is made, or when it cannot be.

    Parameters
    ----------
    records
        (account folder name, record) per account, in the order to show.
    decks
        The file names of the quarter's portfolio decks, linked under the title.
    portfolio_failed
        Why the portfolio page, the entry page this one stands in for, could not be made
        (said first thing: management sees this list instead of the portfolio).
    """
    # amounts in the workbook's currency (its settings: the workbook itself is not loaded here)
    language = in_currency(language or definition.languages[0],
                           read_settings(definition.workbook or DEMO_WORKBOOK, []).currency)
    year = last_full_year(definition.as_of)
    failed = sum(not r.ok for _, r in records)
    headers = [t("batch.col.account", language), t("batch.col.revenue", language, year=year),
               t("batch.col.growth", language), t("batch.col.margin", language),
               t("batch.col.share", language, year=year), t("batch.col.share_change", language),
               t("batch.col.plan", language), t("batch.col.reports", language)]
    intro = t("batch.index.intro", language, year=year, as_of=fmt.date(definition.as_of, language),
              made=fmt.date(made, language)) + " " + t("batch.index.plan", language)
    return _template().render(
        language=language, headers=headers, intro=intro,
        title=t("batch.index.title", language, quarter=definition.quarter),
        theme=Markup(stylesheet().rstrip("\n")),
        style_sheet=Markup(STYLE_SHEET.read_text(encoding="utf-8")),
        summary=t("batch.index.summary", language,
                  accounts=counted("accounts", len(records), language),
                  ok=len(records) - failed, failed=failed),
        decks=[_Link(file_label(name, language), _href(".", name))
               for name in decks],
        rows=[_row(record, definition.folder / folder, language, definition.languages)
              for folder, record in records],
        failed=t("batch.failed", language),
        portfolio_failed=(t("batch.index.portfolio_failed", language,
                            reason=_shortened(portfolio_failed))
                          if portfolio_failed is not None else None),
        languages=[_Link(t(f"batch.language.{lang}", language), quote(page))
                   for lang, page in other_entries(definition, language)],
        failed_notebook=t("batch.failed_notebook", language),
        footer=page_footer(definition, language))
