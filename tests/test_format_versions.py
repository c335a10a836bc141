"""Workbooks written with earlier names: read as if they had today's (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kamkit.edit import WorkbookEditor
from kamkit.portfolio.snapshot import read_snapshot
from kamkit.problems import Severity
from kamkit.workbook import DEMO_WORKBOOK, Workbook, check_workbook, load_workbook
from tests.version1 import version1_copy, version1_xlsx

MONEY_TABLES = ("sales", "spend", "spend_shares", "history")


@pytest.fixture(scope="module")
def demo() -> Workbook:
    return load_workbook(DEMO_WORKBOOK)


def _same_as_demo(book: Workbook, demo: Workbook) -> None:
    for table in MONEY_TABLES:
        pd.testing.assert_frame_equal(book.table(table).reset_index(drop=True),
                                      demo.table(table).reset_index(drop=True),
                                      check_dtype=False, obj=table)
    assert book.documents == demo.documents


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_folder_with_the_old_names_reads_as_the_demo_without_a_word(tmp_path: Path,
                                                                      demo: Workbook) -> None:
    old = version1_copy(tmp_path / "old")
    assert (old / "sales.csv").read_text().startswith(
        "month,account_id,service,location,revenue_eur,gross_margin_eur,volume\n")
    assert "revenue_eur: 4669700" in (old / "documents" / "ATLAS.yaml").read_text()
    checked = check_workbook(old)
    assert checked.ok and not checked.problems  # no warning per old name
    _same_as_demo(load_workbook(old), demo)


@pytest.mark.slow  # the whole demo written as .xlsx and read back
def test_an_xlsx_with_the_old_names_reads_as_the_demo(tmp_path: Path, demo: Workbook) -> None:
    book = version1_xlsx(tmp_path / "old.xlsx")
    checked = check_workbook(book)
    assert checked.ok and not [p for p in checked.problems if p.severity is Severity.WARNING
                               and "column" in p.message]
    _same_as_demo(load_workbook(book), demo)


def test_a_header_with_both_names_is_an_error_naming_both(tmp_path: Path) -> None:
    old = version1_copy(tmp_path / "old")
    path = old / "spend.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",spend"] + [line + ",1" for line in lines[1:]])
                    + "\n")
    errors = [p for p in check_workbook(old).problems if p.severity is Severity.ERROR
              and p.row == 1]
    assert [(e.file, e.column) for e in errors] == [("spend.csv", "spend_eur")]
    assert "has both spend_eur" in errors[0].message and "remove spend_eur" in errors[0].message


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_document_with_both_keys_is_an_error_on_its_line(tmp_path: Path) -> None:
    old = version1_copy(tmp_path / "old")
    path = old / "documents" / "ATLAS.yaml"
    text = path.read_text().replace("      revenue_eur: 4669700\n",
                                    "      revenue_eur: 4669700\n      revenue: 4669700\n")
    path.write_text(text)
    errors = [p for p in check_workbook(old).problems if p.severity is Severity.ERROR]
    assert len(errors) == 1 and "revenue_eur" in errors[0].message
    assert errors[0].location == "plan.targets.annual"


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_bad_value_under_an_old_key_is_reported_on_its_line(tmp_path: Path) -> None:
    old = version1_copy(tmp_path / "old")
    path = old / "documents" / "ATLAS.yaml"
    text = path.read_text()
    path.write_text(text.replace("      revenue_eur: 4669700\n", "      revenue_eur: -5\n"))
    line = text.splitlines().index("      revenue_eur: 4669700") + 1
    errors = [p for p in check_workbook(old).problems if p.severity is Severity.ERROR]
    assert [(e.location, e.row) for e in errors] == [("plan.targets.annual.revenue", line)]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_an_edited_old_file_keeps_its_old_header(tmp_path: Path, demo: Workbook) -> None:
    old = version1_copy(tmp_path / "old")
    path = old / "spend.csv"
    header = path.read_text().splitlines()[0]
    editor = WorkbookEditor(old, author="Tester")
    draft = editor.rows("spend", "ATLAS")
    frame = draft.frame.copy()
    first = frame.index[0]
    frame.at[first, "spend"] = 98765432.0
    editor.save_rows("spend", "ATLAS", frame, base=draft)
    lines = path.read_text().splitlines()
    assert lines[0] == header and "spend_eur" in header
    assert check_workbook(old).ok
    spend = load_workbook(old).spend
    edited = spend[spend["account_id"].eq("ATLAS")]
    assert 98765432.0 in edited["spend"].tolist()
    assert len(spend) == len(demo.spend)


def test_a_snapshot_with_the_old_figure_names_reads_with_the_new(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps({
        "format": "kamkit-portfolio-snapshot", "version": 1, "as_of": "2026-09-30",
        "accounts": {"A1": {"figures": {"revenue_eur": 10.0, "revenue_12m_eur": 12.0,
                                        "share": 0.5}}}}))
    figures = read_snapshot(path)["accounts"]["A1"]["figures"]
    named = {name: figures[name] for name in ("revenue", "revenue_12m", "share")}
    assert named == {"revenue": 10.0, "revenue_12m": 12.0, "share": 0.5}
    assert not any(name.endswith("_eur") for name in figures)  # the reasons an old
    # snapshot can tell are added beside them (docs/snapshot.md)


def test_every_renaming_of_format_1_is_its_money_named_for_the_euro() -> None:
    # one rule (schema.named_for_euro) behind the columns, the target keys and a snapshot's
    # figures; the renamed columns are exactly the money columns of the schema
    import importlib

    from kamkit.schema import (
        EURO_SUFFIX,
        RENAMED_COLUMNS,
        RENAMED_TARGET_KEYS,
        TABLES,
        Kind,
    )

    snapshot = importlib.import_module("kamkit.portfolio.snapshot")  # (the package's
    # ``snapshot`` is the function)
    money = {t.name: {c.name for c in t.columns if c.kind is Kind.MONEY} for t in TABLES}
    assert {t: set(names.values()) for t, names in RENAMED_COLUMNS.items()} == {
        t: names for t, names in money.items() if names}
    for renamed in (*RENAMED_COLUMNS.values(), RENAMED_TARGET_KEYS,
                    snapshot._RENAMED_FIGURES):
        assert renamed and all(old == new + EURO_SUFFIX for old, new in renamed.items())
