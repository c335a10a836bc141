"""Small helpers shared by the analysis and plan computations: empty frames, safe shares,
ordering, confidence ranks."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from kamkit.errors import KamkitError
from kamkit.grouping import missing
from kamkit.schema import CONFIDENCES, LEVELS

CELL_DIMENSIONS = ("year", "service", "location")
"""The dimensions of a spend cell, in their canonical order."""

_DTYPES: dict[str, object] = {
    "year": "Int64",
    "service": "string",
    "location": "string",
}

_CONFIDENCE_RANK = {name: rank for rank, name in enumerate(reversed(CONFIDENCES))}
"""low 0 < medium 1 < high 2."""

LEVEL_RANK = {name: rank for rank, name in enumerate(LEVELS)}
"""strategic 0, tactical 1, operational 2: the order levels are shown in."""


def empty(columns: Mapping[str, object]) -> pd.DataFrame:
    """An empty frame with these columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def dims_dtypes(by: Sequence[str]) -> dict[str, object]:
    """The dtypes of grouping columns (a subset of ``CELL_DIMENSIONS``)."""
    return {name: _DTYPES[name] for name in by}


def check_by(by: Iterable[str], *, need_year: bool = True) -> tuple[str, ...]:
    """``by`` validated and put in the canonical order year, service, location.

    Raises ``KamkitError`` for an unknown dimension, or when ``need_year`` and "year" is
    missing (adding up spend over several years mixes up the wallet).
    """
    if isinstance(by, str):
        by = (by,)
    given = tuple(by)
    unknown = [name for name in given if name not in CELL_DIMENSIONS]
    if unknown:
        raise KamkitError(
            f"Cannot group by {', '.join(map(repr, unknown))}: `by` takes some of "
            f"{', '.join(CELL_DIMENSIONS)}, e.g. ('year', 'service')."
        )
    if need_year and "year" not in given:
        raise KamkitError(
            f"`by` must include 'year' (got {given!r}): spend estimates of different years "
            "cannot be added up, e.g. ('year',) or ('year', 'location')."
        )
    return tuple(name for name in CELL_DIMENSIONS if name in given)


def total_if_known(values: pd.Series, by: object) -> pd.Series:
    """The sum of ``values`` per group of ``by`` (as ``Series.groupby``), NA where any value
    of the group is missing: a gross margin unknown for part of a year is unknown for the
    year, not the margin of the other months.

    Examples
    --------
    >>> margin = pd.Series([10.0, float("nan"), 5.0, 7.0])
    >>> total_if_known(margin, pd.Series([2024, 2024, 2025, 2025])).tolist()
    [nan, 12.0]
    """
    total = values.groupby(by).sum()
    unknown = values.isna().groupby(by).any()
    return total.mask(unknown)


def share(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` as float64; NA (NaN) where the denominator is 0 or missing."""
    if (numerator.index is denominator.index or numerator.index.equals(denominator.index)) \
            and _plain_number(numerator) and _plain_number(denominator):
        # both already numbers on the same rows: the same quotients without pandas' coercion
        # and alignment, which took longer than the division
        quotient = shares(numerator.to_numpy(dtype="float64"),
                          denominator.to_numpy(dtype="float64"))
        name = numerator.name if numerator.name == denominator.name else None
        return pd.Series(quotient, index=numerator.index, name=name)
    num = pd.to_numeric(numerator, errors="coerce").astype("float64")
    den = pd.to_numeric(denominator, errors="coerce").astype("float64")
    valid = den.notna() & (den != 0)
    return (num / den.where(valid)).where(valid, np.nan)


def shares(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``share`` of two float64 arrays: NaN where the denominator is 0 or NaN."""
    valid = ~np.isnan(denominator) & (denominator != 0)
    with np.errstate(all="ignore"):
        return np.where(valid, numerator / np.where(valid, denominator, np.nan), np.nan)


def _plain_number(values: pd.Series) -> bool:
    """Whether ``values`` are NumPy floats or integers (no missing-value mask, no text)."""
    return isinstance(values.dtype, np.dtype) and values.dtype.kind in "fiu"


def na_last(value: object) -> tuple[bool, object]:
    """A sort key putting a missing value (``grouping.missing``) after every other, as
    ``sort_values(na_position="last")`` does."""
    return (True, 0) if missing(value) else (False, value)


def match_key(value: object) -> object:
    """A value as a key to match rows on: every missing value as None, as pandas' ``merge``
    and ``drop_duplicates`` match a missing key with a missing one."""
    return None if missing(value) else value


def rows_by_key(frame: pd.DataFrame, key: str | Sequence[str], columns: Sequence[str]
                ) -> dict[object, list[tuple[object, ...]]]:
    """``columns`` of the rows of ``frame`` by their ``key`` column's value (``match_key``;
    a tuple of them for several key columns), in row order: the right side of a left merge
    on ``key``, to match rows one by one where pandas' merge of a few rows takes longer."""
    keys = [key] if isinstance(key, str) else list(key)
    rows: dict[object, list[tuple[object, ...]]] = {}
    for values in zip(*(frame[k].tolist() for k in keys), *(frame[c].tolist() for c in columns),
                      strict=True):
        found = tuple(match_key(v) for v in values[:len(keys)])
        rows.setdefault(found[0] if isinstance(key, str) else found, []).append(
            tuple(values[len(keys):]))
    return rows


def confidence_rank(values: pd.Series) -> pd.Series:
    """Confidences as ranks low 0 < medium 1 < high 2 (NaN where missing or unknown)."""
    return values.map(_CONFIDENCE_RANK).astype("float64")


_CONFIDENCE_NAME = {rank: name for name, rank in _CONFIDENCE_RANK.items()}


def confidence_name(ranks: pd.Series) -> pd.Series:
    """Ranks from ``confidence_rank`` back to their names (NA where missing)."""
    return ranks.map(_CONFIDENCE_NAME).astype("string")


def confidence_names(ranks: np.ndarray) -> list[str | None]:
    """``confidence_name`` of an array of ranks, as a list (None where missing)."""
    return [_CONFIDENCE_NAME.get(rank) for rank in ranks.tolist()]


def outer_merge(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str],
                **options: object) -> pd.DataFrame:
    """``left.merge(right, on=on, how="outer", **options)``, also when both are empty.

    pandas (3.1) joins text keys held as Arrow strings by putting both sides' chunks
    together; a column filtered to nothing, or an empty table from the workbook cache, has
    no chunk at all, and two such keys raise ``ArrowInvalid: cannot construct ChunkedArray
    from empty vector and omitted type``. A freshly made empty column has one (empty) chunk.
    """
    if left.empty and right.empty:
        left = pd.DataFrame({name: pd.array([], dtype=column.dtype)
                             for name, column in left.items()})
    return left.merge(right, on=list(on), how="outer", **options)


def frame_of(columns: Mapping[str, object], dtypes: Mapping[str, object]) -> pd.DataFrame:
    """A frame of ``columns`` (name -> values, each a list or array of one length) with
    ``dtypes`` (name -> dtype, in the columns' order): what ``typed`` gives for a frame
    holding these values, built at once."""
    first = next(iter(columns.values()), [])
    if not len(first):  # type: ignore[arg-type]
        return empty(dtypes)
    return pd.DataFrame({name: pd.array(columns[name], dtype=_pandas_dtype(dtype))
                         for name, dtype in dtypes.items()})


def typed(frame: pd.DataFrame, columns: Mapping[str, object]) -> pd.DataFrame:
    """``frame``'s ``columns`` in that order and with those dtypes, on a fresh 0..n-1 index.

    The one place that gives every returned frame its documented shape, also when empty.
    """
    if frame.empty:
        return empty(columns)
    names = list(columns)
    out = frame if list(frame.columns) == names else frame[names]
    # only the columns not of their dtype yet, each on its own: ``DataFrame.astype`` copies
    # and joins every column again, which made up most of the time spent here
    have = dict(zip(names, out.dtypes, strict=True))
    change = {name: out[name].astype(dtype) for name, dtype in columns.items()
              if have[name] != _pandas_dtype(dtype)}
    return (out.assign(**change) if change else out).reset_index(drop=True)


@functools.cache
def _pandas_dtype(dtype: object) -> object:
    """``pandas_dtype`` kept per spelling ("string", "Int64"): made anew, a dtype such as
    ``StringDtype`` takes longer to build than the rest of ``typed`` when nothing changes."""
    return pd.api.types.pandas_dtype(dtype)


def days_between(later: pd.Timestamp, earlier: pd.Series) -> pd.Series:
    """Whole days from each date in ``earlier`` to ``later`` (Int64, NA where a date is missing)."""
    dates = pd.to_datetime(earlier)
    return (later - dates).dt.days.astype("Int64")


def joined(values: Iterable[object]) -> str:
    """Values as one comma-separated text ("" when there are none)."""
    return ", ".join(str(v) for v in values)
