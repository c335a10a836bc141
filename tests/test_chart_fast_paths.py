"""The fast paths of making a chart's data give to the last bit what pandas gives: a
group's running sums, the stacked segments of the holder shares chart and the holders
its description names, on the demo at several dates, the mini workbook and shuffled,
perturbed frames."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kamkit import Workbook
from kamkit import formatting as fmt
from kamkit.analysis import cut_off
from kamkit.analysis.wallet import holder_shares
from kamkit.charts import shares
from kamkit.grouping import Groups
from kamkit.labels import t
from kamkit.schema import US

DATES = (dt.date(2024, 6, 30), dt.date(2025, 12, 31), dt.date(2026, 9, 30))
BYS = ((("year",), None), (("year", "service"), "service"), (("year", "location"), "location"))


def _stacked_by_pandas(columns: dict[str, Any], keys: list[str], labelled: bool,
                       language: str) -> pd.DataFrame:
    """What holder_shares_chart did with pandas before ``_stacked``."""
    data = pd.DataFrame(columns).sort_values([*keys, "rank"], kind="stable")
    fraction = data["share"] / data.groupby(keys)["share"].transform("sum")
    data = data.assign(top=fraction.groupby([data[k] for k in keys]).cumsum())
    return data.assign(
        bottom=data["top"] - fraction, middle=data["top"] - fraction / 2,
        share_text=[fmt.share(s, language) if labelled and f >= shares._SEGMENT_LABEL_FROM
                    else "" for s, f in zip(data["share"], fraction, strict=True)])


def _described_by_pandas(data: pd.DataFrame, language: str) -> str:
    """What ``_describe_shares`` did with pandas."""
    last = data["year_label"].max()
    held = (data[data["year_label"] == last].groupby(["holder", "holder_label"])["spend"]
            .sum().reset_index())
    total = held["spend"].sum()
    leader = held.loc[held["spend"].idxmax()] if total > 0 else held.iloc[0]
    ours = held.loc[held["holder"] == US, "spend"].sum()
    return t("chart.desc.holder_shares", language, first=data["year_label"].min(), last=last,
             year=last, leader=leader["holder_label"],
             leader_share=fmt.share(leader["spend"] / total if total else None, language),
             ours=fmt.share(ours / total if total else None, language))


def _checked_charts(frames: list[tuple[pd.DataFrame, Any, str | None, Any]],
                    monkeypatch: pytest.MonkeyPatch) -> int:
    """Draws each holder shares chart with the fast paths, checking each against pandas."""
    checked = []
    fast_stacked, fast_described = shares._stacked, shares._describe_shares

    def stacked(columns: dict[str, Any], keys: list[str], labelled: bool,
                language: str) -> pd.DataFrame:
        careful = _stacked_by_pandas(dict(columns), keys, labelled, language)
        fast = fast_stacked(columns, keys, labelled, language)
        pd.testing.assert_frame_equal(fast, careful, check_exact=True, check_index_type=True)
        checked.append(1)
        return fast

    def described(data: pd.DataFrame, language: str) -> str:
        fast = fast_described(data, language)
        assert fast == _described_by_pandas(data, language)
        return fast

    monkeypatch.setattr(shares, "_stacked", stacked)
    monkeypatch.setattr(shares, "_describe_shares", described)
    for frame, competitors, facet, names in frames:
        for language in ("en", "nl"):
            shares.holder_shares_chart(frame, competitors, language, facet, names)
    return len(checked)


def _frames(workbook: Workbook, ids: list[str], days: tuple[dt.date, ...]
            ) -> list[tuple[pd.DataFrame, Any, str | None, Any]]:
    frames = []
    for account_id in ids:
        for day in days:
            account = cut_off(workbook.account(account_id), day)
            for by, facet in BYS:
                names = None if facet is None else account.table(f"{facet}s")
                frames.append((holder_shares(account, by=by), account.competitors, facet,
                               names))
    return frames


@pytest.mark.slow  # 6 accounts at 3 dates, 3 groupings, 2 languages: about 5 s
def test_holder_shares_chart_data_is_pandas_on_the_demo(demo: Workbook,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert _checked_charts(_frames(demo, demo.account_ids[::2], DATES), monkeypatch) > 50


@pytest.mark.slow  # about 0.5 s: every account of the mini workbook, both languages
def test_holder_shares_chart_data_is_pandas_on_the_mini(mini: Workbook,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _checked_charts(_frames(mini, mini.account_ids, (dt.date(2026, 9, 30),)),
                           monkeypatch) > 0


def _perturbed(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Rows shuffled, shares and spend that do not add up (ties, zeros, tiny and huge
    values, missing spend), some holders the same."""
    frame = frame.sample(frac=1.0, random_state=int(rng.integers(1000))).reset_index(drop=True)
    size = len(frame)
    frame["share"] = rng.choice([0.0, 1e-17, 0.1, 0.2, 1 / 3, 0.5, 0.7, 1e16, 0.05],
                                size=size)
    frame["spend"] = rng.choice([0.0, 1e16, -1e16, 1.0, 0.1, np.nan, 1234.5], size=size)
    if size > 2:
        frame.loc[frame.index[:2], "holder"] = US
    return frame


@pytest.mark.parametrize("seed", range(8))
def test_holder_shares_chart_data_is_pandas_on_perturbed_frames(
        demo: Workbook, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    account_id = demo.account_ids[seed % len(demo.account_ids)]
    frames = [(_perturbed(frame, rng), competitors, facet, names) for frame, competitors,
              facet, names in _frames(demo, [account_id], (DATES[-1],))]
    assert _checked_charts(frames, monkeypatch) == 2 * len(frames)


@pytest.mark.parametrize("seed", range(30))
def test_running_sums_are_groupby_cumsum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 50))
    # values whose sum depends on the order and method of adding (1e16 + 1 - 1e16)
    values = rng.choice([1e16, -1e16, 1.0, 0.1, 0.2, 1 / 3, np.nan, -0.0, np.inf], size=size)
    keys = pd.Series(rng.choice(np.array(["a", "b", None], dtype=object), size=size),
                     dtype="string")
    frame = pd.DataFrame({"k": keys, "v": values})
    careful = frame.groupby("k")["v"].cumsum().to_numpy(dtype="float64", na_value=np.nan)
    fast = Groups(frame["k"]).running_sums(frame["v"])
    assert np.array_equal(fast.view("int64"), careful.view("int64"))
