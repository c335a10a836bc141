"""An account whose data has gaps (no contacts, no feedback, no spend estimates, no margin,
sales that start late) gets findings that say what is missing, never a statement that is
only true because a table is empty.

Built from mini A1 (tests/plan/conftest.py) with tables emptied through
``AccountData.with_tables``, and turned into the plan report without a kernel.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamkit.labels import t
from kamkit.report.plan import PlanReport
from kamkit.workbook import AccountData

AS_OF = dt.date(2025, 12, 31)
MINI = Path(__file__).parents[1] / "fixtures" / "mini"


def plan_report(account: AccountData, language: str = "en") -> PlanReport:
    """The plan report of ``account`` (the summary's health from the mini workbook)."""
    return PlanReport(account, AS_OF, language, MINI)


def without_contacts(account: AccountData) -> AccountData:
    return account.with_tables(contacts=account.contacts.iloc[:0],
                               relationships=account.relationships.iloc[:0])


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_contacts_is_never_full_coverage(a1) -> None:
    for language in ("en", "nl"):
        report = plan_report(without_contacts(a1), language)
        said = report.findings("p3_relations")
        assert said == (t("find.a8.none", language),)
        summary = report.summary()
        assert summary is not None
        covered = t("find.p3.covered", language, strength=3,
                    name=t("strength.3", language))
        assert covered not in str(summary)


def test_all_contacts_covered_is_still_said(a1) -> None:
    report = plan_report(a1.with_tables(
        contacts=a1.contacts[a1.contacts["level"] != "operational"]))
    assert report.findings("p3_relations") == (
        t("find.p3.covered", "en", strength=3, name=t("strength.3", "en")),)


def test_no_strategic_contact_is_never_a_complete_team(a1) -> None:
    said = plan_report(without_contacts(a1)).findings("p3_team")
    assert t("find.p3.team_ok", "en") not in said
    assert said[0] == t("find.p3.team.no_strategic", "en")
    # the counterparts the plan names are not among the contacts: still said
    assert any("counterpart" in sentence for sentence in said[1:])
    assert plan_report(a1).findings("p3_team") == (t("find.p3.team_ok", "en"),)


def test_a_plan_without_team_is_never_a_complete_team(a1, replan) -> None:
    said = plan_report(replan(a1, team=())).findings("p3_team")
    assert said == (t("find.p3.team.no_team", "en"),)


def test_no_sales_in_the_latest_year_is_never_within_policy(a1) -> None:
    # A1 bought nothing in 2025: its 2024 services are listed with 0 for 2025, and no
    # service can be at or above its policy in a year without sales
    stopped = a1.with_tables(sales=a1.sales[a1.sales["month"].dt.year == 2024])
    said = plan_report(stopped).findings("p3_price")
    assert said == (t("find.p3.no_prices", "en", year=2025),)
