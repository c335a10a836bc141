"""Each language is one record of data: formatters, charts and reports take it from there,
and a third language needs nothing but its record and its labels column."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import altair as alt
import demo_reports
import pandas as pd
import pytest
import yaml

from kamkit import KamkitError
from kamkit import formatting as fmt
from kamkit import labels as labels_module
from kamkit import locale as locale_module
from kamkit.charts.common import finish
from kamkit.labels import LANGUAGES, labels, t
from kamkit.locale import for_language, locales
from kamkit.report.analysis import AnalysisReport
from kamkit.report.plan import PlanReport

GERMAN = {
    "name": "Deutsch", "decimal": ",", "group": ".", "currency": "{amount} {symbol}",
    "missing": "k. A.", "minus": "-",
    "points": "Pp.", "millions": " Mio.", "thousands": " Tsd.", "date": "%d.%m.%Y",
    "date_time": "%A, %e. %B %Y, %X", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
    "short_days": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
    "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
               "September", "Oktober", "November", "Dezember"],
    "short_months": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt",
                     "Nov", "Dez"],
    "plural": "one_other",
}


def _use_files(monkeypatch: pytest.MonkeyPatch, locale_file: Path,
               labels_file: Path | None = None) -> None:
    monkeypatch.setattr(locale_module, "_FILE", locale_file)
    if labels_file is not None:
        monkeypatch.setattr(labels_module, "_FILE", labels_file)
    locales.cache_clear()
    labels.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """The cached tables are read again after the test (from the real files)."""
    yield
    locales.cache_clear()
    labels.cache_clear()


def _marked(text: str | dict[str, str]) -> str | dict[str, str]:
    """An English text (or its plural forms) marked as the German one."""
    if isinstance(text, dict):
        return {category: "[de] " + form for category, form in text.items()}
    return "[de] " + text


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> None:
    """German added the documented way: a record in locales.yaml and a column in
    labels.yaml (its texts are the English ones marked "[de]")."""
    records = yaml.safe_load(locale_module._FILE.read_text(encoding="utf-8"))
    locale_file = tmp_path / "locales.yaml"
    locale_file.write_text(yaml.safe_dump({**records, "de": GERMAN}, allow_unicode=True),
                           encoding="utf-8")
    table = {key: {**texts, "de": _marked(texts["en"])} for key, texts in labels().items()}
    labels_file = tmp_path / "labels.yaml"
    labels_file.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    _use_files(monkeypatch, locale_file, labels_file)


def test_the_languages_are_the_locale_records() -> None:
    assert LANGUAGES == tuple(locales()) == ("en", "nl")
    for language in LANGUAGES:
        assert for_language(language).language == language


def test_a_record_cannot_be_changed() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        for_language("nl").decimal = "."  # type: ignore[misc]


@pytest.mark.parametrize(("count", "category"), [(1, "one"), (0, "other"), (2, "other")])
def test_plural_rule(count: int, category: str) -> None:
    assert for_language("en").plural_category(count) == category
    assert for_language("nl").plural_category(count) == category


def test_dates_per_language() -> None:
    day = dt.date(2025, 12, 31)
    assert fmt.date(day, "en") == "2025-12-31"
    assert fmt.date(day, "nl") == "31-12-2025"
    assert fmt.date(pd.Timestamp("2026-01-05 14:30"), "nl") == "05-01-2026"
    assert fmt.date("2026-01-05", "en") == "2026-01-05"
    assert fmt.date(None, "nl") == fmt.date(pd.NaT, "en") == ""
    assert fmt.dates(pd.Series(pd.to_datetime(["2025-03-01", None])), "nl") == ["01-03-2025", ""]


def test_charts_take_their_vega_locale_from_the_record() -> None:
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    for language in LANGUAGES:
        record = for_language(language)
        spec = finish(chart, language).to_dict()["config"]["locale"]
        assert spec["number"]["decimal"] == record.decimal
        assert spec["number"]["thousands"] == record.group
        assert spec["number"]["minus"] == record.minus == fmt.per_cent(-5, language)[0]
        assert spec["number"]["currency"] == list(fmt.currency_text(language))
        assert spec["time"]["date"] == record.date
        assert spec["time"]["shortMonths"] == list(record.short_months)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_dutch_dates_read_the_same_in_charts_tables_and_sentences() -> None:
    report = demo_reports.report(AnalysisReport, "MAAS", "nl", "2026Q3")
    section = report.section("a4")
    chart = next(block for block in section.blocks if not isinstance(block, str))
    spec = chart.to_dict()
    chart_dates = {row["date_text"] for data in spec["datasets"].values() for row in data
                   if "date_text" in row}
    tables = "".join(block for block in section.blocks if isinstance(block, str))
    assert chart_dates and all(re.fullmatch(r"\d\d-\d\d-\d{4}", day) for day in chart_dates)
    assert all(day in tables for day in chart_dates)  # the events table lists each event
    assert "30-09-2026" in report.header_html() and "2026-09-30" not in report.header_html()
    assert any("12-06-2026" in sentence for sentence in section.findings)


def test_a_broken_record_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            fresh_caches: None) -> None:
    broken = {**GERMAN, "months": GERMAN["months"][:11]}
    del broken["points"]
    path = tmp_path / "locales.yaml"
    path.write_text(yaml.safe_dump({"de": broken}), encoding="utf-8")
    _use_files(monkeypatch, path)
    with pytest.raises(KamkitError, match=r"locales.yaml, language 'de': missing points"):
        locales()
    path.write_text(yaml.safe_dump({"de": {**GERMAN, "months": GERMAN["months"][:11]}}),
                    encoding="utf-8")
    locales.cache_clear()
    with pytest.raises(KamkitError, match=r"field months: expected a list of 12 texts"):
        locales()
    path.write_text(yaml.safe_dump({"de": {**GERMAN, "plural": "slavic"}}), encoding="utf-8")
    locales.cache_clear()
    with pytest.raises(KamkitError, match=r"'slavic' is no plural rule"):
        locales()
    path.write_text(yaml.safe_dump({"de": {**GERMAN, "currency": "{cost} {amount}"}}),
                    encoding="utf-8")
    locales.cache_clear()
    with pytest.raises(KamkitError, match=r"field currency: '\{cost\} \{amount\}' may name "
                                          r"only \{amount\}, \{code\} and \{symbol\}"):
        locales()


@pytest.mark.slow  # both reports of an account in full, every chart
@pytest.mark.usefixtures("german")
def test_a_third_language_needs_only_its_record_and_labels_column(mini_path: Path) -> None:
    assert fmt.amount(1234567.8, "de") == "1.234.568 €"
    assert fmt.amount(-2500, "de") == "-2.500 €"
    assert fmt.amount_short(1_250_000, "de") == "1,2 Mio. €"
    assert fmt.amount_short(350_400, "de") == "350 Tsd. €"
    assert fmt.share(0.3456, "de", 1) == "34,6%"
    assert fmt.points(6.4, "de") == "+6 Pp."
    assert fmt.number(None, "de") == "k. A."
    assert fmt.date(dt.date(2025, 12, 31), "de") == "31.12.2025"
    assert t("section.a1", "de").startswith("[de] ")

    for report in (AnalysisReport.build(mini_path, "A1", "2025Q4", "de"),
                   PlanReport.build(mini_path, "A1", "2025Q4", "de")):
        assert "31.12.2025" in report.header_html()
        for key in report.SECTIONS:
            section = report.section(key)
            assert section.title.startswith("[de] "), key
            assert all(s.startswith("[de] ") for s in section.findings), key
            for block in section.blocks:
                if not isinstance(block, str):
                    locale = block.config["locale"]  # what finish() put there
                    assert locale["time"]["months"][2] == "März", key
                    assert locale["number"]["currency"] == ["", " €"], key


def test_unknown_language_names_the_known_ones() -> None:
    with pytest.raises(KamkitError, match="Unknown language 'de': use one of en, nl"):
        fmt.amount(1, "de")
