"""A small copy of the demo workbook: the demo's own rows of a few accounts, for the fast
tier's cheaper stand-in of a test that the full suite runs on the whole demo (a migration, a
workbook in another currency, a portfolio with snapshots). Same tables, same kinds of data
and documents, a tenth of the rows."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Collection
from pathlib import Path

import pytest

from kamkit.workbook import DEMO_WORKBOOK

ACCOUNTS = ("MAAS", "AMAND", "GRID", "SPORT")
"""A key account with a plan (MAAS), a prospect with a document (AMAND) and one without
(GRID), an other account (SPORT)."""


def _kept_rows(text: str, keep: Callable[[dict[str, str]], bool]) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row for row in rows[1:] if keep(dict(zip(header, row, strict=False))))
    return out.getvalue()


def demo_subset(target: Path, accounts: Collection[str] = ACCOUNTS,
                source: Path = DEMO_WORKBOOK) -> Path:
    """A copy of the workbook ``source`` at ``target`` with only the rows of ``accounts``
    (and of their contacts) in every table that has them, and only their documents; the
    tables of things all accounts share (services, locations, team ...) whole."""
    shutil.copytree(source, target)
    accounts = set(accounts)
    contacts = set()
    for path in sorted(target.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        header = next(csv.reader(io.StringIO(text)))
        if "account_id" in header:
            kept = _kept_rows(text, lambda row: row["account_id"] in accounts)
            if path.name == "contacts.csv":
                contacts = {row["contact_id"] for row in csv.DictReader(io.StringIO(kept))}
            path.write_text(kept, encoding="utf-8")
    relationships = target / "relationships.csv"
    if relationships.exists():
        relationships.write_text(_kept_rows(relationships.read_text(encoding="utf-8"),
                                            lambda row: row["contact_id"] in contacts),
                                 encoding="utf-8")
    for document in (target / "documents").glob("*.yaml"):
        if document.stem not in accounts:
            document.unlink()
    return target


SMALL_FAST_WHOLE_SLOW = pytest.mark.parametrize(
    "demo_folder", [pytest.param("small", id="small-demo"),
                    pytest.param("demo", id="demo", marks=pytest.mark.slow)], indirect=True)
"""Run a test on the small demo in the fast tier and on the whole demo in the full suite:
its ``demo_folder`` fixture (tests/conftest.py) is the folder of one or the other, not to be
written to."""
