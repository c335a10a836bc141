"""A table filtered and a contact searched in the workbench as the analyst does it in
JupyterLab: "Rotterdam" typed in the spend tab's filter box leaves its 39 rows, paged as
"Rows 1–25 of 39"; in the relationships tab a contact's search box offers the contacts
holding what is typed (a short list, not every contact of the account; each contact shown
whole, with its id) and a name that is no contact is named in red beside its row."""

from __future__ import annotations

from pathlib import Path

from lab import IN_LAB, Notebook, explore_notebook
from workbench_page import PAGER_SHOWN, js, open_edit_area, visible

import kamkit
from kamkit.labels import t
from kamkit.widgets.explorer import first_account
from kamkit.widgets.records import SHORT_LIST

pytestmark = IN_LAB


def test_filter_the_spend_rows_and_search_a_contact(lab_server, chromium,
                                                    screenshots: Path) -> None:
    book = explore_notebook(lab_server.root, "book-filter", "filter.ipynb")
    account = first_account(kamkit.load_workbook(book))

    with Notebook.open(chromium, lab_server, "filter.ipynb") as page:
        page.run_all()
        open_edit_area(page, account)
        page.open_tab(t("wb.table.spend", "en"))
        box = f"{visible('.kk-filter input')}[0]"
        page.wait_for(f"!!({box})", 120)
        page.click(box)
        page.tab.type("Rotterdam")
        page.tab.press("Enter")
        page.wait_for(f"{PAGER_SHOWN} === 'Rows 1–25 of 39'", 60)
        assert page.evaluate(f"{visible('.kk-row')}.length") == 25
        assert page.evaluate(f"{visible('.kk-row')}.every(r => [...r.querySelectorAll("
                             "'input')].some(i => i.value.includes('Rotterdam')))")
        # the note follows the pager in its own message from the kernel: wait for it too
        page.wait_for(f"{box}.closest('.widget-hbox').textContent.includes("
                      "'39 rows of 103 shown')", 60)
        page.evaluate(f"{box}.scrollIntoView({{block: 'start'}})")
        page.screenshot(screenshots / "workbench-spend-filtered.png", height=1500)

        page.open_tab(t("wb.table.relationships", "en"))
        contact = f"{visible('.kk-field-contact_id input')}[0]"
        page.wait_for(f"!!({contact})", 120)
        # each contact shown whole, its id too, the row's fields side by side
        assert page.evaluate(f"{visible('.kk-field-contact_id input')}.every("
                             "b => b.value && b.scrollWidth <= b.clientWidth)")
        page.click(contact)
        page.evaluate(f"{contact}.select()")
        page.tab.press("Backspace")
        page.tab.type(f"{account}-C0")
        offered = f"[...{contact}.list.options].map(o => o.value)"
        page.wait_for(f"{offered}.length > 0 && {offered}.every(v => v.includes("
                      f"{js(account + '-C0')}))", 60)
        # at most SHORT_LIST choices, and a last line "... shown: type more" when more match
        choices = f"{offered}.filter(v => !v.includes('shown: type more'))"
        assert page.evaluate(f"{choices}.length") <= SHORT_LIST
        assert page.evaluate(f"{offered}.length") <= SHORT_LIST + 1
        page.evaluate(f"{contact}.select()")
        page.tab.type("Nobody we know")
        page.tab.press("Tab")
        said = (f"{visible('.kk-row')}.some(r => r.textContent.includes("
                "'Contact (Nobody we know): none of the choices'))")
        page.wait_for(said, 60)
        assert page.evaluate(f"{visible('.kk-save')}[0].disabled")
        page.evaluate(f"{contact}.scrollIntoView({{block: 'center'}})")
        page.screenshot(screenshots / "workbench-contact-unknown.png", height=1500)
        log = page.tab.log

    assert log.faults(console=False) == []
