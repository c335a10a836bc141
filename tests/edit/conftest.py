"""A writable copy of the demo workbook and an editor on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kamkit.edit import WorkbookEditor
from kamkit.workbook import DEMO_WORKBOOK, Workbook, load_workbook


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo workbook."""
    return Path(shutil.copytree(DEMO_WORKBOOK, tmp_path / "workbook"))


@pytest.fixture(scope="session")
def demo() -> Workbook:
    return load_workbook(DEMO_WORKBOOK)


@pytest.fixture
def editor(demo_copy: Path, demo: Workbook) -> WorkbookEditor:
    """An editor on the copy, validating against the demo loaded once (the same data)."""
    return WorkbookEditor(demo_copy, workbook=demo, author="Tester")
