"""A report notebook runs on a workbook made by `kamkit import` alone: no document, placeholders
in the reference tables, a month with a negative net revenue, contacts whose level, role,
attitude and influence are unknown."""

from __future__ import annotations

from pathlib import Path

import yaml
from notebook_run import errors, execute, shown_html

from importer.exports import INTERNATIONAL, write_international
from importer.test_contacts import CRM, CRM_MAPPING
from importer.test_import import INTERNATIONAL_MAPPING
from kamkit.importer import import_export
from kamkit.importer.contacts import import_contacts


def test_analysis_notebook_runs_on_an_imported_workbook(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(INTERNATIONAL_MAPPING), encoding="utf-8")
    export = write_international(tmp_path / "orders.csv", INTERNATIONAL)
    result = import_export(export, mapping, tmp_path / "wb", key_accounts=2)
    assert result.written
    crm = tmp_path / "crm.csv"
    crm.write_text(CRM, encoding="utf-8")
    assert import_contacts(crm, CRM_MAPPING, tmp_path / "wb").written
    # C02 nets a negative December 2024 (credit notes above its sales)
    notebook = execute("account_analysis.ipynb", tmp_path / "C02.ipynb", account_id="C02",
                       workbook=str(tmp_path / "wb"), as_of=result.reconciliation.suggested_as_of,
                       language="en")
    assert errors(notebook) == []
    shown = shown_html(notebook)
    assert "Société Générale de Vélo" in shown and "Claire Dubois" in shown
