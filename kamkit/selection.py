"""A narrower look at one account: a range of years and some services and locations.

The workbench's views show an account through a ``Selection``; ``narrow`` applies it to the
account's tables so that every computation of ``kamkit.analysis`` and ``kamkit.plan`` runs
unchanged on the narrowed data. Pure: nothing here draws or reads files.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kamkit.workbook import AccountData

_YEAR_OF = {"sales": "month", "history": "date", "feedback": "date"}
_BY_YEAR = ("spend", "spend_shares")
_BY_CELL = ("sales", "spend", "spend_shares")


@dataclass(frozen=True)
class Selection:
    """What part of an account the views show; an empty tuple or None means everything.

    ``years`` is an inclusive (first, last) pair of calendar years; ``services`` and
    ``locations`` are ids from services.csv and locations.csv.
    """

    years: tuple[int, int] | None = None
    services: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return self.years is None and not self.services and not self.locations


def _in(values: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    return values.isin(allowed).fillna(False) if allowed else pd.Series(True, index=values.index)


def narrow(account: AccountData, selection: Selection) -> AccountData:
    """``account`` with only the selected years, services and locations.

    - sales, spend and spend_shares keep the rows of the selected services and locations;
    - feedback keeps rows about a selected service, and rows about no service in particular;
    - with ``years``, dated rows (sales months, spend years, history and feedback dates)
      outside the range are removed; contacts, relationships and the document are kept whole.

    The given ``account`` is not changed.
    """
    if selection.everything:
        return account
    tables = {name: account.table(name) for name in (*_BY_CELL, "history", "feedback")}
    for name in _BY_CELL:
        frame = tables[name]
        keep = _in(frame["service"], selection.services) & _in(frame["location"],
                                                                selection.locations)
        tables[name] = frame[keep.to_numpy()]
    if selection.services:
        feedback = tables["feedback"]
        about = feedback["service"].isna() | feedback["service"].isin(selection.services)
        tables["feedback"] = feedback[about.fillna(False).to_numpy()]
    if selection.years is not None:
        first, last = selection.years
        for name, column in _YEAR_OF.items():
            frame = tables[name]
            tables[name] = frame[frame[column].dt.year.between(first, last).fillna(True)
                                 .to_numpy()]
        for name in _BY_YEAR:
            frame = tables[name]
            tables[name] = frame[frame["year"].between(first, last).fillna(True).to_numpy()]
    return account.with_tables(**tables)
