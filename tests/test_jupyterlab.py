"""Notebooks in a real JupyterLab (started by the test on 127.0.0.1, Debian's Chromium, every
other host unreachable): a notebook made by ``kamkit run`` shows its charts and styles
without being trusted, and interactive charts survive re-running a cell, saving, reloading
the page and reopening the notebook."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from lab import IN_LAB, NOTEBOOKS, Notebook

from kamkit.charts.render import VEGA_MIMETYPE
from kamkit.cli import main
from kamkit.report.analysis import SECTIONS, AnalysisReport

pytestmark = IN_LAB

STYLES = """(() => {
  const shown = selector => [...PANEL.node.querySelectorAll('.jp-OutputArea-output ' + selector)];
  const style = element => element ? getComputedStyle(element) : {};
  const text = heading => {  // without the anchor link JupyterLab adds to headings
    const copy = heading.cloneNode(true);
    copy.querySelectorAll('.jp-InternalAnchorLink').forEach(a => a.remove());
    return copy.textContent;
  };
  const findings = style(shown('.kk-findings')[0]);
  return {
    title: shown('h1').map(text),
    headings: shown('h2').map(text),
    style_elements: shown('style').length,
    findings: [findings.backgroundColor, findings.borderLeftWidth, findings.borderLeftColor],
    quadrant_tops: shown('.kk-quadrant').slice(0, 2).map(q => q.getBoundingClientRect().top),
    number_align: style(shown('td.kk-num')[0]).textAlign,
    tag_background: style(shown('.kk-tag')[0]).backgroundColor,
  };
})()"""

UNTRUSTED = ("PANEL.content.widgets.filter(c => c.model.type === 'code')"
             ".every(c => !c.model.trusted)")


def chart_outputs(notebook: nbformat.NotebookNode) -> int:
    return sum(VEGA_MIMETYPE in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


def html_headings(notebook: nbformat.NotebookNode, level: int) -> list[str]:
    return [html.unescape(title) for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs
            for title in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>",
                                    output.get("data", {}).get("text/html", ""))]


@pytest.fixture(scope="module")
def delivered(lab_server, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The notebooks of one account made by ``kamkit run``, copied as delivered into the
    server's root."""
    output = tmp_path_factory.mktemp("run")
    assert main(["run", "--quarter", "2026Q3", "--accounts", "MAAS", "--notebooks",
                 "analysis,plan", "--jobs", "1", "--output", str(output)]) == 0
    names = []
    for made in sorted((output / "2026Q3" / "MAAS").glob("*.ipynb")):
        shutil.copy(made, lab_server.root / f"run-{made.name}")
        names.append(f"run-{made.name}")
    assert names == ["run-analysis.ipynb", "run-plan.ipynb"]
    return names


def test_a_kamkit_run_notebook_shows_its_charts_and_styles_untrusted(
        lab_server, chromium, delivered: list[str], screenshots: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    for name in delivered:
        stored = nbformat.read(lab_server.root / name, as_version=4)
        charts = chart_outputs(stored)
        assert charts >= 3, name
        with Notebook.open(chromium, lab_server, name) as notebook:
            assert notebook.evaluate(UNTRUSTED), "the test needs an untrusted notebook"
            drawn = notebook.wait_drawn(charts, "vega")
            assert len(drawn) == charts
            outputs = notebook.outputs()
            assert not [o for o in outputs if re.search(r"alt\.\w*Chart\(", o["text"])]
            assert not [o for o in outputs if o["kind"] in ("svg", "javascript", "other")]
            looks = notebook.evaluate(STYLES)
            notebook.scroll_to(0)
            notebook.screenshot(screenshots / f"untrusted-{name}-top.png", height=2000)
            notebook.scroll_to(drawn[0]["cell"] - 1)
            notebook.screenshot(screenshots / f"untrusted-{name}.png", height=2000)
            log = notebook.tab.log
        # kamkit's headings and styles survive JupyterLab's sanitizer
        assert looks["title"] == html_headings(stored, 1)
        assert looks["headings"] == html_headings(stored, 2) and len(looks["headings"]) >= 5
        assert looks["style_elements"] == 0
        assert looks["number_align"] == "right"
        if "analysis" in name:
            assert looks["findings"] == ["rgb(243, 247, 251)", "4px", "rgb(27, 79, 138)"]
            assert looks["tag_background"] == "rgb(238, 238, 255)"
            left, right = looks["quadrant_tops"]
            assert left == right  # the SWOT's quadrants side by side
        assert log.faults() == [], name


def interactive_copy(root: Path) -> str:
    notebook = nbformat.read(NOTEBOOKS / "account_analysis.ipynb", as_version=4)
    parameters = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source, replaced = re.subn(r'charts = "svg"', 'charts = "interactive"',
                                          parameters.source)
    assert replaced == 1
    nbformat.write(notebook, root / "interactive.ipynb")
    return "interactive.ipynb"


def test_interactive_charts_survive_rerun_save_reload_and_reopen(
        lab_server, chromium, screenshots: Path) -> None:
    name = interactive_copy(lab_server.root)
    report = AnalysisReport.build(None, "MAAS", "2026Q3")
    charts = sum(not isinstance(block, str)
                 for key in SECTIONS for block in report.section(key).blocks)
    assert charts >= 8
    logs = []

    def all_drawn() -> list[dict]:
        """Every chart shows a picture, whatever way it travels."""
        drawn = notebook.wait_drawn(charts)
        assert len(drawn) == charts
        return drawn

    with Notebook.open(chromium, lab_server, name) as notebook:
        notebook.run_all()
        first_chart = all_drawn()[0]["cell"]
        # re-run that cell as a person does: click into it, Shift+Enter
        count = f"PANEL.content.widgets[{first_chart}].model.executionCount"
        before = notebook.evaluate(count)
        notebook.click(f"PANEL.content.widgets[{first_chart}].node"
                       ".querySelector('.jp-InputArea-editor')")
        notebook.tab.press("Enter", shift=True)
        notebook.wait_for(f"{count} > {before}")
        notebook.wait_idle()
        all_drawn()
        notebook.save()
        notebook.reload()
        all_drawn()
        logs.append(notebook.tab.log)
    saved = nbformat.read(lab_server.root / name, as_version=4)
    nbformat.validate(saved)
    assert chart_outputs(saved) == charts  # each chart carries what draws it ...
    assert not [o for c in saved.cells if c.cell_type == "code" for o in c.outputs
                if "<script" in o.get("data", {}).get("text/html", "")
                or "application/javascript" in o.get("data", {})]  # ... and no script
    with Notebook.open(chromium, lab_server, name) as notebook:  # reopened from the file
        all_drawn()
        notebook.run_all()  # a second run in the same kernel
        all_drawn()
        notebook.scroll_to(first_chart - 1)
        notebook.screenshot(screenshots / "interactive-reopened.png", height=2000)
        logs.append(notebook.tab.log)
    for log in logs:
        assert log.faults() == []
