"""`kamkit import --contacts`: a CRM's contacts into contacts.csv, after the sales import."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import run

from importer.exports import INTERNATIONAL, write_international
from importer.test_import import INTERNATIONAL_MAPPING, mapping_file
from kamkit.errors import KamkitError
from kamkit.importer import import_export
from kamkit.importer.contacts import import_contacts
from kamkit.importer.mapping import ContactsMapping
from kamkit.problems import Severity
from kamkit.workbook import check_workbook

pytestmark = pytest.mark.slow  # CRM exports imported into workbook copies, each checked

CRM = """\
Name,Job title,Department,Company,E-mail,Manager,Role
Alice Brown,Chief executive,Board,Acme Trading Ltd,alice@acme.example,,Decision maker
Bob Green,Buyer,Procurement,C01,bob@acme.example,alice@acme.example,inkoper
Claire Dubois,Directrice,Direction,société générale de vélo,,Nobody Known,
Dan Grey,Owner,Board,Unknown Corp,dan@unknown.example,,buyer
Eve Black,Engineer,Workshop,C03,eve@rad.example,,wizard
"""
CRM_MAPPING = ContactsMapping(name="Name", account="Company", title="Job title",
                              department="Department", email="E-mail", manager="Manager",
                              buying_role="Role")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    export = write_international(tmp_path / "orders.csv", INTERNATIONAL)
    import_export(export, mapping_file(tmp_path, INTERNATIONAL_MAPPING), tmp_path / "wb")
    return tmp_path / "wb"


def test_contacts_from_a_crm_export(tmp_path: Path, workbook: Path) -> None:
    export = tmp_path / "crm.csv"
    export.write_text(CRM, encoding="utf-8")
    result = import_contacts(export, CRM_MAPPING, workbook)
    assert result.written and not result.errors
    checked = check_workbook(workbook)
    assert checked.ok, [str(p) for p in checked.problems]
    contacts = checked.tables["contacts"].set_index("name")
    assert contacts["contact_id"].to_dict() == {
        "Alice Brown": "C01-C01", "Bob Green": "C01-C02", "Claire Dubois": "C02-C01",
        "Eve Black": "C03-C01"}
    assert contacts.at["Bob Green", "reports_to"] == "C01-C01"  # the manager by e-mail
    assert contacts["buying_role"].to_dict() == {
        "Alice Brown": "decision_maker", "Bob Green": "buyer", "Claire Dubois": "unknown",
        "Eve Black": "unknown"}
    # not in the export at all: unknown for everyone, and said so
    assert set(contacts["level"]) == set(contacts["attitude"]) == {"unknown"}
    text = "\n".join(result.lines())
    assert "4 contact(s) with level unknown" in text
    assert "2 contact(s) with buying_role unknown" in text
    assert "1 x column 'company': is not an account of the workbook" in text
    assert "(row 5)" in text  # one row: "row"
    warned = {(w.column, w.value) for w in result.warnings}
    assert ("role", "wizard") in warned and ("manager", "Nobody Known") in warned
    unknown = [p for p in checked.problems if p.severity is Severity.WARNING
               and p.file == "contacts.csv"]
    assert len(unknown) == 4 and "unknown: fill in" in unknown[0].message


def test_contacts_reimport_keeps_an_edited_contact(tmp_path: Path, workbook: Path) -> None:
    export = tmp_path / "crm.csv"
    export.write_text(CRM, encoding="utf-8")
    mapping = mapping_file(tmp_path, {"contacts": True, **CRM_MAPPING.columns()},
                           "contacts.yaml")
    assert run("import", str(export), "--contacts", "-m", str(mapping), "-w",
               str(workbook)).returncode == 0
    path = workbook / "contacts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("C01-C01,C01,Alice Brown,Chief executive,Board,unknown",
                                 "C01-C01,C01,Alice Brown,Chief executive,Board,strategic"),
                    encoding="utf-8")
    edited = path.read_bytes()
    moved = CRM.replace("Buyer,Procurement", "Head of purchasing,Procurement")
    export.write_text(moved.replace("Chief executive", "CEO"), encoding="utf-8")
    again = run("import", str(export), "--contacts", "-m", str(mapping), "-w", str(workbook))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "1 updated, 1 edited by a person and kept" in again.stdout
    contacts = check_workbook(workbook).tables["contacts"].set_index("contact_id")
    assert contacts.loc["C01-C01", ["title", "level"]].tolist() == ["Chief executive",
                                                                    "strategic"]
    assert contacts.at["C01-C02", "title"] == "Head of purchasing"
    assert path.read_bytes() != edited
    before = path.read_bytes()
    assert run("import", str(export), "--contacts", "-m", str(mapping), "-w",
               str(workbook)).returncode == 0
    assert path.read_bytes() == before  # the same export twice: nothing changes
    # a real import that had nothing to write says so, not that it "would change"
    path.write_text(path.read_text(encoding="utf-8").replace("Eve Black", "Eve Black-Stone"),
                    encoding="utf-8")
    kept = run("import", str(export), "--contacts", "-m", str(mapping), "-w", str(workbook))
    assert "contacts.csv unchanged: 0 added, 0 updated, 2 edited by a person and kept" \
        in kept.stdout and "would" not in kept.stdout


def test_suggested_contacts_mapping(tmp_path: Path) -> None:
    export = tmp_path / "crm.csv"
    export.write_text(CRM.replace("Name,Job title,Department,Company,E-mail,Manager,Role",
                                  "Naam,Functie,Afdeling,Klant,E-mailadres,Leidinggevende,Rol"),
                      encoding="utf-8")
    assert run("import", str(export), "--suggest", "--contacts").returncode == 0
    text = (tmp_path / "crm.mapping.yaml").read_text(encoding="utf-8")
    for line in ("contacts: true", "name: naam", "account: klant", "title: functie",
                 "department: afdeling", "email: e-mailadres", "manager: leidinggevende",
                 "buying_role: rol"):
        assert line in text
    assert "level: not in the export; written as unknown" in text


def test_a_mapping_of_the_other_kind_is_refused(tmp_path: Path, workbook: Path) -> None:
    export = tmp_path / "crm.csv"
    export.write_text(CRM, encoding="utf-8")
    sales = mapping_file(tmp_path, INTERNATIONAL_MAPPING)
    with pytest.raises(KamkitError, match="This is a sales mapping"):
        import_contacts(export, sales, workbook)
    with pytest.raises(KamkitError, match="This is a contacts mapping"):
        import_export(export, CRM_MAPPING, workbook)
