"""A chart's DataFrame as inline values (``kamkit.charts.values``): Altair's own values, value
for value and type for type, or Altair left to make them."""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.data import to_values

from kamkit.charts.render import chart_spec
from kamkit.charts.values import records


def _typed(values: object) -> object:
    """The values with the type of each (1 and 1.0 and True compare equal)."""
    if isinstance(values, list):
        return [_typed(v) for v in values]
    if isinstance(values, dict):
        return {k: _typed(v) for k, v in values.items()}
    return (type(values).__name__, repr(values))


def _times(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts), format="ISO8601"), index=[10, 3, 5, 7, 1, 2])


def _frame() -> pd.DataFrame:
    """Every column type ``records`` makes itself, with missing and odd values."""
    return pd.DataFrame({
        "amount": [1.5, np.nan, np.inf, -np.inf, -0.0, 1e-300],
        "count": np.array([1, -2, 3, 0, 2**40, 7], dtype="int64"),
        "flag": [True, False, True, True, False, False],
        "name": pd.Series(["a", None, "c", "", "é €", "</script>"], dtype="str"),
        "label": pd.Series(["x", pd.NA, "z", "w", "v", "u"], dtype="string"),
        "day": _times("2024-01-31", None, "2023-12-01 13:45:10.5", "2020-02-29", "1999-12-31",
                      "2026-09-30"),
        "second": _times("2024-01-31", "2023-12-01", None, "2020-02-29", "1999-12-31",
                         "2026-09-30").astype("datetime64[s]"),
        "aware": _times("2024-01-31 10:00", None, "2023-12-01", "2020-02-29", "1999-12-31",
                        "2026-09-30").dt.tz_localize("UTC"),
    }, index=[10, 3, 5, 7, 1, 2])


def test_records_are_altairs_own_values() -> None:
    frame = _frame()
    before = frame.copy()
    altairs = to_values(frame)["values"]
    ours = records(frame)
    assert _typed(ours) == _typed(altairs)
    assert json.dumps(ours) == json.dumps(altairs)
    assert ours is not None and ours[1]["amount"] is None and ours[1]["day"] == ""
    pd.testing.assert_frame_equal(frame, before)  # the frame is left as it was
    assert records(frame.iloc[:0]) == to_values(frame.iloc[:0])["values"] == []


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"c": pd.Categorical(["a", "b"])}),
    pd.DataFrame({"o": [{"x": 1}, [1, 2]]}),  # objects: Altair's to convert
    pd.DataFrame({"n": pd.array([1, None], dtype="Int64")}),
    pd.DataFrame({"f": np.array([1.5, 2.5], dtype="float32")}),
    pd.DataFrame([[1, 2]]),  # names 0 and 1: Altair names them "0" and "1"
    pd.DataFrame([[1, 2]], columns=["a", "a"]),
    pd.DataFrame(index=[0, 1]),
    pd.DataFrame({"a": [1, 2]}, index=pd.MultiIndex.from_tuples([(1, 2), (3, 4)])),
    pd.DataFrame({"t": pd.to_timedelta([1, 2], unit="D")}),  # Altair refuses these
])
def test_other_frames_are_left_to_altair(frame: pd.DataFrame) -> None:
    assert records(frame) is None


def test_a_specs_values_are_altairs_also_past_the_row_limit() -> None:
    """``chart_spec`` makes the values of Altair's default transformer with ``records``:
    the same spec as Altair's, and Altair's error for too many rows."""
    frame = _frame()
    chart = alt.Chart(frame).mark_point().encode(x="amount:Q", y="name:N", color="day:T")
    assert json.dumps(chart_spec(chart)) == json.dumps(chart.to_dict())
    with alt.data_transformers.enable("default", max_rows=3), pytest.raises(alt.MaxRowsError):
        chart_spec(chart)
    with alt.data_transformers.disable_max_rows():
        assert len(chart_spec(chart)["datasets"].popitem()[1]) == len(frame)
    assert all(math.isfinite(v["amount"]) for v in chart_spec(chart)["datasets"].popitem()[1]
               if v["amount"] is not None)
