"""Forms an analyst reads without knowing kamkit's codes: fixed values by the labels the
reports use, an empty choice in words (never "None"), and a row just added that does not
shout its empty fields before it is touched."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest

from kamkit.documents import METRICS
from kamkit.labels import choice_word
from kamkit.schema import TABLES_BY_NAME
from kamkit.widgets import document_form as form
from kamkit.widgets.records import Field, RecordList, none_choice
from kamkit.widgets.table_editor import column_field
from kamkit.workbook import Workbook


@pytest.mark.parametrize("language", ["en", "nl"])
def test_objective_metric_and_kind_show_the_reports_labels_and_keep_the_codes(
        mini: Workbook, language: str) -> None:
    part = form.PARTS_BY_KEY["objectives"]
    fields = {f.key: f for f in form.fields(part, mini, {}, language)}
    metric, kind = fields["metric"], fields["kind"]
    shown = dict(metric.choices)
    assert shown[choice_word("share_of_wallet", "objectives.metric", language)] \
        == "share_of_wallet"
    assert {v for _, v in metric.choices} == {"", *METRICS}
    assert not [label for label, _ in metric.choices if "_" in label]  # no code shown
    if language == "nl":
        assert "aandeel in besteding" in shown and "kwantitatief" in dict(kind.choices)
    record = {name: None for name in part.fields} | {"id": "OB1", "kind": "quantitative"}
    rows = RecordList(form.fields(part, mini, {}, language), [record], language=language)
    box = rows.controls[0]["metric"]
    assert isinstance(box, widgets.Dropdown) and box.label == none_choice(language)[0]
    box.label = choice_word("gross_margin", "objectives.metric", language)  # picked
    assert rows.records[0]["metric"] == "gross_margin"  # the code saved, as before


@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_empty_choice_is_said_in_words_or_not_offered_never_none(
        mini: Workbook, language: str) -> None:
    table = TABLES_BY_NAME["contacts"]
    fields = [column_field(c, mini, "A1", language, "contacts") for c in table.columns
              if c.name != "account_id"]
    choices = [f for f in fields if f.kind == "choice"]
    rows = RecordList(choices, [{f.key: None for f in choices}], language=language)
    for field in choices:
        box = rows.controls[0][field.key]
        labels = [label for label, _ in box.options]
        assert "None" not in labels and None not in [v for _, v in box.options], field.key
        column = next(c for c in table.columns if c.name == field.key)
        if column.required:  # nothing chosen yet, and no choice of none
            assert box.value is None and "" not in [v for _, v in box.options]
        else:
            assert box.label == none_choice(language)[0] == ("(none)", "(geen)")[
                language == "nl"]
    assert rows.records[0] == {f.key: None for f in choices}  # nothing read as a change


FIELDS = [Field("id", "Id", width="80px"), Field("name", "Name", width="120px"),
          Field("level", "Level", "choice", choices=(("High", "h"), ("Low", "l")),
                width="80px")]


def _problems(records: list[dict[str, Any]]) -> dict[int, list[tuple[str | None, str]]]:
    """What validation says: each empty field of each row is an error."""
    return {i: [(key, f"{key}: is empty") for key in ("id", "name", "level") if not r.get(key)]
            for i, r in enumerate(records) if any(not r.get(k) for k in ("id", "name", "level"))}


def test_a_new_row_names_the_fields_to_fill_in_until_it_is_edited() -> None:
    rows: RecordList

    def check() -> None:
        rows.show_problems(_problems(rows.records))

    rows = RecordList(FIELDS, [{"id": "X1", "name": "", "level": "h"}], on_change=check)
    check()
    assert "is empty" in rows.message(0)  # a row read from the file says its problems
    rows.add({"id": "X2", "name": None, "level": None})
    assert 1 in rows.fresh
    said = rows.message(1)
    assert "is empty" not in said and "#c0392b" not in said  # no red before it is touched
    assert "fill in Name, Level" in said
    assert all("2px solid" not in (c.layout.border or "") for c in rows.controls[1].values())
    rows.set(1, "name", "Iris")  # touched: its problems are said from now on
    assert 1 not in rows.fresh
    assert "level: is empty" in rows.message(1)
    assert "2px solid" in (rows.controls[1]["level"].layout.border or "")


def test_a_fresh_row_stays_fresh_in_another_language_and_after_a_removal() -> None:
    rows = RecordList(FIELDS, [{"id": "X1", "name": "A", "level": "h"}] * 2)
    rows.add({"id": "X3", "name": None, "level": None})
    rows.remove(0)
    assert rows.fresh == {1}
    other = RecordList(FIELDS, [], language="nl")
    other.load(rows.records, fresh=sorted(rows.fresh))
    other.show_problems(_problems(other.records))
    assert "vul Name, Level in" in other.message(1)
