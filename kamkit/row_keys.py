"""Rows' keys as integer codes, shared across tables, for the rules' common case.

Most checks of a workbook find nothing: no key repeats, every id exists, no shares add up
to more than their total. Finding that with pandas costs a fixed tenth of a millisecond or
more per operation, whatever the size of the table, which is most of the check of a small
workbook. Here the same questions are answered on NumPy arrays of codes (one
``factorize`` per column, then integer arithmetic); the rules describe what they find with
pandas, and only when there is something to describe.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

_LIMIT = 2 ** 62
"""The largest number of distinct combined keys that int64 arithmetic holds."""


def _factorized(values: pd.Series | np.ndarray) -> tuple[np.ndarray, list[Hashable]]:
    """Codes (-1 where missing) and the distinct values, as ``pandas.factorize`` gives
    them (equal values one code, whatever their array)."""
    array = values.array if isinstance(values, pd.Series) else values
    codes, uniques = pd.factorize(array)
    return np.asarray(codes, dtype=np.int64), list(uniques.tolist())


def joint_keys(columns: Sequence[Sequence[pd.Series | np.ndarray]]) -> list[np.ndarray] | None:
    """One int64 key per row of each table, equal where the rows' values are equal in
    every column, -1 where any of them is missing (NA).

    ``columns`` holds per table its key columns, in the same order for every table (the
    n-th columns of the tables are compared with each other). None when the combinations
    of values do not fit int64 (the caller then asks pandas).
    """
    keys = [np.zeros(len(table[0]) if table else 0, dtype=np.int64) for table in columns]
    missing = [np.zeros(len(key), dtype=bool) for key in keys]
    width = len(columns[0]) if columns else 0
    size = 1
    for at in range(width):
        numbering: dict[Hashable, int] = {}
        coded = []
        for table in columns:
            codes, uniques = _factorized(table[at])
            global_of = np.array([numbering.setdefault(value, len(numbering))
                                  for value in uniques] + [-1], dtype=np.int64)
            coded.append(global_of[codes])  # code -1 takes the last: -1
        size *= max(len(numbering), 1)
        if size >= _LIMIT:
            return None
        for key, gaps, codes in zip(keys, missing, coded, strict=True):
            key *= max(len(numbering), 1)
            key += np.maximum(codes, 0)
            gaps |= codes < 0
    for key, gaps in zip(keys, missing, strict=True):
        key[gaps] = -1
    return keys


def any_repeated(frame: pd.DataFrame, columns: Sequence[str]) -> bool | None:
    """Whether two rows with all of ``columns`` filled hold the same values in them (as
    ``DataFrame.duplicated`` finds); None when that cannot be told here."""
    found = joint_keys([[frame[name] for name in columns]])
    if found is None:
        return None
    key = found[0]
    key = key[key >= 0]
    return len(np.unique(key)) < len(key)


def repeated_rows(frame: pd.DataFrame) -> tuple[tuple[int, int], ...]:
    """Each row whose every cell equals an earlier row's (a missing cell equals a missing
    one), with that earlier row's index label: a row pasted or exported twice."""
    candidates = frame[frame.duplicated(keep=False)]
    first: dict[tuple[object, ...], int] = {}
    found = []
    for row, *values in candidates.itertuples(name=None):
        # NA is not equal to itself: one placeholder for every missing cell
        cells = tuple(None if v is None or v is pd.NA or v != v else v for v in values)
        earlier = first.setdefault(cells, int(row))
        if earlier != row:
            found.append((int(row), earlier))
    return tuple(found)


def distinct(values: pd.Series) -> frozenset[object]:
    """The distinct values of a column, missing values left out, as Python objects (what
    ``values.dropna().unique().tolist()`` holds)."""
    codes, uniques = _factorized(values)
    del codes
    return frozenset(uniques)
