"""Before a plan has run a month there is nothing to measure: P5 and the reconciliation of
P2 with P5 say so in words (when the plan starts, or when its first month ends), never as
n/a figures, in each language; from the first month's end on they give the figures."""

from __future__ import annotations

import datetime as dt

import pytest

from kamkit.findings.plan import nothing_to_measure
from kamkit.labels import t
from kamkit.locale import for_language
from kamkit.report.plan import PlanReport

STARTS = {"en": "the plan starts on 2026-01-01: nothing to measure yet",
          "nl": "het plan begint op 01-01-2026: er is nog niets te meten"}
FIRST_MONTH = {"en": "the plan's first month ends on 2026-01-31: nothing to measure yet",
               "nl": "de eerste maand van het plan eindigt op 31-01-2026: er is nog niets te "
                     "meten"}


@pytest.mark.parametrize(("as_of", "expected"), [
    (dt.date(2026, 11, 27), "the plan starts on 2027-01-01: nothing to measure yet"),
    (dt.date(2026, 12, 31), "the plan starts on 2027-01-01: nothing to measure yet"),
    (dt.date(2027, 1, 1), "the plan's first month ends on 2027-01-31: nothing to measure yet"),
    (dt.date(2027, 1, 30), "the plan's first month ends on 2027-01-31: nothing to measure yet"),
    (dt.date(2027, 1, 31), None), (dt.date(2027, 6, 15), None), (dt.date(2028, 3, 1), None)])
def test_nothing_to_measure_until_the_first_month_has_ended(as_of: dt.date,
                                                            expected: str | None) -> None:
    assert nothing_to_measure(dt.date(2027, 1, 1), dt.date(2027, 12, 31), as_of,
                              "en") == expected


@pytest.mark.sample(1)  # a plan report built per case: each reason in a language (conftest.py)
@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("as_of", "why"), [
    ("2025-10-15", STARTS), ("2025-12-31", STARTS), ("2026-01-01", FIRST_MONTH),
    ("2026-01-30", FIRST_MONTH), ("2026-01-31", None), ("2026Q3", None)])
def test_p5_and_the_reconciliation_say_why_there_are_no_figures_yet(
        as_of: str, why: dict[str, str] | None, language: str) -> None:
    report = PlanReport.build(None, "MAAS", as_of, language)  # the demo: plan of 2026
    missing = for_language(language).missing
    monitored = report.findings("p5")
    reconciled = [s for s in (*report.findings("p2"), *monitored)
                  if s.startswith("OB2") and "P5" in s]
    assert len(reconciled) == 2  # OB2 targets the revenue P5 follows: said in P2 and P5
    forecast = t("word.forecast", language).lower()
    if why is None:  # a month has ended: actual, forecast and status
        assert all(f"{forecast} " in s.lower() for s in monitored[:2]), monitored
        assert not any(STARTS[language] in s or FIRST_MONTH[language] in s
                       for s in (*monitored, *reconciled))
        return
    for sentence in (*monitored, *reconciled):
        assert why[language] in sentence, sentence
        assert missing not in sentence, sentence
    target = "EUR\u00a03.9m" if language == "en" else "€\u00a03,9\u00a0mln"
    assert monitored[0].startswith(f"{t('measure.revenue', language)}: ") and \
        target in monitored[0]
