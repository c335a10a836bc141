"""The workbench's views of one account: which report sections each shows, as outputs.

A view is made of the same sections as the account analysis report (one story per figure:
the workbench and the report never disagree), built on the account as narrowed by the
user's selection. A view is a list of display outputs: the sections' HTML, and each chart
as the Vega spec JupyterLab draws itself (``kamkit.charts.render``, "interactive": offline,
with tooltips, no script, and no SVG drawn in the kernel, which keeps switching fast).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from kamkit import analysis as an
from kamkit.charts.facets import legend_columns
from kamkit.charts.render import chart_bundle, chart_spec
from kamkit.currency import in_currency
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import Section
from kamkit.selection import Selection, narrow
from kamkit.translated import in_language
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


Output = dict[str, Any]


def _html(text: str) -> Output:
    return {"output_type": "display_data", "data": {"text/html": text, "text/plain": ""},
            "metadata": {}}


def section_outputs(section: Section, mode: str = "interactive") -> list[Output]:
    """A report section as display outputs: its text and tables as HTML (next to each other
    in one output), each chart as its own output (``chart_bundle`` in ``mode``)."""
    outputs: list[Output] = []
    text = section.html()
    for block in section.blocks:
        if isinstance(block, str):
            text += block
            continue
        assert isinstance(block, alt.TopLevelMixin)  # a section's blocks: HTML or charts
        outputs.append(_html(text))
        text = ""
        data, metadata = chart_bundle(legends_within_width(chart_spec(block)), mode)
        outputs.append({"output_type": "display_data", "data": data, "metadata": metadata})
    return outputs + ([_html(text)] if text else [])


def legends_within_width(spec: Any) -> Any:
    """``spec`` (Vega-Lite) with each legend below or above a chart that lists its entries
    (``values``) in rows no wider than the chart (``legend_columns``): the workbench draws a
    chart at its own size, where a report page scales it to fit, so one long row of entries
    ran past the notebook's edge behind a scrollbar (Dutch service names in A5)."""
    if isinstance(spec, list):
        return [legends_within_width(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {key: value if key in ("data", "datasets") else legends_within_width(value)
           for key, value in spec.items()}
    legend = out.get("legend")
    if (isinstance(legend, dict) and isinstance(legend.get("values"), list)
            and "columns" not in legend and legend.get("direction") != "vertical"
            and legend.get("orient", "bottom") in ("bottom", "top")):
        labels = [str(value) for value in legend["values"]]
        columns = legend_columns(labels)
        if columns < len(labels):
            out["legend"] = {**legend, "columns": columns}
    return out


def shown_text(outputs: tuple[Output, ...] | list[Output]) -> str:
    """What a list of outputs says: its HTML and the charts' plain-text titles."""
    return "\n".join(str(o["data"].get("text/html") or o["data"].get("text/plain", ""))
                     for o in outputs)


def known_account(account: AccountData, as_of: dt.date) -> AccountData:
    """The account as known on ``as_of``."""
    return an.cut_off(account, as_of)


def view_outputs(view: View, account: AccountData, as_of: dt.date, language: str,
                 selection: Selection, source: Path) -> tuple[Output, ...]:
    """The outputs of ``view`` for ``account`` (already cut off at ``as_of``) narrowed to
    ``selection``."""
    report = AnalysisReport(in_language(narrow(account, selection), language), as_of,
                            in_currency(language, account.currency), source)
    return tuple(output for key in view.sections
                 for output in section_outputs(report.section(key)))


def whitespace_cells(account: AccountData, as_of: dt.date, selection: Selection) -> pd.DataFrame:
    """The whitespace of the last full year by service x location, for the grid that picks
    a cell: the selection's years apply, its services and locations do not (the grid is where
    they are chosen)."""
    years_only = Selection(years=selection.years)
    return an.whitespace(narrow(account, years_only), an.last_full_year(as_of))
