"""A contact searched among 2,000 in the workbench as the analyst does it in JupyterLab: the
large account's contacts tab (its title counting the problem of a contact's e-mail address
before it is shown) and a "Reports to" search box into which "C12" is typed. Chromium's list
under the box is the input's datalist, which ipywidgets' Combobox fills with the options the
kernel sends: the SHORT_LIST contacts holding C12 and the line "C12… 12 of 100 shown: type
more"; picking that line is no choice (the box keeps what was typed), typing more narrows the
list to the ten that hold C123, and one picked is the contact the record names, shown whole
(the name and the id)."""

from __future__ import annotations

from pathlib import Path

from lab import IN_LAB, Notebook, explore_notebook
from workbench_page import js, open_edit_area, visible

from kamkit.labels import t
from kamkit.widgets.records import SHORT_LIST
from tests.large_account import write_large_workbook

pytestmark = IN_LAB


def test_a_contact_search_box_lists_a_short_list_and_says_type_more(
        lab_server, chromium, screenshots: Path, tmp_path: Path) -> None:
    account = write_large_workbook(tmp_path / "big")
    contacts = tmp_path / "big" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8")  # one address that is none: a warning
    contacts.write_text(text.replace("c5@example.com", "c5 at example"), encoding="utf-8")
    explore_notebook(lab_server.root, "book-big", "big.ipynb", workbook=tmp_path / "big",
                     account_id=account)
    titled = t("wb.tab_problems", "en", title=t("wb.table.contacts", "en"), count=1)
    more = t("wb.search_more", "en", typed="C12", shown=SHORT_LIST, count=100)

    with Notebook.open(chromium, lab_server, "big.ipynb") as page:
        page.run_all(600)
        open_edit_area(page, account)
        page.open_tab(titled)  # counted before it was shown, as the tab bar says
        box = f"{visible('.kk-field-reports_to input')}[2]"  # C0002: no cycle to make
        page.wait_for(f"!!({box})", 180)
        page.click(box)
        page.evaluate(f"{box}.select()")
        page.tab.type("C12")
        offered = f"[...{box}.list.options].map(o => o.value)"
        page.wait_for(f"{offered}.includes({js(more)})", 60)
        listed = page.evaluate(offered)
        assert len(listed) == SHORT_LIST + 1 and listed[-1] == more, listed
        assert all(f"({account}-C12" in v for v in listed[:-1]), listed
        page.screenshot(screenshots / "workbench-search-type-more.png", height=1200)

        # the "type more" line picked (as Chromium sets a datalist option): no choice
        page.evaluate(f"(() => {{ const b = {box}; b.value = {js(more)}; "
                      "b.dispatchEvent(new Event('input', {bubbles: true})); "
                      "b.dispatchEvent(new Event('change', {bubbles: true})); })()")
        page.wait_for(f"{box}.value === 'C12'", 60)
        page.tab.type("3")
        page.wait_for(f"{offered}.length === 10 && {offered}.every(v => v.includes("
                      f"{js(account + '-C123')}))", 60)
        chosen = f"Contact 1234 Lastname ({account}-C1234)"
        page.evaluate(f"{box}.select()")
        page.tab.type(chosen)
        page.tab.press("Tab")
        page.wait_for(f"{visible('.kk-save')}[0] && !{visible('.kk-save')}[0].disabled "
                      f"&& {offered}.length === 1 && {offered}[0] === {js(chosen)}", 60)
        assert page.evaluate(f"{box}.scrollWidth <= {box}.clientWidth")  # the id not cut
        page.screenshot(screenshots / "workbench-search-picked.png", height=1200)
        log = page.tab.log

    assert log.exceptions == []
    assert log.remote_requests == []
