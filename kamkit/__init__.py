"""kamkit: a key account management workbench built on a workbook of account data."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamkit.errors import KamkitError, UnknownAccountError, WorkbookError
    from kamkit.problems import Problem, Severity
    from kamkit.workbook import (
        DEMO_WORKBOOK,
        Account,
        AccountData,
        Workbook,
        check_workbook,
        load_workbook,
    )

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here."""

_HOMES = {"KamkitError": "kamkit.errors", "UnknownAccountError": "kamkit.errors",
          "WorkbookError": "kamkit.errors", "Problem": "kamkit.problems",
          "Severity": "kamkit.problems", "DEMO_WORKBOOK": "kamkit.workbook",
          "Account": "kamkit.workbook", "AccountData": "kamkit.workbook",
          "Workbook": "kamkit.workbook", "check_workbook": "kamkit.workbook",
          "load_workbook": "kamkit.workbook"}
"""Each name ``kamkit`` offers and the module it lives in, imported when first asked for:
``import kamkit.speedups`` (or any ``kamkit.x``) does not import pandas and the workbook
(about 0.5 s; the test run's controller, ``kamkit.pytest_plugin``, needs neither)."""


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'kamkit' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value  # asked once
    return value


__all__ = [
    "DEMO_WORKBOOK",
    "Account",
    "AccountData",
    "KamkitError",
    "Problem",
    "Severity",
    "UnknownAccountError",
    "Workbook",
    "WorkbookError",
    "__version__",
    "check_workbook",
    "load_workbook",
]
