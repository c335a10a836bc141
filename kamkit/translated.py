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
from kamkit.schema import TABLES
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
        pairs = [(c.translation[0], c.name) for c in table.columns
                 if c.translation is not None and c.translation[1] == language]
        frame = account.table(table.name) if pairs else None
        if frame is None:
            continue
        present = [(base, own) for base, own in pairs if own in frame and _filled(frame[own]).any()]
        if present:
            changed[table.name] = frame.assign(**{
                base: frame[base].mask(_filled(frame[own]).to_numpy(), frame[own])
                for base, own in present})
    return account.with_tables(**changed) if changed else account
