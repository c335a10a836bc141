"""Run a notebook with papermill as a user would, and read what it showed."""

from __future__ import annotations

from html import escape
from pathlib import Path

import nbformat

from kamkit.charts.render import VEGA_MIMETYPE
from kamkit.guide import guide_text
from kamkit.labels import t

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def execute(name: str, output: Path, **parameters: object) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>`` with ``parameters`` and return the executed notebook."""
    import papermill as pm  # here: collecting the fast tier need not import it

    pm.execute_notebook(str(NOTEBOOKS / name), str(output), parameters=parameters,
                        progress_bar=False, kernel_name="python3", cwd=str(NOTEBOOKS))
    return nbformat.read(output, as_version=4)


def shown_html(notebook: nbformat.NotebookNode) -> str:
    """All HTML, Markdown and text the notebook displayed, in order."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/html", "") or data.get("text/markdown", "")
                         or data.get("text/plain", ""))
            parts.append(output.get("text", ""))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)


def errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in notebook.cells
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def charts(notebook: nbformat.NotebookNode) -> list[dict]:
    """The Vega specs of the charts the notebook displayed (one per chart)."""
    return [output["data"][VEGA_MIMETYPE] for cell in notebook.cells
            for output in cell.get("outputs", []) if VEGA_MIMETYPE in output.get("data", {})]


def run_kept(kernel, name: str, **parameters: object) -> str:
    """Execute ``notebooks/<name>`` in a kept kernel (``kamkit run``'s way) and return what it
    showed; a failing cell fails the test with its message."""
    executed = kernel.run(NOTEBOOKS / name, parameters, timeout=600)
    assert executed.error is None, executed.error
    return shown_html(executed.notebook)


def shown_without_errors(name: str, output: Path, **parameters: object) -> str:
    """Execute ``notebooks/<name>`` (``execute``), check that no cell failed, and return what
    it showed."""
    notebook = execute(name, output, **parameters)
    assert errors(notebook) == []
    return shown_html(notebook)


def report_in_kept_kernel(kernel, name: str, sections: tuple[str, ...], account_id: str,
                          as_of: str, language: str) -> str:
    """Run the report notebook ``name`` for one account in a kept kernel (``run_kept``) and
    check that its guide and every section of the method are in the report language and
    nothing failed; return what it showed."""
    html = run_kept(kernel, name, account_id=account_id, as_of=as_of, language=language)
    assert guide_text(Path(name).stem, language) in html  # no English notes in Dutch
    for key in sections:
        assert escape(t(f"section.{key}", language)) in html, key
    assert "Traceback" not in html
    return html
