"""A long table in the workbench as the analyst pages through it in JupyterLab: the spend
estimates of an account (a hundred rows) show a page of rows under a pager saying which rows
of how many, the next page is a click away, and a problem typed on one page marks that page
in the pager when another is shown (the save stays off until it is fixed)."""

from __future__ import annotations

from pathlib import Path

from lab import IN_LAB, Notebook, explore_notebook
from workbench_page import PAGER, PAGER_CHOICE, PAGER_SHOWN, js, open_edit_area, visible

import kamkit
from kamkit.labels import t
from kamkit.widgets.explorer import first_account
from kamkit.widgets.records import PAGE_SIZE

pytestmark = IN_LAB


def test_spend_rows_in_pages_with_problems_marked(lab_server, chromium,
                                                  screenshots: Path) -> None:
    book = explore_notebook(lab_server.root, "book-pages", "pages.ipynb")
    workbook = kamkit.load_workbook(book)
    account = first_account(workbook)
    count = len(workbook.account(account).table("spend"))
    assert count > 2 * PAGE_SIZE
    first, second = (f"Rows 1–{PAGE_SIZE} of {count}",
                     f"Rows {PAGE_SIZE + 1}–{2 * PAGE_SIZE} of {count}")

    with Notebook.open(chromium, lab_server, "pages.ipynb") as page:
        page.run_all()
        open_edit_area(page, account)
        page.open_tab(t("wb.table.spend", "en"))
        page.wait_for(f"{PAGER_SHOWN} === {js(first)}", 120)
        assert page.evaluate(f"{visible('.kk-row')}.length") == PAGE_SIZE
        page.evaluate(f"{PAGER}.scrollIntoView({{block: 'start'}})")
        page.screenshot(screenshots / "workbench-spend-page-1.png", height=1500)

        page.click(f"{PAGER}.querySelectorAll('button')[1]")  # next
        page.wait_for(f"{PAGER_SHOWN} === {js(second)}", 60)
        amount = f"{visible('.kk-field-spend input')}[0]"
        page.wait_for(f"!!({amount})", 60)
        page.click(amount)
        page.evaluate(f"{amount}.select()")
        page.tab.type("-5")
        page.wait_for(f"{visible('.kk-row')}.some(r => r.textContent.includes("
                      f"'not be negative'))", 60)
        page.evaluate(f"{PAGER}.scrollIntoView({{block: 'start'}})")
        page.screenshot(screenshots / "workbench-spend-page-2-problem.png", height=1500)

        page.click(f"{PAGER}.querySelectorAll('button')[0]")  # previous
        page.wait_for(f"{PAGER_SHOWN} === {js(first)}", 60)
        options = page.evaluate(f"[...{PAGER_CHOICE}.options].map(o => o.textContent"
                                f".replace(/\u00a0/g, ' '))")
        assert options[1] == f"{second}: problems", options
        assert not any("problems" in o for i, o in enumerate(options) if i != 1), options
        note = page.evaluate(f"{PAGER}.querySelector('.widget-html').textContent")
        assert note.strip() == f"Problems on another page: rows {PAGE_SIZE + 1}–{2 * PAGE_SIZE}"
        assert page.evaluate(f"{visible('.kk-save')}[0].disabled")
        page.evaluate(f"{PAGER}.scrollIntoView({{block: 'start'}})")
        page.screenshot(screenshots / "workbench-spend-pager-marked.png", height=1500)
        log = page.tab.log

    assert log.faults(console=False) == []
