"""`kamkit import --suggest`: which sheet it reads, what it leaves to the user, which file it
writes; and what a mapping with a required field left empty says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml

from importer.exports import INTERNATIONAL, write_international
from kamkit.cli import main
from kamkit.errors import KamkitError
from kamkit.importer import load_mapping
from kamkit.importer.mapping import mapping_from_data
from kamkit.importer.suggest import suggest, suggestion_yaml


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


COVER = [["Export of invoice lines"], ["Made by", "ERP 7.2"], ["Period", "2025"]]
LINES = [["Factuurdatum", "Klant", "Omzet", "Marge"],
         [dt.datetime(2025, 1, 2), "Acme", 100.0, 20.0],
         [dt.datetime(2025, 2, 3), "Beta", 50.0, 5.0]]


@pytest.mark.parametrize("order", [("Info", "Regels", "Notes"), ("Notes", "Info", "Regels")])
def test_suggest_reads_the_sheet_that_holds_the_lines(tmp_path: Path,
                                                      order: tuple[str, ...]) -> None:
    """Whatever sheet comes first, the suggestion reads the one with date, revenue and
    customer columns, names it in the mapping and says that `--sheet` picks another."""
    rows = {"Info": COVER, "Regels": LINES, "Notes": [["Customer", "Remark"], ["Acme", "x"]]}
    export = _book(tmp_path / "orders.xlsx", {name: rows[name] for name in order})
    mapping, notes = suggest(export)
    assert mapping["sheet"] == "Regels"
    assert mapping["date"] == "factuurdatum" and mapping["revenue"] == "omzet"
    sheet_note = next(n for n in notes if n.startswith("sheet:"))
    assert "'Regels'" in sheet_note and "--sheet" in sheet_note
    loaded = load_mapping(_written(tmp_path, suggestion_yaml(export)))
    assert loaded.sheet == "Regels" and loaded.columns()["customer_name"] == "klant"


def test_suggest_says_when_no_sheet_holds_lines(tmp_path: Path) -> None:
    export = _book(tmp_path / "orders.xlsx", {"Info": COVER, "More": COVER})
    _, notes = suggest(export)
    assert any(n.startswith("sheet: no sheet of 'Info', 'More'") for n in notes)


def test_a_given_sheet_is_read_as_given(tmp_path: Path) -> None:
    export = _book(tmp_path / "orders.xlsx", {"Info": COVER, "Regels": LINES})
    mapping, notes = suggest(export, "Info")
    assert mapping.get("date") is None and not any(n.startswith("sheet:") for n in notes)


def _written(folder: Path, text: str) -> Path:
    path = folder / "suggested.mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("data, fields", [
    ({"date": None, "revenue": None, "customer_name": "Klant", "margin_unknown": True},
     ["date", "revenue"]),
    ({"customer_name": "Klant", "revenue": "Omzet", "margin_unknown": True}, ["date"]),
    ({"contacts": True, "name": None}, ["name", "account"]),
])
def test_a_required_field_left_empty_is_named_with_what_to_write(
        data: dict[str, object], fields: list[str]) -> None:
    """Empty (null) or left out: kamkit's message names the field and says what to write,
    never pydantic's "Input should be a valid string"."""
    with pytest.raises(KamkitError) as caught:
        mapping_from_data(data, "orders.mapping.yaml")
    text = str(caught.value)
    assert "Input should" not in text and "Field required" not in text
    for field in fields:
        assert f"{field}: no column named; write the name of the export's column" in text
    for language in ("en", "nl"):
        said = caught.value.words.said(language)  # type: ignore[union-attr]
        assert all(f"'{field}: " in said for field in fields)
    assert "geen kolom genoemd" in caught.value.words.said("nl")  # type: ignore[union-attr]


def test_suggest_leaves_an_unknown_margin_to_the_user(tmp_path: Path) -> None:
    """Without a cost or margin column the suggestion does not say margin_unknown itself:
    the import refuses until the user removes the # before it."""
    export = tmp_path / "orders.csv"
    export.write_text("date,customer,revenue\n2025-01-02,A,10\n", encoding="utf-8")
    text = suggestion_yaml(export)
    assert "margin_unknown" not in yaml.safe_load(text)
    with pytest.raises(KamkitError, match="margin is not mapped"):
        load_mapping(_written(tmp_path, text))
    assert load_mapping(_written(tmp_path, text.replace("# margin_unknown", "margin_unknown"))
                        ).margin_unknown


def test_suggest_never_replaces_the_mapping_of_another_export(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """orders.csv and orders.xlsx share the default name orders.mapping.yaml: --force
    replaces a mapping made for the same export, never one made for the other."""
    csv = write_international(tmp_path / "orders.csv", INTERNATIONAL)
    xlsx = _book(tmp_path / "orders.xlsx", {"Regels": LINES})
    target = tmp_path / "orders.mapping.yaml"
    assert main(["import", str(csv), "--suggest"]) == 0
    before = target.read_text(encoding="utf-8")
    assert main(["import", str(csv), "--suggest", "--force"]) == 0  # the same export's
    for force in ([], ["--force"]):
        assert main(["import", str(xlsx), "--suggest", *force]) == 2
        err = capsys.readouterr().err
        assert "suggested for orders.csv" in err and "--mapping" in err
        assert target.read_text(encoding="utf-8") == before
    named = tmp_path / "orders.xlsx.mapping.yaml"
    assert main(["import", str(xlsx), "--suggest", "--mapping", str(named)]) == 0
    assert load_mapping(named).columns()["date"] == "factuurdatum"


def test_a_contacts_suggestion_reads_the_sheet_with_the_contacts(tmp_path: Path) -> None:
    contacts = [["Naam", "Klant", "Functie", "E-mail"], ["An Jansen", "Acme", "CFO", "a@x.nl"]]
    export = _book(tmp_path / "crm.xlsx", {"Info": COVER, "Contacten": contacts})
    text = suggestion_yaml(export, contacts=True)
    loaded = load_mapping(_written(tmp_path, text))
    assert loaded.sheet == "Contacten" and loaded.columns()["account"] == "klant"
    assert "--sheet" in text
