"""Which save an undo takes back, read from the change log: the last one not undone yet
(an undo's entries carry the save id ``undo-<the save it undid>``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kamkit.edit.results import Logged
from kamkit.schema import TABLES

UNDO = "undo-"


def last_save(log: pd.DataFrame, file: str | None = None) -> tuple[str, pd.DataFrame] | None:
    """The id and entries of the last save in ``log`` (to ``file``) that is no undo and was
    not undone; None if there is none."""
    if file is not None:
        log = log[log["file"] == file]
    saves = list(dict.fromkeys(log["save"]))
    undone = {s.removeprefix(UNDO) for s in saves if s.startswith(UNDO)}
    left = [s for s in saves if not s.startswith(UNDO) and s not in undone]
    if not left:
        return None
    return left[-1], log[log["save"] == left[-1]]


def table_of(file: str, xlsx_name: str | None) -> str | None:
    """The table a log's file names (``contacts.csv``, ``book.xlsx[contacts]``); None for a
    document."""
    if xlsx_name is not None and file.startswith(f"{xlsx_name}[") and file.endswith("]"):
        return file[len(xlsx_name) + 1:-1]
    return next((t.name for t in TABLES if t.file_name == file), None)


def changed_since(log: pd.DataFrame, file: str,
                  changes: Sequence[Logged]) -> tuple[str, str] | None:
    """Who last saved ``file`` after the save of ``changes``, and when (from the log); None
    when nobody did through kamkit (it changed outside: a text editor, Excel, a git pull)."""
    mine = log.index[log["save"] == changes[0].save] if changes else []
    if not len(mine):
        return None
    later = log.loc[mine[-1]:].iloc[1:]  # the log is in the order saves were made
    later = later[later["file"] == file]
    if later.empty:
        return None
    last = later.iloc[-1]
    return str(last["who"]), f"{last['when']:%Y-%m-%d %H:%M}"
