"""Wallet (A5), share of wallet (A6), holders (A7) and whitespace, on hand-worked figures.

The mini fixture, account A1:
  sales     2024-01/02 CLEAN NL-RTM 1000 + 1000; 2025-01 CLEAN NL-RTM 1500, SEC BE-ANT 500
  spend     2024 CLEAN NL-RTM 10000 (medium); 2025 CLEAN NL-RTM 10000 (high),
            2025 SEC BE-ANT 2000 (low)
  shares    2024 CLEAN NL-RTM NORD 6000; 2025 CLEAN NL-RTM NORD 7000;
            2025 SEC BE-ANT in-house 1000
"""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit import AccountData
from kamkit.analysis import wallet
from kamkit.errors import KamkitError


def _row(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    match = frame[mask.to_numpy()]
    assert len(match) == 1, f"{len(match)} rows for {where}"
    return match.iloc[0]


# --------------------------------------------------------------------------- total spend


def test_total_spend_by_year(a1) -> None:
    spend = wallet.total_spend(a1)
    assert list(spend["year"]) == [2024, 2025]
    # 2024: the one CLEAN cell, 10000 EUR, 400 hours, medium
    first = _row(spend, year=2024)
    assert first["spend"] == 10000.0 and first["volume"] == 400.0
    assert first["unit"] == "hours" and first["confidence"] == "medium"
    assert first["estimates"] == 1
    # 2025: 10000 + 2000 = 12000; lowest of high and low = low; volume of hours and guard
    # hours cannot be added up: NA
    second = _row(spend, year=2025)
    assert second["spend"] == 12000.0 and second["estimates"] == 2
    assert second["confidence"] == "low"
    assert pd.isna(second["volume"]) and pd.isna(second["unit"])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_confidence_of_a_total_by_spend(a1, edited) -> None:
    # 2025: 10000 high and 2000 low: 5/6 of the spend high, 1/6 low, not "low" as a whole
    for frame in (wallet.total_spend(a1), wallet.share_of_wallet(a1)):
        mix = _row(frame, year=2025)[list(wallet.CONFIDENCE_MIX)].tolist()
        assert mix == pytest.approx([10000 / 12000, 0.0, 2000 / 12000])
        assert _row(frame, year=2024)[list(wallet.CONFIDENCE_MIX)].tolist() == [0.0, 1.0, 0.0]
    # a cell with sales but no estimate adds nothing to the mix; a 0 estimate leaves NA
    account = edited(append={"sales.csv": ["2025-02,A1,CAT,NL-RTM,300.00,60.00,"],
                             "spend.csv": ["A1,2023,CLEAN,NL-RTM,0,,guess,low"]})
    sow = wallet.share_of_wallet(account)
    assert _row(sow, year=2025)["share_high_confidence"] == pytest.approx(10000 / 12000)
    assert _row(wallet.total_spend(account), year=2023)[list(wallet.CONFIDENCE_MIX)].isna().all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_moves_are_ranked_by_amount(edited) -> None:
    # 2025: CLEAN NL-RTM goes from 20% (2024) to 15% of 10000: -5 pts, -500 EUR; a small
    # new cell SEC BE-ANT 2024 100 spend with 10 sold (10%) -> 25% of 2000 in 2025:
    # +15 pts, +300 EUR: the points lead, the euros do not
    account = edited(append={"spend.csv": ["A1,2024,SEC,BE-ANT,100,4,estimate,low"],
                             "sales.csv": ["2024-03,A1,SEC,BE-ANT,10.00,1.00,1"]})
    moves = wallet.share_moves(account, 2024, 2025)
    assert list(moves["service"]) == ["CLEAN", "SEC"]
    clean, sec = moves.iloc[0], moves.iloc[1]
    assert clean["change_pts"] == pytest.approx(-5.0)
    assert clean["moved"] == pytest.approx(-500.0) and clean["spend"] == 10000.0
    assert sec["change_pts"] == pytest.approx(15.0) and sec["moved"] == pytest.approx(300.0)
    assert wallet.share_moves(account, 2023, 2024).empty


def test_total_spend_by_service(a1) -> None:
    spend = wallet.total_spend(a1, by=("service", "year"))  # any order; returned year, service
    assert list(spend.columns[:2]) == ["year", "service"]
    sec = _row(spend, year=2025, service="SEC")
    # 2025 SEC BE-ANT: 2000 EUR, 80 guard hours, low
    assert sec["spend"] == 2000.0 and sec["volume"] == 80.0
    assert sec["unit"] == "guard hours" and sec["confidence"] == "low"


@pytest.mark.parametrize("by", [("service",), ("year", "region"), ()])
def test_grouping_must_hold_year_and_known_dimensions(a1, by: tuple[str, ...]) -> None:
    with pytest.raises(KamkitError, match="by"):
        wallet.share_of_wallet(a1, by=by)


# --------------------------------------------------------------------------- share of wallet


def test_share_of_wallet_by_year(a1) -> None:
    sow = wallet.share_of_wallet(a1)
    # 2024: ours 1000 + 1000 = 2000 / spend 10000 = 0.20
    assert _row(sow, year=2024)["share"] == pytest.approx(0.20)
    # 2025: ours 1500 + 500 = 2000 / spend 10000 + 2000 = 12000 = 0.1667
    row = _row(sow, year=2025)
    assert row["our_revenue"] == 2000.0 and row["spend"] == 12000.0
    assert row["share"] == pytest.approx(2000 / 12000)
    assert row["confidence"] == "low" and not row["capped"]


def test_share_of_wallet_per_cell(a1) -> None:
    sow = wallet.share_of_wallet(a1, by=("year", "service", "location"))
    # A1 2025 CLEAN NL-RTM: ours 1500 / spend 10000 = 0.15
    assert _row(sow, year=2025, service="CLEAN")["share"] == pytest.approx(0.15)
    # A1 2025 SEC BE-ANT: ours 500 / spend 2000 = 0.25
    assert _row(sow, year=2025, service="SEC")["share"] == pytest.approx(0.25)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_sales_without_an_estimate_are_shown_not_dropped(edited) -> None:
    account = edited(append={"sales.csv": ["2025-02,A1,CAT,NL-RTM,800.00,100.00,50"]})
    sow = wallet.share_of_wallet(account)
    row = _row(sow, year=2025)
    # the 800 of catering has no estimate: not in the share, but in the total
    assert row["our_revenue"] == 2000.0  # 1500 + 500
    assert row["our_revenue_total"] == 2800.0  # 1500 + 500 + 800
    assert row["share"] == pytest.approx(2000 / 12000)
    # per service, catering shows with no spend and no share
    cat = _row(wallet.share_of_wallet(account, by=("year", "service")), year=2025, service="CAT")
    assert cat["our_revenue_total"] == 800.0 and cat["our_revenue"] == 0.0
    assert pd.isna(cat["spend"]) and pd.isna(cat["share"]) and cat["estimates"] == 0


def _security_2025(edited, spend: int, in_house: int) -> tuple[AccountData, pd.Series]:
    """A1 with its 2025 security spend (SEC BE-ANT) and that cell's in-house share set, and
    the share of wallet of 2025 security."""
    account = edited(
        replace={"spend.csv": [("A1,2025,SEC,BE-ANT,2000", f"A1,2025,SEC,BE-ANT,{spend}")],
                 "spend_shares.csv": [("A1,2025,SEC,BE-ANT,in-house,1000",
                                       f"A1,2025,SEC,BE-ANT,in-house,{in_house}")]})
    return account, _row(wallet.share_of_wallet(account, by=("year", "service")), year=2025,
                         service="SEC")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_zero_spend_gives_no_share(edited) -> None:
    _, sec = _security_2025(edited, spend=0, in_house=0)
    # ours 500 / spend 0: no share (NA), not inf, not capped to 1
    assert sec["spend"] == 0.0 and pd.isna(sec["share"]) and not sec["capped"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_above_the_estimate_is_capped(edited) -> None:
    account, sec = _security_2025(edited, spend=400, in_house=100)
    # ours 500 / spend 400 = 1.25 -> capped at 1.0
    assert sec["share"] == 1.0 and sec["capped"]
    # the year as a whole is not over: 2000 / (10000 + 400) = 0.1923
    year = _row(wallet.share_of_wallet(account), year=2025)
    assert year["share"] == pytest.approx(2000 / 10400) and not year["capped"]


# --------------------------------------------------------------------------- holders


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_holder_shares_of_a_year(a1) -> None:
    shares = wallet.holder_shares(a1)
    y2025 = shares[(shares["year"] == 2025).to_numpy()]
    # us first, competitors, in-house, unknown last
    assert list(y2025["holder"]) == ["us", "NORD", "in-house", "unknown"]
    spend = dict(zip(y2025["holder"], y2025["spend"], strict=True))
    # us 1500 + 500 = 2000; NORD 7000; in-house 1000;
    # unknown = (10000 - 1500 - 7000) + (2000 - 500 - 1000) = 1500 + 500 = 2000
    assert spend == {"us": 2000.0, "NORD": 7000.0, "in-house": 1000.0, "unknown": 2000.0}
    assert _row(y2025, holder="NORD")["share"] == pytest.approx(7000 / 12000)
    assert _row(y2025, holder="NORD")["holder_name"] == "Nordclean Services"
    # the shares of a year add up to 1
    for _, group in shares.groupby("year"):
        assert group["share"].sum() == pytest.approx(1.0)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_holder_shares_unknown_remainder_per_cell(a1) -> None:
    shares = wallet.holder_shares(a1, by=("year", "service", "location"))
    # 2025 CLEAN NL-RTM: 10000 - us 1500 - NORD 7000 = 1500 unknown = 0.15
    clean = _row(shares, year=2025, service="CLEAN", holder="unknown")
    assert clean["spend"] == 1500.0 and clean["share"] == pytest.approx(0.15)
    # 2025 SEC BE-ANT: 2000 - us 500 - in-house 1000 = 500 unknown = 0.25
    sec = _row(shares, year=2025, service="SEC", holder="unknown")
    assert sec["spend"] == 500.0 and sec["share"] == pytest.approx(0.25)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_explicit_unknown_share_is_added_to_the_remainder(edited) -> None:
    account = edited(append={"spend_shares.csv": [
        "A1,2025,CLEAN,NL-RTM,unknown,1000,guess,low"]})
    shares = wallet.holder_shares(account, by=("year", "service"))
    clean = shares[((shares["year"] == 2025) & (shares["service"] == "CLEAN")).to_numpy()]
    # one unknown row: explicit 1000 + remainder (10000 - 1500 - 7000 - 1000 = 500) = 1500
    assert list(clean["holder"]).count("unknown") == 1
    unknown = _row(clean, holder="unknown")
    assert unknown["spend"] == 1500.0
    assert unknown["confidence"] == "low"  # lowest of the cell (high) and the share (low)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_unknown_is_never_negative(edited) -> None:
    account = edited(
        replace={"spend.csv": [("A1,2025,SEC,BE-ANT,2000", "A1,2025,SEC,BE-ANT,400")],
                 "spend_shares.csv": [("A1,2025,SEC,BE-ANT,in-house,1000", "A1,2025,SEC,"
                                       "BE-ANT,in-house,100")]})
    sec = wallet.holder_shares(account, by=("year", "service"))
    sec = sec[((sec["year"] == 2025) & (sec["service"] == "SEC")).to_numpy()]
    # 400 - us 500 - in-house 100 = -200 -> unknown 0
    assert _row(sec, holder="unknown")["spend"] == 0.0
    # the holders (600) exceed the estimate (400): shares are of 600, still adding up to 1
    assert _row(sec, holder="us")["share"] == pytest.approx(500 / 600)
    assert _row(sec, holder="in-house")["share"] == pytest.approx(100 / 600)
    assert sec["share"].sum() == pytest.approx(1.0) and sec["over_allocated"].all()


# --------------------------------------------------------------------------- share changes


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_change_in_points(a1) -> None:
    changes = wallet.share_changes(a1, 2024, 2025, by=("service",))
    clean = changes[(changes["service"] == "CLEAN").to_numpy()]
    # NORD in CLEAN: 6000/10000 = 60% -> 7000/10000 = 70%: +10.0 points
    nord = _row(clean, holder="NORD")
    assert nord["share_from"] == pytest.approx(0.60) and nord["share_to"] == pytest.approx(0.70)
    assert nord["change_pts"] == pytest.approx(10.0)
    # us in CLEAN: 2000/10000 = 20% -> 1500/10000 = 15%: -5.0 points
    assert _row(clean, holder="us")["change_pts"] == pytest.approx(-5.0)
    # SEC had no estimate in 2024: no change to give
    sec = changes[(changes["service"] == "SEC").to_numpy()]
    assert sec["change_pts"].isna().all() and sec["share_from"].isna().all()
    # biggest loser first, the rows without a change last
    assert changes["change_pts"].iloc[0] == pytest.approx(-5.0)
    assert changes["change_pts"].iloc[-1:].isna().all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_change_of_a_holder_absent_in_one_year(a1) -> None:
    changes = wallet.share_changes(a1, 2024, 2025)
    # in-house holds nothing in 2024 (a year with an estimate): 0% -> 1000/12000 = 8.33%
    in_house = _row(changes, holder="in-house")
    assert in_house["share_from"] == 0.0 and in_house["spend_from"] == 0.0
    assert in_house["change_pts"] == pytest.approx(100 * 1000 / 12000)
    # the biggest gainer is last: in-house +8.33 > NORD 60% -> 58.33% = -1.67
    assert changes["holder"].iloc[-1] == "in-house"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_change_example_of_seven_points(edited) -> None:
    # NORD 3400 of 10000 = 34% in 2024 -> 2700 of 10000 = 27% in 2025: -7.0 points
    account = edited(replace={"spend_shares.csv": [
        ("A1,2024,CLEAN,NL-RTM,NORD,6000", "A1,2024,CLEAN,NL-RTM,NORD,3400"),
        ("A1,2025,CLEAN,NL-RTM,NORD,7000", "A1,2025,CLEAN,NL-RTM,NORD,2700")]})
    changes = wallet.share_changes(account, 2024, 2025, by=("year", "service"))  # year is ignored
    nord = _row(changes, service="CLEAN", holder="NORD")
    assert nord["change_pts"] == pytest.approx(-7.0)
    assert changes["holder"].iloc[0] == "NORD"  # the biggest loser


# --------------------------------------------------------------------------- whitespace


def test_whitespace_shows_every_cell(a1) -> None:
    cells = wallet.whitespace(a1, 2025)
    # 3 services x 2 locations, in workbook order
    assert len(cells) == 6
    assert list(zip(cells["service"], cells["location"], strict=True))[:2] == [
        ("CLEAN", "NL-RTM"), ("CLEAN", "BE-ANT")]
    assert set(cells["room"]) <= set(wallet.ROOMS)
    clean = _row(cells, service="CLEAN", location="NL-RTM")
    # ours 1500 of 10000 = 15%: deep selling; NORD (7000) is the main holder; open 8500
    assert clean["room"] == "deep selling" and clean["share"] == pytest.approx(0.15)
    assert clean["main_holder"] == "NORD" and clean["main_holder_name"] == "Nordclean Services"
    assert clean["open_spend"] == 8500.0 and clean["confidence"] == "high"
    sec = _row(cells, service="SEC", location="BE-ANT")
    # ours 500 of 2000 = 25%: deep selling; in-house (1000) holds most; open 1500
    assert sec["room"] == "deep selling" and sec["main_holder"] == "in-house"
    assert sec["open_spend"] == 1500.0
    empty = _row(cells, service="CAT", location="NL-RTM")
    assert empty["room"] == "no estimate" and empty["main_holder"] == "no estimate"
    assert pd.isna(empty["spend"]) and pd.isna(empty["open_spend"])
    assert empty["our_revenue"] == 0.0


def test_whitespace_cross_selling(a2) -> None:
    cell = _row(wallet.whitespace(a2, 2025), service="CLEAN", location="NL-RTM")
    # A2 spends 50000 on cleaning in Rotterdam, we sell nothing: cross selling, all open;
    # VERI (30000) holds more than unknown (50000 - 30000 = 20000)
    assert cell["room"] == "cross selling" and cell["open_spend"] == 50000.0
    assert cell["share"] == 0.0 and cell["main_holder"] == "VERI"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_whitespace_held_and_no_spend(edited) -> None:
    account = edited(
        replace={"spend.csv": [("A1,2025,SEC,BE-ANT,2000", "A1,2025,SEC,BE-ANT,520")],
                 "spend_shares.csv": [("A1,2025,SEC,BE-ANT,in-house,1000", "A1,2025,SEC,"
                                       "BE-ANT,in-house,20")]},
        append={"spend.csv": ["A1,2025,CAT,BE-ANT,0,,asked,medium"]})
    cells = wallet.whitespace(account, 2025)
    sec = _row(cells, service="SEC", location="BE-ANT")
    # ours 500 of 520 = 96% >= 95%: held by us; open 20
    assert sec["room"] == "held" and sec["main_holder"] == "us"
    assert sec["open_spend"] == pytest.approx(20.0)
    # an estimate of 0 and no sales: no spend, no share
    cat = _row(cells, service="CAT", location="BE-ANT")
    assert cat["room"] == "no spend" and pd.isna(cat["share"]) and cat["open_spend"] == 0.0
    # with a stricter threshold 96% is not held
    strict = _row(wallet.whitespace(account, 2025, held_at=0.99), service="SEC", location="BE-ANT")
    assert strict["room"] == "deep selling"


def test_whitespace_of_a_year_without_estimates(a1) -> None:
    cells = wallet.whitespace(a1, 2023)
    assert (cells["room"] == "no estimate").all() and len(cells) == 6
