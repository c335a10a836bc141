"""Names from the workbook in a report's language.

A workbook may give a text column a column per report language beside it: ``name_nl`` next
to ``name`` in services.csv (``kamkit.schema`` declares which, ``Column.translation``). An
account's data ``in_language`` carries, in ``name``, the text of that language where it is
filled and the column's own text where it is not, so every table, chart and sentence made
from it names services and units in the report's language without knowing about it.
"""

from __future__ import annotations

import pandas as pd

from kamkit.locale import check_language
from kamkit.schema import TABLES, TABLES_BY_NAME
from kamkit.workbook import AccountData


def _filled(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.notna() & (text != "")


def in_language(account: AccountData, language: str) -> AccountData:
    """``account`` with each translated column holding its text in ``language`` (see the
    module); the given ``account`` is not changed.

    Parameters
    ----------
    account
        One account's data.
    language
        A report language ("en", "nl").

    Returns
    -------
    AccountData
        A new value; tables without a text in ``language`` are unchanged.
    """
    check_language(language)
    changed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        frame = account.table(table.name) if _translated(table.name, language) else None
        if frame is None:
            continue
        shown = table_in_language(frame, table.name, language)
        if shown is not frame:
            changed[table.name] = shown
    return account.with_tables(**changed) if changed else account


def _translated(table: str, language: str) -> list[tuple[str, str]]:
    """(column, its column in ``language``) of ``table``'s translated columns."""
    return [(c.translation[0], c.name) for c in TABLES_BY_NAME[table].columns
            if c.translation is not None and c.translation[1] == language]


def table_in_language(frame: pd.DataFrame, table: str, language: str) -> pd.DataFrame:
    """``frame`` (rows of the workbook's ``table``, e.g. services) with each translated
    column holding its text in ``language`` where that is filled; ``frame`` itself when
    nothing is translated (e.g. the services' ``name`` for the workbench's choices)."""
    check_language(language)
    present = [(base, own) for base, own in _translated(table, language)
               if own in frame and _filled(frame[own]).any()]
    if not present:
        return frame
    return frame.assign(**{base: frame[base].mask(_filled(frame[own]).to_numpy(), frame[own])
                           for base, own in present})
