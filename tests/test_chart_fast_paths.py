"""The fast paths of making a chart's data give to the last bit what pandas gives: a
group's running sums, the stacked segments of the holder shares chart and the holders
its description names, the contact matrix's cells and order, on the demo at several
dates, the mini workbook and shuffled, perturbed frames."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kamkit import Workbook
from kamkit import formatting as fmt
from kamkit.analysis import cut_off
from kamkit.analysis.contacts import contact_matrix
from kamkit.analysis.organisation import org_chart
from kamkit.analysis.wallet import holder_shares
from kamkit.charts import contacts as contacts_chart
from kamkit.charts import shares
from kamkit.charts.common import dates, nothing
from kamkit.grouping import Groups
from kamkit.labels import t, words
from kamkit.schema import LEVELS, US

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


@pytest.mark.parametrize("seed", range(4))
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


def _grid_by_pandas(matrix: pd.DataFrame, org: pd.DataFrame, language: str
                    ) -> tuple[pd.DataFrame, list[str], list[str], int, int]:
    """What contact_matrix_chart did with pandas before ``_grid``."""
    def top(frame: pd.DataFrame, limit: int, keys: list[str]) -> pd.DataFrame:
        if len(frame) <= limit:
            return frame
        return frame.sort_values(keys, kind="stable").head(limit).sort_index(kind="stable")

    level_rank = {level: rank for rank, level in enumerate(LEVELS)}
    contacts = (org[["contact_id", "name", "title", "level"]] if not nothing(org) else
                matrix[["contact_id", "contact_name", "contact_title", "contact_level"]]
                .set_axis(["contact_id", "name", "title", "level"], axis=1))
    best = matrix.groupby("contact_id")["strength"].max()
    contacts = (contacts.drop_duplicates("contact_id")
                .assign(rank=lambda f: f["level"].map(level_rank).fillna(len(LEVELS)),
                        best=lambda f: -f["contact_id"].map(best).fillna(0))
                .sort_values(["rank", "name"], kind="stable").reset_index(drop=True))
    links_of = matrix.groupby("person_id")["contact_id"].nunique()
    people = (matrix[["person_id", "person_name", "person_level"]]
              .drop_duplicates("person_id")
              .assign(rank=lambda f: f["person_level"].map(level_rank).fillna(len(LEVELS)),
                      links=lambda f: -f["person_id"].map(links_of))
              .sort_values(["rank", "person_name"], kind="stable").reset_index(drop=True))
    total, team = len(contacts), len(people)
    contacts = top(contacts, contacts_chart.MATRIX_CONTACTS, ["rank", "best"])
    people = top(people, contacts_chart.MATRIX_PEOPLE, ["rank", "links"])
    links = matrix.drop_duplicates(["person_id", "contact_id"])[
        ["person_id", "contact_id", "strength", "last_contact", "days_since"]]
    grid = (people[["person_id", "person_name"]]
            .merge(contacts[["contact_id", "name", "title", "level"]], how="cross")
            .merge(links, on=["person_id", "contact_id"], how="left"))
    data = pd.DataFrame({
        "person": [str(p) for p in grid["person_name"]],
        "contact": [str(c) for c in grid["name"]],
        "title": [str(v) if pd.notna(v) else "" for v in grid["title"]],
        "level_label": words(grid["level"], "level.", language),
        "strength": [None if pd.isna(s) else int(s) for s in grid["strength"]],
        "last_contact": dates(grid["last_contact"], language),
        "days_since": [None if pd.isna(d) else int(d) for d in grid["days_since"]],
    })
    return (data, [str(p) for p in people["person_name"]],
            [str(c) for c in contacts["name"]], total, team)


def _same_grid(matrix: pd.DataFrame, org: pd.DataFrame) -> None:
    for language in ("en", "nl"):
        fast = contacts_chart._grid(matrix, org, language)
        data, people, contacts, total, team = _grid_by_pandas(matrix, org, language)
        pd.testing.assert_frame_equal(fast.data, data, check_exact=True)
        assert (fast.people, fast.contacts, fast.total, fast.team) == (people, contacts,
                                                                     total, team)


def _matrices(workbook: Workbook, ids: list[str], days: tuple[dt.date, ...]
              ) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    return [(contact_matrix(account, day), org_chart(account))
            for account_id in ids for day in days
            for account in [cut_off(workbook.account(account_id), day)]]


@pytest.mark.slow  # half the demo accounts at 3 dates, 2 languages: about 5 s
def test_contact_matrix_grid_is_pandas_on_the_demo(demo: Workbook) -> None:
    cases = _matrices(demo, demo.account_ids[::2], DATES)
    for matrix, org in cases:
        if not nothing(matrix, "strength"):
            _same_grid(matrix, org)


def test_contact_matrix_grid_is_pandas_on_the_mini(mini: Workbook) -> None:
    for matrix, org in _matrices(mini, mini.account_ids, (DATES[-1],)):
        if not nothing(matrix, "strength"):
            _same_grid(matrix, org)


def _enlarged(matrix: pd.DataFrame, org: pd.DataFrame, rng: np.random.Generator,
              copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matrix and org chart ``copies`` times over (more contacts and people than the
    chart shows), shuffled, with repeated links, missing strengths, levels, names and
    people, and levels the chart does not know."""
    def copied(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
        parts = []
        for number in range(copies):
            part = frame.copy()
            for column in ids:
                part[column] = part[column] + f"-{number}"
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    matrix = copied(matrix, ["person_id", "contact_id", "contact_name"])
    org = copied(org, ["contact_id", "name"])
    matrix = pd.concat([matrix, matrix.sample(n=min(5, len(matrix)), random_state=1)],
                       ignore_index=True)  # a link twice
    matrix = matrix.sample(frac=1.0, random_state=int(rng.integers(1000)))
    size = len(matrix)
    for column, share in (("strength", 0.2), ("contact_level", 0.1), ("person_level", 0.1),
                          ("person_name", 0.05), ("person_id", 0.05),
                          ("last_contact", 0.1), ("days_since", 0.1)):
        matrix.loc[rng.random(size) < share, column] = None
    matrix.loc[rng.random(size) < 0.1, "contact_level"] = "board"
    org = org.sample(frac=1.0, random_state=int(rng.integers(1000)))
    org.loc[rng.random(len(org)) < 0.1, "level"] = None
    org.loc[rng.random(len(org)) < 0.1, "name"] = None
    return matrix.reset_index(drop=True), org.reset_index(drop=True)


@pytest.mark.parametrize("seed", range(4))
def test_contact_matrix_grid_is_pandas_on_perturbed_matrices(
        demo: Workbook, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    account = demo.account(demo.account_ids[seed % len(demo.account_ids)])
    matrix, org = _enlarged(contact_matrix(account, DATES[-1]), org_chart(account), rng,
                            copies=1 + seed % 2)
    if seed % 3:  # more contacts and people than the chart shows (``_top``)
        monkeypatch.setattr(contacts_chart, "MATRIX_CONTACTS", 7)
        monkeypatch.setattr(contacts_chart, "MATRIX_PEOPLE", 3)
    _same_grid(matrix, org)
    _same_grid(matrix, org.iloc[:0])  # no org chart: the contacts of the matrix


@pytest.mark.slow  # about 1.5 s
def test_contact_matrix_grid_is_pandas_on_a_large_matrix(demo: Workbook) -> None:
    """More contacts and people than the chart shows, at its own limits."""
    account = demo.account(demo.account_ids[0])
    matrix, org = _enlarged(contact_matrix(account, DATES[-1]), org_chart(account),
                            np.random.default_rng(7), copies=6)
    assert len(org) > contacts_chart.MATRIX_CONTACTS
    assert matrix["person_id"].nunique() > contacts_chart.MATRIX_PEOPLE
    _same_grid(matrix, org)
