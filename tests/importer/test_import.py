"""`kamkit import`: hand-made exports in, a workbook that validates out, every figure worked
out from the export's lines in tests/importer/exports.py."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_cli import run

from importer.exports import (
    INTERNATIONAL,
    Line,
    expected_sales,
    expected_years,
    line,
    write_dutch,
    write_international,
    write_xlsx,
)
from kamkit.cli import build_parser, main
from kamkit.countries import country_code
from kamkit.errors import KamkitError
from kamkit.importer import ImportMapping, import_export, load_mapping
from kamkit.importer.suggest import suggest
from kamkit.manifest import MANIFEST
from kamkit.portfolio import MIN_KNOWN_WEIGHT_PCT
from kamkit.report.analysis import AnalysisReport
from kamkit.report.portfolio import PortfolioReport
from kamkit.workbook import DEMO_WORKBOOK, check_workbook

pytestmark = pytest.mark.slow  # whole exports into workbook copies, each checked: 0.5 s a test

INTERNATIONAL_MAPPING = {
    "date": "Invoice Date", "customer_id": "Customer ID", "customer_name": "Customer Name",
    "country": "Country", "city": "City", "product_group": "Product Group",
    "sales_rep": "Sales Rep", "quantity": "Quantity", "revenue": "Net Revenue", "cost": "Cost"}


def mapping_file(folder: Path, data: dict[str, object], name: str = "mapping.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def workbook_sales(folder: Path, city: bool = True) -> dict[tuple[str, str, str, str],
                                                           tuple[Decimal, Decimal, int]]:
    """The imported sales as kamkit reads them, keyed by names (not by the generated codes)."""
    checked = check_workbook(folder)
    assert checked.ok, [str(p) for p in checked.problems]
    tables = checked.tables
    accounts = tables["accounts"].set_index("account_id")["name"]
    services = tables["services"].set_index("service")["name"]
    locations = tables["locations"].set_index("location")["name"]
    out = {}
    for row in tables["sales"].itertuples():
        key = (f"{row.month:%Y-%m}", accounts[row.account_id], services[row.service],
               locations[row.location] if city else "")
        assert key not in out
        volume = 0 if pd.isna(row.volume) else int(row.volume)
        out[key] = (Decimal(f"{row.revenue:.2f}"), Decimal(f"{row.gross_margin:.2f}"),
                    volume)
    return out


def without_negative_volume(expected: dict) -> dict:
    """A cell whose quantity nets below zero has its volume left empty (read as 0 here)."""
    return {k: (r, m, q if q >= 0 else 0) for k, (r, m, q) in expected.items()}


def imported(export: Path, mapping: Path, folder: Path,
             lines: list[Line]) -> subprocess.CompletedProcess[str]:
    """`kamkit import` run, its sales checked cell by cell and its reconciliation year by
    year against the figures worked out from ``lines``."""
    result = run("import", str(export), "--mapping", str(mapping), "--workbook", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert workbook_sales(folder) == without_negative_volume(expected_sales(lines))
    for year, revenue in expected_years(lines).items():
        assert f"{year}: {revenue:,.2f} -> {revenue:,.2f}  equal" in result.stdout
    return result


@pytest.fixture
def international(tmp_path: Path) -> tuple[Path, Path]:
    export = write_international(tmp_path / "orders.csv", INTERNATIONAL)
    return export, mapping_file(tmp_path, INTERNATIONAL_MAPPING)


def test_international_csv_every_figure(tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    result = imported(export, mapping, folder, INTERNATIONAL)
    assert "lines read 12, imported 12, skipped 0" in result.stdout
    assert "customers 3" in result.stdout
    assert "export columns not used: order no" in result.stdout
    assert "last date in the data: 2025-02-02" in result.stdout
    assert "kamkit run --quarter 2025Q1" in result.stdout
    assert run("validate", str(folder)).returncode == 0
    tables = check_workbook(folder).tables
    locations = tables["locations"].set_index("name")["country"].to_dict()
    assert locations == {"London": "GB", "Lyon": "FR", "Berlin": "DE", "Munich": "DE"}
    team = set(tables["team"]["name"])
    assert team == {"Jane Smith", "Tom Lee"}
    accounts = tables["accounts"].set_index("name")
    person = tables["team"].set_index("person_id")["name"]
    assert person[accounts.at["Acme Trading Ltd", "kam"]] == "Jane Smith"
    assert set(accounts["status"]) == {"other"}
    assert set(accounts["sector"]) == {"unknown"}  # a placeholder, listed in the manifest
    manifest = yaml.safe_load((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["placeholders"]["accounts"]["C01"] == ["sector"]
    # no stand-in scores: left empty, the portfolio computes them
    assert accounts[["attractiveness", "position"]].isna().all().all()


def test_placeholders_are_warnings_until_filled(tmp_path: Path, international) -> None:
    """Each placeholder cell the import wrote is a warning: 3 accounts x sector, 2 services x
    (unit, margin policy), 2 people x (function, level) = 11 (the score overrides are left
    empty, no placeholder); a cell a person changed (C01's sector) is no longer one."""
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder)

    def placeholders() -> set[tuple[str, int | None, str | None, str | None]]:
        return {(p.file, p.row, p.column, p.value) for p in check_workbook(folder).problems
                if "placeholder" in p.message and p.severity == "warning"}

    found = placeholders()
    assert len(found) == 3 + 2 * 2 + 2 * 2
    assert {(f, c, v) for f, _, c, v in found} == {
        ("accounts.csv", "sector", "unknown"), ("services.csv", "unit", "units"),
        ("services.csv", "min_margin_pct", "0"), ("team.csv", "function", "Sales representative"),
        ("team.csv", "level", "operational")}
    accounts = folder / "accounts.csv"
    lines = accounts.read_text(encoding="utf-8").splitlines()
    c01 = next(i for i, text in enumerate(lines) if text.startswith("C01,"))
    lines[c01] = lines[c01].replace(",unknown,", ",Retail,")
    accounts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert found - placeholders() == {("accounts.csv", c01 + 1, "sector", "unknown")}
    assert len(placeholders()) == 10


def test_stand_in_scores_of_an_earlier_import_are_emptied_by_the_next(
        tmp_path: Path, international, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import before this kamkit wrote 5 as every account's attractiveness and position
    (placing all at 50/50 under one verdict): re-importing empties them in the rows nobody
    changed, keeps a row a person edited (its 5s stay warnings), and the portfolio then
    places no account at a made-up point."""
    from kamkit.importer import reference

    export, mapping = international
    folder = tmp_path / "wb"
    monkeypatch.setitem(reference.PLACEHOLDERS, "accounts",
                        {"sector": "unknown", "attractiveness": 5.0, "position": 5.0})
    monkeypatch.setitem(reference.LEFT_EMPTY, "accounts", ())
    import_export(export, mapping, folder, key_accounts=3)
    monkeypatch.undo()
    accounts = folder / "accounts.csv"
    text = accounts.read_text(encoding="utf-8")
    assert text.count(",5,5\n") == 3
    edited = text.replace("C01,Acme Trading Ltd,unknown,", "C01,Acme Trading Ltd,Retail,")
    accounts.write_text(edited, encoding="utf-8")
    result = import_export(export, mapping, folder)
    assert result.written
    assert "edited by a person, kept as they are (C01)" in "\n".join(result.lines())
    checked = check_workbook(folder)
    table = checked.tables["accounts"]
    rows = table.set_index("account_id")
    assert rows.loc["C01", ["attractiveness", "position"]].tolist() == [5.0, 5.0]
    assert rows.loc[["C02", "C03"], ["attractiveness", "position"]].isna().all().all()
    c01 = int(table.index[table["account_id"] == "C01"][0])
    warned = {(p.row, p.column) for p in checked.problems if "placeholder" in p.message
              and p.column in ("attractiveness", "position")}
    assert warned == {(c01, "attractiveness"), (c01, "position")}
    report = PortfolioReport.build(folder, "2025-03-31")
    placed = report.placements().set_index("account_id")
    computed = placed.loc[["C02", "C03"]]
    assert not ((computed["attractiveness"] == 50) & (computed["position"] == 50)).any()
    assert computed["attractiveness_override"].eq(False).all()


def test_an_imported_workbook_places_accounts_by_computed_scores_or_not_at_all(
        tmp_path: Path, international) -> None:
    """Imported accounts are placed by the scores computed from their data, never at the
    50/50 stand-in scores put every account at; an export tells little of either axis (its
    revenue and margin: 15% of each weight), too little for a place as for a health score
    (``MIN_KNOWN_WEIGHT_PCT``), and without a margin even less: the matrix leaves them
    unplaced and the page says so by name, with how much is known, in each language."""
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder, key_accounts=2)
    placed = PortfolioReport.build(folder, "2025-03-31").placements()
    assert not placed["attractiveness_override"].any()
    assert (placed["attractiveness_known_pct"] > 0).all()
    assert (placed[["attractiveness_known_pct", "position_known_pct"]]
            < MIN_KNOWN_WEIGHT_PCT).all().all()
    assert placed["quadrant"].isna().all()  # not at 50/50, not at all

    no_margin = {**{k: v for k, v in INTERNATIONAL_MAPPING.items() if k != "cost"},
                 "margin_unknown": True}
    other = tmp_path / "no-margin"
    import_export(export, mapping_file(tmp_path, no_margin, "no-margin.yaml"), other,
                  key_accounts=2)
    for language, said in (("en", "Not placed: 2 accounts"),
                           ("nl", "Niet geplaatst: 2 accounts")):
        report = PortfolioReport.build(other, "2025-03-31", language)
        placed = report.placements()
        assert placed["quadrant"].isna().all() and placed["attractiveness"].isna().all()
        section = report._pf_matrix()
        sentence = next(f for f in section.findings if said in f)
        assert all(a in sentence for a in placed["account_id"])
        assert len(section.findings) == 1  # no quadrant verdict


def test_an_unknown_kam_is_a_nameless_placeholder_the_reports_call_missing(
        tmp_path: Path, international) -> None:
    """Without a sales rep the accounts' KAM is a person the import cannot name: no English
    placeholder text in a Dutch report, but the locale's missing word; validate warns."""
    export, _ = international
    folder = tmp_path / "wb"
    no_reps = {k: v for k, v in INTERNATIONAL_MAPPING.items() if k != "sales_rep"}
    import_export(export, mapping_file(tmp_path, no_reps), folder, key_accounts=3)
    checked = check_workbook(folder)
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.tables["team"][["person_id", "name"]].values.tolist() == [["UNASSIGNED", ""]]
    assert any(p.file == "team.csv" and p.row == 2 and p.column == "name"
               and "placeholder" in p.message for p in checked.problems)
    header = AnalysisReport.build(folder, "C01", "2025-02-28", "nl").header_html()
    assert "KAM n.b." in header and "Unassigned" not in header
    table = PortfolioReport.build(folder, "2025-02-28", "en").section("pf_accounts").blocks[0]
    assert "<td data-value=\"\">n/a</td>" in str(table) and "Unassigned" not in str(table)


def test_credit_notes_net_and_a_negative_month_is_a_warning(tmp_path: Path,
                                                            international) -> None:
    export, mapping = international
    result = import_export(export, mapping, tmp_path / "wb")
    # C02 Parts 2024-12: 75.05 - 120.08
    negative = [w for w in result.warnings if "exceed its sales" in w.message]
    assert len(negative) == 1 and "2024-12" in negative[0].message
    assert "-45.03" in negative[0].message
    checked = check_workbook(tmp_path / "wb")
    assert checked.ok
    warned = [p for p in checked.problems if p.column == "revenue"]
    assert [p.value for p in warned] == ["-45.03"]
    # C02 Bikes 2024-08: a bike sold and one credited: net one bike's revenue
    sales = workbook_sales(tmp_path / "wb")
    assert sales[("2024-08", "Société Générale de Vélo", "Bikes", "Lyon")] == (
        Decimal("999.99"), Decimal("299.99"), 1)


def test_dutch_excel_export_with_suggested_mapping(tmp_path: Path) -> None:
    lines = [*INTERNATIONAL[:9],
             line("2025-03-03", "C04", "Brasserie Één", "Nederland", "Utrecht", "Fietsen",
                  "Jan de Vries", 12, "12345.67", "9876.54"),
             line("2025-03-04", "C05", "Vélo Bruxelles", "België", "Brussel", "Fietsen",
                  "Jan de Vries", 1, "1000.00", "800.00"),
             line("2025-03-05", "C04", "Brasserie Één", "1012 AB", "Amsterdam", "Onderdelen",
                  "Jan de Vries", 2, "20.00", "10.00")]
    export = write_dutch(tmp_path / "verkoop.csv", lines)
    assert run("import", str(export), "--suggest").returncode == 0
    suggested = tmp_path / "verkoop.mapping.yaml"
    mapping = load_mapping(suggested)
    assert mapping.columns() == {
        "date": "factuurdatum", "customer_id": "klantnummer", "customer_name": "klant",
        "product_group": "productgroep", "city": "plaats", "country": "land",
        "revenue": "omzet", "margin": "marge %", "quantity": "aantal",
        "sales_rep": "verkoper"}
    assert mapping.margin_kind == "percent"
    folder = tmp_path / "wb"
    result = imported(export, suggested, folder, lines)
    assert "not valid UTF-8" in result.stdout  # Windows-1252, said once
    assert "'1012 AB' (1 lines)" in result.stdout
    tables = check_workbook(folder).tables
    countries = tables["locations"].set_index("name")["country"].to_dict()
    assert countries["Utrecht"] == "NL" and countries["Brussel"] == "BE"
    assert countries["Amsterdam"] == "unknown"
    assert "Brasserie Één" in set(tables["accounts"]["name"])


def test_xlsx_export_without_ids_and_reps(tmp_path: Path) -> None:
    lines = [x for x in INTERNATIONAL if x.customer_id != "C02"]
    export = write_xlsx(tmp_path / "orders.xlsx", lines)
    mapping = ImportMapping(date="Date", customer_name="Customer", country="Country",
                            city="City", product_group="Product group", quantity="Quantity",
                            revenue="Revenue", margin="Gross margin")
    result = import_export(export, mapping, tmp_path / "wb", key_accounts=1)
    assert not result.errors and result.written
    assert workbook_sales(tmp_path / "wb") == expected_sales(lines)
    tables = check_workbook(tmp_path / "wb").tables
    accounts = tables["accounts"].set_index("name")
    # no id in the export: codes from the names
    assert accounts.at["Acme Trading Ltd", "account_id"] == "ACME-TRADING-LTD"
    assert set(accounts["kam"]) == {"UNASSIGNED"}
    # C01 has the most revenue: 1500 + 499.99 + 240.40 + 2000 against C03's 1470.55
    assert accounts["status"].to_dict() == {"Acme Trading Ltd": "key_account",
                                            "Berliner Rad GmbH": "other"}


def test_reimport_replaces_only_the_months_it_covers(tmp_path: Path, international) -> None:
    _, mapping = international
    first = [x for x in INTERNATIONAL if x.date < dt.date(2025, 1, 1)]
    folder = tmp_path / "wb"
    import_export(write_international(tmp_path / "h2.csv", first), mapping, folder)
    december = [x for x in first if x.date.month == 12]
    # the next export: December again, corrected (one credit note reversed), and January
    second = [*december[:1], *[x for x in INTERNATIONAL if x.date.year == 2025]]
    result = import_export(write_international(tmp_path / "jan.csv", second), mapping, folder)
    assert result.written
    kept = [x for x in first if x.date.month != 12]
    assert workbook_sales(folder) == without_negative_volume(expected_sales(kept + second))
    sales_plan = next(p for p in result.files if p.table == "sales")
    assert sales_plan.changed == ["2024-12 C02 PARTS FR-LYON"]
    assert len(sales_plan.added) == 3 and not sales_plan.removed
    # the same export again changes nothing, not a byte
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    again = run("import", str(tmp_path / "jan.csv"), "--mapping", str(mapping), "--workbook",
                str(folder))
    assert again.returncode == 0
    assert "nothing to change" in again.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_an_edited_reference_row_survives_reimport(tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder)
    accounts = folder / "accounts.csv"
    text = accounts.read_text(encoding="utf-8")
    edited = text.replace("C01,Acme Trading Ltd,unknown,GB,other,JANE-SMITH,,",
                          "C01,Acme Trading,Wholesale,GB,key_account,JANE-SMITH,8,6.5")
    assert edited != text
    accounts.write_text(edited, encoding="utf-8")
    renamed = [Line(**{**x.__dict__, "customer": x.customer + " (new name)"})
               for x in INTERNATIONAL]
    result = import_export(write_international(tmp_path / "next.csv", renamed), mapping, folder)
    plan = next(p for p in result.files if p.table == "accounts")
    assert plan.kept_edited == ["C01"]
    assert sorted(plan.changed) == ["C02", "C03"]  # nobody touched these: the export wins
    rows = check_workbook(folder).tables["accounts"].set_index("account_id")
    assert rows.loc["C01", ["name", "sector", "status", "attractiveness"]].tolist() == [
        "Acme Trading", "Wholesale", "key_account", 8.0]
    assert rows.at["C02", "name"] == "Société Générale de Vélo (new name)"
    assert "edited by a person, kept as they are (C01)" in "\n".join(result.lines())


def test_documents_and_hand_written_tables_are_never_touched(tmp_path: Path,
                                                             international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    shutil.copytree(DEMO_WORKBOOK, folder)
    untouched = ["spend.csv", "contacts.csv", "history.csv", "competitors.csv",
                 "documents/MAAS.yaml"]
    before = {name: (folder / name).read_bytes() for name in untouched}
    sales_before = (folder / "sales.csv").read_bytes()
    result = import_export(export, mapping, folder)
    assert result.written, result.lines()
    assert {name: (folder / name).read_bytes() for name in untouched} == before
    # the demo's sales run to 2026; the export's months (2024-07 to 2025-02) are replaced
    sales = check_workbook(folder).tables["sales"]
    months = sales["month"].dt.strftime("%Y-%m")
    assert set(sales.loc[months == "2024-08", "account_id"]) == {"C02"}
    assert (months == "2026-01").sum() == sales_before.decode().count("\n2026-01,")
    assert check_workbook(folder).ok


def test_dry_run_writes_nothing(tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    result = run("import", str(export), "--mapping", str(mapping), "--workbook", str(folder),
                 "--dry-run")
    assert result.returncode == 0
    cells = len(expected_sales(INTERNATIONAL))
    assert "Dry run" in result.stdout
    assert f"sales.csv (the months 2024-07 to 2025-02): {cells} added" in result.stdout
    assert not folder.exists()


def test_each_import_says_what_it_did_in_its_own_tense(tmp_path: Path, international) -> None:
    """A dry run would change; a real import changed; a real import that kept a row a
    person edited and had nothing else to write changed nothing (it said "would")."""
    export, mapping = international
    folder = tmp_path / "wb"
    assert "the import would change these files" in "\n".join(
        import_export(export, mapping, folder, dry_run=True).lines())
    assert "the import changed these files" in "\n".join(
        import_export(export, mapping, folder).lines())
    accounts = folder / "accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace(
        "C01,Acme Trading Ltd,unknown,", "C01,Acme Trading Ltd,Retail,"), encoding="utf-8")
    again = import_export(export, mapping, folder)
    out = "\n".join(again.lines())
    assert not again.written and "would" not in out
    assert "the import changed nothing in these files" in out
    assert "accounts.csv: 1 edited by a person, kept as they are (C01)" in out


def test_suggest_explains_dates_written_month_first(tmp_path: Path) -> None:
    """The suggestion says what the import will say, even when most dates read day first
    (their day is 12 or less)."""
    export = tmp_path / "us.csv"
    export.write_text("Date,Customer,Amount\n03/01/2025,Acme,1\n04/02/2025,Acme,2\n"
                      "05/03/2025,Acme,3\n06/04/2025,Acme,4\n03/31/2025,Acme,100.50\n",
                      encoding="utf-8")
    _, notes = suggest(export)
    assert "date: us.csv writes its dates month first (row 6: '03/31/2025')" in notes[0]
    assert not any("does not hold dates" in n for n in notes)


def test_missing_margin_is_refused_unless_declared_unknown(tmp_path: Path,
                                                           international) -> None:
    export, _ = international
    no_margin = {k: v for k, v in INTERNATIONAL_MAPPING.items() if k != "cost"}
    mapping = mapping_file(tmp_path, no_margin)
    refused = run("import", str(export), "--mapping", str(mapping), "--workbook",
                  str(tmp_path / "wb"))
    assert refused.returncode == 2
    assert "margin is not mapped" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "wb").exists()
    result = run("import", str(export), "--mapping", str(mapping), "--workbook",
                 str(tmp_path / "wb"), "--margin", "unknown")
    assert result.returncode == 0
    assert "margin: unknown (gross_margin left empty" in result.stdout
    checked = check_workbook(tmp_path / "wb")
    assert checked.ok
    sales = checked.tables["sales"]
    assert len(sales) == 9 and sales["gross_margin"].isna().all()  # not 0
    text = (tmp_path / "wb" / "sales.csv").read_text(encoding="utf-8")
    assert all(row.split(",")[5] == "" for row in text.splitlines()[1:])
    manifest = yaml.safe_load((tmp_path / "wb" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["imports"][-1]["margin"] == "unknown (left empty)"


def test_help_and_suggestion_say_an_unknown_margin_is_left_empty(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "orders.csv"
    export.write_text("date,customer,revenue\n2025-01-02,A,10\n", encoding="utf-8")
    _, notes = suggest(export)
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    margin_help = help_text[help_text.rindex("--margin {unknown}"):]
    for text in (next(n for n in notes if n.startswith("margin:")), margin_help[:200]):
        assert "margin empty" in text and "as 0" not in text and "cannot hold" not in text


def test_an_earlier_import_s_zero_margins_are_emptied(tmp_path: Path, international) -> None:
    """A workbook imported before an unknown margin could be empty holds 0s, recorded as
    "unknown (written as 0)" in the manifest: the next import empties the 0s of those months
    it does not cover itself, and keeps a margin a person filled in."""
    export, _ = international
    folder = tmp_path / "wb"
    no_margin = {k: v for k, v in INTERNATIONAL_MAPPING.items() if k != "cost"}
    mapping = ImportMapping(**no_margin, margin_unknown=True)
    import_export(export, mapping, folder)
    # the workbook as the earlier kamkit left it: 0 margins, the manifest saying so
    sales_csv = folder / "sales.csv"
    rows = [row.split(",") for row in sales_csv.read_text(encoding="utf-8").splitlines()]
    for cells in rows[1:]:
        cells[5] = "0.00"
    filled = next(i for i, cells in enumerate(rows) if cells[0] == "2024-09")
    rows[filled][5] = "123.45"  # a person filled this one in
    sales_csv.write_text("\n".join(",".join(c) for c in rows) + "\n", encoding="utf-8")
    manifest_path = folder / MANIFEST
    manifest_path.write_text(manifest_path.read_text(encoding="utf-8").replace(
        "margin: unknown (left empty)", "margin: unknown (written as 0)"), encoding="utf-8")
    # a second export of 2025 only
    later = [x for x in INTERNATIONAL if x.date.year == 2025]
    second = write_international(tmp_path / "2025.csv", later)
    import_export(second, mapping, folder)
    sales = check_workbook(folder).tables["sales"]
    margins = dict(zip(sales["month"].dt.strftime("%Y-%m") + " " + sales["account_id"]
                       + " " + sales["service"] + " " + sales["location"],
                       sales["gross_margin"], strict=True))
    assert len(margins) == 9
    assert [k for k, v in margins.items() if pd.notna(v)] == [
        next(k for k in margins if k.startswith("2024-09 C03") and "BERLIN" in k)]
    assert margins[next(k for k in margins if k.startswith("2024-09 C03")
                        and "BERLIN" in k)] == 123.45
    records = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))["imports"]
    assert [r["margin"] for r in records] == ["unknown (left empty)"] * 2


def test_a_mapped_column_missing_from_the_export(tmp_path: Path, international) -> None:
    export, _ = international
    mapping = mapping_file(tmp_path, {**INTERNATIONAL_MAPPING, "revenue": "Net Revenu"})
    result = run("import", str(export), "--mapping", str(mapping), "--workbook",
                 str(tmp_path / "wb"))
    assert result.returncode == 2
    assert ("The mapping's revenue column 'net revenu' (did you mean net revenue?) is not in "
            "orders.csv; its columns are: invoice date, order no,") in result.stderr
    assert result.stderr.count("invoice date") == 1  # the columns are listed once
    both = mapping_file(tmp_path, {**INTERNATIONAL_MAPPING, "revenue": "omzet",
                                   "cost": "prijs"})
    with pytest.raises(KamkitError, match=r"The mapping's revenue column 'omzet' and cost "
                                          r"column 'prijs' are not in orders\.csv; its columns"):
        import_export(export, both, tmp_path / "wb")


def test_unreadable_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    """A skipped line's readable amount is part of what the export holds: the year it is
    written in (a date that does not exist still tells its year) is not equal, by that
    amount; a line whose year cannot be told has its own total; a line whose amount
    cannot be read is named apart. Each reason names its rows ("row 5", "rows 6, 9")."""
    export = tmp_path / "orders.csv"
    write_international(export, INTERNATIONAL[:3])
    with export.open("a", encoding="utf-8") as out:
        out.write("2024-13-45,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,10.00,5\n")
        out.write("2024-07-04,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,ten,5\n")
        out.write("2024-07-05,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,,5\n")
        out.write("31-02-2025,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,2500.00,5\n")
        out.write("2025-03-20,9,,,UK,London,Bikes,Jane Smith,1,780.10,5\n")
        out.write("yesterday,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,7.25,5\n")
        out.write("2024-07-06,9,C01,Acme Trading Ltd,UK,London,Bikes,Jane Smith,1,eleven,5\n")
    result = import_export(export, mapping_file(tmp_path, INTERNATIONAL_MAPPING),
                           tmp_path / "wb")
    text = "\n".join(result.lines())
    assert "lines read 10, imported 3, skipped 7" in text
    assert ("column 'invoice date': no such date: there is no month 13. (row 5; "
            "found '2024-13-45')") in text
    assert ("column 'invoice date': no such date: February 2025 has 28 days. (row 8; "
            "found '31-02-2025')") in text
    assert "expected a date" in text and "(row 10; found 'yesterday')" in text
    assert "2 x column 'net revenue'" in text and "(rows 6, 11; found 'ten', 'eleven')" in text
    assert "1 x column 'customer id': is empty" in text and "(row 9)" in text
    expected = sum(x.revenue for x in INTERNATIONAL[:3])
    assert (f"2024: {expected + Decimal('10.00'):,.2f} -> {expected:,.2f}  not equal: 10.00 "
            "in 1 skipped line (row 5)") in text
    assert ("2025: 3,280.10 -> 0.00  not equal: 3,280.10 in 2 skipped lines (rows 8, 9)"
            in text)
    assert "year unknown: 7.25 -> 0.00  not equal: 7.25 in 1 skipped line (row 10)" in text
    assert "not in these totals: 3 skipped lines whose amount cannot be read (rows 6, 7, 11)" \
        in text
    assert "  equal" not in text and not result.reconciliation.balanced


def test_a_date_that_does_not_exist_says_so_in_every_reader(tmp_path: Path) -> None:
    """The workbook reader (validate) says the date does not exist, not the format the
    person already used, with file, row and column."""
    folder = tmp_path / "wb"
    shutil.copytree(DEMO_WORKBOOK, folder)
    history = folder / "feedback.csv"
    lines = history.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    date_column = next(c for c in header if "date" in c)
    cells = lines[1].split(",")
    cells[header.index(date_column)] = "29-02-2025"
    lines[1] = ",".join(cells)
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in check_workbook(folder).problems if p.column == date_column]
    assert [(p.file, p.row, p.value, p.message) for p in problems] == [
        ("feedback.csv", 2, "29-02-2025", "no such date: February 2025 has 28 days.")]


def test_an_exact_repeat_of_a_line_is_summed_with_a_warning(tmp_path: Path) -> None:
    """Two equal lines can be real, so both count; but never silently. A line equal in every
    mapped column but with its own order number is no repeat."""
    lines = [*INTERNATIONAL, INTERNATIONAL[0]]  # line 14: the same sale, another order number
    export = write_international(tmp_path / "orders.csv", lines)
    text = export.read_text(encoding="utf-8")
    export.write_text(text + text.splitlines()[3] + "\n", encoding="utf-8")  # line 15 = 4
    result = import_export(export, mapping_file(tmp_path, INTERNATIONAL_MAPPING),
                           tmp_path / "wb")
    out = "\n".join(result.lines())
    assert "row 15 repeats row 4 exactly; both were summed: check the export" in out
    assert out.count("repeats row") == 1  # line 14 has its own order number
    for year, revenue in expected_years([*lines, INTERNATIONAL[2]]).items():
        assert f"{year}: {revenue:,.2f} -> {revenue:,.2f}  equal" in out


def test_dates_written_month_first_are_refused(tmp_path: Path) -> None:
    export = tmp_path / "orders.csv"
    export.write_text("date,customer,revenue,cost\n07/03/2025,A,10,5\n07/19/2025,A,10,5\n",
                      encoding="utf-8")
    mapping = ImportMapping(date="date", customer_name="customer", revenue="revenue",
                            cost="cost")
    with pytest.raises(KamkitError, match=r"month first \(row 3: '07/19/2025'\)"):
        import_export(export, mapping, tmp_path / "wb")
    assert not (tmp_path / "wb").exists()


def test_a_code_changed_in_the_manifest_is_used(tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder)
    manifest = folder / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    assert "Munich|DE: DE-MUNICH" in text
    manifest.write_text(text.replace("Munich|DE: DE-MUNICH", "Munich|DE: DE-BERLIN"),
                        encoding="utf-8")
    # Munich's line first now: still Berlin, with more revenue, names the shared row
    munich = next(x for x in INTERNATIONAL if x.city == "Munich")
    first = write_international(tmp_path / "munich-first.csv",
                                [munich, *(x for x in INTERNATIONAL if x is not munich)])
    result = import_export(first, mapping, folder)
    assert result.written
    sales = workbook_sales(folder)
    # C03's Parts in 2024-09: Berlin 612.35 and Munich 122.47, now one location
    assert sales[("2024-09", "Berliner Rad GmbH", "Parts", "Berlin")][0] == Decimal("734.82")
    assert not any(key[3] == "Munich" for key in sales)
    locations = check_workbook(folder).tables["locations"].set_index("location")["name"]
    assert locations["DE-BERLIN"] == "Berlin"


def test_lines_in_two_currencies_are_refused(tmp_path: Path) -> None:
    export = tmp_path / "orders.csv"
    export.write_text("date,customer,revenue,cost,currency\n2025-01-02,A,10,5,EUR\n"
                      "2025-01-03,A,10,5,USD\n", encoding="utf-8")
    mapping = ImportMapping(date="date", customer_name="customer", revenue="revenue",
                            cost="cost", currency_column="currency")
    with pytest.raises(KamkitError, match="2 currencies"):
        import_export(export, mapping, tmp_path / "wb")


def test_suggest_reads_english_headers_and_values(tmp_path: Path, international) -> None:
    export, _ = international
    found, notes = suggest(export)
    assert {k: v for k, v in found.items() if k != "currency"} == {
        k: v.lower() for k, v in INTERNATIONAL_MAPPING.items()}
    assert any("EUR assumed" in n for n in notes)


def test_country_names_and_codes() -> None:
    assert [country_code(v) for v in ("Nederland", "the Netherlands", "NLD", "nl",
                                      "Duitsland", "Germany", "België", "Belgium",
                                      "Verenigd Koninkrijk", "UK", "Frankrijk")] == [
        "NL", "NL", "NL", "NL", "DE", "DE", "BE", "BE", "GB", "GB", "FR"]
    assert [country_code(v) for v in ("1012 AB", "75001", "528", "", "Atlantis")] == [
        None] * 5


def test_cli_import_needs_a_mapping_and_a_workbook(tmp_path: Path, international) -> None:
    export, _ = international
    result = run("import", str(export))
    assert result.returncode == 2 and "--mapping" in result.stderr
    assert main(["import", str(export), "--suggest"]) == 0
    again = run("import", str(export), "--suggest")
    assert again.returncode == 2 and "--force" in again.stderr


def test_a_location_column_instead_of_city_and_country(tmp_path: Path, international) -> None:
    export, _ = international
    mapping = {k: v for k, v in INTERNATIONAL_MAPPING.items() if k not in ("city", "country")}
    result = import_export(export, mapping_file(tmp_path, {**mapping, "location": "City"}),
                           tmp_path / "wb")
    assert result.written and not result.errors
    tables = check_workbook(tmp_path / "wb").tables
    locations = tables["locations"].set_index("location")
    assert locations["name"].to_dict() == {"LONDON": "London", "LYON": "Lyon",
                                           "BERLIN": "Berlin", "MUNICH": "Munich"}
    assert set(locations["country"]) == {"unknown"}  # a placeholder: the export has none
    assert set(tables["accounts"]["country"]) == {"unknown"}
    assert workbook_sales(tmp_path / "wb") == without_negative_volume(
        expected_sales(INTERNATIONAL))


def test_the_readme_commands_take_an_export_to_a_valid_workbook(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README, "Bring your own data": at most five commands; the first four run as written
    on a Dutch export, the fifth (the reports) is checked as a command line only."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Bring your own data", 1)[1].split("```sh", 1)[1]
    block = section.split("```", 1)[0].replace("\\\n", " ")
    commands = [shlex.split(line.split("#", 1)[0]) for line in block.splitlines()
                if line.startswith(".venv/bin/kamkit")]
    assert 1 < len(commands) <= 5
    monkeypatch.chdir(tmp_path)
    write_dutch(tmp_path / "orders.csv", INTERNATIONAL)
    for command in commands[:-1]:
        result = run(*command[1:])
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert check_workbook(tmp_path / "my-workbook").ok
    assert commands[-1][1] == "run"
    build_parser().parse_args(commands[-1][1:])


def test_an_error_the_workbook_had_is_not_new_when_the_import_moves_its_row(
        tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder)
    sales = folder / "sales.csv"
    lines = sales.read_text(encoding="utf-8").splitlines()
    # a person's typing error in the last row: a margin above the revenue (an error)
    cells = lines[-1].split(",")
    cells[5] = str(float(cells[4]) + 100)
    lines[-1] = ",".join(cells)
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = [p for p in check_workbook(folder).problems if p.row is not None]
    assert [p.column for p in before if p.severity.value == "error"] == ["gross_margin"]
    # July again, without C01's parts: its row goes, every later row moves up (the later
    # months, the erroneous one included, are not in this export: kept as they are)
    fewer = [x for x in INTERNATIONAL if x.date < dt.date(2024, 8, 1)
             and not (x.customer_id == "C01" and x.group == "Parts")]
    result = import_export(write_international(tmp_path / "fewer.csv", fewer), mapping,
                           folder)
    assert not result.errors and result.written
    after = [p for p in check_workbook(folder).problems if p.severity.value == "error"]
    assert [p.column for p in after] == ["gross_margin"]
    assert after[0].row == len(lines) - 1  # it moved up one row


def test_a_new_workbook_takes_the_export_s_currency_and_keeps_it(tmp_path: Path,
                                                                 international) -> None:
    export, _ = international
    usd = mapping_file(tmp_path, {**INTERNATIONAL_MAPPING, "currency": "usd"}, "usd.yaml")
    folder = tmp_path / "wb"
    result = import_export(export, usd, folder)
    assert any(p.table == "settings" for p in result.files)
    assert "workbook.yaml: created (currency USD)" in "\n".join(result.lines())
    assert yaml.safe_load((folder / "workbook.yaml").read_text()) == {
        "format_version": 2, "currency": "USD"}
    assert check_workbook(folder).settings.currency == "USD"
    # the same export in USD again: fine; in EUR: refused, saying which is which
    assert import_export(export, usd, folder).errors == ()
    eur = mapping_file(tmp_path, INTERNATIONAL_MAPPING, "eur.yaml")
    with pytest.raises(KamkitError, match=r"orders.csv is in EUR, but the workbook .* is in "
                                          r"USD \(its workbook.yaml says USD\)"):
        import_export(export, eur, folder)


def test_an_export_in_another_currency_than_an_old_workbook_s_eur_is_refused(
        tmp_path: Path, international) -> None:
    export, mapping = international
    folder = tmp_path / "wb"
    import_export(export, mapping, folder)
    (folder / "workbook.yaml").unlink()  # as a workbook of format version 1: in EUR
    usd = mapping_file(tmp_path, {**INTERNATIONAL_MAPPING, "currency": "USD"}, "usd.yaml")
    with pytest.raises(KamkitError, match=r"no workbook\.yaml, so its amounts are in EUR"):
        import_export(export, usd, folder)


def test_months_as_us_excel_writes_a_first_day_are_refused(tmp_path: Path) -> None:
    """A monthly export from US Excel (3/1/2025 for March): read day first every line would
    fall in January; refused as the workbook's reader refuses such a month column."""
    export = tmp_path / "monthly.csv"
    export.write_text("date,customer,revenue,cost\n1/1/2025,A,10,5\n2/1/2025,A,10,5\n"
                      "3/1/2025,A,10,5\n", encoding="utf-8")
    mapping = ImportMapping(date="date", customer_name="customer", revenue="revenue",
                            cost="cost")
    with pytest.raises(KamkitError, match=r"month first \(row 3: '2/1/2025'\)"):
        import_export(export, mapping, tmp_path / "wb")
    assert not (tmp_path / "wb").exists()
    _, notes = suggest(export)
    assert "date: monthly.csv writes its dates month first (row 3: '2/1/2025')" in notes[0]


def test_a_line_pasted_in_windows_1252_is_imported_with_a_warning(tmp_path: Path) -> None:
    """A UTF-8 export with one Windows-1252 line: every name read right, the odd line
    imported as read (its revenue counts) and named in a warning by row and column."""
    export = tmp_path / "orders.csv"
    export.write_bytes("date,customer,revenue,cost\n2025-03-03,Köln GmbH,10,5\n".encode()
                       + "2025-03-04,Müller AG,20,5\n".encode("cp1252"))
    mapping = ImportMapping(date="date", customer_name="customer", revenue="revenue",
                            cost="cost")
    result = import_export(export, mapping, tmp_path / "wb")
    names = (tmp_path / "wb" / "accounts.csv").read_text(encoding="utf-8")
    assert "Köln GmbH" in names and "Müller AG" in names
    odd = [p for p in result.warnings if p.file == "orders.csv" and p.row == 3]
    assert [(p.column, p.value) for p in odd] == [("customer", "Müller AG")]
    assert "not UTF-8" in odd[0].message
