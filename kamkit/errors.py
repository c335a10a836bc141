"""kamkit's own exceptions: each carries a message written for the user."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kamkit.problems import Problem, Severity


class KamkitError(Exception):
    """An error a user can act on; the command line prints its message without a traceback."""


class WorkbookError(KamkitError):
    """The workbook has errors; ``problems`` lists each one with file, row and column."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        found = [p for p in problems if p.severity is Severity.ERROR]
        shown = "\n".join(f"  {p}" for p in found[:20])
        more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
        super().__init__(
            f"The workbook {path} has {len(found)} error(s):\n{shown}{more}\n"
            f"Run `kamkit validate {path}` for the full list."
        )


class UnknownAccountError(KamkitError):
    """An account id that is not in the workbook."""

    def __init__(self, account_id: str, known: Iterable[str], source: str) -> None:
        known = sorted(known)
        same_case = [k for k in known if k.lower() == str(account_id).lower()]
        close = same_case or difflib.get_close_matches(str(account_id), known, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        listed = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
        super().__init__(
            f"Unknown account {account_id!r}: it is not in {source}.{hint} "
            f"Known accounts: {listed}."
        )
        self.account_id = account_id


class KernelStartError(KamkitError):
    """The Python kernel that executes report notebooks could not be started."""
