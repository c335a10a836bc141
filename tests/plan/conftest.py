"""Fixtures for the plan tests: the mini workbook, edited copies, plans rewritten in place,
and the demo workbook (the ``demo`` fixture of tests/conftest.py).

Mini A1 (see tests/fixtures/mini): plan 2025-01-01 to 2025-12-31; sales 2024-01 and
2024-02 CLEAN NL-RTM 1000 revenue / 250 margin / 40 hours each, 2025-01 CLEAN NL-RTM
1500 / 300 / 60 and SEC BE-ANT 500 / 50 / 20; spend 2024 CLEAN NL-RTM 10000 (400 hours),
2025 CLEAN NL-RTM 10000 (400) and SEC BE-ANT 2000 (80); feedback 2025-03-01 satisfaction
7.5 and 2025-04-02 a complaint about CLEAN; three contacts, each with a relationship.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamkit.workbook import AccountData, load_workbook

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


@pytest.fixture
def edited(mini_copy: Path, edit_csv: Callable[[str, str, str], Path]
           ) -> Callable[..., AccountData]:
    """Load A1 (or another account) from a mini copy after CSV edits.

    ``edited(append={"sales.csv": ["2024-03,A1,..."]},
    replace={"relationships.csv": [("old", "new")]})``
    """

    def load(account_id: str = "A1", *, append: dict[str, list[str]] | None = None,
             replace: dict[str, list[tuple[str, str]]] | None = None) -> AccountData:
        for file, pairs in (replace or {}).items():
            for old, new in pairs:
                edit_csv(file, old, new)
        for file, lines in (append or {}).items():
            path = mini_copy / file
            text = path.read_text(encoding="utf-8").rstrip("\n")
            path.write_text(text + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        return load_workbook(mini_copy).account(account_id)

    return load


def _replan(account: AccountData, **changes: Any) -> AccountData:
    document = account.document
    assert document is not None and document.plan is not None
    plan = document.plan.model_copy(update=changes)
    return dataclasses.replace(account, document=document.model_copy(update={"plan": plan}))


@pytest.fixture
def replan() -> Callable[..., AccountData]:
    """``replan(account, objectives=(...), team=(...), actions=(...), targets=...)``: the
    account with parts of its plan replaced, without the loader's checks, so a test can
    also build a plan the loader would refuse."""
    return _replan
