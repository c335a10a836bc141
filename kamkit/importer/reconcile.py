"""The reconciliation printed after an import: does the workbook hold what the export held?

Revenue is summed to the cent in decimal arithmetic (no float rounding), per year, over the
export's lines and over the workbook's sales rows in the months the export covers, as
kamkit reads the workbook back.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from kamkit.currency import DEFAULT
from kamkit.periods import quarter_of
from kamkit.problems import Problem

FIRST_ROWS = 5


@dataclass(frozen=True)
class Skipped:
    """Lines skipped for one reason."""

    column: str
    reason: str
    rows: tuple[int, ...]
    values: tuple[str, ...] = ()  # the values found, each once, most frequent first

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def found(self) -> str:
        """The values found as a person reads them: "found 'twaalf', 'x'" (or nothing)."""
        if not self.values:
            return ""
        shown = [repr(v if len(v) <= 60 else v[:57] + "...") for v in self.values[:FIRST_ROWS]]
        more = ", ..." if len(self.values) > FIRST_ROWS else ""
        return f"found {', '.join(shown)}{more}"


def cents(values: Iterable[float]) -> Decimal:
    """The exact decimal sum of amounts read from text (``repr`` gives their shortest
    decimal form, so 0.1 + 0.2 is 0.3 here), rounded to the cent."""
    return sum((Decimal(repr(float(v))) for v in values), Decimal(0)).quantize(Decimal("0.01"))


def per_year(dates: pd.Series, amounts: pd.Series) -> dict[int, Decimal]:
    years = pd.to_datetime(dates).dt.year
    return {int(y): cents(amounts[years == y]) for y in sorted(set(years))}


@dataclass(frozen=True)
class SkippedAmounts:
    """The readable revenue of the skipped lines of one year (None: their year cannot be
    told)."""

    year: int | None
    revenue: Decimal
    rows: tuple[int, ...]


def skipped_per_year(skipped: pd.DataFrame) -> tuple[tuple[SkippedAmounts, ...],
                                                     tuple[int, ...]]:
    """The skipped lines with a readable revenue summed per year (``year``, ``revenue``
    per row: ``Export.skipped_amounts``), the unknown year last; and the rows of those whose
    revenue cannot be read."""
    readable = skipped[skipped["revenue"].notna()]
    groups = []
    for year in [*sorted(set(readable["year"].dropna())), None]:
        rows = readable[readable["year"].isna() if year is None else
                        (readable["year"] == year).fillna(False)]
        if len(rows):
            groups.append(SkippedAmounts(None if year is None else int(year),
                                         cents(rows["revenue"]),
                                         tuple(int(r) for r in rows.index)))
    unread = tuple(int(r) for r in skipped.index[skipped["revenue"].isna()])
    return tuple(groups), unread


def rows_text(rows: tuple[int, ...]) -> str:
    """"row 4" or "rows 4, 7" (the first few, then "...")."""
    shown = ", ".join(str(r) for r in rows[:FIRST_ROWS])
    return f"row{'s' if len(rows) > 1 else ''} {shown}{', ...' if len(rows) > FIRST_ROWS else ''}"


def _lines_count(count: int) -> str:
    return f"{count} skipped line{'s' if count != 1 else ''}"


def group_skipped(problems: Iterable[Problem]) -> list[Skipped]:
    """Skipped lines grouped by column and reason, most frequent first; a line with two bad
    cells counts under both."""
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.row is not None:
            groups[(problem.column or "(whole line)", problem.message)].append(problem)
    found = [Skipped(column, reason, tuple(sorted({p.row for p in group if p.row is not None})),
                     tuple(v for v, _ in Counter(
                         p.value for p in group if p.value).most_common()))
             for (column, reason), group in groups.items()]
    return sorted(found, key=lambda s: (-s.count, s.column))


@dataclass(frozen=True)
class Reconciliation:
    """The export against the workbook after the import."""

    file: str
    read: int
    imported: int
    skipped: tuple[Skipped, ...]
    skipped_lines: int
    customers: int
    export_revenue: dict[int, Decimal]  # year -> revenue of the imported lines
    workbook_revenue: dict[int, Decimal]  # year -> sales revenue in the export's months
    unknown_countries: dict[str, int]
    unused_columns: tuple[str, ...]
    last_date: dt.date
    currency: str
    margin_known: bool
    repeated: tuple[tuple[int, int], ...] = ()  # (line, the earlier line it repeats exactly)
    skipped_revenue: tuple[SkippedAmounts, ...] = ()  # per year, readable amounts skipped
    unread_amounts: tuple[int, ...] = ()  # rows of skipped lines whose amount is unreadable

    @property
    def balanced(self) -> bool:
        """Whether the workbook holds every line of the export, to the cent."""
        return self.export_revenue == self.workbook_revenue and not self.skipped_lines

    def _year_lines(self) -> list[str]:
        """Per year, every readable amount of the export (imported or skipped) against the
        workbook; skipped lines with an amount make a year not equal, and say how much."""
        skipped = {group.year: group for group in self.skipped_revenue}
        years = sorted({*self.export_revenue, *self.workbook_revenue,
                        *(y for y in skipped if y is not None)})
        out = []
        for year in [*years, *([None] if None in skipped else [])]:
            imported = self.export_revenue.get(year, Decimal(0)) if year else Decimal(0)
            theirs = self.workbook_revenue.get(year, Decimal(0)) if year else Decimal(0)
            group = skipped.get(year)
            left_out = group.revenue if group else Decimal(0)
            verdicts = []
            if group and left_out:
                verdicts.append(f"not equal: {left_out:,.2f} in "
                                f"{_lines_count(len(group.rows))} ({rows_text(group.rows)})")
            elif group:
                verdicts.append(f"equal in total, but {_lines_count(len(group.rows))} "
                                f"({rows_text(group.rows)}) netting 0.00 are not imported")
            if theirs != imported:
                verdicts.append(f"DIFFERENT by {theirs - imported:,.2f}"
                                + (" besides the skipped lines" if group else ""))
            label = year if year is not None else "year unknown"
            out.append(f"    {label}: {imported + left_out:,.2f} -> {theirs:,.2f}  "
                       f"{'; '.join(verdicts) or 'equal'}")
        if self.unread_amounts:
            count = len(self.unread_amounts)
            out.append(f"    not in these totals: {_lines_count(count)} whose amount cannot "
                       f"be read ({rows_text(self.unread_amounts)})")
        return out

    @property
    def suggested_as_of(self) -> str:
        return self.last_date.isoformat()

    @property
    def suggested_quarter(self) -> str:
        return quarter_of(self.last_date)

    def lines(self) -> list[str]:
        """The reconciliation as text for a person."""
        out = [f"Reconciliation of {self.file}:",
               f"  lines read {self.read}, imported {self.imported}, "
               f"skipped {self.skipped_lines}"]
        for group in self.skipped:
            out.append(f"    {group.count} x column '{group.column}': {group.reason} "
                       f"({rows_text(group.rows)}{'; ' if group.found else ''}{group.found})")
        # rows, numbered as the skipped lines' rows are: one word for one numbering
        for line, earlier in self.repeated[:FIRST_ROWS]:
            out.append(f"  warning: row {line} repeats row {earlier} exactly; both were "
                       "summed: check the export")
        if len(self.repeated) > FIRST_ROWS:
            more = len(self.repeated) - FIRST_ROWS
            out.append(f"  warning: {more} more row{'s' if more > 1 else ''} repeat"
                       f"{'' if more > 1 else 's'} an earlier row exactly; all were summed")
        out.append(f"  customers {self.customers}")
        out.append(f"  revenue per year ({self.currency}), export -> workbook "
                   "(the months this export covers):")
        out += self._year_lines()
        if self.unknown_countries:
            shown = ", ".join(f"{v!r} ({n} lines)" for v, n in
                              sorted(self.unknown_countries.items(), key=lambda i: -i[1])[:10])
            out.append(f"  unmapped country values, kept as country 'unknown': {shown}")
        if self.unused_columns:
            out.append(f"  export columns not used: {', '.join(self.unused_columns)}")
        if not self.margin_known:
            out.append("  margin: unknown (gross_margin left empty: the reports show "
                       "margin figures as n/a and leave the margin findings out)")
        if self.currency != DEFAULT:
            out.append(f"  currency: {self.currency}, as the workbook's (workbook.yaml; "
                       "kamkit converts no currencies)")
        out.append(f"  last date in the data: {self.suggested_as_of}: the suggested as-of "
                   f"date (reports: `kamkit run --quarter {self.suggested_quarter}`)")
        return out
