"""Every validation rule, each with a small broken copy of the mini workbook."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from kamkit import Severity, WorkbookError, check_workbook, load_workbook
from kamkit.problems import Problem, did_you_mean, errors, grouped, hint, known_codes
from kamkit.rules import check_keys
from kamkit.schema import TABLES, TABLES_BY_NAME


def only(problems: list[Problem], severity: Severity = Severity.ERROR) -> Problem:
    """The single problem of ``severity``; fails with the full list otherwise."""
    found = [p for p in problems if p.severity is severity]
    assert len(found) == 1, "\n".join(str(p) for p in problems)
    return found[0]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_mini_workbook_is_clean(mini_path: Path) -> None:
    assert check_workbook(mini_path).problems == []


def test_missing_required_table(mini_copy: Path) -> None:
    (mini_copy / "accounts.csv").unlink()
    problem = only(check_workbook(mini_copy).problems)
    assert problem.file == "accounts.csv"
    assert "missing" in problem.message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_missing_team_is_one_error_not_one_per_reference(mini_copy: Path) -> None:
    # accounts.kam, relationships.person_id and the document's owners all point at team
    (mini_copy / "team.csv").unlink()
    problem = only(check_workbook(mini_copy).problems)
    assert problem.file == "team.csv"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_missing_optional_table_is_a_warning_and_empty(mini_copy: Path) -> None:
    (mini_copy / "history.csv").unlink()
    checked = check_workbook(mini_copy)
    assert only(checked.problems, Severity.WARNING).file == "history.csv"
    assert checked.ok and checked.tables["history"].empty


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_missing_required_column(edit_csv) -> None:
    path = edit_csv("sales.csv", "revenue,", "turnover,")
    problems = check_workbook(path).problems
    error = only(problems)
    assert (error.file, error.row, error.column) == ("sales.csv", 1, "revenue")
    unknown = only(problems, Severity.WARNING)
    assert unknown.column == "turnover"


# One cell made wrong: the file, the text replaced and its replacement, then the one error
# it gives (row, column, value) and words its message must hold.
ONE_ERROR = {
    "empty required cell": ("accounts.csv", "A1,Alpha Logistics B.V.,Logistics",
                            "A1,,Logistics", 2, "name", "", "is empty"),
    "text where a number belongs": ("sales.csv", "1500.00,300.00", "1500.00,lots", 4,
                                    "gross_margin", "lots",
                                    "an amount in the workbook's currency"),
    "number where a date belongs": ("relationships.csv", "2025-06-01", "45444", 3,
                                    "last_contact", "45444", "a date"),
    "bad month": ("sales.csv", "2024-02,", "2024-13,", 3, "month", "2024-13", "month"),
    # the allowed values are named
    "value not among choices": ("contacts.csv", "influencer,supporter", "influencer,friendly",
                                3, "attitude", "friendly", "supporter"),
    "negative money": ("spend.csv", "A1,2024,CLEAN,NL-RTM,10000", "A1,2024,CLEAN,NL-RTM,-10000",
                       2, "spend", "-10000", "negative"),
    "score out of range": ("relationships.csv", "P2,A1-C2,4", "P2,A1-C2,7", 3, "strength", "7",
                           "must be a score from 1 to 5."),
    "sale for unknown account": ("sales.csv", "2025-01,A1,SEC", "2025-01,A9,SEC", 5,
                                 "account_id", "A9", "not in accounts"),
    # the known contacts are named
    "relationship to unknown contact": ("relationships.csv", "P3,A1-C3", "P3,A1-C9", 4,
                                        "contact_id", "A1-C9", "Known: A1-C1, A1-C2, A1-C3"),
    "unknown kam": ("accounts.csv", "prospect,P2", "prospect,P7", 3, "kam", "P7", "not in team"),
    "gross margin above revenue": ("sales.csv", "500.00,50.00", "500.00,650.00", 5,
                                   "gross_margin", "650.00", "revenue"),
    "reports to other account": ("contacts.csv", "operational,A1-C2", "operational,A2-C1", 4,
                                 "reports_to", "A2-C1", "another account"),
    "satisfaction without score": ("feedback.csv", "satisfaction,7.5", "satisfaction,", 2,
                                   "score", "", "score"),
    "complaint closed before it came": ("feedback.csv", "2025-04-20", "2025-03-20", 3, "closed",
                                        "2025-03-20", "before"),
}


@pytest.mark.parametrize(("file", "old", "new", "row", "column", "value", "said"),
                         ONE_ERROR.values(), ids=ONE_ERROR)
def test_a_wrong_cell_is_one_error_located(edit_csv, file: str, old: str, new: str, row: int,
                                           column: str, value: str, said: str) -> None:
    error = only(check_workbook(edit_csv(file, old, new)).problems)
    assert (error.file, error.row, error.column, error.value) == (file, row, column, value)
    assert said in error.message, error.message


def test_choices_forgive_case_and_spaces(edit_csv) -> None:
    path = edit_csv("contacts.csv", ",decision_maker,neutral", ",Decision Maker,Neutral")
    checked = check_workbook(path)
    assert checked.ok
    assert checked.tables["contacts"].loc[2, "buying_role"] == "decision_maker"


def test_negative_net_revenue_is_a_warning(edit_csv) -> None:
    """Credit notes above a month's sales net to a negative revenue: accepted, with a
    warning; its (negative) margin is not judged against it."""
    path = edit_csv("sales.csv", "2025-01,A1,SEC,BE-ANT,500.00,50.00",
                    "2025-01,A1,SEC,BE-ANT,-500.00,-50.00")
    checked = check_workbook(path)
    assert checked.ok, [str(p) for p in checked.problems]
    warning = only(checked.problems, Severity.WARNING)
    assert (warning.file, warning.row, warning.column, warning.value) == (
        "sales.csv", 5, "revenue", "-500.00")
    assert "credit notes" in warning.message


def test_duplicate_key(mini_copy: Path) -> None:
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as f:
        f.write("2024-01,A1,CLEAN,NL-RTM,10.00,1.00,1\n")
    error = only(check_workbook(mini_copy).problems)
    assert (error.file, error.row, error.column) == ("sales.csv", 6, None)
    assert error.message == ("repeats the key (columns 'month', 'account_id', 'service' and "
                             "'location') of an earlier row: rows (order lines) for the same "
                             "month, account, service and location must be summed into one.")
    # the headers as the file has them, quoted as every message quotes a column; what
    # they hold in the message's words (review 10: "voor dezelfde month, account, ...")
    assert error.text("nl") == (
        "sales.csv:6: fout: herhaalt de sleutel (kolommen 'month', 'account_id', 'service' en "
        "'location') van een eerdere rij: rijen (orderregels) voor dezelfde maand, account, "
        "dienst en locatie moeten tot één worden opgeteld. Herhaalt rij 2 (month=2024-01, "
        "account_id=A1, service=CLEAN, location=NL-RTM).")
    # the month as written, not a timestamp
    assert error.detail == ("Repeats row 2 (month=2024-01, account_id=A1, service=CLEAN, "
                            "location=NL-RTM).")


@pytest.mark.parametrize("table", [t for t in TABLES if t.key], ids=lambda t: t.name)
def test_a_repeated_key_names_every_key_column(table) -> None:
    """Whatever the table, a repeated key is no one column's fault: the message names every
    column of the key, in each language, and the problem points at none."""
    frame = pd.DataFrame([{k: "X" for k in table.key}] * 2)
    problems = check_keys(table, frame, f"{table.name}.csv")
    assert len(problems) == 1 and problems[0].column is None
    for language in ("en", "nl"):
        said = problems[0].text(language)
        assert all(re.search(rf"\b{key}\b", said) for key in table.key), said


def test_a_repeated_one_column_key_names_its_column_as_every_message_does() -> None:
    frame = pd.DataFrame([{"location": "NL-RTM"}] * 2, index=[2, 3])
    [problem] = check_keys(TABLES_BY_NAME["locations"], frame, "locations.csv")
    assert problem.text("en") == ("locations.csv:3: error: repeats the key (column "
                                  "'location') of an earlier row: keep one row per location. "
                                  "Repeats row 2 (location=NL-RTM).")
    assert problem.text("nl") == ("locations.csv:3: fout: herhaalt de sleutel (kolom "
                                  "'location') van een eerdere rij: houd één rij per locatie. "
                                  "Herhaalt rij 2 (location=NL-RTM).")


@pytest.mark.parametrize(("table", "fix"), [
    ("sales", "rows (order lines) for the same month, account, service and location must be "
              "summed into one"),
    ("spend", "write one estimate per account, year, service and location; add up rows that "
              "are parts of it"),
    ("spend_shares", "write one share per account, year, service, location and holder;")])
def test_a_repeated_key_of_amounts_says_what_the_tables_rows_are(table: str, fix: str) -> None:
    """Sales are order lines, summed; a spend estimate or share is no order line."""
    frame = pd.DataFrame([{k: "X" for k in TABLES_BY_NAME[table].key}] * 2)
    [problem] = check_keys(TABLES_BY_NAME[table], frame, f"{table}.csv")
    assert fix in problem.message
    assert ("orderregels" in problem.text("nl")) is (table == "sales")


@pytest.mark.parametrize("table", [t for t in TABLES if not t.key], ids=lambda t: t.name)
def test_a_row_repeated_in_a_table_without_a_key_is_a_warning(mini_copy: Path, table) -> None:
    """A table without a key (feedback, history) has no key to repeat, but a row pasted or
    exported twice is counted twice: each copy is a warning naming both rows, said in each
    language, also when the workbook comes from its cache."""
    path = mini_copy / table.file_name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1], lines[2], lines[1]]) + "\n", encoding="utf-8")
    first, second = len(lines) + 1, len(lines) + 3  # 1-based, the header is row 1
    for problems in (check_workbook(mini_copy).problems, load_workbook(mini_copy).problems,
                     load_workbook(mini_copy).problems):  # the source, the cache's entry
        assert not errors(problems)
        repeats = [p for p in problems if p.file == table.file_name]
        assert [(p.severity, p.row, p.column) for p in repeats] == [
            (Severity.WARNING, first, None), (Severity.WARNING, first + 1, None),
            (Severity.WARNING, second, None)]
        assert repeats[0].message.startswith("repeats an earlier row in every column")
        assert [p.detail for p in repeats] == ["Repeats row 2.", "Repeats row 3.",
                                               "Repeats row 2."]
        assert repeats[2].text("nl").startswith(
            f"{table.file_name}:{second}: waarschuwing: herhaalt een eerdere rij in elke kolom")
        assert repeats[2].text("nl").endswith("Herhaalt rij 2.")
        [group] = [g for g in grouped(problems) if g.first.file == table.file_name]
        assert "3 rows" in group.text("en") and "3 rijen" in group.text("nl")


def test_rows_that_differ_in_one_cell_are_no_repeat(edit_csv) -> None:
    path = edit_csv("feedback.csv", "Windows skipped,2025-04-20",
                    "Windows skipped,2025-04-20\nA1,2025-04-02,complaint,,CLEAN,Windows skipped,")
    assert not check_workbook(path).problems


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_shares_exceed_the_cell_total(edit_csv) -> None:
    path = edit_csv("spend_shares.csv", "NORD,7000", "NORD,12000")
    error = only(check_workbook(path).problems)
    assert (error.file, error.row) == ("spend_shares.csv", 3)
    assert "12,000 EUR" in error.message and "10,000 EUR" in error.message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_shares_plus_our_sales_exceed_the_total_warns(edit_csv) -> None:
    # 2025 CLEAN NL-RTM: our 1500 + NORD 9000 = 10500 > 10000
    path = edit_csv("spend_shares.csv", "NORD,7000", "NORD,9000")
    checked = check_workbook(path)
    assert checked.ok
    warning = only(checked.problems, Severity.WARNING)
    assert (warning.file, warning.row, warning.column) == ("spend.csv", 3, "spend")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_without_a_total(edit_csv) -> None:
    path = edit_csv("spend_shares.csv", "A2,2025,CLEAN", "A2,2024,CLEAN")
    error = only(check_workbook(path).problems)
    assert (error.file, error.row) == ("spend_shares.csv", 5)
    assert "no total in spend.csv" in error.message


def test_reports_to_cycle(edit_csv) -> None:
    path = edit_csv("contacts.csv", "strategic,,decision_maker,neutral",
                    "strategic,A1-C3,decision_maker,neutral")
    error = only(check_workbook(path).problems)
    assert (error.file, error.column) == ("contacts.csv", "reports_to")
    assert "cycle" in error.message and "A1-C1" in error.message


def test_row_with_too_many_cells(mini_copy: Path) -> None:
    with (mini_copy / "history.csv").open("a", encoding="utf-8") as f:
        f.write("A1,2025-02-01,meeting,Lunch, with CEO,\n")
    error = only(check_workbook(mini_copy).problems)
    assert (error.file, error.row) == ("history.csv", 4)
    assert "6 cells" in error.message


def test_every_error_is_listed_with_file_row_and_column(edit_csv) -> None:
    edit_csv("sales.csv", "2025-01,A1,SEC", "2025-01,A9,SEC")
    path = edit_csv("relationships.csv", "2025-06-01", "yesterday")
    with pytest.raises(WorkbookError) as caught:
        load_workbook(path)
    text = str(caught.value)
    assert "2 errors" in text
    assert "sales.csv:5" in text and "column 'account_id'" in text
    assert "relationships.csv:3" in text and "'yesterday'" in text


# ----------------------------------------------------------------- documents


def write_doc(workbook: Path, name: str, text: str) -> Path:
    (workbook / "documents" / name).write_text(text, encoding="utf-8")
    return workbook


def test_document_yaml_syntax_error(mini_copy: Path) -> None:
    write_doc(mini_copy, "A2.yaml", "account_id: A2\nanalysis:\n  vision: [unclosed\n")
    error = only(check_workbook(mini_copy).problems)
    assert error.file == "documents/A2.yaml"
    assert error.row is not None and "not valid YAML" in error.message


def test_document_schema_mismatch_names_path_and_line(mini_copy: Path) -> None:
    write_doc(mini_copy, "A2.yaml", (
        "account_id: A2\n"
        "plan:\n"
        "  period: {start: 2025-01-01, end: 2025-12-31}\n"
        "  actions:\n"
        "    - {id: X1, what: Call, due: next week}\n"
    ))
    error = only(check_workbook(mini_copy).problems)
    assert (error.file, error.location, error.row) == ("documents/A2.yaml", "plan.actions[0].due",
                                                       5)
    assert error.value == "next week"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_document_unknown_field(mini_copy: Path) -> None:
    write_doc(mini_copy, "A2.yaml", "account_id: A2\nanalysis:\n  visoin: Grow\n")
    error = only(check_workbook(mini_copy).problems)
    assert (error.location, error.row) == ("analysis.visoin", 3)
    assert "not a known field" in error.message


def test_document_for_unknown_account_and_wrong_file_name(mini_copy: Path) -> None:
    write_doc(mini_copy, "A3.yaml", "account_id: A4\n")
    problems = [p for p in check_workbook(mini_copy).problems if p.severity is Severity.ERROR]
    messages = sorted(p.message for p in problems)
    assert len(problems) == 2
    assert "match the file name (A3)" in messages[0]
    assert "not in accounts" in messages[1]


@pytest.mark.sample(1)  # each case checks an edited copy of the mini workbook (conftest.py)
@pytest.mark.parametrize(("old", "new", "location", "value"), [
    ("based_on: [S1, AO1]", "based_on: [S1, AO9]", "analysis.conclusions[0].based_on", "AO9"),
    ("conclusions: [C1]", "conclusions: [C7]", "plan.objectives[0].conclusions", "C7"),
    ("status: open, objective: OBJ1", "status: open, objective: OBJ9",
     "plan.actions[0].objective", "OBJ9"),
    ("owner: P2, due", "owner: P9, due", "plan.actions[0].owner", "P9"),
    ("counterparts: [A1-C2]", "counterparts: [A2-C1]", "plan.team[0].counterparts", "A2-C1"),
    ("{id: AW1,", "{id: AS1,", "analysis.swot_account.weaknesses[0].id", "AS1"),
])
def test_document_references_resolve(edit_csv, old: str, new: str, location: str,
                                     value: str) -> None:
    path = edit_csv("documents/A1.yaml", old, new)
    error = only(check_workbook(path).problems)
    assert (error.file, error.location, error.value) == ("documents/A1.yaml", location, value)
    lines = (path / "documents" / "A1.yaml").read_text(encoding="utf-8").splitlines()
    assert new in lines[error.row - 1]  # at its line, as a type error is


@pytest.mark.parametrize(("written", "field", "write"), [
    ("3.730.000", "target: 30000", "write 3730000."), ("120k", "target: 30000", "write 120000."),
    ("'12,5k'", "target: 30000", "write 12500."), ("'1,051,000'", "target: 30000",
                                                    "write 1051000."),
    ("'1,051'", "target: 30000", "e.g. 3730000 or 12.5."),  # 1051 or 1.051: not told
    ("'2,5'", "score: 7.5", "write 2.5."), ("lots", "target: 30000", "e.g. 3730000 or 12.5.")])
def test_a_number_typed_as_people_write_it_is_said_with_the_number_to_write(
        mini_copy: Path, written: str, field: str, write: str) -> None:
    """A document's number written with thousands marks, a decimal comma or a scale letter
    is kamkit's message in each language: what is expected and what to write."""
    path = mini_copy / "documents" / "A1.yaml"
    text = path.read_text(encoding="utf-8")
    if field not in text:  # a score: a qualitative objective's target
        field = "target: 8"
    path.write_text(text.replace(field, f"{field.split(':')[0]}: {written}", 1),
                    encoding="utf-8")
    error = only(check_workbook(mini_copy).problems)
    assert error.location.endswith(".target") and error.row is not None
    assert error.message.startswith("expected a number in digits only")
    assert error.message.endswith(write)
    dutch = error.message_in("nl")
    assert dutch.startswith("verwacht: een getal van alleen cijfers")
    assert dutch.endswith(write.replace("write", "schrijf").replace("e.g.", "bijv.")
                          .replace(" or ", " of "))


def test_unknown_metric_is_a_warning(edit_csv) -> None:
    path = edit_csv("documents/A1.yaml", "metric: revenue", "metric: happiness")
    checked = check_workbook(path)
    assert checked.ok
    warning = only(checked.problems, Severity.WARNING)
    assert (warning.location, warning.value) == ("plan.objectives[0].metric", "happiness")


@pytest.mark.parametrize(("old", "new", "location"), [
    ("metric: revenue, target: 30000", "metric: revenue, target: -5", "plan.objectives[0]"),
    ("metric: satisfaction, target: 8", "metric: satisfaction, target: -1", "plan.objectives[1]"),
])
@pytest.mark.sample(1)  # the cases covered by the others: benchmarks/fast_tier.py
def test_a_target_below_zero_is_a_warning(edit_csv, old: str, new: str, location: str) -> None:
    path = edit_csv("documents/A1.yaml", old, new)
    checked = check_workbook(path)
    assert checked.ok
    warning = only(checked.problems, Severity.WARNING)
    assert (warning.location, warning.value) == (f"{location}.target", new.split()[-1])
    assert "below zero" in warning.message
    assert "onder nul" in warning.text("nl")


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_margin_target_below_zero_is_no_problem(edit_csv) -> None:
    path = edit_csv("documents/A1.yaml", "metric: revenue, target: 30000",
                    "metric: gross_margin, target: -500")
    assert check_workbook(path).problems == []


def test_plan_period_must_end_after_start(edit_csv) -> None:
    path = edit_csv("documents/A1.yaml", "end: 2025-12-31}", "end: 2024-12-31}")
    error = only(check_workbook(path).problems)
    assert error.location == "plan.period.end"


def test_monthly_targets_above_the_annual_target_warn(edit_csv) -> None:
    path = edit_csv("documents/A1.yaml", "    annual: {revenue: 30000, gross_margin: 6000}",
                    "    annual: {revenue: 30000, gross_margin: 6000}\n"
                    "    monthly:\n"
                    "      - {month: 2025-01, revenue: 20000, gross_margin: 4000}\n"
                    "      - {month: 2025-02, revenue: 15000, gross_margin: 1000}")
    checked = check_workbook(path)
    assert checked.ok
    warning = only(checked.problems, Severity.WARNING)
    assert warning.location == "plan.targets.annual.revenue"
    assert "35,000 EUR" in warning.message  # 20000 + 15000 > 30000


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_impossible_date_in_a_document_is_located(edit_csv) -> None:
    path = edit_csv("documents/A1.yaml", "start: 2025-01-01", "start: 2025-02-30")
    error = only(check_workbook(path).problems)
    assert (error.location, error.value, error.row) == ("plan.period.start", "2025-02-30", 19)


def test_a_column_named_twice(edit_csv) -> None:
    path = edit_csv("competitors.csv", "competitor,name", "competitor,competitor")
    problems = check_workbook(path).problems
    error = next(p for p in problems if "twice" in p.message)
    assert (error.file, error.row, error.column) == ("competitors.csv", 1, "competitor")
    assert "columns 1 and 2" in error.message


def test_a_runaway_quote_is_a_message(mini_copy: Path) -> None:
    (mini_copy / "competitors.csv").write_text(
        'competitor,name\nNORD,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    errors = [p for p in check_workbook(mini_copy).problems if p.file == "competitors.csv"]
    assert any("cannot be read further" in p.message for p in errors)


def test_a_comma_that_may_be_a_decimal_comma_is_flagged(edit_csv) -> None:
    # comma-separated file: "1,250" is read as 1250 (thousands), and said so
    path = edit_csv("spend.csv", "A2,2025,CLEAN,NL-RTM,50000,2000",
                    'A2,2025,CLEAN,NL-RTM,50000,"1,250"')
    warning = next(p for p in check_workbook(path).problems if p.column == "volume")
    assert (warning.severity, warning.row, warning.value) == (Severity.WARNING, 5, "1,250")
    assert "read as 1250" in warning.message and "thousands separator" in warning.message


def test_the_same_problem_in_many_rows_is_one_message(mini_copy: Path) -> None:
    """30 sales rows with an unknown location (25 'XX', 5 'NL-RTN') are one group: the count,
    the first five rows and how often each value was found; the known codes listed."""
    lines = [f"2023-{m:02},A1,CLEAN,{'NL-RTN' if n < 5 else 'XX'},10.00,1.00,1"
             for n, m in enumerate(range(1, 13))]
    lines += [f"2022-{m:02},A1,{s},XX,10.00,1.00,1" for m in range(1, 10)
              for s in ("CLEAN",)]
    lines += [f"2021-{m:02},A1,CLEAN,XX,10.00,1.00,1" for m in range(1, 10)]
    with (mini_copy / "sales.csv").open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    found = errors(check_workbook(mini_copy).problems)
    assert len(found) == 30
    groups = grouped(found)
    assert len(groups) == 1
    known = sorted(pd.read_csv(mini_copy / "locations.csv")["location"])
    text = str(groups[0])
    head, *rows = text.splitlines()
    assert head == (f"sales.csv: error, column 'location', 30 rows: is not in locations. "
                    f"Known: {', '.join(known)}.")
    # the mini workbook's sales.csv has 4 data rows (rows 2-5): the new ones start at row 6
    assert rows[:5] == ["  row 6: found 'NL-RTN'; Did you mean NL-RTM?",
                        "  row 7: found 'NL-RTN'; Did you mean NL-RTM?",
                        "  row 8: found 'NL-RTN'; Did you mean NL-RTM?",
                        "  row 9: found 'NL-RTN'; Did you mean NL-RTM?",
                        "  row 10: found 'NL-RTN'; Did you mean NL-RTM?"]
    assert rows[5:] == ["  ... and 25 more rows; values found: 'XX' (25), 'NL-RTN' (5)"]


@pytest.mark.parametrize(("column", "cells", "read"), [
    ("spend", [f'"{n},000"' for n in range(101, 131)], "read as 101000"),  # English Excel
    ("volume", [f'"{n},500"' for n in range(101, 131)], "read as 101500"),
])
def test_a_warning_naming_each_value_is_one_block_per_column(
        mini_copy: Path, column: str, cells: list[str], read: str) -> None:
    """Thousands commas in 30 rows, each its own value (so each its own message): one block
    for the file and column with the count, the first row's message as the example, the
    next rows and how often each value was found; not a block per value."""
    spend = mini_copy / "spend.csv"
    header, first, *_ = spend.read_text(encoding="utf-8").splitlines()
    at = header.split(",").index(column)
    rows = []
    for year, cell in enumerate(cells, start=1990):
        parts = first.split(",")
        parts[1], parts[at] = str(year), cell
        rows.append(",".join(parts))
    spend.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    warned = [p for p in check_workbook(mini_copy).problems
              if p.file == "spend.csv" and p.column == column]
    assert len(warned) == 30 and len({p.message for p in warned}) == 30
    groups = grouped(warned)
    assert len(groups) == 1
    head, *lines = groups[0].text("en").splitlines()
    assert head.startswith(f"spend.csv: warning, column '{column}', 30 rows, e.g. row 2: "
                           f"found {cells[0].strip(chr(34))!r}; is {read}: the comma")
    assert lines[0] == f"  row 3: found {cells[1].strip(chr(34))!r}"
    assert len(lines) == 6 and lines[-1].startswith("  ... and 24 more rows")
    assert groups[0].text("nl").startswith(
        f"spend.csv: waarschuwing, kolom '{column}', 30 rijen, bijv. rij 2: gevonden ")


def test_different_problems_of_a_column_stay_apart(mini_copy: Path) -> None:
    """Grouped by what the problem is (its label), not by its text: an impossible day and an
    impossible month in one column are two blocks, each with its rows."""
    found = _history_dates(mini_copy, "31-02-2025", "30-02-2024", "01-13-2025", "01-14-2025")
    assert [len(g.problems) for g in grouped(found)] == [2, 2]


def _history_dates(folder: Path, *dates: str) -> list[Problem]:
    rows = "".join(f"A1,{date},meeting,Visit {i},\n" for i, date in enumerate(dates))
    (folder / "history.csv").write_text("account_id,date,type,description,amount\n" + rows,
                                        encoding="utf-8")
    return [p for p in check_workbook(folder).problems if p.file == "history.csv"]


def test_a_known_list_too_long_to_show_is_cut_with_its_count() -> None:
    known = [f"S{n:02}" for n in range(40)]
    assert known_codes(known) == f" Known (40): {', '.join(known[:12])}, ..."
    assert hint("ZZZZ", known) == known_codes(known)
    assert hint("S-07", known) == " Did you mean S07?"


def test_country_codes_are_iso_3166(edit_csv) -> None:
    """'France' is an error naming the value with its code; a postal code an error without
    one; lower case is no code; 'unknown' a warning until filled; NL and BE pass."""
    edit_csv("locations.csv", "NL-RTM,Rotterdam,NL", "NL-RTM,Rotterdam,France")
    path = edit_csv("accounts.csv", "Chemicals,BE,", "Chemicals,1012 AB,")
    found = check_workbook(path).problems
    shown = {(p.file, p.row, p.column, p.value, p.severity, p.detail) for p in found}
    assert shown == {("locations.csv", 2, "country", "France", Severity.ERROR, "Did you mean FR?"),
                     ("accounts.csv", 3, "country", "1012 AB", Severity.ERROR, "")}
    assert all(p.message.startswith("is not an ISO 3166 two-letter country code")
               for p in found)
    edit_csv("locations.csv", "Rotterdam,France", "Rotterdam,unknown")
    path = edit_csv("accounts.csv", "Chemicals,1012 AB,", "Chemicals,be,")
    found = check_workbook(path).problems
    shown = {(p.file, p.row, p.value, p.severity, p.detail) for p in found}
    assert shown == {("locations.csv", 2, None, Severity.WARNING, ""),
                     ("accounts.csv", 3, "be", Severity.ERROR, "Did you mean BE?")}


@pytest.mark.parametrize("new_id, hint", [("A1X", " Did you rename it to A1X?"),
                                          ("ZZZZ", "")])
def test_a_renamed_account_is_summed_up_first(mini_copy: Path, new_id: str,
                                              hint: str) -> None:
    """An account renamed in accounts.csv only: one summary first, naming every file that
    still uses the old id with its number of rows, and the document; the rows follow per
    file, five at most; a far known id (A2 beside A1X) is not suggested."""
    accounts = mini_copy / "accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace("\nA1,", f"\n{new_id},"),
                        encoding="utf-8")
    used = {}
    for path in sorted(mini_copy.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str)
        if path.name != "accounts.csv" and "account_id" in frame and (
                n := int((frame["account_id"] == "A1").sum())):
            used[path.name] = n
    assert len(used) > 3  # the fixture uses A1 in many tables
    groups = grouped(errors(check_workbook(mini_copy).problems))
    summary = str(groups[0])
    places = [f"{file} ({n} row{'s' if n > 1 else ''})" for file, n in used.items()]
    assert summary.startswith("error: 'A1' is used in ")
    for place in [*places, "documents/A1.yaml"]:
        assert place in summary, (place, summary)
    assert f"but accounts has no 'A1'.{hint} Each file's rows follow." in summary
    dutch = groups[0].text("nl")
    assert dutch.startswith("fout: 'A1' wordt gebruikt in ")
    assert "maar accounts heeft geen 'A1'" in dutch
    assert ("Heeft u het hernoemd naar A1X?" in dutch) == bool(hint)
    rest = "\n".join(str(g) for g in groups[1:])
    meant = set(re.findall(r"Did you mean [^?]*\?", rest))
    assert meant == ({"Did you mean A1X?"} if hint else set())  # never "A1X or A2"
    assert all(len(str(g).splitlines()) <= 7 for g in groups[1:])


def test_a_far_match_is_not_named_beside_a_close_one() -> None:
    assert did_you_mean("MAAS", ["MAASP", "ATLAS", "DELTA"]) == "Did you mean MAASP?"
    assert did_you_mean("NL-RTN", ["NL-RTM", "NL-RTX"]) in (
        "Did you mean NL-RTM or NL-RTX?", "Did you mean NL-RTX or NL-RTM?")  # as close
