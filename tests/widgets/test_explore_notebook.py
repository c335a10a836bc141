"""notebooks/explore.ipynb executed as shipped and with a workbook of the user's: it shows the
workbench (a widget), its guide in the notebook's language and the workbook, and raises
nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from notebook_run import NOTEBOOKS, errors, execute, shown_html

import kamkit
from kamkit.guide import guide_text

WIDGET = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


def _widget_outputs(notebook) -> list[dict]:
    return [output["data"][WIDGET] for cell in notebook.cells
            for output in cell.get("outputs", []) if WIDGET in output.get("data", {})]


def _guides(notebook) -> list[str]:
    """The Markdown the notebook's guides (Output widgets, in the saved widget state) show."""
    state = notebook.metadata["widgets"][STATE]["state"]
    return sorted(output["data"]["text/markdown"] for model in state.values()
                  if model["model_name"] == "OutputModel"
                  for output in model["state"].get("outputs", [])
                  if "text/markdown" in output.get("data", {}))


def test_explore_runs_on_the_demo(tmp_path: Path) -> None:
    notebook = execute("explore.ipynb", tmp_path / "explore.ipynb")
    assert errors(notebook) == []
    assert len(_widget_outputs(notebook)) == 3  # the workbench (one widget tree), 2 guides
    assert _guides(notebook) == sorted(guide_text(name, "en")
                                       for name in ("explore", "explore_summary"))
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
    assert len(_widget_outputs(notebook)) == 3
    # what the user reads speaks the session's language: no static English Markdown
    assert _guides(notebook) == sorted(guide_text(name, "nl")
                                       for name in ("explore", "explore_summary"))
    assert [cell.source for cell in notebook.cells if cell.cell_type == "markdown"] == [
        nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4).cells[0].source]
