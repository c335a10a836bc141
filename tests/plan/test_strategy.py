"""The product mix and the price mix (P3), from mini A1 (see conftest).

Whitespace of A1 in 2025: cleaning in Rotterdam, spend 10000, ours 1500 (open 8500);
security in Antwerp, spend 2000, ours 500 (open 1500). Margin policy: cleaning 20%,
security 15%, catering 18%.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kamkit.plan import price_mix, product_mix


def test_product_mix_ranked_by_room(a1) -> None:
    mix = product_mix(a1, 2025)
    assert mix["rank"].tolist() == [1, 2]
    assert mix["service"].tolist() == ["CLEAN", "SEC"]
    assert (mix["room"] == "deep selling").all()
    assert mix["open_spend"].tolist() == [8500.0, 1500.0]
    assert mix["share"].tolist() == pytest.approx([0.15, 0.25])
    assert mix["main_holder"].tolist() == ["NORD", "in-house"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_cross_selling_ranks_with_deep_selling(edited) -> None:
    account = edited(append={"spend.csv": ["A1,2025,CAT,NL-RTM,20000,,estimate,low"]})
    mix = product_mix(account, 2025)
    # catering in Rotterdam: 20000 of spend, none of it ours
    assert mix["service"].tolist() == ["CAT", "CLEAN", "SEC"]
    assert mix["room"].tolist() == ["cross selling", "deep selling", "deep selling"]
    assert mix["open_spend"].tolist() == [20000.0, 8500.0, 1500.0]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_product_mix_leaves_held_cells_out(edited) -> None:
    # security in Antwerp: ours 500 of an estimate of 520 is 96%, held from 95%
    account = edited(replace={"spend.csv": [("A1,2025,SEC,BE-ANT,2000,80",
                                             "A1,2025,SEC,BE-ANT,520,80")],
                              "spend_shares.csv": [("A1,2025,SEC,BE-ANT,in-house,1000",
                                                    "A1,2025,SEC,BE-ANT,in-house,20")]})
    assert product_mix(account, 2025)["service"].tolist() == ["CLEAN"]
    assert product_mix(account, 2025, held_at=0.99)["service"].tolist() == ["CLEAN", "SEC"]


def test_price_mix(a1) -> None:
    mix = price_mix(a1, "2026-12-31").set_index(["service", "year"])
    assert list(mix.index) == [("CLEAN", 2024), ("CLEAN", 2025), ("CLEAN", 2026),
                               ("SEC", 2024), ("SEC", 2025), ("SEC", 2026)]
    # cleaning 2024: 500 / 2000 = 25%; 2025: 300 / 1500 = 20%, 5 points down
    assert mix.loc[("CLEAN", 2024), "margin_pct"] == pytest.approx(25.0)
    assert mix.loc[("CLEAN", 2025), "margin_pct"] == pytest.approx(20.0)
    assert mix.loc[("CLEAN", 2025), "trend_pts"] == pytest.approx(-5.0)
    # 20% is not below a policy of 20%; security 50 / 500 = 10% is below 15%
    assert not mix.loc[("CLEAN", 2025), "below_policy"]
    assert mix.loc[("SEC", 2025), "below_policy"]
    assert mix.loc[("SEC", 2025), "min_margin_pct"] == 15.0
    # nothing sold: revenue 0, margin 0 (known for the service), margin %, trend and
    # verdict NA
    assert mix.loc[("CLEAN", 2026), "revenue"] == 0.0
    assert mix.loc[("CLEAN", 2026), "gross_margin"] == 0.0
    assert pd.isna(mix.loc[("CLEAN", 2026), "margin_pct"])
    assert pd.isna(mix.loc[("CLEAN", 2026), "below_policy"])
    assert pd.isna(mix.loc[("SEC", 2025), "trend_pts"])  # no margin in 2024
    # price: 2000 EUR / 80 hours = 25 EUR an hour
    assert mix.loc[("CLEAN", 2024), "price_per_unit"] == pytest.approx(25.0)
    assert mix.loc[("CLEAN", 2024), "unit"] == "hours"
    assert (mix["months"] == 12).all()


def test_price_mix_starts_with_the_workbooks_sales(a1) -> None:
    # the mini workbook's sales begin in 2024-01: no 2023 rows of 0 before it
    mix = price_mix(a1, "2025-12-31")
    assert sorted(set(mix["year"])) == [2024, 2025]
    # an account that began buying later still gets the workbook's years, with 0
    later = a1.with_tables(sales=a1.sales[a1.sales["month"].dt.year == 2025])
    assert sorted(set(price_mix(later, "2025-12-31")["year"])) == [2024, 2025]


def test_price_mix_unknown_margin_is_never_zero(a1) -> None:
    unknown = a1.with_tables(sales=a1.sales.assign(gross_margin=float("nan")))
    mix = price_mix(unknown, "2025-12-31").set_index(["service", "year"])
    # security was not sold in 2024: revenue 0, its margin unknown (not 0)
    assert mix.loc[("SEC", 2024), "revenue"] == 0.0
    assert mix["gross_margin"].isna().all()
    assert mix["below_policy"].isna().all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_price_mix_as_of_a_running_year(edited) -> None:
    account = edited(append={"sales.csv": ["2025-08,A1,CLEAN,NL-RTM,1000.00,100.00,"]})
    mix = price_mix(account, "2025-06-30").set_index(["service", "year"])
    # August is after the as-of date; 2025 holds 6 months
    assert mix.loc[("CLEAN", 2025), "revenue"] == 1500.0
    assert mix.loc[("CLEAN", 2025), "months"] == 6
    assert mix.loc[("CLEAN", 2024), "months"] == 12
    # as of the year end, the August row has no volume: the price counts priced rows only
    full = price_mix(account, "2025-12-31").set_index(["service", "year"])
    assert full.loc[("CLEAN", 2025), "price_per_unit"] == pytest.approx(1500 / 60)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_without_sales(a1, a2) -> None:
    empty, full = price_mix(a2, "2025-12-31"), price_mix(a1, "2025-12-31")
    assert empty.empty and empty.dtypes.to_dict() == full.dtypes.to_dict()
    # the prospect: cleaning in Rotterdam is all with others
    mix = product_mix(a2, 2025)
    assert mix["room"].tolist() == ["cross selling"] and mix["open_spend"].tolist() == [50000.0]
    assert mix.dtypes.to_dict() == product_mix(a1, 2025).dtypes.to_dict()
