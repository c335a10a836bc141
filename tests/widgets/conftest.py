"""A writable copy of the demo workbook for the widget tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kamkit


@pytest.fixture
def book(tmp_path: Path) -> Path:
    target = tmp_path / "book"
    shutil.copytree(kamkit.DEMO_WORKBOOK, target)
    return target
