"""Numbers written with thousands marks (review 10): a comma is warned about only where its
column leaves it open, and a message comparing tables quotes a number as its cell says it,
in English and Dutch alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kamkit import check_workbook
from kamkit.parsing import WRITTEN, parse_table, written_cell
from kamkit.problems import Problem, Severity
from kamkit.readers import RawTable, read_csv_text
from kamkit.rules import check_sales, check_spend
from kamkit.schema import TABLES_BY_NAME

SPEND = TABLES_BY_NAME["spend"]
KEYS = ["A1,2024,CLEAN,NL-RTM", "A1,2025,CLEAN,NL-RTM", "A2,2025,CLEAN,NL-RTM"]


def _spend_csv(*amounts: str, separator: str = ",") -> str:
    """spend.csv with one row per amount (quoted: a comma file's cells hold commas)."""
    cell = '"{}"' if separator == "," else "{}"
    rows = [separator.join([*key.split(","), cell.format(amount), "400", "estimate", "medium"])
            for key, amount in zip(KEYS, amounts, strict=False)]
    return separator.join(["account_id", "year", "service", "location", "spend", "volume",
                           "source", "confidence"]) + "\n" + "\n".join(rows) + "\n"


def _parsed(text: str, arrow: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """spend.csv typed as a workbook reads it: from Arrow strings, or (``arrow`` False) from
    Python strings, the other path of ``parse_table``."""
    raw = read_csv_text(text, "spend", "spend.csv", [])
    if not arrow:
        raw = RawTable(raw.name, raw.file, raw.cells.astype(object), raw.separator)
    problems: list[Problem] = []
    return parse_table(raw, SPEND, problems), problems


def _warned(problems: list[Problem]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.value) for p in problems if p.severity is Severity.WARNING]


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "python"])
@pytest.mark.parametrize("proof", ["1,234,567", "1,234.50", "37.2", "-2,000,000.5"])
def test_a_comma_the_column_proves_a_thousands_mark_is_not_warned_about(
        proof: str, arrow: bool) -> None:
    frame, problems = _parsed(_spend_csv("1,234", proof, "5,000"), arrow)
    assert frame["spend"].tolist()[0] == 1234 and frame["spend"].tolist()[2] == 5000
    assert _warned(problems) == []


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "python"])
@pytest.mark.parametrize("other", ["5000", "10,000", "1.234"])
def test_a_comma_the_column_leaves_open_is_warned_about_in_each_language(
        other: str, arrow: bool) -> None:
    # 1,234 beside plain numbers (or a point before three digits, itself open to two
    # readings) could be a decimal comma: it is said how it was read
    frame, problems = _parsed(_spend_csv("1,234", other), arrow)
    assert frame["spend"].tolist()[0] == 1234
    warned = [p for p in problems if p.severity is Severity.WARNING]
    assert ("1,234" in [p.value for p in warned]) and warned[0].row == 2
    assert warned[0].text("en").startswith(
        "spend.csv:2: warning, column 'spend': found '1,234'; is read as 1234: the comma is "
        "taken as a thousands separator.")
    assert warned[0].text("nl").startswith(
        "spend.csv:2: waarschuwing, kolom 'spend': gevonden '1,234'; wordt gelezen als 1234: "
        "de komma telt als scheidingsteken voor duizendtallen.")


def test_the_proof_is_the_column_s_own() -> None:
    # another column's decimal point says nothing about how this column was written
    text = _spend_csv("1,234", "5000").replace(",400,", ",37.5,")
    assert _warned(_parsed(text)[1]) == [(2, "1,234")]


def test_a_point_taken_for_a_decimal_point_is_still_warned_about() -> None:
    # read wrongly, 10.000 would be a thousand times too small: no column settles it
    _, problems = _parsed(_spend_csv("10.000", "10000.5", separator=";"))
    assert _warned(problems) == [(2, "10.000")]


@pytest.mark.parametrize("arrow", [True, False], ids=["arrow", "python"])
@pytest.mark.parametrize(("written", "separator"), [
    ("1,051,000", ","), ("1.051.000", ";"), ("1.051.000,00", ";"), ("€ 1,051,000", ",")])
def test_a_number_cell_keeps_its_text_where_it_is_not_written_plainly(
        written: str, separator: str, arrow: bool) -> None:
    frame, _ = _parsed(_spend_csv(written, "20000", "1500.5" if separator == "," else "1500,5",
                                  separator=separator), arrow)
    assert frame["spend"].tolist()[0] == 1_051_000
    assert written_cell(frame, 2, "spend") == written
    assert written_cell(frame, 3, "spend") is None  # plain: kamkit writes it so
    # a decimal comma is not how kamkit writes a number either: quoted as written
    assert written_cell(frame, 4, "spend") == (None if separator == "," else "1500,5")


@pytest.mark.parametrize("kind", ["string", "large_string"])
def test_the_bytes_of_an_arrow_column_are_judged_from_where_it_starts(kind: str) -> None:
    import pyarrow as pa

    from kamkit.parsing import _PLAIN_BYTES, _other_bytes

    texts = ["x", "€5", "1,5", "-3.25", "", "7"]
    array = pa.array(texts, type=getattr(pa, kind)())
    for start in range(len(texts) + 1):  # a slice starts inside the array's bytes
        assert _other_bytes(array.slice(start), _PLAIN_BYTES["."]) == (start < 3), start
    assert _other_bytes(array.slice(4, 1), _PLAIN_BYTES["."]) is False  # only ""
    assert _other_bytes(pa.array(["2", "1.5"], type=getattr(pa, kind)()), _PLAIN_BYTES[","])


def _shares(spend: pd.DataFrame, amount: float) -> pd.DataFrame:
    raw = read_csv_text("account_id,year,service,location,holder,spend,source,confidence\n"
                        f"A1,2024,CLEAN,NL-RTM,NORD,{amount},talk,medium\n",
                        "spend_shares", "spend_shares.csv", [])
    return parse_table(raw, TABLES_BY_NAME["spend_shares"], [])


@pytest.mark.parametrize(("written", "separator"), [("100,000", ","), ("100.000", ";")])
def test_a_cross_check_quotes_the_total_as_the_file_says_it(written: str,
                                                            separator: str) -> None:
    """Review 10: "found '100000'" for a cell that says 100,000 (or 100.000 in a Dutch
    file): the user looks for what they wrote."""
    spend, _ = _parsed(_spend_csv(written, "1,200,000", separator=separator))
    sales = parse_table(read_csv_text(
        "month,account_id,service,location,revenue,gross_margin,volume\n"
        '2024-03,A1,CLEAN,NL-RTM,"95,000.00",1000,1\n', "sales", "sales.csv", []),
        TABLES_BY_NAME["sales"], [])
    problems = check_spend({"spend": spend, "spend_shares": _shares(spend, 60000),
                            "sales": sales}, {"spend": "spend.csv",
                                              "spend_shares": "spend_shares.csv"})
    [over] = [p for p in problems if p.file == "spend.csv"]
    assert over.value == written
    assert over.text("en").startswith(f"spend.csv:2: warning, column 'spend': found "
                                      f"'{written}'; our sales in A1, 2024, CLEAN, NL-RTM "
                                      "(95,000 EUR)")
    assert over.text("nl").startswith(f"spend.csv:2: waarschuwing, kolom 'spend': gevonden "
                                      f"'{written}'; onze omzet in A1, 2024, CLEAN, NL-RTM "
                                      "(95.000 EUR)")


def test_a_sales_check_quotes_the_margin_as_written_and_a_plain_one_as_read() -> None:
    sales = parse_table(read_csv_text(
        "month,account_id,service,location,revenue,gross_margin,volume\n"
        '2024-03,A1,CLEAN,NL-RTM,1000.00,"1,250.50",1\n'
        "2024-04,A1,CLEAN,NL-RTM,1000.00,1250.5,1\n", "sales", "sales.csv", []),
        TABLES_BY_NAME["sales"], [])
    problems = check_sales(sales, "sales.csv")
    assert [(p.row, p.value) for p in problems] == [(2, "1,250.50"), (3, "1250.50")]
    assert "gevonden '1,250.50'" in problems[0].text("nl")


@pytest.mark.parametrize("language", ["en", "nl"])
def test_validate_quotes_a_total_as_written_and_keeps_no_texts_after_its_checks(
        mini_copy: Path, language: str) -> None:
    """The whole way, as ``kamkit validate`` says it: the column's 12,000.50 proves the
    comma of 7,000 a thousands mark (no warning about it), and the warning about the total
    quotes '7,000'; the texts are the checks' only: the tables kept carry none."""
    (mini_copy / "spend.csv").write_text(
        "account_id,year,service,location,spend,volume,source,confidence\n"
        'A1,2024,CLEAN,NL-RTM,"7,000",400,interview,medium\n'
        'A1,2025,CLEAN,NL-RTM,"12,000.50",400,interview,high\n', encoding="utf-8")
    checked = check_workbook(mini_copy)
    spend = [p for p in checked.problems if p.file == "spend.csv"]
    assert [(p.severity, p.row, p.value) for p in spend] == [(Severity.WARNING, 2, "7,000")]
    said = {"en": "spend.csv:2: warning, column 'spend': found '7,000'; our sales in A1, 2024, "
                  "CLEAN, NL-RTM (2,000 EUR) plus the competitors' and in-house shares "
                  "(6,000 EUR) exceed the estimated total",
            "nl": "spend.csv:2: waarschuwing, kolom 'spend': gevonden '7,000'; onze omzet in "
                  "A1, 2024, CLEAN, NL-RTM (2.000 EUR) plus de aandelen van concurrenten en "
                  "in-house (6.000 EUR) is meer dan het geschatte totaal"}[language]
    assert spend[0].text(language).startswith(said)
    assert all(WRITTEN not in frame.attrs for frame in checked.tables.values())


def test_a_criteria_check_quotes_a_scale_end_as_written() -> None:
    """A scale of no length: the high end quoted as the file says it, not as 1e+06."""
    from kamkit.rules_criteria import check_criteria

    raw = read_csv_text("axis,criterion,weight,source,low,high\n"
                        'attractiveness,wallet,100,computed,"1,000,000","1,000,000.00"\n',
                        "criteria", "criteria.csv", [])
    criteria = parse_table(raw, TABLES_BY_NAME["criteria"], [])
    [problem] = check_criteria(criteria, "criteria.csv")
    assert (problem.row, problem.column, problem.value) == (2, "high", "1,000,000.00")
    assert problem.text("nl").startswith(
        "criteria.csv:2: fout, kolom 'high': gevonden '1,000,000.00'; low en high zijn "
        "allebei 1.000.000: de schaal heeft geen lengte")
