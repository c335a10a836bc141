"""kamkit: a key account management workbench built on a workbook of account data."""

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
