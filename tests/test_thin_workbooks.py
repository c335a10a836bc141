"""Every report of a workbook with little in it: the demo with one table emptied in turn,
with sales of only a few months of the current year (a first import), with one month of
data, without documents, and with an account that is only a row in accounts.csv. Each
analysis, plan and portfolio report builds in English and Dutch, draws its charts, and
shows a missing figure as n/a, never as nan, None or a 0 that is not known.

The workbooks are loaded as the notebooks load them, through the workbook cache (its
tables are Arrow-backed; an empty table there has no chunk, which broke a merge once).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest

from kamkit import DEMO_WORKBOOK, Workbook
from kamkit.analysis import share_of_wallet
from kamkit.charts.render import Shown, chart_spec, use_charts
from kamkit.labels import t
from kamkit.plan import metric_value
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import SectionedReport
from kamkit.report.plan import PlanReport
from kamkit.report.portfolio import PortfolioReport

AS_OF = "2026Q3"  # the demo's data run to September 2026; the last full year is 2025
NEW = "NEWP"
"""A prospect that is only a row in accounts.csv: no sales, spend, contacts or document."""
ACCOUNTS = ("MAAS", "GRID", "HOEK", NEW)
"""A key account with a plan, a prospect without one, another customer, and ``NEW``."""
LANGUAGES = ("en", "nl")

Keep = Callable[[dict[str, str]], bool]
NOTHING: Keep = lambda row: False  # noqa: E731
THIS_YEAR: Keep = lambda row: "2026-01" <= row["month"] <= "2026-03"  # noqa: E731

VARIANTS: dict[str, dict[str, Keep]] = {
    "no_sales": {"sales": NOTHING},
    "no_spend": {"spend": NOTHING, "spend_shares": NOTHING},
    "no_competitor_shares": {"spend_shares": NOTHING},
    "no_contacts": {"contacts": NOTHING, "relationships": NOTHING},
    "no_relationships": {"relationships": NOTHING},
    "no_history_feedback_judgements": {"history": NOTHING, "feedback": NOTHING,
                                           "judgements": NOTHING},
    "three_months_this_year": {"sales": THIS_YEAR},
    "one_month": {"sales": lambda row: row["month"] == "2026-09",
                  "spend": lambda row: row["year"] == "2026",
                  "spend_shares": lambda row: row["year"] == "2026"},
    "no_documents": {},
    "first_import": {"sales": THIS_YEAR, "spend": NOTHING, "spend_shares": NOTHING,
                       "contacts": NOTHING, "relationships": NOTHING, "history": NOTHING,
                       "feedback": NOTHING, "judgements": NOTHING},
}
"""Which rows of which tables each thin workbook keeps (every other table is the demo's)."""
WITHOUT_DOCUMENTS = {"no_documents", "first_import"}

LEAKED = re.compile(r"\b(?:nan|NaN|None|inf|NaT)\b|<NA>")
"""How a missing value looks when it slipped through unformatted."""


def keep_rows(folder: Path, table: str, keep: Keep) -> None:
    path = folder / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows(row for row in rows[1:] if keep(dict(zip(rows[0], row, strict=True))))
    path.write_text(out.getvalue(), encoding="utf-8")


def thin_workbook(name: str, target: Path) -> Path:
    """The demo as ``VARIANTS[name]`` keeps it, plus the account ``NEW``."""
    shutil.copytree(DEMO_WORKBOOK, target)
    for table, keep in VARIANTS[name].items():
        keep_rows(target, table, keep)
    if name in WITHOUT_DOCUMENTS:
        shutil.rmtree(target / "documents")
    elif "contacts" in VARIANTS[name]:  # the plans' teams name counterparts among them
        for document in (target / "documents").glob("*.yaml"):
            text = document.read_text(encoding="utf-8")
            document.write_text(re.sub(r"counterparts: \[[^\]]*\]", "counterparts: []", text),
                                encoding="utf-8")
    with (target / "accounts.csv").open("a", encoding="utf-8", newline="") as accounts:
        csv.writer(accounts, lineterminator="\n").writerow(
            [NEW, "Nieuwe Prospect B.V.", "Logistics", "NL", "prospect", "P03", "", ""])
    return target


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            made[name] = thin_workbook(name, tmp_path_factory.mktemp("thin") / "workbook")
        return made[name]

    return get


def rendered(report: SectionedReport, svg: bool) -> str:
    """The report's text as a notebook shows it (the header with its summary, then every
    section); each chart made into its spec, and drawn as SVG with ``svg``."""
    parts = [report.header_html()]  # type: ignore[attr-defined]
    for key in report.SECTIONS:
        section = report.section(key)
        parts.append(section.html())
        for block in section.blocks:
            if isinstance(block, alt.TopLevelMixin):
                bundle = Shown.of(block)._repr_mimebundle_() if svg else chart_spec(block)
                assert bundle
            else:
                parts.append(str(block))
    return "".join(parts)


def every_report(workbook: Path, svg: bool) -> dict[tuple[str, str, str], str]:
    """(kind, account or "", language) -> the rendered text of every report."""
    use_charts("svg" if svg else "interactive")
    pages = {}
    for language in LANGUAGES:
        for kind in (AnalysisReport, PlanReport):
            for account_id in ACCOUNTS:
                pages[kind.__name__, account_id, language] = rendered(
                    kind.build(workbook, account_id, AS_OF, language), svg)
        pages["PortfolioReport", "", language] = rendered(
            PortfolioReport.build(workbook, AS_OF, language), svg)
    return pages


NO_SALES = {language: {t("figure.revenue.none", language), t("figure.growth.no_revenue", language)}
            for language in LANGUAGES}
"""A year without sales in a revenue tile: said in words (long or short), never a 0."""


def summary_figure(page: str, label: str) -> str:
    """The value of the summary's figure labelled ``label``."""
    found = re.search(re.escape(label) + r"</div><div [^>]*>([^<]*)</div>", page)
    assert found, label
    return found[1]


def chunkless(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` emptied, its Arrow text columns without a chunk: a table filtered to
    nothing, or an empty table from the workbook cache, as pandas may hand them on."""
    empty = frame.iloc[:0]
    return empty.assign(**{
        name: pd.arrays.ArrowStringArray(pa.chunked_array([], type=pa.large_string()))
        for name, column in empty.items() if column.dtype == "string"})


def test_share_of_wallet_of_a_year_without_spend_and_sales(demo: Workbook) -> None:
    """Both sides of the wallet's merge empty Arrow text without a chunk raised
    ArrowInvalid in pandas: the plan report of a first import failed."""
    account = demo.account("MAAS")
    bare = account.with_tables(sales=chunkless(account.sales), spend=chunkless(account.spend))
    assert bare.spend["service"].array._pa_array.num_chunks == 0  # the case itself
    assert share_of_wallet(bare, by=("year",)).empty
    year = pd.Timestamp(2025, 1, 1).date(), pd.Timestamp(2025, 12, 31).date()
    assert pd.isna(metric_value(bare, "share_of_wallet", None, *year))


@pytest.mark.slow  # every report of four accounts in both languages; the fast tier has the
# case itself (test_share_of_wallet_of_a_year_without_spend_and_sales above)
def test_a_first_import_builds_every_report_and_says_what_is_unknown(workbooks) -> None:
    """The reviewer's case: sales of three months of this year, nothing else recorded, so
    last full year (2025) has no sales known and no spend estimate: the plan report failed
    (share of wallet on two empty Arrow tables)."""
    pages = every_report(workbooks("first_import"), svg=False)
    for (kind, account_id, language), page in pages.items():
        assert not LEAKED.search(page), (kind, account_id, language, LEAKED.search(page))
    for language in LANGUAGES:
        for kind in ("AnalysisReport", "PlanReport"):
            page = pages[kind, "MAAS", language]
            label = t("batch.col.revenue", language, year=2025)
            # nothing recorded for 2025: said in words, not as a figure of 0
            assert summary_figure(page, label) in NO_SALES[language]
        analysis = pages["AnalysisReport", "MAAS", language]
        label = t("batch.col.share", language, year=2025)
        # no spend estimate for 2025: why, not n/a
        assert summary_figure(analysis, label) == t("figure.share.no_estimate", language)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_report_of_a_thin_workbook_builds_in_both_languages(workbooks,
                                                                  name: str) -> None:
    for (kind, account_id, language), page in every_report(workbooks(name), svg=True).items():
        assert not LEAKED.search(page), (kind, account_id, language, LEAKED.search(page))
        if kind != "PortfolioReport" and account_id == NEW:  # nothing but its row
            shown = ("batch.col.revenue", "batch.col.share")  # the plan's: revenue alone
            for figure in shown if kind == "AnalysisReport" else shown[:1]:
                label = t(figure, language, year=2025)
                expected = (NO_SALES[language] if figure == "batch.col.revenue"
                            else {t("figure.share.no_estimate", language)})
                assert summary_figure(page, label) in expected, (kind, label)
