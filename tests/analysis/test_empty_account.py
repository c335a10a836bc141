"""Every analysis works on an account without data: the same columns, never an error.

Two cases: A2 of the mini workbook (a prospect: no sales, no document) and A1 of a
workbook that holds only the reference tables (no data at all). Each result must have the
same columns and dtypes as the result for A1 of the mini workbook, which has data (A2
for the uncovered key contacts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest

import kamkit.analysis as analysis

AS_OF = dt.date(2025, 12, 31)

CALLS: dict[str, Callable[..., pd.DataFrame]] = {
    "total_spend": lambda a: analysis.total_spend(a, by=("year", "service", "location")),
    "share_of_wallet": lambda a: analysis.share_of_wallet(a, by=("year", "location")),
    "holder_shares": lambda a: analysis.holder_shares(a, by=("year", "service")),
    "share_changes": lambda a: analysis.share_changes(a, 2024, 2025, by=("service",)),
    "whitespace": lambda a: analysis.whitespace(a, 2025),
    "revenue_by_year": analysis.revenue_by_year,
    "timeline": analysis.timeline,
    "org_chart": analysis.org_chart,
    "contact_matrix": lambda a: analysis.contact_matrix(a, AS_OF),
    "coverage_by_level": analysis.coverage_by_level,
    "uncovered_key_contacts": analysis.uncovered_key_contacts,
    "stale_relationships": lambda a: analysis.stale_relationships(a, AS_OF, days=0),
    "swot_table": lambda a: analysis.swot_table(a.document, "ours"),
    "confrontation": lambda a: analysis.confrontation(a.document),
    "confrontation_matrix": lambda a: analysis.confrontation_matrix(a.document),
    "missing_parts": lambda a: analysis.missing_parts(a.document),
    "cut_off": lambda a: analysis.share_of_wallet(analysis.cut_off(a, AS_OF)),
}


@pytest.mark.sample(4)  # of 17 computations (conftest.py)
@pytest.mark.parametrize("name", CALLS)
def test_same_columns_with_and_without_data(name: str, a1, a2, bare) -> None:
    results = [CALLS[name](account) for account in (a1, a2, bare)]
    assert any(not result.empty for result in results)  # some account has data for it
    for result in results[1:]:
        assert list(result.columns) == list(results[0].columns)
        assert result.dtypes.to_dict() == results[0].dtypes.to_dict()


def test_no_data_gives_empty_frames_or_explicit_gaps(bare) -> None:
    for name in ("total_spend", "share_of_wallet", "holder_shares", "share_changes",
                 "revenue_by_year", "timeline", "org_chart", "contact_matrix",
                 "uncovered_key_contacts", "stale_relationships", "swot_table",
                 "confrontation", "confrontation_matrix"):
        assert CALLS[name](bare).empty, name
    # frames that list every cell, level or part say what is missing instead
    assert (analysis.whitespace(bare, 2025)["room"] == "no estimate").all()
    coverage = analysis.coverage_by_level(bare)
    assert (coverage["contacts"] == 0).all() and coverage["share_covered"].isna().all()
    assert analysis.missing_parts(bare.document)["missing"].all()


def test_prospect_without_sales(a2) -> None:
    sow = analysis.share_of_wallet(a2)
    # A2 2025: spend 50000, ours 0: a share of 0, which is known (not NA)
    assert list(sow["year"]) == [2025] and sow["share"].iloc[0] == 0.0
    assert analysis.revenue_by_year(a2).empty
