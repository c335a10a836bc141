"""The confrontation of the SWOTs as the method means it: our strengths and weaknesses
against the opportunities and threats (SO, ST, WO, WT), each conclusion in its quadrant with
the points it rests on and the objectives it led to; conclusions of the wrong kind said so."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from kamkit.analysis import confrontation
from kamkit.display import confrontation_html, document_html
from kamkit.documents import (
    AccountDocument,
    Analysis,
    Conclusion,
    Objective,
    Period,
    Plan,
    Swot,
    SwotItem,
)
from kamkit.findings.analysis import conclusions as conclusion_findings
from kamkit.labels import t


def _items(prefix: str, *texts: str) -> tuple[SwotItem, ...]:
    return tuple(SwotItem(id=f"{prefix}{n}", text=text) for n, text in enumerate(texts, 1))


OURS = Swot(strengths=_items("S", "Best audits in the region"),
            weaknesses=_items("W", "Rate above the market"),
            opportunities=_items("O", "New warehouse in 2027"),
            threats=_items("T", "Tender for all services"))
THEIRS = Swot(strengths=_items("AS", "Strong brand"), weaknesses=_items("AW", "Young buyers"),
              opportunities=_items("AO", "Green reporting demand"),
              threats=_items("AT", "Customers leave"))


def document(*conclusions: Conclusion, objectives: tuple[Objective, ...] = ()) -> AccountDocument:
    plan = Plan(period=Period(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)),
                objectives=objectives)
    return AccountDocument(account_id="X", analysis=Analysis(
        swot_ours=OURS, swot_account=THEIRS, conclusions=conclusions), plan=plan)


def objective(id_: str, *conclusions: str) -> Objective:
    return Objective(id=id_, title=id_, kind="qualitative", conclusions=conclusions)


def test_each_conclusion_is_placed_in_the_quadrants_its_points_span() -> None:
    doc = document(
        Conclusion(id="C1", text="a", based_on=("S1", "O1")),
        Conclusion(id="C2", text="b", based_on=("S1", "AT1")),
        Conclusion(id="C3", text="c", based_on=("W1", "AO1", "AW1")),
        Conclusion(id="C4", text="d", based_on=("W1", "T1")),
        Conclusion(id="C5", text="e", based_on=("S1", "W1", "O1", "T1")),
        objectives=(objective("OB1", "C1", "C4"), objective("OB2", "C1")))
    rows = confrontation(doc).set_index("conclusion_id")
    assert list(rows["tows"]) == ["SO", "ST", "WO", "WT", "SO, ST, WO, WT"]
    assert (rows["problems"] == "").all()
    # the account's own weakness is context, not one side of the confrontation
    assert rows.loc["C3", "context"] == "AW1" and rows.loc["C1", "context"] == ""
    assert rows.loc["C1", "objectives"] == "OB1, OB2"
    assert rows.loc["C4", "objectives"] == "OB1" and rows.loc["C2", "objectives"] == ""


@pytest.mark.parametrize(("based_on", "problems"), [
    ((), "no_points"),
    (("S1", "W1"), "no_external"),
    (("O1", "AT1"), "no_internal"),
    # the account's strengths are its own, not ours: no confrontation either
    (("AS1", "AO1"), "no_internal"),
    (("S1", "X9"), "unknown_points, no_external"),
])
def test_a_conclusion_of_the_wrong_kind_is_not_placed_and_says_why(
        based_on: tuple[str, ...], problems: str) -> None:
    doc = document(Conclusion(id="C1", text="x", based_on=based_on))
    row = confrontation(doc).iloc[0]
    assert row["tows"] == "" and row["problems"] == problems
    for language in ("en", "nl"):
        sentences = conclusion_findings(confrontation(doc), language)
        for code in problems.split(", "):
            assert t(f"find.conclusions.{code}", language, id="C1",
                     ids=row["unknown"]) in sentences


def test_findings_name_the_conclusions_no_objective_takes_up() -> None:
    doc = document(Conclusion(id="C1", text="a", based_on=("S1", "O1")),
                   Conclusion(id="C2", text="b", based_on=("W1", "T1")),
                   objectives=(objective("OB1", "C1"),))
    sentences = conclusion_findings(confrontation(doc), "en", with_plan=True)
    assert t("find.conclusions.no_objective", "en", ids="C2") in sentences
    # without a plan there is nothing to take a conclusion up yet
    assert not any("C2" in s for s in conclusion_findings(confrontation(doc), "en"))


def _cells(markup: str) -> list[str]:
    """The text of the four quadrant cells of the matrix, in reading order."""
    cells = re.findall(r'<td class="kk-matrix-cell"[^>]*>(.*?)</td>', markup, re.S)
    return [unescape(re.sub(r"<[^>]+>", " ", c)) for c in cells]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_matrix_shows_each_conclusion_in_its_quadrant_with_its_points(language) -> None:
    doc = document(Conclusion(id="C1", text="Win the warehouse", based_on=("S1", "O1", "AW1")),
                   Conclusion(id="C2", text="Cut the rate", based_on=("W1", "T1")),
                   Conclusion(id="C3", text="Loose idea", based_on=("O1",)),
                   objectives=(objective("OB7", "C1"),))
    markup = confrontation_html(doc, language)
    so, st, wo, wt = _cells(markup)
    assert "Win the warehouse" in so and "Best audits in the region" in so
    assert "New warehouse in 2027" in so and "Young buyers" in so  # context of the account
    assert t("tows.objectives", language, ids="OB7") in so
    assert "Cut the rate" in wt and "Rate above the market" in wt
    assert "Tender for all services" in wt and t("tows.no_objective", language) in wt
    assert t("tows.none", language) in st and t("tows.none", language) in wo
    assert "Win the warehouse" not in wt and "Cut the rate" not in so
    # headings across and down name the sides of the confrontation in the language
    for key in ("swot.opportunities", "swot.threats", "tows.strengths", "tows.weaknesses"):
        assert f">{t(key, language)}</th>" in markup
    # the loose conclusion is in no quadrant but listed below with what it rests on
    assert "Loose idea" not in " ".join((so, st, wo, wt))
    assert "Loose idea" in markup.split("</table>", 1)[1]


def test_the_document_display_shows_the_confrontation() -> None:
    doc = document(Conclusion(id="C1", text="Win the warehouse", based_on=("S1", "O1")))
    shown = document_html(doc, "nl")
    assert t("section.conclusions", "nl") in shown and 'class="kk-matrix"' in shown
    assert confrontation_html(AccountDocument(account_id="Y"), "en") == ""
