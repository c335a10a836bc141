"""One minus sign in a report: the locale record's (``Locale.minus``, "-") in its tables,
sentences and in every chart, axes included. Vega's number format writes U+2212 unless
told otherwise, so the objective chart's axis said "−75%" beside its bars' "-64%"
(review 9)."""

from __future__ import annotations

import re

import pytest
from demo_reports import report

from kamkit.charts.render import chart_bundle
from kamkit.locale import for_language
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport

# a negative figure written with another sign: U+2212, a figure or en dash, small or wide
# minus before a digit (an en dash alone is an empty cell, between digits a range)
OTHER_MINUS = re.compile("(?<![\\w])[\u2212\u2012\u2013\ufe63\uff0d]\\d")


@pytest.mark.slow  # draws the plan's charts: over 0.5 s of CPU (the fast tier's rule)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_plan_writes_negative_figures_with_one_minus_sign(language: str) -> None:
    """MAAS's plan: OB2 and OB5 have gone backwards (progress below 0), drawn on the
    objective chart's axis and labels and listed in its tables."""
    minus = for_language(language).minus
    plan = report(PlanReport, "MAAS", language)
    negative = re.compile(rf"(?<![\w.,]){re.escape(minus)}\d")
    seen_in_charts = 0
    for key in plan.SECTIONS:
        section = plan.section(key)
        for block in section.blocks:
            text = block if isinstance(block, str) else chart_bundle(block.to_dict())[0][
                "image/svg+xml"]
            assert not OTHER_MINUS.findall(text), (key, OTHER_MINUS.findall(text))
            if not isinstance(block, str):
                seen_in_charts += len(negative.findall(text))
        assert not OTHER_MINUS.findall(" ".join(section.findings)), key
    assert seen_in_charts  # the axis and labels below 0 are drawn: the test can fail


@pytest.mark.slow  # draws every analysis chart: over 1 s of CPU
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_analysis_charts_draw_no_other_minus_sign(language: str) -> None:
    analysis = report(AnalysisReport, "MAAS", language)
    for key in analysis.SECTIONS:
        for block in analysis.section(key).blocks:
            if not isinstance(block, str):
                svg = chart_bundle(block.to_dict())[0]["image/svg+xml"]
                assert not OTHER_MINUS.findall(svg), (key, OTHER_MINUS.findall(svg))
