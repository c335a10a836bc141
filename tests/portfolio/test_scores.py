"""Attractiveness, position, quadrants and prospects on the portfolio workbook (conftest),
worked out by hand as of 2025-12-31 (the last full year is 2025).

A1 in 2025: spend CLEAN 10,000 + SEC 2,000 = 12,000 (2024: 10,000); our sales 1,500 + 500
= 2,000 with 300 + 50 margin, all in estimated cells; strategic contact A1-C1 (the one
decision maker / high-influence contact) known by P1 (strategic) at strength 3; the
latest survey 7.5; sales in 2024 and 2025. A2: 50,000 spend in 2025, nothing sold, its
decision maker known by nobody. A3: 30,000 spend in 2025, no contacts.
The largest wallet and open wallet (portfolio-max scale ends) are A2's 50,000.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import kamkit
from kamkit import portfolio as pf
from kamkit.errors import WorkbookError
from kamkit.workbook import Workbook

AS_OF = "2025-12-31"


def _rows(frame: pd.DataFrame, account_id: str, axis: str) -> pd.DataFrame:
    rows = frame[(frame["account_id"] == account_id) & (frame["axis"] == axis)]
    return rows.set_index("criterion")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a1_attractiveness_criterion_by_criterion(book: Workbook) -> None:
    rows = _rows(pf.scores(book, AS_OF), "A1", "attractiveness")
    expected_points = {
        "wallet": 12_000 / 50_000 * 10,                 # 0..largest wallet: 2.4
        "wallet_growth": (20 - -10) / (20 - -10) * 10,  # (12,000/10,000 - 1) = 20%: 10
        "open_wallet": (12_000 - 2_000) / 50_000 * 10,  # 2.0
        "margin": (350 / 2_000 * 100 - 10) / (35 - 10) * 10,  # 17.5% on 10..35: 3.0
        "strategic_fit": 8,
        "ease_of_business": 6,
    }
    assert rows["points"].to_dict() == pytest.approx(expected_points)
    assert rows.loc["wallet_growth", "value"] == pytest.approx(20.0)
    assert rows.loc["margin", "value"] == pytest.approx(17.5)
    weights = {"wallet": 25, "wallet_growth": 15, "open_wallet": 20, "margin": 15,
               "strategic_fit": 15, "ease_of_business": 10}
    contributions = {c: weights[c] * expected_points[c] / 10 for c in weights}
    assert rows["contribution"].to_dict() == pytest.approx(contributions)
    score = 6 + 15 + 4 + 4.5 + 12 + 6  # 47.5
    assert rows["score"].unique() == pytest.approx([score])
    assert rows["contribution"].sum() == pytest.approx(score)
    assert not rows["override"].any()
    assert rows["known_weight_pct"].unique() == pytest.approx([100])


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a1_position(book: Workbook) -> None:
    rows = _rows(pf.scores(book, AS_OF), "A1", "position")
    share_points = (2_000 / 12_000 * 100) / 60 * 10  # 16.67% on 0..60
    assert rows["points"].to_dict() == pytest.approx({
        "share_of_wallet": share_points,
        "relationship_coverage": 10.0,  # 1 of 1 key contacts covered at strength >= 3
        "satisfaction": (7.5 - 5) / (9 - 5) * 10,  # 6.25
        "history": 2 / 5 * 10,  # 2024 and 2025
    })
    assert rows["score"].iloc[0] == pytest.approx(35 * share_points / 10 + 30 + 12.5 + 6)


def test_missing_values_are_left_out_and_the_rest_counts_for_the_whole(book: Workbook) -> None:
    rows = _rows(pf.scores(book, AS_OF), "A2", "attractiveness")
    # no spend in 2024 (growth), no sales (margin), no ease-of-business judgement; the
    # judgement of 2026 is after the as-of date, so 9 from 2025 counts
    assert set(rows.index[rows["note"] == pf.MISSING]) == {"wallet_growth", "margin",
                                                            "ease_of_business"}
    assert rows.loc["strategic_fit", "value"] == 9
    known = 25 + 20 + 15
    assert rows["known_weight_pct"].iloc[0] == pytest.approx(known)
    assert rows.loc["wallet", "effective_weight"] == pytest.approx(25 * 100 / known)
    assert rows["score"].iloc[0] == pytest.approx((25 * 1.0 + 20 * 1.0 + 15 * 0.9) / known * 100)
    assert rows["contribution"].sum() == pytest.approx(rows["score"].iloc[0])
    assert math.isnan(rows.loc["margin", "points"])
    assert rows.loc["margin", "effective_weight"] == 0


def test_an_override_is_shown_beside_the_computed_score(book: Workbook) -> None:
    rows = _rows(pf.scores(book, AS_OF), "A2", "position")
    assert rows["override"].all()
    assert rows["override_score"].iloc[0] == pytest.approx(20)  # 2 of 10
    assert rows["score"].iloc[0] == pytest.approx(20)
    assert rows["computed_score"].iloc[0] == pytest.approx(0)  # no share, no coverage


def test_matrix_places_each_account_in_its_quadrant(book: Workbook) -> None:
    placed = pf.matrix(book, AS_OF).set_index("account_id")
    assert list(placed.index) == ["A1", "A2", "A3"]
    assert placed.loc["A1", "quadrant"] == "maintain"  # 47.5 attractive, 58.2 position
    assert placed.loc["A2", "quadrant"] == "develop"  # 97.5, override 20
    assert placed.loc["A2", "position_override"]
    assert placed.loc["A2", "position_computed"] == pytest.approx(0)
    assert placed.loc["A1", "revenue"] == pytest.approx(2_000)
    assert pd.isna(placed.loc["A2", "revenue"])
    assert placed.loc["A3", "wallet"] == pytest.approx(30_000)
    assert set(pf.QUADRANTS) == {"invest", "develop", "maintain", "opportunistic"}


@pytest.mark.parametrize(("attractiveness", "position", "expected"), [
    (50, 50, "invest"), (49.99, 50, "maintain"), (80, 10, "develop"), (10, 10, "opportunistic"),
    (None, 50, None), (float("nan"), 50, None)])
def test_quadrant_edges(attractiveness: float | None, position: float,
                        expected: str | None) -> None:
    assert pf.quadrant(attractiveness, position) == expected


def test_prospects_ranked_by_potential_with_reason_and_gap(book: Workbook) -> None:
    ranked = pf.prospects(book, AS_OF)
    assert list(ranked["account_id"]) == ["A2", "A3"]
    assert list(ranked["rank"]) == [1, 2]
    a3 = ranked.set_index("account_id").loc["A3"]
    # wallet 6 points x 25 + open wallet 6 points x 20: only 45 of the weight has a value,
    # too little for a score (MIN_KNOWN_WEIGHT_PCT), so A3 ranks after any with a score
    assert pd.isna(a3["attractiveness"])
    assert a3["reason"] == "wallet"  # 33.3 of the 60 points, open wallet 26.7
    assert a3["reason_value"] == pytest.approx(30_000)
    # share of wallet and history are 0 because we sell nothing yet: not a place to build
    # first; relationships and satisfaction are not known, so no gap is named
    assert pd.isna(a3["gap"])
    assert pd.isna(a3["revenue"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_prospects_tie_goes_to_the_larger_open_wallet(portfolio_path: Path) -> None:
    path = portfolio_path
    text = (path / "accounts.csv").read_text()
    (path / "accounts.csv").write_text(
        text.replace("A2,Beta Chemie NV,Chemicals,BE,prospect,P2,,2",
                     "A2,Beta Chemie NV,Chemicals,BE,prospect,P2,5,2")
        .replace("A3,Gamma Foods B.V.,Food,NL,prospect,P1,,", "A3,Gamma Foods B.V.,Food,NL,"
                 "prospect,P1,5,"))
    ranked = pf.prospects(kamkit.load_workbook(path), AS_OF)
    assert list(ranked["attractiveness"]) == [50, 50]
    assert list(ranked["account_id"]) == ["A2", "A3"]  # 50,000 open against 30,000


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_criteria_from_the_workbook_replace_only_their_axis(
        with_criteria: Callable[..., Workbook]) -> None:
    book = with_criteria("position,share_of_wallet,60,computed,0,20",
                         "position,relationship_coverage,40,computed,,")
    rows = _rows(pf.scores(book, AS_OF), "A1", "position")
    assert list(rows.index) == ["share_of_wallet", "relationship_coverage"]
    # 16.67% on 0..20: 8.33 points x 60 + 10 points x 40
    assert rows["score"].iloc[0] == pytest.approx(60 * (100 / 6 / 20) + 40)
    attractiveness = _rows(pf.scores(book, AS_OF), "A1", "attractiveness")
    assert attractiveness["score"].iloc[0] == pytest.approx(47.5)  # defaults kept
    table = pf.criteria(book, "position")
    assert table["from_workbook"].all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_zero_weight_counts_for_nothing_and_no_weight_with_a_value_gives_no_score(
        with_criteria: Callable[..., Workbook]) -> None:
    book = with_criteria("attractiveness,margin,100,computed,,",
                         "attractiveness,wallet,0,computed,,")
    placed = pf.matrix(book, AS_OF).set_index("account_id")
    assert placed.loc["A1", "attractiveness"] == pytest.approx(30)  # margin 3 points x 100
    assert pd.isna(placed.loc["A2", "attractiveness"])  # no margin; wallet weighs 0
    assert pd.isna(placed.loc["A2", "quadrant"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_scale_without_length_is_said_not_divided_by(portfolio_path: Path) -> None:
    with (portfolio_path / "accounts.csv").open("a") as handle:
        handle.write("A4,Delta Retail B.V.,Retail,NL,other,P2,,\n")
    with (portfolio_path / "spend.csv").open("a") as handle:
        handle.write("A4,2025,CLEAN,NL-RTM,0,,estimate,low\n")
    book = kamkit.load_workbook(portfolio_path)
    rows = _rows(pf.scores(book, AS_OF, statuses=["other"]), "A4", "attractiveness")
    # the only other customer has a wallet of 0: the scale 0..largest (0) has no length
    assert rows.loc["wallet", "value"] == 0
    assert rows.loc["wallet", "note"] == pf.NO_SCALE
    assert math.isnan(rows.loc["wallet", "points"])
    assert pd.isna(rows["score"].iloc[0])  # open wallet and wallet left out: nothing left


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_scores_of_some_accounts_are_those_of_the_whole_portfolio(book: Workbook) -> None:
    alone = _rows(pf.scores(book, AS_OF, account_ids=["A3"]), "A3", "attractiveness")
    whole = _rows(pf.scores(book, AS_OF), "A3", "attractiveness")
    # the wallet scale runs to the portfolio's largest (A2's 50,000), not to A3's own
    assert alone.loc["wallet", "high"] == 50_000
    pd.testing.assert_frame_equal(alone, whole)


def test_points_refuses_a_scale_without_length() -> None:
    assert pf.points(2, 3, 0) == pytest.approx(10 / 3)  # lower is better
    assert pf.points(-1, 0, 10) == 0 and pf.points(11, 0, 10) == 10
    assert math.isnan(pf.points(None, 0, 10))
    with pytest.raises(ValueError, match="no length"):
        pf.points(1, 5, 5)


@pytest.mark.parametrize(("criteria", "message"), [
    ("position,share_of_wallet,60,computed,,\nposition,history,30,computed,,\n",
     "criteria.csv:2: error, column 'weight'.*add up to 90; they must add up to 100"),
    ("position,share_of_walet,100,computed,,\n", "Did you mean share_of_wallet"),
    ("position,share_of_wallet,100,computed,5,5\n", "scale has no length"),
    ("position,history,100,judgement,,\n", "code of a computed criterion"),
])
def test_bad_criteria_are_named_by_file_row_and_column(
        with_criteria: Callable[..., Workbook], criteria: str, message: str) -> None:
    with pytest.raises(WorkbookError, match=message):
        with_criteria(*criteria.splitlines())


def test_a_judgement_of_a_criterion_not_in_force_is_a_warning(
        with_criteria: Callable[..., Workbook]) -> None:
    book = with_criteria("attractiveness,wallet,100,computed,,")
    found = [str(p) for p in book.problems]
    assert any("judgements.csv:2" in p and "strategic_fit" in p and "not used" in p
               for p in found)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_coverage_counts_from_the_minimum_strength(book: Workbook) -> None:
    # A1's one key contact, A1-C1, is known by P1 at strength 3
    at_3 = _rows(pf.scores(book, AS_OF, ["A1"]), "A1", "position")
    at_4 = _rows(pf.scores(book, AS_OF, ["A1"], min_strength=4), "A1", "position")
    assert at_3.loc["relationship_coverage", "value"] == 100
    assert at_4.loc["relationship_coverage", "value"] == 0
    assert at_3["score"].iloc[0] - at_4["score"].iloc[0] == pytest.approx(30)  # its weight


def test_an_unknown_account_is_named(book: Workbook) -> None:
    with pytest.raises(kamkit.errors.UnknownAccountError, match=r"A9.*Known accounts: A1"):
        pf.health(book, AS_OF, account_ids=["A1", "A9"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_portfolio_without_prospects_or_accounts_gives_empty_frames(
        portfolio_path: Path) -> None:
    accounts = portfolio_path / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("prospect", "other"))
    book = kamkit.load_workbook(portfolio_path)
    assert pf.prospects(book, AS_OF).empty
    nothing = ["no such status"]
    for frame in (pf.matrix(book, AS_OF, statuses=nothing),
                  pf.scores(book, AS_OF, statuses=nothing),
                  pf.health_summary(pf.health(book, AS_OF, statuses=nothing))):
        assert frame.empty and len(frame.columns) > 3
    empty = pf.snapshot(book, AS_OF, statuses=nothing)
    assert empty["accounts"] == {} and pf.changes(empty, empty).empty


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_judgement_criterion_nobody_scored_is_a_warning(
        with_criteria: Callable[..., Workbook]) -> None:
    book = with_criteria("attractiveness,wallet,80,computed,,",
                         "attractiveness,prestige,20,judgement,,")
    found = [str(p) for p in book.problems]
    assert any(p.startswith("criteria.csv:3: warning") and "prestige" in p
               and "no account has a score" in p for p in found), found
