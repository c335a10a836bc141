"""The contacts form as an analyst sees it in JupyterLab at 1280 px with the file browser
open, in Dutch (longer words): the e-mail address, the contact reported to and each choice
show their whole usual value, not "yvonne.degraaf@deltastroom.e", "Gerard Hendriks (DELTA-C"
or "gemiddelde invloe"."""

from __future__ import annotations

from pathlib import Path

from lab import IN_LAB, Notebook, explore_notebook
from workbench_page import js

from kamkit.labels import t

pytestmark = IN_LAB

_FIELDS = ("email", "reports_to", "level", "buying_role", "attitude", "influence")

# The values of those fields on the rows shown that their box cuts (text wider than the room
# inside the box: its width less padding and, for a choice, the arrow).
_CUT = """((keys) => {
  const canvas = document.createElement('canvas').getContext('2d');
  const cut = [];
  let seen = 0;
  keys.forEach(key => {
    document.querySelectorAll(`.kk-row .kk-field-${key}`).forEach(field => {
      if (field.offsetParent === null) return;
      const control = field.querySelector('input, select') || field;
      const text = control.tagName === 'SELECT'
        ? (control.options[control.selectedIndex] || {}).text || '' : control.value || '';
      if (!text) return;
      seen += 1;
      const style = getComputedStyle(control);
      canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = control.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight) - (control.tagName === 'SELECT' ? 18 : 0);
      if (canvas.measureText(text).width > room) cut.push(`${key}: ${text}`);
    });
  });
  return {seen, cut};
})"""


def test_contact_fields_show_their_whole_value(lab_server, chromium, screenshots: Path) -> None:
    name = "contacts-width.ipynb"
    explore_notebook(lab_server.root, "book-contacts", name, account_id="DELTA",
                     language="nl")
    with Notebook.open(chromium, lab_server, name) as page:
        page.command("filebrowser:activate")  # the file browser open, as most people have it
        page.wait_for("document.querySelector('.jp-FileBrowser').offsetWidth > 150", 30)
        page.run_all()
        header = ("[...document.querySelectorAll('.jupyter-widget-Collapse-header')].find("
                  f"e => e.textContent.includes({js(t('wb.edit_title', 'nl', account='DELTA'))}))")
        page.wait_for(f"!!({header})", 180)
        page.click(header)
        # the edit area's tab, below the view's of the same name (one word for both)
        tabs = ("[...document.querySelectorAll('.lm-TabBar-tab .lm-TabBar-tabLabel')].filter("
                f"e => e.textContent.trim() === {js(t('wb.table.contacts', 'nl'))})")
        page.wait_for(f"{tabs}.length === 2", 120)
        for _ in range(5):  # again if the tab bar moved under the mouse, as open_tab does
            page.click(f"{tabs}[1]")
            if page.evaluate(f"{tabs}[1].closest('.lm-TabBar-tab')"
                             ".classList.contains('lm-mod-current')"):
                break
            page.wait_idle(20)
        page.wait_for("[...document.querySelectorAll('.kk-row')].some(r => r.offsetParent)", 60)
        page.wait_idle(120)
        page.evaluate("[...document.querySelectorAll('.kk-row')].find(r => r.offsetParent)"
                      ".scrollIntoView({block: 'start'})")
        found = page.evaluate(f"{_CUT}({list(_FIELDS)!r})")
        page.screenshot(screenshots / "workbench-contacts-nl.png", height=1500)
    assert found["seen"] >= 3 * len(_FIELDS), found  # type: ignore[index]
    assert found["cut"] == [], found  # type: ignore[index]
