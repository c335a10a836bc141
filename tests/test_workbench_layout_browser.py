"""The workbench's editors as an analyst sees them in JupyterLab at 1280 px with the file
browser open: every field of an objective or an action is on screen (no row scrolls sideways
on its own), each under its own label, a choice shows its whole text, and no tab label or
button is cut; in English and in Dutch (longer words)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab import IN_LAB, Notebook, explore_notebook

import kamkit
from kamkit.labels import t

pytestmark = IN_LAB

# The visible form rows, and what in them does not fit: a control beyond the edge of the
# editor's tab, a box that scrolls sideways, a label not right above its control, a choice
# whose text is cut.
_LAYOUT = """(() => {
  const rows = [...document.querySelectorAll('.kk-row')].filter(r => r.offsetParent !== null);
  const panel = rows.length ? rows[0].closest('.widget-tab-contents') : null;
  if (!panel) return {rows: 0, faults: ['no rows shown']};
  const edge = panel.getBoundingClientRect();
  const canvas = document.createElement('canvas').getContext('2d');
  const faults = [];
  rows.forEach((row, index) => {
    const id = (row.querySelector('.kk-field-id input') || {}).value || index;
    [row, ...row.querySelectorAll('.widget-box')].forEach(box => {
      if (box.scrollWidth > box.clientWidth + 1) faults.push(`${id}: a box scrolls sideways`);
    });
    row.querySelectorAll('input, select, textarea, button').forEach(control => {
      const box = control.getBoundingClientRect();
      if (box.right > edge.right + 1 || box.left < edge.left - 1)
        faults.push(`${id}: ${control.closest('[class*=kk-field]')?.className || 'button'}`
                    + ` outside the editor (${Math.round(box.left)}-${Math.round(box.right)}`
                    + ` of ${Math.round(edge.left)}-${Math.round(edge.right)})`);
    });
    row.querySelectorAll('.kk-label').forEach(label => {
      const control = label.nextElementSibling;
      const a = label.getBoundingClientRect(), b = control.getBoundingClientRect();
      if (Math.abs(a.left - b.left) > 4 || b.top < a.bottom - 2 || b.top - a.bottom > 8)
        faults.push(`${id}: the label ${label.innerText} is not right above its field`);
    });
    row.querySelectorAll('select').forEach(select => {
      const option = select.options[select.selectedIndex];
      if (!option) return;
      const style = getComputedStyle(select);
      canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      if (canvas.measureText(option.text).width > select.clientWidth - 18)
        faults.push(`${id}: the choice ${option.text} is cut`);
    });
  });
  const labels = rows.reduce((n, r) => n + r.querySelectorAll('.kk-label').length, 0);
  return {rows: rows.length, labels, faults};
})()"""


# Tab labels and buttons shown whose text is cut ("Relationsh", "Laatste wijzigi…").
_CUT = """(() => {
  const cut = [];
  document.querySelectorAll('.widget-tab > .lm-TabBar .lm-TabBar-tab').forEach(tab => {
    if (!tab.offsetParent) return;
    const label = tab.querySelector('.lm-TabBar-tabLabel');
    const range = document.createRange();
    range.selectNodeContents(label);
    const text = range.getBoundingClientRect(), box = tab.getBoundingClientRect();
    if (text.right > box.right + 1 || label.scrollWidth > label.clientWidth + 1)
      cut.push(label.textContent);
  });
  document.querySelectorAll('.jp-OutputArea .jupyter-button').forEach(button => {
    if (button.offsetParent && button.scrollWidth > button.clientWidth + 1)
      cut.push(button.textContent.trim());
  });
  return cut;
})()"""


def _js(value: str) -> str:
    return json.dumps(value)


def _check(page: Notebook, language: str, part: str, screenshots: Path) -> dict:
    label = t(f"wb.edit.{part}", language)
    page.open_tab(label)  # again if the tab bar moved under the click, as the forms load
    page.wait_for("[...document.querySelectorAll('.kk-row')].some(r => r.offsetParent)", 60)
    page.wait_idle(120)
    page.evaluate("[...document.querySelectorAll('.kk-row')].find(r => r.offsetParent)"
                  ".scrollIntoView({block: 'start'})")
    found = page.evaluate(_LAYOUT)
    page.screenshot(screenshots / f"workbench-{part}-{language}.png", height=1500)
    return found  # type: ignore[return-value]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_objectives_and_actions_fit_beside_the_file_browser(
        lab_server, chromium, screenshots: Path, language: str) -> None:
    name = f"layout-{language}.ipynb"
    book = explore_notebook(lab_server.root, f"book-{language}", name,
                            account_id="DELTA", language=language)

    with Notebook.open(chromium, lab_server, name) as page:
        assert page.evaluate("window.innerWidth") == 1280
        page.command("filebrowser:activate")  # the file browser open, as most people have it
        page.wait_for("document.querySelector('.jp-FileBrowser').offsetWidth > 150", 30)
        page.run_all()
        header = (f"[...document.querySelectorAll('.jupyter-widget-Collapse-header')].find("
                  f"e => e.textContent.includes({_js('DELTA')}))")
        page.wait_for(f"!!({header})", 180)
        page.click(header)
        objectives = _check(page, language, "objectives", screenshots)
        actions = _check(page, language, "actions", screenshots)
        cut = page.evaluate(_CUT)
        page.evaluate("document.querySelector('.kk-account-picker').scrollIntoView()")
        page.screenshot(screenshots / f"workbench-top-{language}.png", height=1500)
        log = page.tab.log

    document = kamkit.load_workbook(book).documents["DELTA"]
    assert objectives["rows"] == len(document.plan.objectives)
    assert actions["rows"] == len(document.plan.actions)
    assert cut == []
    assert objectives["faults"] == []
    assert actions["faults"] == []
    fields = {"objectives": 10, "actions": 6}  # kamkit.widgets.document_form.PARTS
    assert objectives["labels"] == fields["objectives"] * objectives["rows"]
    assert actions["labels"] == fields["actions"] * actions["rows"]
    assert log.faults(console=False) == []
