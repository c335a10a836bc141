"""A reference among thousands is a search box the kernel fills with the few choices that hold
what is typed, and a form's rows can be filtered, the pages counting the rows shown: what
an analyst needs on an account of 2,000 contacts."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as widgets
import pytest

from kamkit.labels import t
from kamkit.widgets.records import SHORT_LIST, Field, RecordList

CONTACTS = tuple((f"Contact {i:04d} Lastname (BIG-C{i:04d})", f"BIG-C{i:04d}")
                 for i in range(2000))
FIELDS = [Field("id", "Id", width="80px"),
          Field("reports_to", "Reports to", "reference", choices=(("", ""), *CONTACTS),
                width="190px"),
          Field("kind", "Kind", "choice", choices=(("Alpha", "a"), ("Beta", "b")), width="80px")]


def _records(count: int) -> list[dict[str, Any]]:
    return [{"id": f"X{i}", "reports_to": f"BIG-C{i % 7:04d}" if i % 3 else None,
             "kind": "a" if i % 2 else "b"} for i in range(count)]


def _state_bytes(widget: widgets.Widget) -> int:
    return len(json.dumps(widget.get_state(), default=str))


def test_a_reference_sends_the_browser_a_short_list_not_every_choice() -> None:
    form = RecordList(FIELDS, _records(3))
    box = form.controls[1]["reports_to"]
    assert isinstance(box, widgets.Combobox)
    assert box.value == "Contact 0001 Lastname (BIG-C0001)"
    assert len(box.options) <= SHORT_LIST
    # a drop-down of every contact was some 80 kB of state per row
    assert _state_bytes(box) < 3000
    assert form.controls[0]["reports_to"].value == ""  # none


def test_typing_narrows_the_list_and_a_pick_saves_the_id() -> None:
    changed: list[int] = []
    form = RecordList(FIELDS, _records(3), on_change=lambda: changed.append(1))
    box = form.controls[0]["reports_to"]
    box.value = "lastname (big-c12"  # as typed, any case
    assert box.options[:-1] == tuple(label for label, _ in CONTACTS[1200:1200 + SHORT_LIST])
    assert "type more" in box.options[-1]  # a hundred hold it
    box.value = "Contact 1234 Lastname (BIG-C1234)"  # picked from the list
    assert form.records[0]["reports_to"] == "BIG-C1234" and changed
    box.value = "BIG-C0042"  # an id typed as it is
    assert form.records[0]["reports_to"] == "BIG-C0042"
    box.value = ""
    assert form.records[0]["reports_to"] is None


def test_text_that_names_no_choice_is_kept_for_validation_to_name() -> None:
    form = RecordList(FIELDS, _records(3))
    box = form.controls[0]["reports_to"]
    box.value = "Contact 9999"
    assert form.records[0]["reports_to"] == "Contact 9999"  # never silently dropped
    assert box.options == ()
    form.set(1, "reports_to", "BIG-C0005")  # the API types the choice's label
    assert form.controls[1]["reports_to"].value == "Contact 0005 Lastname (BIG-C0005)"
    assert form.records[1]["reports_to"] == "BIG-C0005"


def test_a_reference_read_again_is_filled_in_place() -> None:
    form = RecordList(FIELDS, _records(3))
    box = form.controls[2]["reports_to"]
    records = _records(3)
    records[2]["reports_to"] = "BIG-C1999"
    form.load(records)
    assert form.controls[2]["reports_to"] is box
    assert box.value == "Contact 1999 Lastname (BIG-C1999)" and box.options == (box.value,)


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_a_filter_pages_over_the_rows_it_shows() -> None:
    form = RecordList(FIELDS, _records(300), page_size=20)
    form.filter("(big-c0003)")  # a contact by its id, as the search box shows it
    expected = [i for i in range(300) if i % 3 and i % 7 == 3]
    assert form.visible == expected and len(expected) > 20
    assert list(form.controls) == expected[:20]
    assert form.pager is not None
    assert form.pager.choice.label == f"Rows 1–20 of {len(expected)}"
    form.pager.next.click()
    assert list(form.controls) == expected[20:40]
    form.filter("beta", "kind")  # a choice by its label, in one column
    assert form.visible == list(range(0, 300, 2)) and form.page == 0
    form.filter("beta", "id")
    assert form.visible == [] and list(form.controls) == []
    form.filter("")
    assert len(form.visible) == 300


def test_an_edit_in_a_filtered_row_reaches_that_record() -> None:
    form = RecordList(FIELDS, _records(300), page_size=20)
    form.filter("X29")  # X29, X290..X299
    assert form.visible == [29, *range(290, 300)]
    form.controls[295]["id"].value = "renamed"
    assert form.records[295]["id"] == "renamed" and form.records[29]["id"] == "X29"
    assert 295 in form.visible  # an edited row stays shown until the filter changes
    form.set(292, "kind", "b")
    assert form.records[292]["kind"] == "b"
    with pytest.raises(ValueError, match="Row 5 is not shown"):
        form.set(4, "kind", "b")
    form.add()
    assert form.visible[-1] == 300 and list(form.controls)[-1] == 300  # a new row shows
    form.remove(29)
    assert form.visible == [*range(289, 299), 299]


def test_rows_added_or_edited_stay_in_view_when_read_again_until_the_filter_changes() -> None:
    form = RecordList(FIELDS, _records(300), page_size=20)
    form.filter("X29")
    form.controls[295]["id"].value = "renamed"  # the filter would hide it now
    form.add({"id": "Y1", "reports_to": None, "kind": "a"})
    assert form.kept_unmatched == [295, 300]
    form.load(form.records, kept=[295, 300])  # read again after a save
    assert form.visible == [29, *range(290, 301)] and form.kept_unmatched == [295, 300]
    form.filter("X29")  # the same filter: nothing changes
    assert 300 in form.visible
    form.filter("X2")  # another: it shows what it holds
    assert 295 not in form.visible and 300 not in form.visible and form.kept_unmatched == []


def test_problems_off_the_filtered_page_or_hidden_by_the_filter_are_said() -> None:
    form = RecordList(FIELDS, _records(300), page_size=20)
    form.filter("(big-c0003)")
    visible = form.visible
    form.show_problems({visible[25]: [("id", "Id: taken")], 11: [("id", "Id: empty")]})
    assert form.pager is not None
    assert [label for label, _ in form.pager.choice.options][1].endswith(": problems")
    assert form.pager.note.value.count("Problems on another page: rows 21–") == 1
    assert form.hidden_problems == [11]


def test_a_reference_naming_no_choice_is_said_so_once() -> None:
    form = RecordList(FIELDS, _records(3), language="nl")
    form.controls[0]["reports_to"].value = "Jan de Vries"
    form.show_problems({0: [("reports_to", "Reports to (Jan de Vries): holds a space"),
                            ("reports_to", "Reports to (Jan de Vries): no such contact"),
                            ("id", "Id: taken")],
                        1: [("reports_to", "Reports to (BIG-C0001): reports to itself")]})
    said = form.message(0)
    assert said.count("Reports to (Jan de Vries): geen van de keuzes; kies er een uit de "
                      "lijst die het vak toont terwijl u typt.") == 1, said
    assert "holds a space" not in said and "Id: taken" in said
    assert "reports to itself" in form.message(1)  # a choice there is: validation's words


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_narrow_search_box_says_a_placeholder_it_has_room_for(language: str) -> None:
    wide = Field("owner", "Owner", "reference", choices=CONTACTS[:3], width="200px",
                 language=language)
    narrow = Field("objective", "Objective", "reference", choices=CONTACTS[:3], width="90px",
                   language=language)
    long, short = (f.control(None, lambda _: None).placeholder for f in (wide, narrow))
    assert long == t("wb.search", language)
    # some 7 px a character at 13 px, the box's padding and border: 90 px holds 9 or so
    assert len(short) <= 8 < len(long)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_search_box_says_when_more_choices_hold_the_text_and_that_line_is_no_choice(
        language: str) -> None:
    fields = [Field("reports_to", "Reports to", "reference", choices=(("", ""), *CONTACTS),
                    width="190px", language=language)]
    form = RecordList(fields, [{"reports_to": "BIG-C0001"}], language=language)
    box = form.controls[0]["reports_to"]
    holding = sum("c12" in label.casefold() for label, _ in CONTACTS)
    box.value = "C12"  # a hundred contacts hold it
    *offered, more = box.options
    assert len(offered) == SHORT_LIST and more.startswith("C12")  # the browser lists it
    assert f"{SHORT_LIST} {('of', 'van')[language == 'nl']} {holding}" in more
    box.value = more  # picked: the text typed stays, no contact is named by it
    assert box.value == "C12" and form.records[0]["reports_to"] == "C12"
    box.value = "C123"  # ten hold it: all offered, no line
    assert box.options == tuple(label for label, _ in CONTACTS if "C123" in label)


@pytest.mark.parametrize(("language", "pager", "more"), [
    ("en", "Rows 1–25 of 2,000", "Contact… 12 of 2,000 shown: type more"),
    ("nl", "Rijen 1–25 van 2.000", "Contact… 12 van 2.000 getoond: typ verder")])
def test_counts_of_thousands_are_written_as_the_language_writes_numbers(
        language: str, pager: str, more: str) -> None:
    fields = [Field("reports_to", "Reports to", "reference", choices=CONTACTS, width="190px",
                    language=language)]
    form = RecordList(fields, [{"reports_to": c} for _, c in CONTACTS], language=language)
    assert form.pager is not None and form.pager.choice.label == pager
    box = form.controls[0]["reports_to"]
    box.value = "Contact"
    assert box.options[-1] == more


def test_a_search_box_in_a_card_has_room_for_a_name_with_its_id() -> None:
    wide = [*FIELDS, Field("note", "Note", "long_text", width="400px")]  # cards, not rows
    form = RecordList(wide, _records(2))
    assert form.stacked
    # "Contact 0001 Lastname (BIG-C0001)" whole (190 px showed "Contact 0001 Lastname (B")
    assert form.controls[1]["reports_to"].layout.width == "260px"
    assert RecordList(FIELDS, _records(2)).controls[1]["reports_to"].layout.width == "190px"
