"""Which account a workbook's problem belongs to, and the workbook's tables without the
accounts whose own data has errors.

A problem belongs to an account when it is in that account's own data: its document, or
its rows of a table with an ``account_id`` (``relationships`` by their contact's account; a
row that could not be read, by the account cell it has). An error there fails that account
alone in a quarter run (``load_workbook(partial=True)``); a problem anywhere else (services,
team, accounts.csv, a header, a row of an account the workbook does not have) is shared.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import PurePosixPath

import pandas as pd

from kamkit.problems import Problem
from kamkit.readers import RawTable
from kamkit.schema import DOCUMENTS_FOLDER

SHARED_TABLES = frozenset({"accounts"})
"""Tables with an ``account_id`` whose rows are still shared: accounts.csv decides which
accounts there are and which a run selects."""


def _unique(values: pd.Series) -> set[str]:
    counts = values.dropna().astype(str).value_counts()
    return set(counts.index[counts == 1])


def _owners(tables: Mapping[str, pd.DataFrame],
            raws: Mapping[str, RawTable]) -> dict[str, str]:
    """Contact id -> its account, for the contacts whose id is unique; a row that could not
    be read counts by the cells it has (its relationships are that account's errors too)."""
    contacts = tables.get("contacts")
    if contacts is None:
        return {}
    ids, accounts = list(contacts["contact_id"]), list(contacts["account_id"])
    for row in getattr(raws.get("contacts"), "dropped", {}):
        ids.append(_cell("contacts", row, "contact_id", tables, raws))
        accounts.append(_cell("contacts", row, "account_id", tables, raws))
    unique = _unique(pd.Series(ids, dtype=object))
    return {str(c): str(a) for c, a in zip(ids, accounts, strict=True)
            if str(c) in unique and a is not None and not pd.isna(a)}


def _cell(name: str, row: int, column: str, tables: Mapping[str, pd.DataFrame],
          raws: Mapping[str, RawTable]) -> str | None:
    """The text in ``column`` of ``row`` of table ``name``: as parsed, or as written in a
    row that could not be read."""
    frame = tables[name]
    if row in frame.index:
        value = frame.at[row, column]
        return None if pd.isna(value) else str(value)
    raw = raws.get(name)
    if raw is None or row not in raw.dropped or column not in raw.cells.columns:
        return None
    cells: Sequence[str] = raw.dropped[row]
    at = list(raw.cells.columns).index(column)
    return cells[at].strip() if at < len(cells) else None


def attributed(problems: Sequence[Problem], tables: Mapping[str, pd.DataFrame],
               files: Mapping[str, str], raws: Mapping[str, RawTable]) -> list[Problem]:
    """``problems``, each in one account's own data with that account (``Problem.account``).

    Parameters
    ----------
    tables
        The parsed tables (index: the row number a user sees).
    files
        Table name -> how its problems name the file ("sales.csv", "book.xlsx[sales]").
    raws
        The tables as read: the cells of rows that could not be read.
    """
    known = _unique(tables["accounts"]["account_id"])
    contacts: dict[str, str] | None = None
    by_file = {file: name for name, file in files.items()}
    out = []
    for problem in problems:
        owner: str | None = None
        if problem.file.startswith(f"{DOCUMENTS_FOLDER}/"):
            owner = PurePosixPath(problem.file).stem
        elif (name := by_file.get(problem.file)) is not None and name not in SHARED_TABLES \
                and problem.row is not None and problem.row > 1:
            if name == "relationships":
                contact = _cell(name, problem.row, "contact_id", tables, raws)
                if contacts is None:
                    contacts = _owners(tables, raws)
                owner = contacts.get(contact) if contact is not None else None
            elif "account_id" in tables[name].columns:
                owner = _cell(name, problem.row, "account_id", tables, raws)
        out.append(replace(problem, account=owner) if owner in known else problem)
    return out


def without_accounts(tables: Mapping[str, pd.DataFrame],
                     ids: Collection[str]) -> dict[str, pd.DataFrame]:
    """``tables`` without any row of the accounts ``ids``: theirs in every table with an
    ``account_id`` and accounts.csv, and the relationships with their contacts."""
    if not ids:
        return dict(tables)
    gone = set(ids)
    out = {}
    for name, frame in tables.items():
        if "account_id" in frame.columns:
            frame = frame[~frame["account_id"].isin(gone).to_numpy()]
        out[name] = frame
    contacts = tables.get("contacts")
    relationships = out.get("relationships")
    if contacts is not None and relationships is not None:
        theirs = set(contacts.loc[contacts["account_id"].isin(gone).to_numpy(), "contact_id"])
        out["relationships"] = relationships[
            ~relationships["contact_id"].isin(theirs).to_numpy()]
    return out
