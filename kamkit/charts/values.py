"""A chart's DataFrame as the inline values of its spec: what Altair's default data
transformer makes of it (``altair.utils.data.to_values``), made column by column.

Altair sanitizes a DataFrame with a few pandas operations per column (a copy, ``astype``,
``where``, ``isnull``), then turns it into records: for the small frames of a report's charts
(tens of rows, often twenty columns) that pandas overhead was two fifths of the time of
making the charts' specs. ``records`` makes the same records, value for value and type for
type, from each column's values at once, for the column types the charts use; a frame with
any other column (or that Altair would refuse) is left to Altair (None).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

_PLAIN = frozenset({"int64", "bool"})
"""Column types whose values Altair turns into Python's, as ``tolist`` does."""


def _floats(column: pd.Series) -> list[Any]:
    """Python floats; NaN and infinities as None (not JSON)."""
    return [value if math.isfinite(value) else None
            for value in column.to_numpy(dtype=np.float64).tolist()]


def _texts(column: pd.Series) -> list[Any]:
    """The strings; a missing value as None."""
    missing = column.isna().to_numpy()
    values = column.to_numpy(dtype=object).tolist()
    return [None if gone else value for value, gone in zip(values, missing.tolist(),
                                                         strict=True)]


def _times(column: pd.Series) -> list[str]:
    """Full ISO 8601 date-times (JavaScript reads a date alone as UTC, a date-time as local
    time); a missing one as "" (Altair's ``NaT`` replaced)."""
    return [text if (text := stamp.isoformat()) != "NaT" else "" for stamp in column]


def _column(column: pd.Series) -> list[Any] | None:
    name = str(column.dtype)
    if name in _PLAIN:
        return column.to_numpy().tolist()
    if name == "float64":
        return _floats(column)
    if name in ("str", "string"):
        return _texts(column)
    if name.startswith("datetime64["):
        return _times(column)
    return None


def records(frame: pd.DataFrame) -> list[dict[str, Any]] | None:
    """``frame``'s rows as Altair's ``to_values`` makes them (``{"values": records}``), or
    None where Altair should do it: a column of another type (categorical, object, nullable
    integers, ...), no columns, names that are not unique strings, a hierarchical index."""
    if (isinstance(frame.index, pd.MultiIndex)
            or isinstance(frame.columns, pd.MultiIndex | pd.RangeIndex)
            or not frame.columns.is_unique or frame.columns.empty):
        return None
    names = list(frame.columns)
    if not all(isinstance(name, str) for name in names):
        return None
    columns = []
    for _, column in frame.items():
        values = _column(column)
        if values is None:
            return None
        columns.append(values)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
