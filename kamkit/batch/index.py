"""The management entry page of a quarter: every account with its key figures and links to
its reports. Every text is escaped; the page loads nothing from anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import kamkit
from kamkit import formatting as fmt
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import STYLE_SHEET, failed_name
from kamkit.display import plan_status_text
from kamkit.labels import counted, t
from kamkit.periods import last_full_year
from kamkit.report.html import text


def page_footer(definition: RunDefinition, language: str) -> str:
    """The footer of every page of a run: kamkit's version and the workbook's name (a page
    shows no path of the machine that made it; the executed notebook keeps the path)."""
    return t("batch.footer", language, version=kamkit.__version__,
             workbook=Path(definition.workbook or kamkit.DEMO_WORKBOOK).name)

_STYLE = """
table.kk-index { border-collapse: collapse; width: 100%; font-size: 13px; }
.kk-index th, .kk-index td { border-bottom: 1px solid var(--kk-line); padding: 4px 8px;
  text-align: left; vertical-align: top; }
.kk-index th { background: #f7f9fc; }
.kk-index td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.kk-index small { color: #666; }
.kk-index .kk-error { color: #c0392b; }
.kk-index td.kk-plan { white-space: nowrap; }
"""


_ERROR_SHOWN = 300
"""Characters of an error message shown on the index; the run log has all of it."""


def _href(folder: str, file: str) -> str:
    return text(f"{quote(folder)}/{quote(file)}")


def _label(stem: str, language: str) -> str:
    """"Analysis", or "Analysis (nl)" in a run with several languages."""
    name, _, lang = stem.partition(".")
    return t(f"batch.report.{name}", language) + (f" ({lang})" if lang else "")


OTHER_FORMATS = (".pdf", ".pptx")
"""The files beside the HTML reports (``AccountRecord.files``), by their suffix."""


def file_label(name: str, language: str) -> str:
    """"Analysis · PDF" for analysis.pdf, "Review deck (nl)" for deck.nl.pptx."""
    stem, _, suffix = name.rpartition(".")
    label = _label(stem, language)
    return f"{label} · PDF" if suffix == "pdf" else label


def _report_links(record: AccountRecord, folder: str, language: str) -> str:
    links = [f'<a href="{_href(folder, file)}">{text(_label(stem, language))}</a>'
             for stem, file in record.reports.items()]
    links += [f'<a href="{_href(folder, file)}">{text(file_label(name, language))}</a>'
              for name, file in record.files.items()]
    for stem, error in record.failed.items():
        other = stem.endswith(OTHER_FORMATS)  # no notebook of its own
        label = file_label(stem, language) if other else _label(stem, language)
        notebook = "" if other else (f' (<a href="{_href(folder, failed_name(stem))}">'
                                     f'{text(t("batch.failed_notebook", language))}</a>)')
        links.append(f'<span class="kk-error">{text(label)}: {text(t("batch.failed", language))}'
                     f' – {text(_shortened(error))}{notebook}</span>')
    return "<br>".join(links)


def _shortened(message: str) -> str:
    return message if len(message) <= _ERROR_SHOWN else message[:_ERROR_SHOWN - 1] + "…"


def _row(record: AccountRecord, folder: str, language: str) -> str:
    f = record.figures
    margin = f.get("margin_pct")
    cells = [
        f"<td>{text(record.name)}<br><small>{text(record.account_id)}</small></td>",
        f'<td class="num">{text(fmt.eur(f.get("revenue"), language))}</td>',
        f'<td class="num">{text(fmt.growth(f.get("revenue_growth_pct"), language))}</td>',
        f'<td class="num">{text(fmt.per_cent(margin, language, 1))}</td>',
        f'<td class="num">{text(fmt.share(f.get("share"), language, 1))}</td>',
        f'<td class="num">{text(fmt.points(f.get("share_change_pts"), language, 1))}</td>',
        f'<td class="kk-plan">{text(plan_status_text(f, language))}</td>',
        f"<td>{_report_links(record, folder, language)}</td>",
    ]
    return f"<tr>{''.join(cells)}</tr>"


def index_page(records: Sequence[tuple[str, AccountRecord]], definition: RunDefinition,
               made: dt.date, language: str | None = None,
               decks: Sequence[str] = ()) -> str:
    """The plain index page of ``definition``'s quarter in ``language`` (default: its
    first): the entry page while the portfolio report is made, or when it cannot be.

    Parameters
    ----------
    records
        (account folder name, record) per account, in the order to show.
    decks
        The file names of the quarter's portfolio decks, linked under the title.
    """
    language = language or definition.languages[0]
    year = last_full_year(definition.as_of)
    failed = sum(not r.ok for _, r in records)
    headers = [t("batch.col.account", language), t("batch.col.revenue", language, year=year),
               t("batch.col.growth", language), t("batch.col.margin", language),
               t("batch.col.share", language, year=year), t("batch.col.share_change", language),
               t("batch.col.plan", language), t("batch.col.reports", language)]
    head = "".join(f"<th>{text(h)}</th>" for h in headers)
    rows = "\n".join(_row(record, folder, language) for folder, record in records)
    title = t("batch.index.title", language, quarter=definition.quarter)
    intro = t("batch.index.intro", language, year=year, as_of=fmt.date(definition.as_of, language),
              made=fmt.date(made, language)) + " " + t("batch.index.plan", language)
    summary = t("batch.index.summary", language,
                accounts=counted("accounts", len(records), language),
                ok=len(records) - failed, failed=failed)
    links = "".join(
        f'<br><a href="{_href(".", name)}">{text(_label(name.rpartition(".")[0], language))}'
        "</a>" for name in decks)
    footer = page_footer(definition, language)
    return (
        f'<!DOCTYPE html>\n<html lang="{text(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{text(title)}</title>\n<style>\n{STYLE_SHEET.read_text(encoding='utf-8')}"
        f"{_STYLE}</style>\n</head>\n<body>\n<header class=\"kk-page\"><h1>{text(title)}</h1>"
        f"<p>{text(intro)}<br>{text(summary)}{links}</p></header>\n<main>\n"
        f'<table class="kk-index"><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n'
        f"</tbody></table>\n</main>\n<footer>{text(footer)}</footer>\n</body>\n</html>\n")
