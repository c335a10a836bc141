"""A freshly imported key account, of which too little is known for a health score: every
place that shows the health says it is not known and why (the report's health section and
summary figure, so the deck; the portfolio table; the workbench's score view), never 0; the
matrix places an account only where enough of each axis's weight is known (the same rule),
and says which accounts it leaves out and why."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kamkit import load_workbook
from kamkit.charts.portfolio import portfolio_matrix_chart
from kamkit.findings.portfolio import flagged
from kamkit.labels import t
from kamkit.locale import for_language
from kamkit.portfolio import health as account_health
from kamkit.portfolio import health_summary, matrix
from kamkit.portfolio.health import MIN_KNOWN_WEIGHT_PCT
from kamkit.portfolio.scores import scores
from kamkit.report.analysis import AnalysisReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.widgets.score_view import score_html

AS_OF = "2025Q4"


def _fresh(target: Path) -> Path:
    """``target`` (a copy of the mini workbook) with a key account just imported."""
    with (target / "accounts.csv").open("a", encoding="utf-8") as handle:
        handle.write("A3,Gamma Foods B.V.,Food,NL,key_account,P1,,\n")
    with (target / "sales.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-03,A3,CLEAN,NL-RTM,800.00,100.00,10\n")
    return target


@pytest.fixture
def fresh(mini_variant: Callable[[Callable[[Path], Path]], Path]) -> Path:
    """The mini workbook with a key account just imported: one month of sales, nothing else
    (made once per process: the tests only read it)."""
    return mini_variant(_fresh)


REASON = {"en": "too little known: 10% of the weight",
          "nl": "te weinig bekend: 10% van het gewicht"}


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_fresh_account_has_no_health_score_and_the_known_share_says_why(fresh: Path) -> None:
    summary = health_summary(account_health(load_workbook(fresh), "2025-12-31")).set_index(
        "account_id")
    assert summary.loc["A3", "known_weight_pct"] == pytest.approx(10)  # freshness only
    assert summary.loc["A3", "known_weight_pct"] < MIN_KNOWN_WEIGHT_PCT
    assert summary["health"].isna().to_dict() == {"A1": False, "A2": True, "A3": True}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_reports_say_the_health_is_not_known_and_why(fresh: Path, language: str) -> None:
    missing = for_language(language).missing
    report = AnalysisReport.build(fresh, "A3", AS_OF, language)
    said = report.section("health").findings[0]
    assert said.startswith("No health score" if language == "en" else "Geen gezondheidsscore")
    assert "10%" in said and "50%" in said and missing not in said
    # its weakest part was never recorded: said so, not as a finding about the customer
    weakest = report.section("health").findings[1]
    assert weakest.endswith(("never recorded (0 of 10 points).",
                             "nooit vastgelegd (0 van 10 punten)."))
    figure = next(f for f in report.summary().figures  # type: ignore[union-attr]
                  if f.label == t("word.health_of_100", language))
    assert (figure.value, figure.note) == (missing, REASON[language])  # the deck shows these
    portfolio = PortfolioReport.build(fresh, AS_OF, language)
    table = "".join(b for b in portfolio.section("pf_accounts").blocks if isinstance(b, str))
    row = re.search(r'<tr id="[^"]*a3">(.*?)</tr>', table, re.S | re.I)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    assert cells[3] == f"{missing}<br><small>{REASON[language]}</small>"  # never 0
    for account in flagged(portfolio.table, {}, language):  # not in trouble for a health 0
        assert account.account_id != "A3" or not any(
            "health" in r or "gezondheid" in r for r in account.reasons), account


def test_a_weakest_part_with_a_value_is_said_with_its_points(fresh: Path) -> None:
    """The components' notes are NA where there is nothing to note: the report is made and
    names the weakest part with its points (a report failed on the NA before)."""
    report = AnalysisReport.build(fresh, "A1", AS_OF, "en")
    weakest = [s for s in report.section("health").findings if s.startswith("Weakest")]
    assert len(weakest) == 1 and re.search(r"\(\d+\.\d of 10 points\)\.$", weakest[0])


def test_the_workbench_score_view_says_it_in_the_session_language(fresh: Path) -> None:
    book = load_workbook(fresh)
    for language in ("en", "nl"):
        shown = score_html(book, "A3", dt.date(2025, 12, 31), language)
        assert REASON[language] in shown
        assert "/ 100." not in shown.split("</p>")[0].split(";")[-1]  # no health figure


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_matrix_places_accounts_by_their_axes_and_leaves_out_one_without_a_place(
        fresh: Path) -> None:
    placed = matrix(load_workbook(fresh), "2025-12-31")
    assert placed["account_id"].tolist() == ["A1", "A2", "A3"]  # health plays no part
    unplaced = placed.assign(revenue=1.0, name=placed["account_id"], wallet=1.0).astype(
        {"attractiveness": "float64"})
    unplaced.loc[unplaced["account_id"] == "A3", "attractiveness"] = float("nan")
    chart = portfolio_matrix_chart(unplaced, "en")
    assert chart is not None
    shown = chart.to_dict()["datasets"]
    ids = {row["name"] for rows in shown.values() for row in rows if "name" in row}
    assert ids == {"A1", "A2"}  # not placed at 0: not placed


NOT_PLACED = {
    "en": ("Not placed: 2 accounts", "A2 (attractiveness: 45% of the weight known)",
           "A3 (attractiveness: 15% of the weight known; position: 15% of the weight known)",
           "at least 50% of the weight"),
    "nl": ("Niet geplaatst: 2 accounts", "A2 (aantrekkelijkheid: 45% van het gewicht bekend)",
           "A3 (aantrekkelijkheid: 15% van het gewicht bekend; positie: 15% van het gewicht "
           "bekend)", "minstens 50% van het gewicht")}


def _fresh_without_a2_attractiveness(target: Path) -> Path:
    """``_fresh``, and A2 without the KAM's attractiveness score."""
    accounts = _fresh(target) / "accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace(
        "prospect,P2,7,2", "prospect,P2,,2"), encoding="utf-8")
    return target


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.slow  # 1 CPU s; test_the_matrix_places_accounts_by_their_axes... is the fast case
def test_the_matrix_places_no_axis_too_little_is_known_of_and_says_why(
        mini_variant: Callable[[Callable[[Path], Path]], Path], language: str) -> None:
    """A2 without the KAM's attractiveness: 45% of its weight has a value, too little, as
    for the health score; a KAM's score places an axis however little is known."""
    fresh = mini_variant(_fresh_without_a2_attractiveness)  # its own: ``fresh`` is shared
    book = load_workbook(fresh)
    placed = matrix(book, "2025-12-31").set_index("account_id")
    assert placed["attractiveness_known_pct"].to_dict() == {"A1": 75, "A2": 45, "A3": 15}
    assert placed["attractiveness"].isna().to_dict() == {"A1": False, "A2": True, "A3": True}
    assert placed["quadrant"].isna().to_dict() == {"A1": False, "A2": True, "A3": True}
    assert placed.at["A2", "position"] == 20  # the KAM's score: placed on that axis
    parts = scores(book, "2025-12-31", ["A2"])
    assert parts.loc[parts["axis"] == "attractiveness", "score"].isna().all()
    report = PortfolioReport.build(fresh, AS_OF, language)
    said = report.section("pf_matrix").findings[-1]
    for part in NOT_PLACED[language]:
        assert part in said, said
    assert report.scores(report.placements(), "attractiveness")[1:] == [
        REASON[language].replace("10%", "45%"), REASON[language].replace("10%", "15%")]
    chart = portfolio_matrix_chart(report.placements(), language)
    assert chart is not None
    rows = [row for rows in chart.to_dict()["datasets"].values() for row in rows
            if "account_id" in row and "status_name" in row]
    assert {row["account_id"] for row in rows} == {"A1"}
