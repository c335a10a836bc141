"""A sortable table whose rows can be picked: a small anywidget (no build step, nothing
loaded from the network). Sorting happens here on the raw values, so a column of amounts
sorts as numbers while it shows formatted text; the browser only draws and reports clicks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import pandas as pd
import traitlets

from kamkit.report import html

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class TableColumn:
    """One column: the frame's column ``key``, its heading and how a value is shown."""

    key: str
    label: str
    format: Callable[[object], str] = str
    numeric: bool = False


def _shown(value: object, format: Callable[[object], str]) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return format(None) if format is not str else ""
    return format(value)


class SortableTable(anywidget.AnyWidget):
    """Rows of ``frame`` under ``columns``; ``selected`` is the id of the picked row.

    Click a heading to sort by it (again to reverse), click a row to pick it; from Python,
    set ``sort_by``, ``descending`` or ``selected``. A new sort column starts descending when
    it holds numbers, ascending otherwise; missing values sort last either way.
    """

    _esm = _HERE / "sortable_table.js"
    # the theme's colours as custom properties on the table, then the rules that use them
    _css = html.page_colours(".kk-sortable") + "\n" + (_HERE / "sortable_table.css").read_text(
        encoding="utf-8")

    columns: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    rows: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)
    sort_by = traitlets.Unicode("").tag(sync=True)
    descending = traitlets.Bool(False).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)

    def __init__(self, frame: pd.DataFrame | None = None, columns: Sequence[TableColumn] = (),
                 id_column: str = "account_id",
                 guard: Callable[[Callable[..., Any]], Callable[..., Any]] = lambda f: f,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._frame = pd.DataFrame()
        self._specs: tuple[TableColumn, ...] = ()
        self._id_column = id_column
        # ``guard``: how a click's callback says an error (kamkit.widgets.guard)
        self.observe(guard(self._on_sort_by), names="sort_by")
        self.observe(guard(lambda _: self._draw()), names="descending")
        if frame is not None:
            self.show(frame, columns)

    def show(self, frame: pd.DataFrame, columns: Sequence[TableColumn]) -> None:
        """Show ``frame`` (one row per id in ``id_column``) under ``columns``."""
        self._frame = frame.reset_index(drop=True)
        self._specs = tuple(columns)
        self.columns = [{"key": c.key, "label": c.label, "numeric": c.numeric}
                        for c in self._specs]
        self._draw()

    @property
    def order(self) -> list[str]:
        """The row ids in the order shown."""
        return [row["id"] for row in self.rows]

    def _on_sort_by(self, change: dict) -> None:
        """A new sort column starts with its largest amounts or its first names on top."""
        spec = next((c for c in self._specs if c.key == change["new"]), None)
        numeric = spec is not None and spec.numeric
        if self.descending != numeric:
            self.descending = numeric  # draws
        else:
            self._draw()

    def _draw(self) -> None:
        frame = self._frame
        if self.sort_by and self.sort_by in frame.columns:
            frame = frame.sort_values(self.sort_by, ascending=not self.descending,
                                      na_position="last", kind="stable")
        self.rows = [{"id": str(record[self._id_column]),
                      "cells": {c.key: _shown(record.get(c.key), c.format) for c in self._specs}}
                     for record in frame.to_dict("records")]
