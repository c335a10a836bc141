"""Problems found in a workbook: where, what was found and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the input allows.

    ``row`` is the line number a user sees in a spreadsheet or text editor: the header is
    row 1, the first data row is row 2. For YAML documents ``location`` is the path inside
    the document (``plan.objectives[2].deadline``) and ``row`` its line when known.
    """

    severity: Severity
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    location: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        parts = [f"{where}: {self.severity}"]
        if self.location:
            parts.append(f"at {self.location}")
        if self.column:
            parts.append(f"column '{self.column}'")
        text = ", ".join(parts) + ": "
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f"found {shown!r}; "
        return text + self.message


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def hint(value: str, known: Iterable[str]) -> str:
    """The end of a message about an unknown ``value``: "Did you mean ...?" with close
    matches in ``known``, else the known values when they are few."""
    known = sorted(set(known))
    close = difflib.get_close_matches(value, known, n=2)
    if close:
        return f" Did you mean {' or '.join(close)}?"
    if len(known) <= 12:
        return f" Known: {', '.join(known) or 'none'}."
    return ""
