"""Every fixed value a reader sees is in the report's language: each value of each workbook
column and document field with a fixed list has a label in every language, and a Dutch
report, charts included, shows none of them in English or as a raw code."""

from __future__ import annotations

import re
import typing
from functools import cache
from html import unescape

import demo_reports
import pandas as pd
import pytest

from kamkit.analysis import COMPLAINT_STATUSES, ROOMS
from kamkit.charts.render import vega_spec
from kamkit.documents import ACTION_STATUSES, METRICS, Objective
from kamkit.findings import analysis as findings
from kamkit.labels import (
    CHOICE_LABELS,
    LANGUAGES,
    choice_words,
    counted,
    forms,
    labels,
    words,
)
from kamkit.locale import for_language
from kamkit.plan import HORIZONS, MEASURES
from kamkit.plan.team import GAPS
from kamkit.report.analysis import AnalysisReport
from kamkit.report.base import Report
from kamkit.report.plan import PlanReport
from kamkit.schema import RELATIONSHIP_STRENGTHS, TABLES, TABLES_BY_NAME, Kind
from kamkit.workbook import AccountData, load_workbook

PLAN_STATUSES = ("on_track", "at_risk", "off_track")


def _document_fields() -> dict[str, tuple[str, ...]]:
    kind = typing.get_args(Objective.model_fields["kind"].annotation)
    return {"objectives.kind": kind, "objectives.metric": tuple(METRICS),
            "actions.status": ACTION_STATUSES}


def _workbook_fields() -> dict[str, tuple[str, ...]]:
    """Every workbook column with a fixed list of values, and its values."""
    fields = {f"{table.name}.{column.name}": column.choices
              for table in TABLES for column in table.columns if column.kind is Kind.CHOICE}
    fields |= {f"{table.name}.{column.name}": column.extra_refs
               for table in TABLES for column in table.columns if column.extra_refs}
    return fields


def enumerations() -> dict[str, tuple[tuple[str, ...], str]]:
    """Every fixed list a reader may see: field -> (values, label prefix)."""
    fixed = {field: (values, CHOICE_LABELS.get(field, "?"))
             for field, values in (_workbook_fields() | _document_fields()).items()}
    # lists kamkit's own computations give
    return fixed | {"room": (ROOMS, "room."), "horizon": (HORIZONS, "horizon."),
                    "gap": (GAPS, "gap."), "plan_status": (PLAN_STATUSES, "status."),
                    "measure": (MEASURES, "measure."),
                    "complaint_status": (COMPLAINT_STATUSES, "complaint."),
                    "strength": (tuple(str(n) for n in RELATIONSHIP_STRENGTHS), "strength."),
                    # units of the metrics; EUR and % are written alike in every language
                    "unit": (tuple(u for u in dict.fromkeys(METRICS.values())
                                   if u not in ("EUR", "%")), "unit.")}


def test_every_fixed_list_in_the_workbook_and_documents_has_a_home_for_its_labels() -> None:
    fields = _workbook_fields() | _document_fields()
    assert set(fields) == set(CHOICE_LABELS), "a field without a label prefix, or a stale one"


@pytest.mark.parametrize("field", sorted(enumerations()))
def test_every_fixed_value_has_a_label_in_every_language(field: str) -> None:
    values, prefix = enumerations()[field]
    assert values
    for value in values:
        key = prefix + value.replace(" ", "_").replace("-", "_")
        assert key in labels(), f"{field}: no label {key}"
        assert set(labels()[key]) == set(LANGUAGES), key
    if field in CHOICE_LABELS:
        # a value without a label would be shown as its raw code
        assert choice_words(values, field, "nl") == words(values, prefix, "nl")


def _english_only() -> set[str]:
    """The English words of every fixed value, and its raw code, that a Dutch text must not
    show: those that differ from the Dutch label and are no Dutch word kamkit uses."""
    dutch = " ".join(str(v.get("nl", "")) for v in labels().values()).lower()
    found = set()
    for values, prefix in enumerations().values():
        english = words(values, prefix, "en")
        dutch_words = words(values, prefix, "nl")
        for value, en, nl in zip(values, english, dutch_words, strict=True):
            for shown in {en, value, value.replace("_", " ")}:
                if shown.lower() != nl.lower() and not re.search(
                        rf"(?<!\w){re.escape(shown.lower())}(?!\w)", dutch):
                    found.add(shown)
    return found


def _workbook_texts(account: AccountData) -> list[str]:
    """Every text a person wrote in the workbook about the account: names, titles,
    descriptions, the document; these are in the language they were written in."""
    texts: list[str] = []
    for table in TABLES:
        frame = account.table(table.name) if table.name != "accounts" else None
        if frame is None:
            continue
        for column in table.columns:
            if column.kind in (Kind.TEXT, Kind.ID) and column.name in frame:
                texts += [str(v) for v in frame[column.name].dropna()]

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    if account.document is not None:
        walk(account.document.model_dump())
    # longest first, so a name inside a longer text does not split it
    return sorted({text for text in texts if len(text.strip()) > 2}, key=len, reverse=True)


def _chart_texts(chart: object) -> str:
    import vl_convert

    svg = vl_convert.vega_to_svg(vega_spec(chart.to_dict()))  # type: ignore[attr-defined]
    return "\n".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))


@cache
def shown_text(kind: type[Report], account_id: str, language: str) -> str:
    """What a reader of the report reads, charts drawn as SVG, the workbook's own texts
    left out."""
    report = demo_reports.report(kind, account_id, language, "2026Q3")
    parts = [report.header_html()]
    for key in kind.SECTIONS:
        section = report.section(key)
        parts.append(section.html())
        parts += [b if isinstance(b, str) else _chart_texts(b) for b in section.blocks]
    text = unescape(re.sub(r"<[^>]+>", "\n", "\n".join(parts)))
    for written in _workbook_texts(report.account):
        text = text.replace(written, " ")
    return text


@pytest.mark.slow
@pytest.mark.parametrize("kind", [AnalysisReport, PlanReport])
@pytest.mark.parametrize("account_id", ["MAAS", "GRID"])
def test_a_dutch_report_shows_no_fixed_value_in_english(kind: type[Report],
                                                        account_id: str) -> None:
    text = shown_text(kind, account_id, "nl")
    leaks = sorted(word for word in _english_only()
                   if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I))
    assert not leaks, f"English or raw values in the Dutch {kind.__name__} of {account_id}"


def _count_nouns(language: str) -> set[str]:
    """The nouns of the counted phrases (count.*), singular and plural, in ``language``."""
    nouns = set()
    for key, texts in labels().items():
        if key.startswith("count."):
            nouns |= {form.replace("{count}", "").strip() for form in forms(texts[language])}
    return nouns


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_no_label_writes_a_number_with_a_fixed_plural() -> None:
    """A count and its noun are one counted phrase ("1 cell", "3 cells"), or the label has
    plural forms: never "{cells} cells", which reads "1 cells", nor "change(s)"."""
    for key, texts in labels().items():
        for language in LANGUAGES:
            nouns = _count_nouns(language)
            for form in forms(texts[language]):
                assert not re.search(r"\w\((s|en|e)\)", form), (key, language, form)
                if key.startswith("count."):
                    continue
                for match in re.finditer(r"\{(\w+)(?::[^}]*)?\} (\w+(?: \w+)?)", form):
                    if match.group(1) == "count" and isinstance(texts[language], dict):
                        continue  # the label's own plural forms agree with the count
                    following = match.group(2)
                    assert following not in nouns and following.split()[0] not in nouns, (
                        key, language, match.group(0))


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_counted_phrases_take_the_form_of_their_count(language: str) -> None:
    for key in (k for k in labels() if k.startswith("count.")):
        noun = key.removeprefix("count.")
        one, two = counted(noun, 1, language), counted(noun, 2, language)
        assert one.startswith("1 ") and two.startswith("2 ")
        assert one[2:] != two[2:], (key, language)


def test_one_estimate_one_cell_one_point_read_singular() -> None:
    spend = pd.DataFrame({"year": [2025], "spend": [1000.0], "estimates": [1],
                          "confidence": ["high"], "share_high_confidence": [1.0],
                          "share_medium_confidence": [0.0], "share_low_confidence": [0.0]})
    assert "(1 estimate;" in findings.spend(spend, 2025, "en")[0]
    assert "(1 schatting;" in findings.spend(spend, 2025, "nl")[0]
    swot = pd.DataFrame({"quadrant": ["strength"], "id": ["S1"], "text": ["x"]})
    assert findings.swot(swot, "en")[0] == "1 point recorded."
    assert findings.swot(swot, "nl")[0] == "1 punt vastgelegd."


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_names_from_the_workbook_follow_the_report_language(mini_copy) -> None:
    """services.csv may give a name and a unit per language (name_nl, unit_nl): a Dutch
    report shows them, an English one the names as written; an empty cell falls back."""
    (mini_copy / "services.csv").write_text(
        "service,name,name_nl,unit,unit_nl,min_margin_pct\n"
        "CLEAN,Office cleaning,Kantoorschoonmaak,hours,uren,20\n"
        "SEC,Security,,guard hours,,15\n"
        "CAT,Catering,Catering,meals,maaltijden,18\n", encoding="utf-8")
    (mini_copy / "locations.csv").write_text(
        "location,name,name_nl,country\nNL-RTM,Rotterdam,,NL\nBE-ANT,Antwerp,Antwerpen,BE\n",
        encoding="utf-8")
    book = load_workbook(mini_copy)
    nl = AnalysisReport.build(book, "A1", "2025-12-31", "nl")
    en = AnalysisReport.build(book, "A1", "2025-12-31", "en")
    services = nl.account.services.set_index("service")
    assert services.loc["CLEAN", "name"] == "Kantoorschoonmaak"
    assert services.loc["CLEAN", "unit"] == "uren"
    assert services.loc["SEC", "name"] == "Security"  # no Dutch name: the name as written
    assert nl.account.locations.set_index("location").loc["BE-ANT", "name"] == "Antwerpen"
    assert en.account.services.set_index("service").loc["CLEAN", "name"] == "Office cleaning"
    whitespace = "".join(b for b in nl.section("whitespace").blocks if isinstance(b, str))
    assert "Kantoorschoonmaak" in whitespace and "Office cleaning" not in whitespace
    assert book.services.set_index("service").loc["CLEAN", "name"] == "Office cleaning"


def test_every_report_language_has_a_column_beside_each_translated_one() -> None:
    for table in TABLES:
        for column in table.columns:
            if column.translation is not None:
                continue
            own = {c.translation[1] for c in table.columns
                   if c.translation is not None and c.translation[0] == column.name}
            assert not own or own == set(LANGUAGES), (table.name, column.name)
    services = {c.name for c in TABLES_BY_NAME["services"].columns}
    assert {f"{base}_{language}" for base in ("name", "unit")
            for language in LANGUAGES} <= services


@pytest.mark.slow
@pytest.mark.parametrize("kind", [AnalysisReport, PlanReport])
def test_dates_in_dutch_charts_are_written_the_dutch_way(kind: type[Report]) -> None:
    """Every date a chart writes (axis, tooltip, legend, text) is 31-12-2025 in Dutch, as in
    the tables and sentences: never Dec 31, 2025 (d3's default) nor 2025-12-31."""
    import vl_convert

    report = demo_reports.report(kind, "MAAS", "nl", "2026Q3")
    specs = [block.to_dict() for key in kind.SECTIONS for block in report.section(key).blocks
             if not isinstance(block, str)]
    assert specs
    # the tooltips of the interactive charts format dates in the browser: by this setting
    assert all(spec["config"]["timeFormat"] == for_language("nl").date for spec in specs)
    svgs = [vl_convert.vega_to_svg(vega_spec(spec)) for spec in specs]
    text = unescape("\n".join(svgs))
    assert not re.search(r"\b[A-Za-z]{3} \d{1,2}, \d{4}\b", text)  # d3's default %b %d, %Y
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
