"""The workbench reopened in the kernel it ran in (review 7, finding 3): a user edits and
saves, closes the browser tab, opens the notebook again (JupyterLab keeps the kernel), runs
all cells and edits again.

The kernel must then hold the widgets of one workbench, not of every workbench and form
it ever made: a page that connects asks for the state of every widget the kernel holds, and
with tens of thousands JupyterLab's widget manager falls back to asking one by one; that
flood overran the kernel's IOPub queue, dropped messages and left the edit area empty and
the kernel "busy" for good."""

from __future__ import annotations

from pathlib import Path

import yaml
from lab import Notebook, explore_notebook
from test_workbench_browser import (
    CARD,
    _click_text,
    _field,
    _js,
    _save_visible,
    _set_text,
)
from test_workbench_browser import pytestmark as pytestmark  # browser, notebook (JupyterLab)

import kamkit
from kamkit.labels import t
from kamkit.widgets.explorer import first_account

_WIDGETS_IN_KERNEL = "import ipywidgets.widgets.widget as w; print(len(w._instances))"


def _kernel_widgets(page: Notebook) -> int:
    """How many widgets the notebook's kernel holds (asked outside any cell)."""
    script = ("(async () => { const k = PANEL.sessionContext.session.kernel; let out = '';"
              f" const f = k.requestExecute({{code: {_js(_WIDGETS_IN_KERNEL)}, "
              "store_history: false});"
              " f.onIOPub = m => { if (m.header.msg_type === 'stream') out += m.content.text; };"
              " await f.done; return out; })()")
    return int(str(page.evaluate(script, 120)).strip())


def _kernel_id(page: Notebook) -> str:
    return str(page.evaluate("PANEL.sessionContext.session.kernel.id"))


def _edit_target(page: Notebook, account: str, objective: str, value: float) -> None:
    """Open the edit area, the Objectives tab, type ``value`` as the target, save."""
    header = _click_text(".jupyter-widget-Collapse-header",
                         t("wb.edit_title", "en", account=account))
    page.wait_for(f"!!({header})", 60)
    page.click(header)
    page.open_tab("Objectives")
    target = _field(objective, "target")
    page.wait_for(f"!!({target})", 120)
    _set_text(page, target, f"{value:g}")
    _save_visible(page)


def test_close_the_page_reopen_run_all_and_edit_again(lab_server, chromium,
                                                      screenshots: Path) -> None:
    book = explore_notebook(lab_server.root, "book_reopen", "reopen.ipynb")
    workbook = kamkit.load_workbook(book)
    account = first_account(workbook)
    name = workbook.account(account).account.name
    objective = next(o for o in workbook.documents[account].plan.objectives
                     if o.target is not None)

    def saved_target() -> float:
        saved = yaml.safe_load((book / "documents" / f"{account}.yaml").read_text("utf-8"))
        return next(o for o in saved["plan"]["objectives"]
                    if o["id"] == objective.id)["target"]

    with Notebook.open(chromium, lab_server, "reopen.ipynb") as page:
        page.run_all()
        page.wait_for(f"{CARD} === {_js(name)}", 180)
        _edit_target(page, account, objective.id, objective.target + 1)
        kernel = _kernel_id(page)
        first = _kernel_widgets(page)  # one workbench with its editors open, after a save
        first_log = page.tab.log
    assert saved_target() == objective.target + 1

    # the tab closed; the notebook opened again on the kernel that still runs
    with Notebook.open(chromium, lab_server, "reopen.ipynb") as page:
        assert _kernel_id(page) == kernel
        page.run_all()
        page.wait_for(f"{CARD} === {_js(name)}", 180)
        _edit_target(page, account, objective.id, objective.target + 2)
        page.screenshot(screenshots / "workbench-reopened-saved.png", height=1800)
        again = _kernel_widgets(page)
        log = page.tab.log
    assert saved_target() == objective.target + 2
    # the workbench of the closed page and its forms are closed, not kept beside the new one
    assert again <= first * 1.1, (first, again)
    assert first_log.faults(console=False) == [] and log.faults(console=False) == []
