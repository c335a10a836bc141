"""The workbench closes the widgets it replaces: the kernel holds one workbench's widgets
however often the forms are drawn again, the account changes or the cell runs again
(a page that connects later asks for the state of every widget the kernel holds)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from kamkit.widgets import workbench as workbench_module
from kamkit.widgets.closing import close_tree
from kamkit.widgets.records import Field, RecordList
from kamkit.widgets.workbench import Workbench


def test_close_tree_closes_what_a_widget_holds_but_what_is_kept() -> None:
    kept = widgets.Button()
    inner = widgets.HTML("x")
    box = widgets.VBox([widgets.HBox([inner, kept])])
    assert close_tree(box, keep=[kept]) == 7  # two boxes, the text, its style, 3 layouts
    assert box.comm is None and inner.comm is None and inner.layout.comm is None
    assert kept.comm is not None and kept.layout.comm is not None


def test_rows_drawn_again_close_the_rows_before() -> None:
    form = RecordList([Field("id", "Id"), Field("title", "Title")],
                      [{"id": f"X{i}", "title": "t"} for i in range(5)])
    held = len(_instances)
    for _ in range(3):
        form.add({"id": "NEW", "title": "n"})
        form.remove(len(form.records) - 1)
    assert len(_instances) == held
    assert form.add_button.comm is not None  # it stays


@pytest.mark.slow  # 2.8 CPU s: many switches and reloads (the workbench's widget tests)
def test_editors_switched_and_read_again_leave_no_widgets_behind(book: Path) -> None:
    bench = Workbench(book, "MAAS", "2026Q3", author="tester")
    bench.open_editors()
    editor = bench.document_editor
    assert editor is not None
    editor.refresh()  # as after a save
    bench.explorer.pick("DELTA")  # MAAS's editors stay open for what is on its way to them
    held = len(_instances)
    bench.explorer.pick("MAAS")
    assert editor.comm is None  # the MAAS editor before DELTA's
    bench.explorer.pick("DELTA")
    bench.explorer.pick("MAAS")
    assert len(_instances) <= held * 1.05


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_cell_run_again_closes_the_workbench_it_made_before(
        book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbench_module, "_MADE_BY_CELL", {})
    monkeypatch.setattr(workbench_module, "_running_cell", lambda: "cell-1")
    first = Workbench(book, "MAAS", "2026Q3", author="tester")
    picker = first.explorer.account_picker
    second = Workbench(book, "MAAS", "2026Q3", author="tester")
    assert first.comm is None and picker.comm is None
    monkeypatch.setattr(workbench_module, "_running_cell", lambda: "cell-2")
    other = Workbench(book, "DELTA", "2026Q3", author="tester")  # another cell's: both stay
    assert second.comm is not None and other.comm is not None
