"""notebooks/explore.ipynb executed as shipped and with a workbook of the user's: it shows the
workbench (a widget) and the workbook, and raises nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from notebook_run import errors, execute, shown_html

import kamkit

WIDGET = "application/vnd.jupyter.widget-view+json"


def _widget_outputs(notebook) -> list[dict]:
    return [output["data"][WIDGET] for cell in notebook.cells
            for output in cell.get("outputs", []) if WIDGET in output.get("data", {})]


def test_explore_runs_on_the_demo(tmp_path: Path) -> None:
    notebook = execute("explore.ipynb", tmp_path / "explore.ipynb")
    assert errors(notebook) == []
    assert len(_widget_outputs(notebook)) == 1  # the workbench, one widget tree
    shown = shown_html(notebook)
    accounts = kamkit.load_workbook().accounts
    assert f"{len(accounts)} accounts" in shown  # the workbook's summary


def test_explore_runs_in_dutch_on_a_workbook_of_ones_own(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(kamkit.DEMO_WORKBOOK, book)
    notebook = execute("explore.ipynb", tmp_path / "explore.ipynb", workbook=str(book),
                       account_id="DELTA", as_of="2026-06-30", language="nl")
    assert errors(notebook) == []
    assert "Werkmap book" in shown_html(notebook)
    assert len(_widget_outputs(notebook)) == 1
