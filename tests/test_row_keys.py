"""Rows' keys as codes (kamkit.row_keys) answer what pandas answers, and the rules' quick
"nothing to report" never hides a problem pandas would find (a boundary within rounding)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamkit import rules
from kamkit.row_keys import any_repeated, distinct, joint_keys
from kamkit.rules import CELL, check_spend


def _frame(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """Key-like columns of the workbook's dtypes, with missing values and repeats."""
    def picked(values: list[object]) -> list[object]:
        return [values[i] for i in rng.integers(0, len(values), rows)]

    return pd.DataFrame({
        "account_id": pd.array(picked(["A1", "A2", None, "a1"]), dtype="string"),
        "year": pd.array(picked([2024, 2025, None]), dtype="Int64"),
        "month": pd.to_datetime(pd.Series(picked(["2024-01-01", "2024-02-01", None]))),
        "score": np.array(picked([1.0, 2.5, np.nan])),
    })


@pytest.mark.parametrize("seed", range(30))
def test_repeats_are_what_pandas_finds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = _frame(rng, int(rng.integers(0, 12)))
    for columns in (["account_id"], ["account_id", "year"], ["year", "month", "score"],
                    list(frame.columns)):
        keyed = frame.dropna(subset=columns)
        assert any_repeated(frame, columns) == bool(keyed.duplicated(subset=columns).any())


def test_keys_are_shared_across_tables_and_dtypes() -> None:
    """The n-th columns of every table share codes: an Int64 year and a NumPy year."""
    first = pd.DataFrame({"id": pd.array(["A", "B", None], dtype="string"),
                          "year": pd.array([2024, 2025, 2025], dtype="Int64")})
    second = [pd.Series(pd.array(["B", "A", "C"], dtype="string")),
              np.array([2025, 2024, 2024])]
    found = joint_keys([[first["id"], first["year"]], second])
    assert found is not None
    one, two = found
    assert one[2] == -1  # a missing id: no key
    assert one[0] == two[1] and one[1] == two[0]
    assert two[2] not in set(one)


def test_distinct_leaves_missing_values_out() -> None:
    values = pd.Series(pd.array(["x", None, "y", "x"], dtype="string"))
    assert distinct(values) == frozenset(values.dropna().unique().tolist()) == {"x", "y"}


def _spend_tables(total: float, shares: list[float], ours: float | None) -> dict[str, pd.DataFrame]:
    cell = {"account_id": "A1", "year": 2025, "service": "CLEAN", "location": "NL-RTM"}

    def table(rows: list[dict[str, object]]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, index=pd.Index(range(2, 2 + len(rows)), name="row"))
        for name in ("account_id", "service", "location"):
            frame[name] = frame[name].astype("string")
        if "year" in frame:
            frame["year"] = frame["year"].astype("Int64")
        return frame

    sales = [] if ours is None else [{
        "month": pd.Timestamp("2025-03-01"), **{k: v for k, v in cell.items() if k != "year"},
        "revenue": ours}]
    return {
        "spend": table([{**cell, "spend": total}]),
        "spend_shares": table([{**cell, "holder": f"H{i}", "spend": share}
                               for i, share in enumerate(shares)]),
        "sales": table(sales) if sales else pd.DataFrame(
            {"month": pd.Series(dtype="datetime64[s]"), "revenue": pd.Series(dtype=float),
             **{k: pd.Series(dtype="string") for k in ("account_id", "service", "location")}}),
    }


FILES = {"spend": "spend.csv", "spend_shares": "spend_shares.csv", "sales": "sales.csv"}


@pytest.mark.parametrize(("total", "shares", "ours", "found"), [
    (100.0, [60.0, 40.0], None, []),
    (100.0, [60.0, 40.005], None, []),  # within the rule's 0.005
    (100.0, [60.0, 40.0051], None, ["problem.shares_over_total"]),
    (0.3, [0.1] * 3, None, []),  # 0.1 + 0.1 + 0.1 is 0.30000000000000004
    (100.0, [0.1] * 1000, None, []),
    (99.99, [0.1] * 1000, None, ["problem.shares_over_total"]),
    (99.995, [0.1] * 1000, None, None),  # on the boundary: as pandas' sum rounds
    (100.0, [0.1] * 999, 0.105, None),
    (100.0, [60.0], 40.0, []),
    (100.0, [60.0], 40.0051, ["problem.ours_over_total"]),
    (100.0, [np.nan], 100.0, []),  # a share without an amount holds nothing
    (np.nan, [60.0], 70.0, []),  # no total: nothing is judged against it
])
def test_spend_rule_at_the_boundary(monkeypatch: pytest.MonkeyPatch, total: float,
                                    shares: list[float], ours: float | None,
                                    found: list[str] | None) -> None:
    """The quick check never changes what the rule finds: the same problems as the rule
    finds looking at every cell (the quick check turned off)."""
    tables = _spend_tables(total, shares, ours)
    problems = check_spend(tables, FILES)
    if found is not None:
        assert [p.words.key for p in problems if p.words is not None] == found
    monkeypatch.setattr(rules, "_spend_fits", lambda *_: False)
    assert check_spend(tables, FILES) == problems


def test_a_share_without_an_estimate_is_found() -> None:
    tables = _spend_tables(100.0, [10.0], None)
    tables["spend_shares"]["year"] = pd.array([2024], dtype="Int64")
    problems = check_spend(tables, FILES)
    assert [p.words.key for p in problems if p.words is not None] == [
        "problem.share_without_total"]
    assert set(CELL) <= set(tables["spend_shares"].columns)
