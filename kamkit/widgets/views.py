"""The workbench's views of one account: which report sections each shows, drawn as HTML.

A view is made of the same sections as the account analysis report (one story per figure:
the workbench and the report never disagree), built on the account as narrowed by the
user's selection. Charts become inline SVG in the kernel (vl-convert): no JavaScript, so a
view shows the same in JupyterLab, offline, and in a saved notebook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
from altair.utils.mimebundle import spec_to_mimebundle

from kamkit import analysis as an
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import Section
from kamkit.selection import Selection, narrow
from kamkit.workbook import AccountData


@dataclass(frozen=True)
class View:
    """A tab of the workbench: its label key and the analysis sections it shows."""

    key: str
    sections: tuple[str, ...]


VIEWS: tuple[View, ...] = (
    View("wallet", ("a5", "a6")),
    View("competitors", ("a7",)),
    View("whitespace", ("whitespace",)),
    View("contacts", ("a8", "a2")),
    View("history", ("a4",)),
)
"""The account views in tab order; their titles are the labels ``wb.view.<key>``."""


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """A chart as inline SVG, drawn in the kernel."""
    bundle = spec_to_mimebundle(chart.to_dict(), format="svg", mode="vega-lite")
    svg = bundle["image/svg+xml"] if isinstance(bundle, dict) else bundle[0]["image/svg+xml"]
    return f'<div class="kk-chart">{svg}</div>'


def section_html(section: Section, chart: Callable[[alt.TopLevelMixin], str] = chart_svg) -> str:
    """A report section as one piece of HTML: heading, findings, method, then its blocks."""
    blocks = [block if isinstance(block, str) else chart(block) for block in section.blocks]
    return section.html() + "".join(blocks)


def known_account(account: AccountData, as_of: dt.date) -> AccountData:
    """The account as known on ``as_of``."""
    return an.cut_off(account, as_of)


def view_html(view: View, account: AccountData, as_of: dt.date, language: str,
              selection: Selection, source: Path) -> str:
    """The HTML of ``view`` for ``account`` (already cut off at ``as_of``) narrowed to
    ``selection``."""
    report = AnalysisReport(narrow(account, selection), as_of, language, source)
    return "".join(section_html(report.section(key)) for key in view.sections)


def whitespace_cells(account: AccountData, as_of: dt.date, selection: Selection) -> pd.DataFrame:
    """The whitespace of the last full year by service x location, for the grid that picks
    a cell: the selection's years apply, its services and locations do not (the grid is where
    they are chosen)."""
    years_only = Selection(years=selection.years)
    return an.whitespace(narrow(account, years_only), an.last_full_year(as_of))
