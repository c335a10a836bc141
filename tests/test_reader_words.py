"""What a report for management says is in a reader's words: no path of the machine that
made it, no command or file to edit (that is what `kamkit validate` and the workbench say)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from kamkit import documents, scoring
from kamkit.batch.cache import AccountRecord
from kamkit.batch.definition import load_definition
from kamkit.batch.index import index_page
from kamkit.cli import build_parser
from kamkit.currency import MONEY
from kamkit.labels import labels, t, words
from kamkit.locale import for_language
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import SectionedReport
from kamkit.report.plan import PlanReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.schema import CURRENCY_UNIT, TABLES
from kamkit.units import measured
from tests.small_demo import SMALL_FAST_WHOLE_SLOW

TOOL_ONLY = ("wb.", "problem.", "cli.", "guide.")
"""Label namespaces only the workbench, `kamkit validate`, the command line's messages and
the notebooks' guides (cells a report leaves out) show (to whoever keeps the workbook or runs
kamkit); every other label can end up in a report, a deck or a PDF."""


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


COMMAND = re.compile(r"`|--[a-z]|\bDIR\b|kamkit (" + "|".join(map(re.escape, _commands())) + r")\b")
PATH_PLACEHOLDER = re.compile(r"\{(folder|path|file|directory|dir)\}")
TECHNICAL = re.compile(r"\b[\w-]+\.(csv|ya?ml|xlsx|py|ipynb)\b|\bkamkit\.[a-z_]+"
                       r"|\b[a-z]+_[a-z_]+\b")
"""A file name (sales.csv), a module (kamkit.portfolio) or a column or code
(min_margin_pct, key_account): a report names its data the way a manager knows them
("the sales", "the contacts", "the criteria set in the workbook")."""


def reader_labels() -> list[tuple[str, str]]:
    """(key, text) of every language and plural form of the labels a report can show."""
    out = []
    for key, value in labels().items():
        if key.startswith(TOOL_ONLY):
            continue
        for text in _texts(value):
            out.append((key, text))
    return out


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _texts(inner)]
    return [str(value)]


@pytest.mark.sample(100)  # of some 1,300 (conftest.py)
@pytest.mark.parametrize(("key", "text"), reader_labels())
def test_no_report_label_names_a_command_or_a_path(key: str, text: str) -> None:
    assert not COMMAND.search(text), f"{key}: {text}"
    assert not PATH_PLACEHOLDER.search(text), f"{key}: {text}"


@pytest.mark.sample(100)  # of some 1,300 (conftest.py)
@pytest.mark.parametrize(("key", "text"), reader_labels())
def test_no_report_label_names_a_file_a_module_or_a_column(key: str, text: str) -> None:
    shown = re.sub(r"\{[^}]*\}", "", text)  # placeholders are kamkit's, not the reader's
    assert not TECHNICAL.search(shown), f"{key}: {text}"


@pytest.mark.sample(1)  # the fast tier: English on the small demo (conftest.py)
@SMALL_FAST_WHOLE_SLOW
@pytest.mark.parametrize("language", ["en", "nl"])
def test_portfolio_report_shows_no_path_of_its_snapshots_folder(tmp_path: Path,
                                                               demo_folder: Path,
                                                               language: str) -> None:
    folder = tmp_path / "snapshots-of-quarters"
    folder.mkdir()
    report = PortfolioReport.build(demo_folder, "2026Q3", language, snapshots=folder)
    shown = report.header_html() + "".join(
        report.section(key).html() + "".join(b for b in report.section(key).blocks
                                             if isinstance(b, str))
        for key in report.sections())
    assert "2026Q2" in report.section("pf_changes").html()
    assert str(tmp_path) not in shown
    assert "snapshots-of-quarters" not in shown


def _without_margin_and_spend(folder: Path) -> Path:
    """The mini workbook with no gross margin in any sale and no spend estimated."""
    sales = pd.read_csv(folder / "sales.csv", dtype=str)
    sales["gross_margin"] = ""
    sales.to_csv(folder / "sales.csv", index=False)
    for name in ("spend.csv", "spend_shares.csv"):
        header = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        (folder / name).write_text(header + "\n", encoding="utf-8")
    return folder


def _sentences(report: SectionedReport) -> list[str]:
    """Every sentence of a report: its sections' findings, its summary's lines and figure
    notes, its charts' descriptions."""
    out: list[str] = []
    for key in report.sections() if isinstance(report, PortfolioReport) else report.SECTIONS:
        section = report.section(key)
        out += section.findings
        out += [str(b.to_dict().get("description", "")) for b in section.blocks
                if isinstance(b, alt.TopLevelMixin)]
    summary = report.summary() if hasattr(report, "summary") else None
    if summary is not None:
        out += [line.text for line in summary.lines] + [f.note for f in summary.figures]
    return [s for s in out if s]


@pytest.mark.sample(1)  # three reports built per case (conftest.py)
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_figure_not_known_is_said_in_words_not_as_n_a_in_a_sentence(
        mini_variant: Callable[[Callable[[Path], Path]], Path], language: str) -> None:
    folder = mini_variant(_without_margin_and_spend)
    missing = for_language(language).missing
    reports: list[SectionedReport] = [PortfolioReport.build(folder, "2025Q4", language)]
    reports += [kind.build(folder, "A1", "2025Q4", language)
                for kind in (AnalysisReport, PlanReport)]
    said = [s for report in reports for s in _sentences(report)]
    assert said
    bad = [s for s in said if missing in s or ".." in s.replace("...", "")]
    assert not bad, "\n".join(bad)


def _one_year(folder: Path, year: str = "2025") -> Path:
    """The mini workbook with sales and spend of one year only: no growth to compare."""
    for name, column in (("sales.csv", "month"), ("spend.csv", "year"),
                         ("spend_shares.csv", "year")):
        table = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
        table[table[column].str.startswith(year)].to_csv(folder / name, index=False)
    return folder


@pytest.mark.sample(1)  # three reports built per case (conftest.py)
@pytest.mark.parametrize("quarter", ["2025Q2", "2025Q4", "2026Q2"])
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_account_with_one_year_of_data_says_no_growth_mid_sentence(
        mini_variant: Callable[[Callable[[Path], Path]], Path], language: str,
        quarter: str) -> None:
    # only the growth is not known: the sentences that name it leave it out in words
    folder = mini_variant(_one_year)
    missing = for_language(language).missing
    reports: list[SectionedReport] = [PortfolioReport.build(folder, quarter, language)]
    reports += [kind.build(folder, "A1", quarter, language)
                for kind in (AnalysisReport, PlanReport)]
    said = [s for report in reports for s in _sentences(report)]
    bad = [s for s in said if missing in s or ".." in s.replace("...", "")]
    assert not bad, "\n".join(bad)
    if quarter != "2025Q2":  # 2025 is a full year: its revenue is said, without a growth
        year = [s for s in said if s.startswith(("In 2025 our revenue", "In 2025 was onze omzet",
                                                 "In 2025 the key accounts",
                                                 "In 2025 kochten de key accounts"))]
        assert len(year) >= 2, said  # the portfolio's and the account's
        assert not any(("year before" in s or "jaar ervoor" in s) for s in year), year


@pytest.mark.parametrize(("language", "value", "ending"), [
    ("nl", "n.b.", "n.b."), ("nl", "€ 5 mln.", "€ 5 mln."), ("en", "n/a", "n/a."),
    ("en", "EUR 5k", "EUR 5k.")])
def test_a_value_ending_in_a_full_stop_ends_the_sentence_with_one(language: str, value: str,
                                                                  ending: str) -> None:
    assert t("find.pf.to_date", language, year=2025, revenue=value).endswith(" " + ending)


def _units() -> set[str]:
    """Every unit a criterion, a metric or a workbook column is measured in."""
    return ({m.unit for m in scoring.METRICS} | set(documents.METRICS.values())
            | {c.unit for table in TABLES for c in table.columns if c.unit})


@pytest.mark.parametrize("unit", sorted(_units()))
def test_every_unit_has_a_label_in_every_language(unit: str) -> None:
    if unit not in (MONEY, CURRENCY_UNIT, "%"):  # amounts and per cents show their own sign
        assert words([unit], "unit.", "nl") != [unit] or unit.startswith("score"), unit
        assert "unit." + unit.replace(" ", "_").replace("-", "_") in labels()


@pytest.mark.parametrize(("value", "unit", "language", "shown"), [
    (3.0, "count", "nl", "3"), (110.0, "days", "nl", "110 dagen"), (1.0, "days", "en", "1 day"),
    (0.0, "years", "nl", "0,0 jaar"), (2.5, "years", "en", "2.5 years"),
    (-1.66, "pts", "nl", "-1,7 %-punt"), (7.44, "score 0-10", "nl", "7,4 op 10"),
    (6.0, "score 0-10", "en", "6.0 out of 10"), (4.0, "score 1-5", "en", "4.0 out of 5"),
    (12.0, "%", "nl", "12,0%")])
def test_a_figure_shows_its_unit_in_the_language_and_counts_whole(
        value: float, unit: str, language: str, shown: str) -> None:
    assert measured(value, unit, language) == shown


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_dutch_health_table_names_its_units_in_dutch(mini_path: Path) -> None:
    report = AnalysisReport.build(mini_path, "A1", "2025Q4", "nl")
    table = "".join(b for b in report.section("health").blocks if isinstance(b, str))
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
    assert "213 dagen" in cells and "-3,3 %-punt" in cells
    for english in ("days", "count", "years", "pts"):
        assert not any(cell.endswith(" " + english) for cell in cells), english
    counts = report.health[report.health["unit"] == "count"]
    assert not counts.empty
    shown = [cell for cell in cells if re.fullmatch(r"\d+", cell)]
    assert len(shown) >= len(counts)


def test_the_entry_page_names_the_file_of_an_error_not_its_folder(tmp_path: Path) -> None:
    definition = load_definition(None, {"quarter": "2026Q3", "languages": "en"})
    where = tmp_path / "my-workbook"
    record = AccountRecord("A", "A & Co", None, {}, {
        "analysis.en": f"cannot read {where / 'sales.csv'} row 3: 'x' is not a number"})
    page = index_page([("A", record)], definition, definition.as_of, "en")
    assert "cannot read sales.csv row 3" in page
    assert str(tmp_path) not in page and "my-workbook" not in page


@pytest.mark.sample(100)  # of some 1,300 (conftest.py)
@pytest.mark.parametrize(("key", "text"), reader_labels())
def test_an_optional_part_of_a_label_holds_a_value(key: str, text: str) -> None:
    """A part in square brackets is left out when its value is not known: it names one."""
    assert text.count("[") == text.count("]"), key
    for part in re.findall(r"\[([^\[\]]*)\]", text):
        assert "{" in part, f"{key}: [{part}] names no value"
