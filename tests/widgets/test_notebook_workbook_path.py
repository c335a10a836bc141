"""The README's workbench steps as a user takes them: `kamkit init my-workbook` at the
project's root, then ``workbook = "my-workbook"`` in notebooks/explore.ipynb, whose kernel
works in notebooks/. The workbook is found (and the workbench says where); a name that is
nowhere is a short message naming where it looked and what is close, not a traceback, in
the workbench and in a report notebook."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_run import NOTEBOOKS, errors

from kamkit.cli import main

pytestmark = pytest.mark.notebook


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout: notebooks/ and, at its root, the workbook `kamkit init` wrote."""
    root = tmp_path_factory.mktemp("checkout")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "notebooks").mkdir()
    for name in ("explore.ipynb", "account_analysis.ipynb"):
        shutil.copy(NOTEBOOKS / name, root / "notebooks" / name)
    assert main(["init", str(root / "my-workbook")]) == 0
    return root


def execute(project: Path, name: str, **parameters: object) -> nbformat.NotebookNode:
    """The notebook run in its folder, as JupyterLab runs it; a failing cell is returned."""
    import papermill as pm

    output = project / f"executed-{name}"
    with contextlib.suppress(pm.PapermillExecutionError):  # the notebook says what failed
        pm.execute_notebook(str(project / "notebooks" / name), str(output),
                            parameters=parameters, progress_bar=False, kernel_name="python3",
                            cwd=str(project / "notebooks"))
    return nbformat.read(output, as_version=4)


def test_the_readmes_workbook_is_found_from_the_notebooks_folder(project: Path) -> None:
    notebook = execute(project, "explore.ipynb", workbook="my-workbook")
    assert errors(notebook) == []
    state = str(notebook.metadata.get("widgets", {}))
    assert "not in this notebook&#x27;s folder" in state or \
        "not in this notebook's folder" in state
    assert str(project / "my-workbook") in state


@pytest.mark.parametrize("name", ["explore.ipynb", "account_analysis.ipynb"])
def test_a_workbook_that_is_nowhere_is_a_short_message(project: Path, name: str) -> None:
    notebook = execute(project, name, workbook="my-workbok", account_id="MAAS")
    (failed,) = [o for c in notebook.cells for o in c.get("outputs", [])
                 if o.get("output_type") == "error"]
    shown = "\n".join(failed["traceback"])
    assert len(failed["traceback"]) == 1 and "Traceback" not in shown
    assert ".py" not in shown.split("Did you mean")[0].replace("notebooks/", "")
    assert "No workbook at" in shown and "Did you mean '../my-workbook'?" in shown
    assert failed["ename"] == "KamkitError"  # still a failed cell: a run sees it
