"""The test runs' shared portfolio measurements (tests/measured_cache.py): what a file gives
is what measuring gives, and a change to the workbook's files or to kamkit's code is
measured again, never served from an earlier file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kamkit.portfolio import assess
from kamkit.workbook import DEMO_WORKBOOK, load_workbook, load_workbook_cached
from tests import measured_cache

MINI_DAY = dt.date(2025, 12, 31)
DEMO_DAY = dt.date(2026, 9, 30)
KEY = assess.measure_key(MINI_DAY)


@pytest.fixture(autouse=True)
def _own_measurements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing measured or offered in this process yet; nothing left offered after."""
    monkeypatch.setattr(assess, "_MEMO", [])
    monkeypatch.setattr(assess, "_OFFERED", [])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of entries of its own."""
    made = tmp_path / "measured"
    made.mkdir()
    return made


def _fresh(path: Path, key: assess.MeasureKey = KEY) -> assess.Measured:
    """The measurement of the files at ``path``, from a workbook of its own."""
    as_of, account_ids, statuses, min_strength = key
    return assess.measure(load_workbook(path), as_of, account_ids, statuses,  # type: ignore[arg-type]
                          min_strength=min_strength)  # type: ignore[arg-type]


def _same(one: assess.Measured, other: assess.Measured) -> bool:
    """Equal, NaN and NA included, with the same types (repr tells np.float64 from float)."""
    return (one.as_of == other.as_of and one.accounts.equals(other.accounts)
            and one.criteria.equals(other.criteria)
            and repr(one.figures) == repr(other.figures)
            and repr(one.values) == repr(other.values)
            and repr(one.largest) == repr(other.largest))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The workbooks measured from now on, in order, each by a stand-in for
    ``assess._measure`` whose measurement tells which call made it (``values``): the real
    one costs a few tenths of a second, and what a file gives is checked against it in
    ``test_a_file_gives_what_measuring_gives_and_is_made_once``."""
    measured: list[object] = []

    def stand_in(workbook: object, as_of: dt.date, *_: object) -> assess.Measured:
        measured.append(workbook)
        return assess.Measured(as_of, pd.DataFrame(), {}, {"call": {"n": len(measured)}},
                               pd.DataFrame(), {})

    monkeypatch.setattr(assess, "_measure", stand_in)
    return measured


def test_a_file_gives_what_measuring_gives_and_is_made_once(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = load_workbook_cached(mini_copy)
    first = measured_cache.measured(folder, workbook, KEY)  # measured: assess._measure
    assert first is not None and len(list(folder.glob("*.pickle"))) == 1
    monkeypatch.setattr(assess, "_measure", lambda *_, **__: pytest.fail("measured again"))
    served = measured_cache.measured(folder, workbook, KEY)  # as another process asks
    assert served is not None and served is not first and _same(served, first)


def test_measure_takes_the_file_once_offered(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    measured = _counting(monkeypatch)
    assess.offer(measured_cache.source(folder))
    workbook = load_workbook_cached(mini_copy)
    made = assess.measure(workbook, MINI_DAY)
    monkeypatch.setattr(assess, "_MEMO", [])  # as in the next process or run
    served = assess.measure(workbook, MINI_DAY)
    assert measured == [workbook] and served is not made and _same(served, made)
    # another question is another entry: a part of the portfolio, another minimum strength
    part = assess.measure(workbook, MINI_DAY, ["A1"], min_strength=2)
    assert measured == [workbook, workbook] and part.values == {"call": {"n": 2}}


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_changed_files_are_measured_again(
        folder: Path, mini_copy: Path, edit_csv: Callable[[str, str, str], Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    measured = _counting(monkeypatch)
    workbook = load_workbook_cached(mini_copy)
    measured_cache.measured(folder, workbook, KEY)
    edit_csv("sales.csv", "2025-01,A1,CLEAN,NL-RTM,1500.00", "2025-01,A1,CLEAN,NL-RTM,12500.00")
    changed = load_workbook_cached(mini_copy)
    after = measured_cache.measured(folder, changed, KEY)
    assert measured == [workbook, changed] and len(list(folder.glob("*.pickle"))) == 2
    assert after is not None and after.values == {"call": {"n": 2}}


def test_changed_code_is_measured_again(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    measured = _counting(monkeypatch)
    workbook = load_workbook_cached(mini_copy)
    measured_cache.measured(folder, workbook, KEY)
    monkeypatch.setattr(measured_cache, "code_fingerprint", lambda: "kamkit, changed")
    again = measured_cache.measured(folder, workbook, KEY)
    assert measured == [workbook, workbook] and len(list(folder.glob("*.pickle"))) == 2
    assert again is not None and again.values == {"call": {"n": 2}}


def test_a_damaged_file_is_measured_again_and_replaced(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    measured = _counting(monkeypatch)
    workbook = load_workbook_cached(mini_copy)
    measured_cache.measured(folder, workbook, KEY)
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # a process killed while it wrote
    again = measured_cache.measured(folder, workbook, KEY)
    served = measured_cache.measured(folder, workbook, KEY)
    assert measured == [workbook, workbook] and again is not None and served is not None
    assert served.values == again.values == {"call": {"n": 2}}


def test_only_a_workbook_whose_files_are_known_is_served(folder: Path, mini_copy: Path
                                                         ) -> None:
    own = load_workbook(mini_copy)  # a test's own workbook, to be measured as it is
    assert measured_cache.measured(folder, own, KEY) is None
    assert not list(folder.iterdir())


def test_the_entries_last_used_are_kept(folder: Path, mini_copy: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured_cache, "KEPT", 2)
    measured = _counting(monkeypatch)
    workbook = load_workbook_cached(mini_copy)
    for version in ("1", "2", "1", "3"):  # 1 is used again after 2 was made
        monkeypatch.setattr(measured_cache, "code_fingerprint", lambda v=version: v)
        measured_cache.measured(folder, workbook, KEY)
    assert len(measured) == 3 and len(list(folder.glob("*.pickle"))) == 2
    for version in ("1", "3"):
        monkeypatch.setattr(measured_cache, "code_fingerprint", lambda v=version: v)
        measured_cache.measured(folder, workbook, KEY)
    assert len(measured) == 3  # 2 was removed, 1 and 3 kept


@pytest.mark.slow  # measures the whole demo portfolio twice
def test_the_demo_s_file_gives_what_measuring_gives(folder: Path) -> None:
    key = assess.measure_key(DEMO_DAY)
    served = measured_cache.measured(folder, load_workbook_cached(DEMO_WORKBOOK), key)
    again = measured_cache.measured(folder, load_workbook_cached(DEMO_WORKBOOK), key)
    assert served is not None and again is not None
    assert _same(again, _fresh(DEMO_WORKBOOK, key))
