"""The explorer's Score tab names criteria, quadrants, units and notes in its language."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kamkit.labels import labels
from kamkit.portfolio.health import health
from kamkit.portfolio.scores import scores
from kamkit.widgets.score_view import score_html
from kamkit.workbook import DEMO_WORKBOOK, Workbook, load_workbook

pytestmark = pytest.mark.slow  # builds the explorer on the demo, as the other widget tests

AS_OF = dt.date(2026, 9, 30)


@pytest.fixture(scope="module")
def demo() -> Workbook:
    return load_workbook(DEMO_WORKBOOK)


def _cells(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, re.S)]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_code_is_shown_raw(demo: Workbook, language: str) -> None:
    page = score_html(demo, "MAAS", AS_OF, language)
    cells = set(_cells(page))
    codes = (set(scores(demo, AS_OF, ["MAAS"])["criterion"])
             | set(health(demo, AS_OF, ["MAAS"])["component"]))
    labelled = {c for c in codes if f"criterion.{c}" in labels()}
    assert labelled == codes  # every criterion of the demo has a label
    for code in codes:
        label = labels()[f"criterion.{code}"][language]
        assert label in cells and (code not in cells or code == label), code
    text = re.sub(r"<[^>]+>", " ", page)
    quadrant = re.search(r"\((?:quadrant|kwadrant): ([^)]+)\)", text)
    assert quadrant is not None
    assert quadrant[1] in {labels()[f"quadrant.short.{q}"][language]
                           for q in ("invest", "develop", "maintain", "opportunistic")}


def test_dutch_figures_and_units(demo: Workbook) -> None:
    cells = _cells(score_html(demo, "MAAS", AS_OF, "nl"))
    assert "jaar" in cells and "years" not in cells
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", c) for c in cells)  # 7.640.000
    assert any(re.fullmatch(r"-?\d+,\d", c) for c in cells)  # 8,6
