"""Rows grouped by key columns, with the sums, minimums and counts of each group, as
``DataFrame.groupby(keys)`` gives them to the last bit, without its cost.

One account's tables hold tens to hundreds of rows: a pandas groupby, merge or assign on
them takes longer than the arithmetic (most of building a report went to them). The wallet
computations (``kamkit.analysis.wallet``) group with ``Groups`` and build one frame at the
end. The bits of a sum depend on the order and method of adding, so ``Groups.sums`` adds up
as pandas (3.1) does: ``ufunc.reduceat`` when the rows are already in group order and no
value is missing, else compensated (Kahan) summation in row order (tests/test_grouping.py
checks both against pandas).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

Key = tuple[Hashable, ...]


def _values(column: pd.Series | Sequence[Hashable]) -> list[Hashable]:
    return column.tolist() if isinstance(column, pd.Series) else list(column)


def missing(value: object) -> bool:
    """Whether one value is missing: None, NA, NaT or NaN (as pandas leaves it out)."""
    return value is None or value is pd.NA or value is pd.NaT or value != value


def floats(values: pd.Series | np.ndarray | Sequence[float]) -> np.ndarray:
    """``values`` as a float64 array, NaN where missing."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(values, dtype="float64")


def _plain(values: pd.Series | np.ndarray | Sequence[float]) -> bool:
    """Whether pandas holds ``values`` as a NumPy array (not a masked or Arrow array)."""
    return not isinstance(values, pd.Series) or isinstance(values.dtype, np.dtype)


class Groups:
    """The groups of rows by the values of key columns, as ``groupby(keys)`` (sorted,
    ``dropna``) forms them: ``keys`` holds each group's key tuple in order, ``codes`` each
    row's group (-1 for a row with a missing key, which is in no group).

    Parameters
    ----------
    *columns
        The key columns (Series or sequences of one length), their values sortable.
    """

    def __init__(self, *columns: pd.Series | Sequence[Hashable]) -> None:
        rows: list[Key] = list(zip(*(_values(c) for c in columns), strict=True))
        known = [not any(missing(v) for v in row) for row in rows]
        self.keys: list[Key] = sorted({row for row, k in zip(rows, known, strict=True) if k})
        position = {key: number for number, key in enumerate(self.keys)}
        self.codes = np.array([position[row] if k else -1
                               for row, k in zip(rows, known, strict=True)], dtype=np.intp)

    def __len__(self) -> int:
        return len(self.keys)

    def key_column(self, level: int) -> list[Hashable]:
        """The ``level``-th value of every group's key."""
        return [key[level] for key in self.keys]

    def _in_order(self) -> bool:
        """Whether the rows are in group order (missing keys first): pandas then adds up
        each group with ``np.add.reduceat``."""
        return bool(len(self.codes)) and bool(np.all(self.codes[1:] >= self.codes[:-1]))

    def sums(self, values: pd.Series | np.ndarray | Sequence[float]) -> np.ndarray:
        """Each group's sum of ``values``, missing values left out (0 for none): the bits
        of ``groupby(...)[column].sum()`` on a column holding ``values``."""
        numbers = floats(values)
        if _plain(values) and self._in_order() and not np.isnan(numbers).any():
            skipped = int(np.count_nonzero(self.codes < 0))
            codes = self.codes[skipped:]
            if codes.size:
                starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
                sums = np.zeros(len(self))
                sums[codes[starts]] = np.add.reduceat(numbers[skipped:], starts)
                return sums
        return self._compensated_sums(numbers)

    def sums_if_known(self, values: pd.Series | np.ndarray) -> np.ndarray:
        """Each group's sum of ``values``, NaN where any of its values is missing: the bits
        of ``frames.total_if_known`` (a gross margin unknown for part of a year is unknown
        for the year)."""
        unknown = self.sums(np.isnan(floats(values)).astype("float64")) > 0
        return np.where(unknown, np.nan, self.sums(values))

    def _compensated_sums(self, numbers: np.ndarray) -> np.ndarray:
        """pandas' ``group_sum``: Kahan summation per group in row order."""
        sums, errors = [0.0] * len(self), [0.0] * len(self)
        for code, value in zip(self.codes.tolist(), numbers.tolist(), strict=True):
            if code < 0 or value != value:
                continue
            y = value - errors[code]
            t = sums[code] + y
            error = t - sums[code] - y
            errors[code] = error if math.isfinite(error) else 0.0  # an infinite sum stays so
            sums[code] = t
        return np.array(sums, dtype="float64")

    def running_sums(self, values: pd.Series | np.ndarray | Sequence[float]) -> np.ndarray:
        """Each row's sum of its group's values up to it: the bits of
        ``groupby(...)[column].cumsum()``. pandas (3.1) adds up compensated (Kahan) in row
        order, as ``_compensated_sums``; a missing value (or a row in no group) is NaN and
        adds nothing."""
        sums, errors = [0.0] * len(self), [0.0] * len(self)
        out = []
        for code, value in zip(self.codes.tolist(), floats(values).tolist(), strict=True):
            if code < 0 or value != value:
                out.append(math.nan)
                continue
            y = value - errors[code]
            t = sums[code] + y
            errors[code] = t - sums[code] - y
            sums[code] = t
            out.append(t)
        return np.array(out, dtype="float64")

    def _members(self) -> list[list[int]]:
        """Each group's rows, in row order."""
        members: list[list[int]] = [[] for _ in self.keys]
        for row, code in enumerate(self.codes.tolist()):
            if code >= 0:
                members[code].append(row)
        return members

    def sums_or_na(self, values: pd.Series | np.ndarray) -> np.ndarray:
        """Each group's ``Series.sum(min_count=1)`` of its rows in their order (NumPy's sum
        of the values with the missing ones as 0), NA when every value of the group is
        missing (nothing to add up is not 0)."""
        numbers = floats(values)
        known = ~np.isnan(numbers)
        filled = np.where(known, numbers, 0.0)
        sums = np.full(len(self), np.nan)
        for group, rows in enumerate(self._members()):
            if known[rows].any():
                sums[group] = np.add.reduce(filled[rows])
        return sums

    def minima(self, values: pd.Series | np.ndarray) -> np.ndarray:
        """Each group's smallest value, missing ones left out (NaN when all are)."""
        numbers = floats(values)
        least = np.full(len(self), np.nan)
        for code, value in zip(self.codes.tolist(), numbers.tolist(), strict=True):
            if code >= 0 and value == value and not value >= least[code]:
                least[code] = value
        return least

    def counts(self) -> np.ndarray:
        """Each group's number of rows."""
        return np.bincount(self.codes[self.codes >= 0], minlength=len(self)).astype("int64")

    def firsts(self, values: pd.Series | Sequence[Hashable]) -> list[Hashable]:
        """Each group's first value that is not missing (None when all are)."""
        first: list[Hashable] = [None] * len(self)
        seen = [False] * len(self)
        for code, value in zip(self.codes.tolist(), _values(values), strict=True):
            if code >= 0 and not seen[code] and not missing(value):
                first[code], seen[code] = value, True
        return first

    def distinct(self, values: pd.Series | Sequence[Hashable]) -> list[int]:
        """Each group's number of distinct values, missing ones left out."""
        sets: list[set[Hashable]] = [set() for _ in self.keys]
        for code, value in zip(self.codes.tolist(), _values(values), strict=True):
            if code >= 0 and not missing(value):
                sets[code].add(value)
        return [len(s) for s in sets]
