"""A large account (2,000 contacts, 10 services x 10 locations, 10 years of monthly sales)
validates, and every section of its reports is built with every chart drawn: the contact
matrix and the org chart show the part a reader can take in and count the rest (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import pytest

from kamkit import check_workbook, load_workbook
from kamkit.analysis.organisation import ORG_CHART_NODES
from kamkit.charts.contacts import MATRIX_CONTACTS, MATRIX_PEOPLE
from kamkit.charts.render import use_charts
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport
from tests.large_account import write_large_workbook

pytestmark = pytest.mark.slow  # about 20 s: a 14,000-row sales table, SVG for every chart

AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("large") / "workbook"
    return folder, write_large_workbook(folder)


def test_a_large_account_validates(large: tuple[Path, str]) -> None:
    assert check_workbook(large[0]).problems == []


@pytest.mark.parametrize("report", [AnalysisReport, PlanReport])
def test_every_chart_of_a_large_account_renders(large: tuple[Path, str], report: type) -> None:
    built = report.build(load_workbook(large[0]), large[1], AS_OF)
    use_charts("svg")
    drawn = 0
    for key in built.SECTIONS:
        for block in built.section(key).blocks:
            if isinstance(block, alt.TopLevelMixin):
                data, _ = block._repr_mimebundle_()  # Altair's row limit applies here
                assert data["image/svg+xml"].startswith("<svg"), key
                drawn += 1
    assert drawn >= (8 if report is AnalysisReport else 1)


def test_the_contact_matrix_and_org_chart_stay_readable(large: tuple[Path, str]) -> None:
    built = AnalysisReport.build(load_workbook(large[0]), large[1], AS_OF)
    matrix = next(b for b in built.section("a8").blocks if isinstance(b, alt.TopLevelMixin))
    spec = matrix.to_dict()
    rows = [row for values in spec["datasets"].values() for row in values]
    assert len({row["contact"] for row in rows}) == MATRIX_CONTACTS
    assert len({row["person"] for row in rows}) <= MATRIX_PEOPLE
    subtitle = spec["title"]["subtitle"]
    assert f"{MATRIX_CONTACTS} of 2,000 contacts" in subtitle
    assert f"{2000 - MATRIX_CONTACTS:,} contacts not shown" in subtitle
    assert "Contact 0000 Lastname" in {row["contact"] for row in rows}  # the senior first
    org = "".join(b for b in built.section("a2").blocks if isinstance(b, str))
    assert org.count("<li") == ORG_CHART_NODES
    assert f"plus {2000 - ORG_CHART_NODES:,} contacts below these" in org
    assert "Contact 0000 Lastname" in org  # the top of the tree is kept
    assert len(re.findall(r"Contact 1\d{3} Lastname", org)) == 0  # the deepest are not


def test_the_quiet_relationships_are_capped_longest_quiet_first(large: tuple[Path, str]) -> None:
    from kamkit import analysis as an
    from kamkit.report.analysis import QUIET_ROWS, STALE_DAYS

    built = AnalysisReport.build(load_workbook(large[0]), large[1], AS_OF)
    stale = an.stale_relationships(built.account, built.as_of, STALE_DAYS)
    assert len(stale) > QUIET_ROWS  # the large account has many
    blocks = [b for b in built.section("a8").blocks if isinstance(b, str)]
    quiet = next(b for b in blocks if "days since" in b.lower() or "Days since" in b)
    assert quiet.count("<tr") == QUIET_ROWS + 1  # the header and the longest quiet
    longest = stale.iloc[0]
    assert str(longest["contact_name"]) in quiet
    assert f"and another {len(stale) - QUIET_ROWS:,} relationships" in "".join(blocks)
