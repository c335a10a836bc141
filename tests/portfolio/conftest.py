"""The portfolio workbook: the mini workbook with its overrides changed, a third account
(a prospect without contacts or sales) and judgements. The figures the tests expect are
worked out by hand from these files and tests/fixtures/mini."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kamkit import load_workbook
from kamkit.workbook import Workbook

ACCOUNTS = """\
account_id,name,sector,country,status,kam,attractiveness,position
A1,Alpha Logistics B.V.,Logistics,NL,key_account,P2,,
A2,Beta Chemie NV,Chemicals,BE,prospect,P2,,2
A3,Gamma Foods B.V.,Food,NL,prospect,P1,,
"""
JUDGEMENTS = """\
account_id,criterion,date,score,note
A1,strategic_fit,2025-06-01,8,Fits the logistics focus
A1,ease_of_business,2025-06-01,6,
A2,strategic_fit,2025-06-01,9,
A2,strategic_fit,2026-03-01,2,Scored after the as-of date: not used
"""
MINI = Path(__file__).parent.parent / "fixtures" / "mini"
EXTRA_SPEND = "A3,2025,CLEAN,NL-RTM,30000,1200,estimate,low\n"
EXTRA_SALES = "2025-12,A1,CLEAN,NL-RTM,0.00,0.00,0\n"
"""A month without revenue that ends the sales history in December 2025: A1's revenue trend
as of 2025-12-31 compares two whole years of the history (2025 against 2024)."""


def _portfolio(mini_copy: Path) -> Path:
    """Turn a copy of the mini workbook into the portfolio workbook."""
    (mini_copy / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (mini_copy / "judgements.csv").write_text(JUDGEMENTS, encoding="utf-8")
    with (mini_copy / "spend.csv").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_SPEND)
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_SALES)
    return mini_copy


@pytest.fixture
def portfolio_path(mini_copy: Path) -> Path:
    """A writable portfolio workbook, for a test that changes it."""
    return _portfolio(mini_copy)


@pytest.fixture(scope="session")
def book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The portfolio workbook, loaded once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("portfolio") / "mini"
    shutil.copytree(MINI, folder)
    return load_workbook(_portfolio(folder))


@pytest.fixture
def with_criteria(portfolio_path: Path) -> Callable[..., Workbook]:
    """The portfolio workbook with a criteria.csv of these rows (under its header)."""

    def load(*rows: str) -> Workbook:
        text = "".join(f"{row}\n" for row in ("axis,criterion,weight,source,low,high", *rows))
        (portfolio_path / "criteria.csv").write_text(text, encoding="utf-8")
        return load_workbook(portfolio_path)

    return load
