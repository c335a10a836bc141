"""Scripts that find the workbench's parts in a JupyterLab page, for the browser tests that
drive it (tests/lab.py): elements shown, the pager of a long form, the edit area opened."""

from __future__ import annotations

import json

from lab import Notebook

from kamkit.labels import t


def js(value: str) -> str:
    """``value`` as a JavaScript literal."""
    return json.dumps(value)


def visible(selector: str) -> str:
    """A script giving the elements ``selector`` finds that are shown (not in a hidden tab)."""
    return (f"[...document.querySelectorAll({js(selector)})]"
            ".filter(e => e.offsetParent !== null)")


PAGER = f"{visible('.kk-pager')}[0]"
"""The pager shown (of the form in the tab open)."""
PAGER_CHOICE = f"(({PAGER} || {{}}).querySelector && {PAGER}.querySelector('select'))"
PAGER_SHOWN = (f"({PAGER_CHOICE} && {PAGER_CHOICE}.selectedOptions.length ? "
               f"{PAGER_CHOICE}.selectedOptions[0].textContent.replace(/\u00a0/g, ' ') : '')")
"""The rows the pager says it shows ("Rows 1–25 of 103"; ipywidgets writes an option's
spaces as no-break spaces)."""


def open_edit_area(page: Notebook, account: str) -> None:
    """Click the edit area's heading of ``account`` open, as the analyst does."""
    header = (f"[...document.querySelectorAll('.jupyter-widget-Collapse-header')].find("
              f"e => e.textContent.includes({js(t('wb.edit_title', 'en', account=account))}))")
    page.wait_for(f"!!({header})", 180)
    page.click(header)
