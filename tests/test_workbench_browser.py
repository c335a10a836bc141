"""The workbench in a real JupyterLab (started by the test on 127.0.0.1, Debian's Chromium,
every other host unreachable): explore.ipynb runs, another account is picked by typing into
the widget, the views follow, and an objective is edited and saved through the editor."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from browser import CHROMIUM
from lab import Notebook

import kamkit
from kamkit.widgets.explorer import account_choices

pytestmark = [
    pytest.mark.browser, pytest.mark.notebook,  # JupyterLab runs kernels
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: "
                       "see .ci/run; locally `apt-get install chromium`)")]

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

CARD = "(document.querySelector('.kk-account-card h3') || {}).textContent"
VEGA_DRAWN = ("[...document.querySelectorAll('.vega-embed svg')]"
              ".filter(s => s.getBoundingClientRect().width > 50).length")


def _js(value: str) -> str:
    return json.dumps(value)


def _field(item: str, field: str) -> str:
    """The input of ``field`` in the form row whose id is ``item``."""
    return (f"[...document.querySelectorAll('.kk-row')].filter(r => {{"
            f"const id = r.querySelector('.kk-field-id input'); return id && id.value === "
            f"{_js(item)}; }}).map(r => r.querySelector('.kk-field-{field} input'))"
            f".filter(Boolean)[0]")


def _click_text(selector: str, text: str) -> str:
    return (f"[...document.querySelectorAll({_js(selector)})].find(e => e.textContent.trim()"
            f" === {_js(text)})")


def test_pick_another_account_then_edit_and_save_an_objective(
        lab_server, chromium, screenshots: Path) -> None:
    book = lab_server.root / "book"
    shutil.copytree(kamkit.DEMO_WORKBOOK, book)
    notebook = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    parameters = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    parameters.source, replaced = re.subn(r"^workbook = None", 'workbook = "book"',
                                          parameters.source, flags=re.M)
    assert replaced == 1
    nbformat.write(notebook, lab_server.root / "explore.ipynb")
    workbook = kamkit.load_workbook(book)
    choices = account_choices(workbook, "en")
    first = next(iter(choices.values()))  # account_id = None: the first key account
    delta = next(label for label, account in choices.items() if account == "DELTA")
    figures = workbook.key_figures("2026Q3").set_index("account_id")

    with Notebook.open(chromium, lab_server, "explore.ipynb") as page:
        page.run_all()
        page.wait_for(f"{CARD} === {_js(workbook.account(first).account.name)}", 180)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)  # the wallet view's charts
        page.screenshot(screenshots / "workbench-first.png", height=1800)

        # pick DELTA as a person does: click the picker, clear it, type, Enter
        picker = "document.querySelector('.kk-account-picker input')"
        page.click(picker)
        page.evaluate(f"{picker}.select()")
        page.tab.press("Backspace")
        page.tab.type(delta)
        page.tab.press("Enter")
        page.wait_for(f"{CARD} === {_js(workbook.account('DELTA').account.name)}", 120)
        revenue = f"EUR {figures.loc['DELTA', 'revenue']:,.0f}"
        page.wait_for(f"document.querySelector('.kk-account-card').textContent"
                      f".includes({_js(revenue)})", 60)
        page.wait_for(f"{VEGA_DRAWN} >= 2", 120)
        page.screenshot(screenshots / "workbench-delta.png", height=1800)

        # open the editors, the objectives tab, change a target, save
        header = _click_text(".jupyter-widget-Collapse-header", "Edit DELTA: SWOTs, "
                             "objectives, actions and the change log")
        page.wait_for(f"!!({header})", 60)  # the title follows the account
        page.click(header)
        page.wait_for(f'!!({_click_text(".lm-TabBar-tab .lm-TabBar-tabLabel", "Objectives")})',
                      120)
        page.click(_click_text(".lm-TabBar-tab .lm-TabBar-tabLabel", "Objectives"))
        plan = workbook.documents["DELTA"].plan
        objective = next(o for o in plan.objectives if o.target is not None)
        target = _field(objective.id, "target")
        page.wait_for(f"!!({target})", 60)
        new_target = objective.target + 1
        page.click(target)
        page.evaluate(f"{target}.select()")
        page.tab.type(f"{new_target:g}")
        page.wait_for("[...document.querySelectorAll('.kk-row')].some(r => "
                      "r.textContent.includes('SMART'))", 60)
        page.click("document.querySelector('.kk-save')")
        page.wait_for("[...document.querySelectorAll('.kk-save-message')].some(m => "
                      "m.textContent.includes('Saved'))", 60)
        page.screenshot(screenshots / "workbench-saved.png", height=1800)
        log = page.tab.log

    saved = yaml.safe_load((book / "documents" / "DELTA.yaml").read_text(encoding="utf-8"))
    assert next(o for o in saved["plan"]["objectives"]
                if o["id"] == objective.id)["target"] == new_target
    assert "DELTA" in (book / "kamkit-changes.csv").read_text(encoding="utf-8")
    assert log.exceptions == []
    assert log.remote_requests == []
