"""The fast paths of building a report give to the last bit what the careful paths give: the
sums of a group with every value missing, shares of plain numbers, the share of wallet of a
period from the account's yearly one, the periods kept per start and end, an account's
window of a period, the relationship gaps and owners of P3, the seasonality and the
contact matrix."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kamkit import AccountData, Workbook
from kamkit.analysis import cut_off
from kamkit.analysis.contacts import MATRIX_COLUMNS, contact_matrix
from kamkit.analysis.history import revenue_by_year
from kamkit.analysis.organisation import org_chart
from kamkit.documents import Scope
from kamkit.frames import LEVEL_RANK, days_between, empty, joined, share, typed
from kamkit.grouping import Groups
from kamkit.periods import month_start, months
from kamkit.plan import forecasting, metrics, team
from kamkit.plan._common import between, ratio, scoped, window
from kamkit.plan.forecasting import complete_months


def _same_bits(left: np.ndarray, right: np.ndarray) -> bool:
    return np.array_equal(np.asarray(left, dtype="float64").view("int64"),
                          np.asarray(right, dtype="float64").view("int64"))


@pytest.mark.parametrize("seed", range(20))
def test_group_sums_are_series_sums(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 60))
    # values whose sum depends on the order and method of adding (1e16 + 1 - 1e16)
    values = rng.choice([1e16, -1e16, 1.0, 0.1, 0.2, 1 / 3, np.nan, -0.0], size=size)
    years = pd.array(rng.choice([2023, 2024, 2025, None], size=size), dtype="Int64")
    frame = pd.DataFrame({"year": years, "service": rng.choice(["A", "B"], size=size),
                          "v": values})
    groups = frame.groupby(["year", "service"], as_index=False)
    careful = groups.agg(v=("v", lambda part: part.sum(min_count=1)))["v"].to_numpy()
    assert _same_bits(Groups(frame["year"], frame["service"]).sums_or_na(frame["v"]), careful)


@pytest.mark.parametrize("seed", range(20))
def test_share_of_numbers_is_the_coerced_share(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 30))
    index = pd.Index(rng.permutation(size) + 10)
    numerator = pd.Series(rng.choice([0.0, 1.5, -2.0, np.nan, 1e300, 7.0], size=size),
                          index=index, name="a")
    denominator = pd.Series(rng.choice([0, 3, -4, 10**6], size=size), index=index,
                            name=rng.choice(["a", "b"]))
    fast = share(numerator, denominator)
    careful = share(numerator.astype(object), denominator.astype(object))
    assert _same_bits(fast.to_numpy(), careful.to_numpy())
    assert fast.index.equals(careful.index) and fast.name == careful.name
    assert fast.dtype == careful.dtype == "float64"


def _periods() -> list[tuple[dt.date, dt.date]]:
    years = [(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(2021, 2027)]
    parts = [(dt.date(2026, 1, 1), dt.date(2026, 9, 30)), (dt.date(2025, 1, 1),
              dt.date(2025, 6, 30)), (dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
             (dt.date(2024, 1, 1), dt.date(2025, 12, 31)), (dt.date(2025, 3, 15),
              dt.date(2025, 3, 20))]
    return years + parts


@pytest.mark.sample(1)  # about a second of CPU per account (conftest.py)
@pytest.mark.parametrize("index", range(12), ids=lambda index: f"account{index}")
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_share_of_wallet_of_a_period_is_its_window_s(demo: Workbook, index: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole years of sales from the account's yearly share, other periods from their
    window: every value as the window alone gives it (the careful path), for each of the
    demo's first 12 accounts."""
    account = demo.account(demo.account_ids[index])
    services = list(account.services["service"][:2])
    cases = [(account, scope, start, end)
             for scope in (None, *(Scope(service=s) for s in services))
             for start, end in _periods()]
    fast = [metrics.metric_value(a, "share_of_wallet", s, b, e) for a, s, b, e in cases]
    with monkeypatch.context() as patch:
        patch.setattr(metrics, "_holding_period", window)
        careful = [metrics.metric_value(a, "share_of_wallet", s, b, e) for a, s, b, e in cases]
    assert _same_bits(np.array(fast), np.array(careful))
    assert not all(np.isnan(fast))


def test_kept_periods_are_copies() -> None:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    first = months(start, end)
    first.name = "changed"
    assert months(start, end).name is None and months(start, end).equals(first)
    done = complete_months(start, end, dt.date(2026, 9, 30))
    done.name = "changed"
    assert complete_months(start, end, dt.date(2026, 9, 30)).name is None
    assert len(done) == 9


@pytest.mark.parametrize("seed", range(20))
def test_between_is_series_between(seed: int) -> None:
    """Dates of several units (and NaT, and none at all) against bounds of other units."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 30))
    seconds = rng.integers(1_600_000_000, 1_800_000_000, size=size)
    dates = pd.Series(pd.to_datetime(seconds, unit="s")).astype(
        rng.choice(["datetime64[s]", "datetime64[ms]", "datetime64[ns]"]))
    dates[rng.random(size) < 0.2] = pd.NaT
    bounds = sorted(pd.Timestamp(int(b), unit="s") for b in
                    rng.choice(np.r_[seconds, [1_700_000_000]], size=2))
    if seed % 3 == 0:  # a bound on a date itself, to the nanosecond
        bounds[1] = pd.Timestamp(2027, 1, 1) - pd.Timedelta(1, "ns")
    careful = dates.between(*bounds).fillna(False).to_numpy()
    assert np.array_equal(between(dates, *bounds), careful)
    assert np.array_equal(between(dates.astype(object), *bounds), careful)


def _window_by_pandas(account: AccountData, start: dt.date, end: dt.date) -> AccountData:
    sales, feedback = account.sales, account.feedback
    in_months = sales["month"].between(month_start(start), month_start(end))
    in_days = feedback["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    return account.with_tables(sales=sales[in_months.fillna(False).to_numpy()],
                               feedback=feedback[in_days.fillna(False).to_numpy()])


def _holding_by_pandas(account: AccountData, start: dt.date, end: dt.date) -> AccountData:
    sold = account.sales["month"]
    first, last = month_start(start), month_start(end)
    outside = sold.dt.year.between(first.year, last.year) & ~sold.between(first, last)
    return _window_by_pandas(account, start, end) if outside.fillna(False).any() else account


def _accounts(workbook: Workbook) -> list[AccountData]:
    """Every account as it is and cut off at two dates, and one with its months shifted
    by days within their month (a month not on its first day)."""
    accounts = []
    for account_id in workbook.account_ids:
        account = workbook.account(account_id)
        accounts += [account, cut_off(account, dt.date(2025, 3, 31)),
                     cut_off(account, dt.date(2026, 9, 30))]
    shifted = accounts[0].sales.assign(
        month=accounts[0].sales["month"] + pd.to_timedelta(
            np.arange(len(accounts[0].sales)) % 28, unit="D"))
    return [*accounts, accounts[0].with_tables(sales=shifted)]


@pytest.mark.slow  # about 1 s (mini) and 5 s (a third of the demo's accounts); the fast
# tier checks ``between`` itself (test_between_is_series_between)
@pytest.mark.parametrize("name", ["mini", "demo"])
def test_window_and_holding_period_are_the_pandas_ones(name: str,
                                                       request: pytest.FixtureRequest) -> None:
    workbook = request.getfixturevalue(name)
    accounts = _accounts(workbook)
    if name == "demo":  # every third account: the rest adds time, not cases
        accounts = accounts[::3]
    for account in accounts:
        for start, end in _periods():
            fast, careful = window(account, start, end), _window_by_pandas(account, start, end)
            for table in ("sales", "feedback"):
                pd.testing.assert_frame_equal(fast.table(table), careful.table(table),
                                              check_exact=True)
            held = metrics._holding_period(account, start, end)
            expected = _holding_by_pandas(account, start, end)
            assert (held is account) == (expected is account)
            pd.testing.assert_frame_equal(held.sales, expected.sales, check_exact=True)


def _relationship_gaps_by_pandas(account: AccountData, min_strength: int) -> pd.DataFrame:
    """What ``team.relationship_gaps`` did with pandas."""
    chart = org_chart(account, min_strength)
    groups = chart.assign(uncovered_name=chart["name"].where(~chart["covered"])).groupby(
        ["level", "department"], as_index=False, sort=False).agg(
        contacts=("contact_id", "size"), covered=("covered", "sum"),
        uncovered_contacts=("uncovered_name", lambda names: joined(names.dropna())))
    groups = groups.assign(uncovered=groups["contacts"] - groups["covered"],
                           share_covered=share(groups["covered"], groups["contacts"]),
                           no_relationship=(groups["covered"] == 0).to_numpy(),
                           rank=groups["level"].map(LEVEL_RANK))
    groups = groups[(groups["uncovered"] > 0).to_numpy()].sort_values(
        ["rank", "department"], kind="stable")
    return typed(groups, team._GAP_COLUMNS)


def _shaken(account: AccountData, rng: np.random.Generator) -> AccountData:
    """The account's contacts shuffled, some without a level or department or name, some
    at a level kamkit does not know, and its relationships' strengths drawn anew."""
    contacts = account.contacts.sample(frac=1.0, random_state=int(rng.integers(1000)))
    contacts = contacts.reset_index(drop=True)
    size = len(contacts)
    for column, value, part in (("level", None, 0.1), ("department", None, 0.1),
                                ("name", None, 0.1), ("level", "board", 0.3),
                                ("department", "Board", 0.2)):
        contacts.loc[rng.random(size) < part, column] = value
    relationships = account.relationships.assign(strength=pd.array(
        rng.integers(1, 6, size=len(account.relationships)), dtype="Int64"))
    return account.with_tables(contacts=contacts, relationships=relationships)


def _team_accounts(workbook: Workbook) -> list[AccountData]:
    return [cut_off(workbook.account(account_id), day) for account_id in workbook.account_ids
            for day in (dt.date(2025, 3, 31), dt.date(2026, 9, 30))]


@pytest.mark.slow  # about 1 s (mini) and 5 s (demo): org charts at two dates and shaken
@pytest.mark.parametrize("name", ["mini", "demo"])
def test_relationship_gaps_and_owners_are_the_pandas_ones(
        name: str, request: pytest.FixtureRequest) -> None:
    """relationship_gaps against the pandas way, and team_gaps' owners and named
    counterparts (``_people_of``) against a mask a contact; the demo (slow) at two dates,
    the mini workbook, and shaken accounts."""
    workbook = request.getfixturevalue(name)
    accounts = _team_accounts(workbook)
    for account in accounts:
        strategic = team.strategic_contacts(account)
        for frame in (account.relationships, team.team_match(account)):
            expected = {c: frame.loc[(frame["contact_id"] == c).fillna(False).to_numpy(),
                                     "person_id"].tolist() for c in strategic}
            assert team._people_of(strategic, frame["contact_id"],
                                   frame["person_id"]) == expected
    rng = np.random.default_rng(5)
    for account in [*accounts, *(_shaken(account, rng) for account in accounts[:8])]:
        for strength in (1, 3, 5):
            pd.testing.assert_frame_equal(team.relationship_gaps(account, strength),
                                          _relationship_gaps_by_pandas(account, strength),
                                          check_exact=True)


def _seasonality_by_pandas(account: AccountData, before: dt.date) -> pd.DataFrame:
    """What ``forecasting.seasonality`` did with pandas."""
    yearly = revenue_by_year(account)
    whole = (yearly["year"] > yearly["year"].min()) | (yearly["months_with_sales"] == 12)
    use = whole & (yearly["year"] < before.year) & (yearly["revenue"] > 0)
    years = yearly.loc[use.to_numpy(), "year"].tail(forecasting.SEASONALITY_YEARS)
    sales = account.sales
    used = sales[sales["month"].dt.year.isin(set(years)).to_numpy()]
    revenue = used.groupby(used["month"].dt.month)["revenue"].sum()
    revenue = revenue.reindex(range(1, 13), fill_value=0.0)
    total = revenue.sum()
    result = pd.DataFrame({"calendar_month": range(1, 13), "revenue": revenue.to_numpy(),
                           "share": [ratio(value, total) for value in revenue]})
    return typed(result, {"calendar_month": "int64", "revenue": "float64",
                          "share": "float64"})


def _resold(account: AccountData, rng: np.random.Generator) -> AccountData:
    """The account with 120 sales rows drawn from its own over 2021-2025 in random order,
    with revenues whose sum depends on the order and method of adding (1e16 + 1 - 1e16),
    a few missing, and a few months missing."""
    size = 120
    sales = account.sales.sample(n=size, replace=True, random_state=int(rng.integers(1000)))
    starts = pd.date_range("2021-01-01", "2025-12-01", freq="MS").astype("datetime64[s]")
    revenue = rng.choice([1e16, -1e16, 1.0, 0.1, 1 / 3, np.nan, 250.5], size=size,
                         p=[0.2, 0.1, 0.2, 0.2, 0.1, 0.05, 0.15])
    sales = sales.assign(month=rng.choice(starts.to_numpy(), size=size), revenue=revenue)
    sales.loc[rng.random(size) < 0.03, "month"] = pd.NaT
    return account.with_tables(sales=sales.reset_index(drop=True))


@pytest.mark.parametrize("name", ["mini", pytest.param("demo", marks=pytest.mark.slow)])
def test_seasonality_is_the_pandas_one(name: str, request: pytest.FixtureRequest) -> None:
    """On every account (the demo's slow: about 3 s) and each of its services, as it is
    and with its sales shuffled and reworked, before several dates."""
    workbook = request.getfixturevalue(name)
    rng = np.random.default_rng(11)
    for account_id in workbook.account_ids:
        account = workbook.account(account_id)
        services = [scoped(account, Scope(service=s)) for s in account.services["service"][:2]]
        resold = [_resold(account, rng) for _ in range(3)] if not account.sales.empty else []
        for data in [account, *services, *resold]:
            for before in (dt.date(2024, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 7, 1)):
                pd.testing.assert_frame_equal(
                    forecasting.seasonality(data, before),
                    _seasonality_by_pandas(data, before), check_exact=True)


def _contact_matrix_by_pandas(account: AccountData, as_of: dt.date | None) -> pd.DataFrame:
    """What ``contacts.contact_matrix`` did with pandas."""
    team = account.team.rename(columns={"name": "person_name", "function": "person_function",
                                        "level": "person_level"})
    contacts = account.contacts.rename(columns={"name": "contact_name", "title": "contact_title",
                                                "level": "contact_level"})
    links = account.relationships.merge(team, on="person_id", how="left").merge(
        contacts, on="contact_id", how="left")
    if links.empty:
        return empty(MATRIX_COLUMNS)
    days = (days_between(pd.Timestamp(as_of), links["last_contact"])
            if as_of is not None else pd.Series(pd.NA, index=links.index, dtype="Int64"))
    result = links.assign(
        days_since=days,
        same_level=(links["person_level"] == links["contact_level"]).fillna(False).to_numpy(),
        rank=links["contact_level"].map(LEVEL_RANK),
    ).sort_values(["rank", "contact_name", "strength"], ascending=[True, True, False],
                  kind="stable", na_position="last")
    return typed(result, MATRIX_COLUMNS)


def _tangled(account: AccountData, rng: np.random.Generator) -> AccountData:
    """The account's relationships shuffled and repeated with new strengths, some with a
    person or contact the tables do not hold (or none), without a strength or a last
    contact; a person and a contact twice in their tables; levels and names missing or
    unknown."""
    relationships = pd.concat([account.relationships] * 2, ignore_index=True).sample(
        frac=1.0, random_state=int(rng.integers(1000))).reset_index(drop=True)
    size = len(relationships)
    relationships["strength"] = pd.array(rng.integers(1, 6, size=size), dtype="Int64")
    for column, value, part in (("person_id", None, 0.05), ("person_id", "P-none", 0.05),
                                ("contact_id", "C-none", 0.05), ("contact_id", None, 0.05),
                                ("strength", None, 0.15), ("last_contact", None, 0.1)):
        relationships.loc[rng.random(size) < part, column] = value
    team = pd.concat([account.team, account.team.iloc[:1]], ignore_index=True)
    contacts = pd.concat([account.contacts, account.contacts.iloc[:1]], ignore_index=True)
    for frame in (team, contacts):
        frame.loc[rng.random(len(frame)) < 0.2, "level"] = None
        frame.loc[rng.random(len(frame)) < 0.2, "level"] = "board"
    contacts.loc[rng.random(len(contacts)) < 0.2, "name"] = None
    return account.with_tables(relationships=relationships, team=team, contacts=contacts)


@pytest.mark.slow  # about 1 s (mini) and 5 s (half the demo's accounts)
@pytest.mark.parametrize("name", ["mini", "demo"])
def test_contact_matrix_is_the_pandas_one(name: str, request: pytest.FixtureRequest) -> None:
    """Accounts as they are, cut off, and tangled, at no date and two."""
    workbook = request.getfixturevalue(name)
    rng = np.random.default_rng(3)
    for account_id in workbook.account_ids[::2 if name == "demo" else 1]:
        account = workbook.account(account_id)
        for data in (account, cut_off(account, dt.date(2025, 6, 30)), _tangled(account, rng)):
            for as_of in (None, dt.date(2025, 6, 30), dt.date(2026, 9, 30)):
                pd.testing.assert_frame_equal(contact_matrix.__wrapped__(data, as_of),
                                              _contact_matrix_by_pandas(data, as_of),
                                              check_exact=True)


def _team_match_by_pandas(account: AccountData) -> pd.DataFrame:
    """What ``team.team_match`` did with pandas."""
    pairs = team._plan_pairs(account)
    if pairs.empty:
        return empty(team._MATCH_COLUMNS)
    people = account.team.rename(columns={"name": "person_name", "function": "person_function",
                                          "level": "person_level"})
    contacts = account.contacts.rename(columns={"name": "contact_name", "title": "contact_title",
                                                "level": "contact_level"})
    links = account.relationships[["person_id", "contact_id", "strength"]]
    result = (pairs.merge(people, on="person_id", how="left")
              .merge(contacts, on="contact_id", how="left")
              .merge(links, on=["person_id", "contact_id"], how="left"))
    same = (result["person_level"] == result["contact_level"]).astype("boolean")
    result = result.assign(has_relationship=result["strength"].notna().to_numpy(),
                           same_level=same.mask(result["contact_id"].isna()))
    return typed(result, team._MATCH_COLUMNS)


@pytest.mark.slow  # about 1 s (mini) and 3 s (demo)
@pytest.mark.parametrize("name", ["mini", "demo"])
def test_team_match_is_the_pandas_one(name: str, request: pytest.FixtureRequest) -> None:
    """Every account as it is and tangled (repeated relationships and people, unknown and
    missing ids and levels)."""
    workbook = request.getfixturevalue(name)
    rng = np.random.default_rng(4)
    for account_id in workbook.account_ids:
        account = workbook.account(account_id)
        for data in (account, _tangled(account, rng), _tangled(account, rng)):
            pd.testing.assert_frame_equal(team.team_match.__wrapped__(data),
                                          _team_match_by_pandas(data), check_exact=True)
