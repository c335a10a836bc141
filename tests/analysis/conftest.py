"""Fixtures for the analysis tests: edited copies of the mini workbook (its accounts and the
bare one are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kamkit.workbook import AccountData, load_workbook


@pytest.fixture
def edited(mini_copy: Path) -> Callable[..., AccountData]:
    """Load an account from a mini copy after edits.

    ``edited("A1", append={"sales.csv": ["2025-06,A1,..."]},
    replace={"spend.csv": [("old", "new")]})``
    """

    def load(account_id: str = "A1", *, append: dict[str, list[str]] | None = None,
             replace: dict[str, list[tuple[str, str]]] | None = None) -> AccountData:
        for file, pairs in (replace or {}).items():
            path = mini_copy / file
            text = path.read_text(encoding="utf-8")
            for old, new in pairs:
                assert old in text, f"{old!r} not in {file}"
                text = text.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
        for file, lines in (append or {}).items():
            path = mini_copy / file
            text = path.read_text(encoding="utf-8")
            path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n",
                            encoding="utf-8")
        return load_workbook(mini_copy).account(account_id)

    return load
