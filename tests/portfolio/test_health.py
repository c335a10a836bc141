"""The health score, component by component, on the portfolio workbook (conftest), worked
out by hand as of 2025-12-31 with the default weights.

A1: sales 2,000 in 2025 and 2,000 in 2024; share of wallet 2,000 / 12,000 in 2025 against
2,000 / 10,000 in 2024; its one key contact covered; survey 7.5 in March 2025; one
complaint in April 2025; the 2025 plan's revenue target 30,000; action ACT1 (due
2025-03-01) open, ACT2 done; the last contact 2025-06-01; spend estimated for 2025; the
document has no reviewed: date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import kamkit
from kamkit import portfolio as pf
from kamkit.portfolio.assess import Measured, measure
from kamkit.portfolio.health import MIN_KNOWN_WEIGHT_PCT, _health, too_little_known
from kamkit.portfolio.metrics import revenue_trend
from kamkit.workbook import Workbook

AS_OF = "2025-12-31"
WEIGHTS = {"revenue_trend": 20, "share_trend": 10, "relationship_coverage": 15,
           "satisfaction": 10, "complaints": 10, "plan_progress": 15, "overdue_actions": 10,
           "last_contact": 4, "wallet_age": 3, "document_review": 3}


def _components(book: Workbook, account_id: str) -> pd.DataFrame:
    frame = pf.health(book, AS_OF)
    return frame[frame["account_id"] == account_id].set_index("component")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a1_health_component_by_component(book: Workbook) -> None:
    parts = _components(book, "A1")
    points = {
        "revenue_trend": (0 - -10) / (10 - -10) * 10,  # 2,000 against 2,000: 0%
        "share_trend": (-10 / 3 - -5) / (5 - -5) * 10,  # 16.67% - 20% = -3.33 pts
        "relationship_coverage": 10.0,
        "satisfaction": (7.5 - 5) / (9 - 5) * 10,
        "complaints": (1 - 5) / (0 - 5) * 10,  # one complaint on 5 (0 points)..0 (10)
        "plan_progress": 0.0,  # 2,000 of the 30,000 target: 6.7%, below 80
        "overdue_actions": (1 - 3) / (0 - 3) * 10,  # ACT1
        "last_contact": 0.0,  # 213 days, beyond 120
        "wallet_age": 10.0,  # estimate for 2025 itself
        "document_review": 0.0,  # never reviewed counts as stale
    }
    assert parts["points"].to_dict() == pytest.approx(points)
    assert parts.loc["plan_progress", "value"] == pytest.approx(2_000 / 30_000 * 100)
    assert parts.loc["last_contact", "value"] == 213
    assert parts.loc["document_review", "note"] == pf.MISSING_WORST
    assert parts["weight"].to_dict() == WEIGHTS
    total = sum(WEIGHTS[c] * points[c] / 10 for c in WEIGHTS)
    assert total == pytest.approx(10 + 5 / 3 + 15 + 6.25 + 8 + 0 + 20 / 3 + 0 + 3 + 0)
    assert parts["health"].unique() == pytest.approx([total])
    assert parts["contribution"].sum() == pytest.approx(total)


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_prospect_without_sales_plan_or_contacts(book: Workbook) -> None:
    parts = _components(book, "A2")
    left_out = set(parts.index[parts["note"] == pf.MISSING])
    # no feedback rows at all: no complaints recorded is no value, never a perfect 10
    assert left_out == {"revenue_trend", "share_trend", "satisfaction", "complaints",
                        "plan_progress", "overdue_actions"}
    assert pd.isna(parts.loc["complaints", "value"])
    assert set(parts.index[parts["note"] == pf.MISSING_WORST]) == {"last_contact",
                                                                    "document_review"}
    known = 15 + 4 + 3 + 3  # coverage and the three freshness parts
    assert parts["known_weight_pct"].iloc[0] == pytest.approx(known)
    assert parts["health"].isna().all()  # a quarter of the weight: too little for a score
    # coverage 0 points, never contacted 0, wallet estimated 10, never reviewed 0
    scored = pf.health(book, AS_OF, ["A2"], min_known_pct=0)
    assert scored["health"].iloc[0] == pytest.approx(3 * 10 / 10 / known * 100)


FRESHNESS = ("last_contact", "wallet_age", "document_review")
"""Never recorded, these count 0 points: always part of the known weight."""


def _measured_with(book: Workbook, known: set[str]) -> tuple[Measured, float]:
    """A1 measured with a value for the components in ``known`` only (the freshness ones
    kept as measured), and the share of the weight that then has points."""
    measured = measure(book, pd.Timestamp(AS_OF).date(), ["A1"])
    values = {code: (value if code in known or code in FRESHNESS else None)
              for code, value in measured.values["A1"].items()}
    changed = dataclasses.replace(measured, values={"A1": values})
    return changed, sum(WEIGHTS[c] for c in known | set(FRESHNESS))


@pytest.mark.sample(8)  # of 43 masks (conftest.py)
@pytest.mark.parametrize("mask", range(0, 2 ** 7, 3))
def test_no_health_score_below_half_the_weight_known(book: Workbook, mask: int) -> None:
    others = [c for c in WEIGHTS if c not in FRESHNESS]
    known = {c for bit, c in enumerate(others) if mask >> bit & 1}
    measured, pct = _measured_with(book, known)
    parts = _health(measured).set_index("component")
    assert parts["known_weight_pct"].iloc[0] == pytest.approx(pct)
    total = parts["health"].iloc[0]
    assert too_little_known(pct) is (pct < MIN_KNOWN_WEIGHT_PCT)
    if pct < MIN_KNOWN_WEIGHT_PCT:
        assert pd.isna(total), (known, pct)
    else:  # the score adds up as ever, from the components with points
        assert total == pytest.approx(parts["contribution"].sum()), (known, pct)
    everything = _health(measured, min_known_pct=0).set_index("component")
    assert everything["health"].iloc[0] == pytest.approx(parts["contribution"].sum())


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_feedback_without_complaints_counts_none(portfolio_path: Path) -> None:
    feedback = portfolio_path / "feedback.csv"
    with feedback.open("a", encoding="utf-8") as handle:
        handle.write("A2,2025-05-01,satisfaction,6,,Intake survey,\n")
    parts = _components(kamkit.load_workbook(portfolio_path), "A2")
    assert parts.loc["complaints", "value"] == 0
    assert parts.loc["complaints", "points"] == 10


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_plan_without_actions_has_no_overdue_value(portfolio_path: Path) -> None:
    document = portfolio_path / "documents" / "A1.yaml"
    text = document.read_text(encoding="utf-8")
    start, end = text.index("  actions:\n"), text.index("  targets:\n")
    document.write_text(text[:start] + text[end:], encoding="utf-8")
    parts = _components(kamkit.load_workbook(portfolio_path), "A1")
    assert parts.loc["overdue_actions", "note"] == pf.MISSING
    assert pd.isna(parts.loc["overdue_actions", "points"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_reviewed_date_counts_as_freshness(portfolio_path: Path) -> None:
    document = portfolio_path / "documents" / "A1.yaml"
    document.write_text(document.read_text().replace(
        "account_id: A1\n", "account_id: A1\nreviewed: 2025-10-02\n"))
    parts = _components(kamkit.load_workbook(portfolio_path), "A1")
    assert parts.loc["document_review", "value"] == 90  # 2025-10-02 to 2025-12-31
    assert parts.loc["document_review", "points"] == 10


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_health_weights_from_the_workbook(with_criteria: Callable[..., Workbook]) -> None:
    book = with_criteria("health,plan_progress,100,computed,,",
                         "health,overdue_actions,0,computed,,")
    summary = pf.health_summary(pf.health(book, AS_OF)).set_index("account_id")
    assert summary.loc["A1", "health"] == 0  # plan progress 6.7%: 0 points
    assert summary.loc["A1", "weakest"] == "plan_progress"  # weight 0 is never the weakest
    assert pd.isna(summary.loc["A2", "health"])  # no plan; overdue actions weigh 0
    assert pd.isna(summary.loc["A2", "weakest"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_health_summary_names_the_weakest_component(book: Workbook) -> None:
    summary = pf.health_summary(pf.health(book, AS_OF)).set_index("account_id")
    assert list(summary.index) == ["A1", "A2", "A3"]
    # A1's components at 0 points in criteria order: plan_progress comes first
    assert summary.loc["A1", "weakest"] == "plan_progress"
    assert summary.loc["A1", "weakest_points"] == 0


def _monthly_sales(folder: Path, first: str, last: str, revenue: float) -> None:
    """Replace the workbook's sales by A1's ``revenue`` in every month from first to last."""
    months = pd.period_range(first, last, freq="M")
    rows = "".join(f"{m},A1,CLEAN,NL-RTM,{revenue:.2f},{revenue / 4:.2f},1\n" for m in months)
    (folder / "sales.csv").write_text(
        "month,account_id,service,location,revenue,gross_margin,volume\n" + rows,
        encoding="utf-8")


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_revenue_trend_needs_both_years_in_the_sales_history(portfolio_path: Path) -> None:
    """An 18-month export (July 2024 to December 2025): the 12 months before the last 12 are
    half outside the history, so the trend is not known (counting those months as 0 made a
    flat account +100%); with 24 months it is the change of the two years."""
    def trend(first: str, last: str) -> float | None:
        _monthly_sales(portfolio_path, first, last, 100.0)
        return revenue_trend(kamkit.load_workbook(portfolio_path).account("A1"),
                             pd.Timestamp(AS_OF).date())

    assert trend("2024-07", "2025-12") is None
    assert trend("2024-01", "2025-12") == pytest.approx(0.0)
    # the history ends before the as-of month: the last 12 months are not all known either
    assert trend("2023-06", "2025-09") is None
    # and the health leaves the trend out rather than scoring it
    _monthly_sales(portfolio_path, "2024-07", "2025-12", 100.0)
    parts = _components(kamkit.load_workbook(portfolio_path), "A1")
    assert parts.loc["revenue_trend", "note"] == pf.MISSING
