"""``kamkit.grouping.Groups`` gives what ``DataFrame.groupby`` gives, to the last bit: the
groups in order, each group's sum (added up as pandas adds up: in one go when the rows are
in group order and none is missing, else compensated in row order), smallest value, count,
first value and number of distinct values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamkit.frames import total_if_known
from kamkit.grouping import Groups


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 40))
    # values whose sum depends on the order and method of adding (1e16 + 1 - 1e16)
    values = (rng.choice([1e16, -1e16, 1.0, 0.1, 0.2, 1 / 3, np.nan, -0.0, 0.7], size=size)
              if seed % 3 == 0 else rng.normal(1000, 500, size).round(2))
    some_missing: list[object] = [2023, 2024, 2025, None] if seed % 4 == 0 else [2023, 2024]
    years = rng.choice(np.array(some_missing, dtype=object), size=size)
    frame = pd.DataFrame({"year": pd.array(years, dtype="Int64"),
                          "service": pd.array(rng.choice(["A", "B", "C"], size=size),
                                              dtype="string"),
                          "v": values})
    if seed % 2:  # rows in group order: pandas adds up each group with reduceat
        frame = frame.sort_values(["year", "service"], kind="stable", ignore_index=True)
    if seed % 7 == 0:  # a masked column: always the compensated sum
        frame["v"] = frame["v"].astype("Float64")
    return frame


def _bits(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype="float64").view("int64")


@pytest.mark.parametrize("seed", range(60))
def test_groups_are_pandas_groups(seed: int) -> None:
    frame = _frame(seed)
    expected = frame.groupby(["year", "service"], as_index=False).agg(
        v=("v", "sum"), least=("v", "min"), size=("v", "size"), first=("service", "first"),
        distinct=("service", "nunique"))
    groups = Groups(frame["year"], frame["service"])
    assert groups.keys == list(zip(expected["year"], expected["service"], strict=True))
    assert len(groups) == len(expected)
    assert np.array_equal(_bits(groups.sums(frame["v"])),
                          _bits(expected["v"].to_numpy(dtype="float64", na_value=np.nan)))
    assert np.array_equal(groups.minima(frame["v"]),
                          expected["least"].to_numpy(dtype="float64", na_value=np.nan),
                          equal_nan=True)
    assert groups.counts().tolist() == expected["size"].tolist()
    assert groups.firsts(frame["service"]) == expected["first"].tolist()
    assert groups.distinct(frame["service"]) == expected["distinct"].tolist()



@pytest.mark.parametrize("seed", range(60))
def test_sums_if_known_are_total_if_known(seed: int) -> None:
    frame = _frame(seed)
    expected = total_if_known(frame["v"], frame["year"])
    groups = Groups(frame["year"])
    assert groups.key_column(0) == expected.index.tolist()
    assert np.array_equal(_bits(groups.sums_if_known(frame["v"])),
                          _bits(expected.to_numpy(dtype="float64", na_value=np.nan)))

def test_a_sum_depends_on_how_it_is_added() -> None:
    # the same three numbers: in group order pandas adds 1197.55 + (524.89 + 1090.11) in
    # one go; out of order it adds them one by one with Kahan's compensation
    values = [1197.55, 524.89, 1090.11]
    in_order = Groups(["a", "a", "a"]).sums(np.array(values))
    apart = Groups(["a", "b", "a", "a"]).sums(np.array([values[0], 5.0, *values[1:]]))
    assert in_order[0] == 2812.55 and apart[0] == 2812.5499999999997
