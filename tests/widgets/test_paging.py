"""A form makes controls for one page of its records: a table of thousands of rows costs the
kernel and the browser as many widgets as one of a page (a page reconnecting to the kernel
asks for the state of every widget it holds, all at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ipywidgets.widgets.widget import _instances

from kamkit.widgets import Workbench
from kamkit.widgets.records import PAGE_SIZE, Field, RecordList
from kamkit.widgets.table_editor import EDITABLE

FIELDS = [Field("id", "Id", width="80px"), Field("title", "Title"),
          Field("kind", "Kind", "choice", choices=(("A", "a"), ("B", "b")), width="80px")]


def _records(count: int) -> list[dict[str, Any]]:
    return [{"id": f"X{i}", "title": f"title {i}", "kind": "a"} for i in range(count)]


def _widgets_of(count: int) -> int:
    held = len(_instances)
    RecordList(FIELDS, _records(count))
    return len(_instances) - held


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_form_holds_the_widgets_of_one_page_however_many_records() -> None:
    assert _widgets_of(PAGE_SIZE + 1) == _widgets_of(50 * PAGE_SIZE)  # a pager either way
    assert _widgets_of(50 * PAGE_SIZE) < 3 * _widgets_of(PAGE_SIZE)


def test_pages_turn_and_typing_reaches_the_record_of_any_page() -> None:
    changed: list[int] = []
    form = RecordList(FIELDS, _records(45), on_change=lambda: changed.append(1), page_size=20)
    assert list(form.controls) == list(range(20))
    assert form.pager is not None and form.pager.choice.label == "Rows 1–20 of 45"
    form.pager.next.click()
    assert list(form.controls) == list(range(20, 40))
    form.pager.choice.value = 2
    assert list(form.controls) == [40, 41, 42, 43, 44] and form.pager.next.disabled
    form.set(3, "title", "typed")  # turns to its page, as a user would
    assert form.page == 0 and form.records[3]["title"] == "typed" and changed
    held = len(_instances)
    for page in (1, 2, 0, 1):
        form.turn_to(page)
    assert len(_instances) == held  # the page before is closed


def test_problems_off_the_page_mark_their_page_and_are_said_when_shown() -> None:
    form = RecordList(FIELDS, _records(45), language="nl", page_size=20)
    form.show_problems({30: [("title", "Titel: is leeg")]})
    assert form.pager is not None
    assert [label for label, _ in form.pager.choice.options] == [
        "Rijen 1–20 van 45", "Rijen 21–40 van 45: problemen", "Rijen 41–45 van 45"]
    assert "is leeg" in form.message(30)
    assert "Problemen op een andere pagina: rijen 21–40" in form.pager.note.value
    form.turn_to(1)
    assert form.pager.note.value == ""  # the problem is on the page shown
    assert "is leeg" in form.messages[30].value and form.controls[30]["title"].layout.border
    assert not form.controls[31]["title"].layout.border


def test_added_records_show_on_the_last_page_and_one_page_hides_the_pager() -> None:
    form = RecordList(FIELDS, _records(PAGE_SIZE), new=lambda: {"id": "NEW", "kind": "b"})
    assert form.pager is None
    form.add()
    assert form.page == 1 and list(form.controls) == [PAGE_SIZE]
    assert form.pager is not None and form.pager in form.children
    form.remove(PAGE_SIZE)
    assert form.page == 0 and form.pager.layout.display == "none"


def test_a_form_read_again_on_its_page_is_filled_in_place() -> None:
    form = RecordList(FIELDS, _records(45), page_size=20)
    form.turn_to(1)
    control = form.controls[25]["title"]
    records = _records(45)
    records[25]["title"] = "saved"
    form.load(records)
    assert form.page == 1 and form.controls[25]["title"] is control
    assert control.value == "saved"


@pytest.mark.slow
def test_every_table_tab_of_the_workbench_holds_one_page_of_rows(book: Path) -> None:
    held = len(_instances)
    bench = Workbench(book, "MAAS", "2026Q3", author="tester")
    bench.open_editors()
    paged = []
    for index, table in enumerate(EDITABLE, start=1):
        bench.edit_tabs.selected_index = index
        form = bench.table_editors[table].form
        assert list(form.controls) == list(range(min(form.page_size, len(form.records))))
        paged += [table] if form.pages > 1 else []
    assert {"spend", "spend_shares"} <= set(paged)  # 103 and 149 rows
    # every row built, the tabs held 24,697 widgets (spend_shares alone 10,320)
    assert len(_instances) - held < 5000
