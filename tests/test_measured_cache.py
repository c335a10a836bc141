"""The test runs' shared portfolio measurements (tests/measured_cache.py): what a file gives
is what measuring gives, and a change to the workbook's files or to kamkit's code is
measured again, never served from an earlier file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

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
    """The workbooks ``assess._measure`` measures from now on, in order."""
    measured: list[object] = []
    real = assess._measure

    def counted(workbook: object, *args: object, **kwargs: object) -> assess.Measured:
        measured.append(workbook)
        return real(workbook, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assess, "_measure", counted)
    return measured


def test_a_file_gives_what_measuring_gives_and_is_made_once(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = load_workbook_cached(mini_copy)
    measured = _counting(monkeypatch)
    first = measured_cache.measured(folder, workbook, KEY)
    assert first is not None and measured == [workbook]
    assert len(list(folder.glob("*.pickle"))) == 1
    served = measured_cache.measured(folder, workbook, KEY)  # as another process asks
    assert served is not None and served is not first and measured == [workbook]
    fresh = _fresh(mini_copy)
    assert _same(served, fresh) and _same(first, fresh)


def test_measure_takes_the_file_once_offered(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assess.offer(measured_cache.source(folder))
    workbook = load_workbook_cached(mini_copy)
    made = assess.measure(workbook, MINI_DAY)
    with monkeypatch.context() as later:
        later.setattr(assess, "_MEMO", [])  # as in the next process or run
        later.setattr(assess, "_measure", lambda *_, **__: pytest.fail("measured again"))
        served = assess.measure(workbook, MINI_DAY)
    assert served is not made and _same(served, made)
    # another question is another entry: a part of the portfolio, another minimum strength
    part = assess.measure(workbook, MINI_DAY, ["A1"], min_strength=2)
    assert _same(part, _fresh(mini_copy, assess.measure_key(MINI_DAY, ["A1"], min_strength=2)))


def test_changed_files_are_measured_again(
        folder: Path, mini_copy: Path, edit_csv: Callable[[str, str, str], Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = measured_cache.measured(folder, load_workbook_cached(mini_copy), KEY)
    edit_csv("sales.csv", "2025-01,A1,CLEAN,NL-RTM,1500.00", "2025-01,A1,CLEAN,NL-RTM,12500.00")
    measured = _counting(monkeypatch)
    changed = load_workbook_cached(mini_copy)
    after = measured_cache.measured(folder, changed, KEY)
    assert measured == [changed] and len(list(folder.glob("*.pickle"))) == 2
    assert before is not None and after is not None
    assert _same(after, _fresh(mini_copy)) and not _same(after, before)
    assert after.figures["A1"] != before.figures["A1"]


def test_changed_code_is_measured_again(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = load_workbook_cached(mini_copy)
    measured_cache.measured(folder, workbook, KEY)
    measured = _counting(monkeypatch)
    monkeypatch.setattr(measured_cache, "code_fingerprint", lambda: "kamkit, changed")
    again = measured_cache.measured(folder, workbook, KEY)
    assert measured == [workbook] and len(list(folder.glob("*.pickle"))) == 2
    assert again is not None and _same(again, _fresh(mini_copy))


def test_a_damaged_file_is_measured_again_and_replaced(
        folder: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = load_workbook_cached(mini_copy)
    measured_cache.measured(folder, workbook, KEY)
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # a process killed while it wrote
    measured = _counting(monkeypatch)
    again = measured_cache.measured(folder, workbook, KEY)
    served = measured_cache.measured(folder, workbook, KEY)
    assert measured == [workbook] and again is not None and served is not None
    assert _same(again, _fresh(mini_copy)) and _same(served, again)


def test_only_a_workbook_whose_files_are_known_is_served(folder: Path, mini_copy: Path
                                                         ) -> None:
    own = load_workbook(mini_copy)  # a test's own workbook, to be measured as it is
    assert measured_cache.measured(folder, own, KEY) is None
    assert not list(folder.iterdir())


def test_old_entries_are_removed(folder: Path, mini_copy: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(measured_cache, "KEPT", 2)
    workbook = load_workbook_cached(mini_copy)
    for version in ("1", "2", "3"):
        monkeypatch.setattr(measured_cache, "code_fingerprint", lambda v=version: v)
        measured_cache.measured(folder, workbook, KEY)
    assert len(list(folder.glob("*.pickle"))) == 2
    monkeypatch.setattr(measured_cache, "code_fingerprint", lambda: "3")
    measured = _counting(monkeypatch)
    measured_cache.measured(folder, workbook, KEY)  # the newest is kept
    assert measured == []


@pytest.mark.slow  # measures the whole demo portfolio twice
def test_the_demo_s_file_gives_what_measuring_gives(folder: Path) -> None:
    key = assess.measure_key(DEMO_DAY)
    served = measured_cache.measured(folder, load_workbook_cached(DEMO_WORKBOOK), key)
    again = measured_cache.measured(folder, load_workbook_cached(DEMO_WORKBOOK), key)
    assert served is not None and again is not None
    assert _same(again, _fresh(DEMO_WORKBOOK, key))
