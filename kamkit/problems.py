"""Problems found in a workbook: where, what was found and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
    # what is particular to this row (the row a key repeats, "Did you mean ...?"): shown
    # after ``message``, which is what all rows with the same problem share
    detail: str = ""

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
        return text + self.message + (f" {self.detail}" if self.detail else "")

    def with_detail(self, detail: str) -> Problem:
        """This problem with ``detail`` (what is particular to its row)."""
        return replace(self, detail=detail)

    def particular(self) -> str:
        """Where and what in this row, without the shared message: "row 3: found 'X'"."""
        where = f"row {self.row}" if self.row is not None else (self.location or self.file)
        found = f"found {self.value!r}" if self.value is not None else ""
        return f"{where}: " + "; ".join(part for part in (found, self.detail) if part)


FIRST_ROWS = 5
"""How many rows a group of the same problem lists."""


@dataclass(frozen=True)
class ProblemGroup:
    """The same problem (file, column, severity, message) in one or more rows."""

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.first)
        p = self.first
        parts = [f"{p.file}: {p.severity}"]
        if p.column:
            parts.append(f"column '{p.column}'")
        parts.append(f"{len(self.problems):,} rows")
        lines = [", ".join(parts) + ": " + p.message]
        lines += [f"  {q.particular()}" for q in self.problems[:FIRST_ROWS]]
        rest = len(self.problems) - FIRST_ROWS
        if rest > 0:
            lines.append(f"  ... and {rest:,} more rows{_values(self.problems)}")
        return "\n".join(lines)


def _values(problems: Sequence[Problem]) -> str:
    """The values found in a group with how often, most frequent first (the first few)."""
    counts: dict[str, int] = {}
    for p in problems:
        if p.value is not None:
            counts[p.value] = counts.get(p.value, 0) + 1
    if len(counts) < 2:
        return ""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    shown = ", ".join(f"{value!r} ({n:,})" for value, n in ranked[:FIRST_ROWS])
    more = f", and {len(ranked) - FIRST_ROWS:,} other values" if len(ranked) > FIRST_ROWS else ""
    return f"; values found: {shown}{more}"


def grouped(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """``problems`` with the same problem in many rows as one group, in the order each
    problem first appears: 6,000 rows with the same unknown code are one message with a
    count and the first rows."""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for p in problems:
        key = (p.severity, p.file, p.column, p.location, p.message)
        groups.setdefault(key, []).append(p)
    return [ProblemGroup(tuple(group)) for group in groups.values()]


def listed(problems: Iterable[Problem], limit: int = 20, indent: str = "  ") -> list[str]:
    """Text lines listing ``problems`` grouped (``grouped``), the first ``limit`` groups,
    each line indented; then how many groups were left out."""
    groups = grouped(problems)
    lines = [indent + str(g).replace("\n", "\n" + indent) for g in groups[:limit]]
    if len(groups) > limit:
        lines.append(f"{indent}... and {len(groups) - limit} more")
    return lines


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


KNOWN_SHOWN = 12
"""How many known codes a message about an unknown one lists."""


def known_codes(known: Iterable[str]) -> str:
    """The known codes, for a message about an unknown one: all when few, else the first
    ``KNOWN_SHOWN`` and how many there are.

    Examples
    --------
    >>> known_codes(["B", "A"])
    ' Known: A, B.'
    >>> known_codes(f"C{n:02}" for n in range(20))
    ' Known (20): C00, C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11, ...'
    """
    codes = sorted(set(known))
    if len(codes) <= KNOWN_SHOWN:
        return f" Known: {', '.join(codes) or 'none'}."
    return f" Known ({len(codes)}): {', '.join(codes[:KNOWN_SHOWN])}, ..."


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """"Did you mean ...?" with the close matches of ``value`` in ``known``, else empty."""
    close = difflib.get_close_matches(value, sorted(set(known)), n=2)
    return f"Did you mean {' or '.join(close)}?" if close else ""


def hint(value: str, known: Iterable[str]) -> str:
    """The end of a message about an unknown ``value``: "Did you mean ...?" with close
    matches in ``known``, else the known codes (the first few and their number)."""
    known = set(known)
    close = did_you_mean(value, known)
    return f" {close}" if close else known_codes(known)
