"""Portfolio measurements shared through files (kamkit/batch/measured_cache.py's ``source``,
what the test runs offer ``assess.measure``): what a file gives is what measuring gives,
one process measures while another asking for the same waits for its file, and a change to
the workbook's files or to kamkit's code is measured again, never served from an earlier
file. A run's use of the same files is tested in test_batch_measuring.py."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kamkit.batch import measured_cache
from kamkit.portfolio import assess
from kamkit.workbook import DEMO_WORKBOOK, load_workbook, load_workbook_cached

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
    return tmp_path / "measured"


def _fresh(path: Path, key: assess.MeasureKey = KEY) -> assess.Measured:
    """The measurement of the files at ``path``, from a workbook of its own."""
    as_of, account_ids, statuses, min_strength = key
    return assess.measure(load_workbook(path), as_of, account_ids, statuses,  # type: ignore[arg-type]
                          min_strength=min_strength)  # type: ignore[arg-type]


def _same(one: assess.Measured | None, other: assess.Measured) -> bool:
    """Equal, NaN and NA included, with the same types (repr tells np.float64 from float)."""
    return (one is not None and one.as_of == other.as_of
            and one.accounts.equals(other.accounts) and one.criteria.equals(other.criteria)
            and repr(one.figures) == repr(other.figures)
            and repr(one.values) == repr(other.values)
            and repr(one.largest) == repr(other.largest) and one.plans == other.plans)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_a_file_gives_what_measuring_gives_and_is_made_once(
        folder: Path, mini_copy: Path, measurements: list[list[str]]) -> None:
    source = measured_cache.source(folder)
    workbook = load_workbook_cached(mini_copy)
    first = source(workbook, KEY)  # measured
    assert len(measurements) == 1 and len(_entries(folder)) == 1
    assert _same(first, _fresh(mini_copy))
    served = source(workbook, KEY)  # as another process asks
    assert len(measurements) == 2  # (the fresh one's)
    assert served is not first and _same(served, _fresh(mini_copy))


def test_measure_takes_the_file_once_offered(
        folder: Path, mini_copy: Path, measurements: list[list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assess.offer(measured_cache.source(folder))
    workbook = load_workbook_cached(mini_copy)
    first = assess.measure(workbook, MINI_DAY)
    monkeypatch.setattr(assess, "_MEMO", [])  # as in the next process or run
    served = assess.measure(workbook, MINI_DAY)
    assert len(measurements) == 1 and served is not first and _same(served, first)
    # another question is another entry: a part of the portfolio, another minimum strength
    # (a scale to the portfolio's largest value: the part asks for the whole portfolio)
    part = assess.measure(workbook, MINI_DAY, ["A1"], min_strength=2)
    assert list(part.figures) == ["A1"] and len(_entries(folder)) == 3
    assert [ids for ids in measurements if ids] == [["A1", "A2"], ["A1", "A2"]]
    monkeypatch.setattr(assess, "_MEMO", [])
    again = assess.measure(workbook, MINI_DAY, ["A1"], min_strength=2)
    assert [ids for ids in measurements if ids] == [["A1", "A2"], ["A1", "A2"]]
    assert _same(again, part)


def test_two_processes_asking_at_once_measure_once(
        folder: Path, mini_copy: Path, measurements: list[list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second asker waits for the first one's file (threads: a lock per open file,
    as between processes)."""
    workbook = load_workbook_cached(mini_copy)
    measuring, go, waiting = threading.Event(), threading.Event(), threading.Event()
    counted = assess._measured_values

    def slow(*args: object) -> assess.Values:
        measuring.set()
        assert go.wait(60)
        return counted(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(assess, "_measured_values", slow)
    alone = measured_cache.exclusive

    @contextmanager
    def arriving(lock: Path) -> Iterator[None]:
        if measuring.is_set():
            waiting.set()
        with alone(lock):
            yield

    monkeypatch.setattr(measured_cache, "exclusive", arriving)
    source = measured_cache.source(folder)
    got: dict[str, assess.Measured | None] = {}

    def ask(who: str) -> None:
        got[who] = source(workbook, KEY)

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    assert measuring.wait(60)
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    assert waiting.wait(60)
    time.sleep(0.2)  # the second at the lock: without it, it would measure meanwhile
    go.set()
    first.join(60)
    second.join(60)
    assert len(measurements) == 1
    assert got["first"] is not None and _same(got["second"], got["first"])


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_changed_files_are_measured_again(
        folder: Path, mini_copy: Path, edit_csv: Callable[[str, str, str], Path],
        measurements: list[list[str]]) -> None:
    source = measured_cache.source(folder)
    source(load_workbook_cached(mini_copy), KEY)
    edit_csv("sales.csv", "2025-01,A1,CLEAN,NL-RTM,1500.00", "2025-01,A1,CLEAN,NL-RTM,12500.00")
    after = source(load_workbook_cached(mini_copy), KEY)
    assert len(measurements) == 2 and len(_entries(folder)) == 2
    assert _same(after, _fresh(mini_copy))


def test_changed_code_is_measured_again(
        folder: Path, mini_copy: Path, measurements: list[list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = measured_cache.source(folder)
    workbook = load_workbook_cached(mini_copy)
    source(workbook, KEY)
    monkeypatch.setattr("kamkit.code_fingerprint.code_fingerprint", lambda: "kamkit, changed")
    source(workbook, KEY)
    assert len(measurements) == 2 and len(_entries(folder)) == 2


def test_a_damaged_file_is_measured_again_and_replaced(
        folder: Path, mini_copy: Path, measurements: list[list[str]]) -> None:
    source = measured_cache.source(folder)
    workbook = load_workbook_cached(mini_copy)
    first = source(workbook, KEY)
    (entry,) = _entries(folder)
    whole = entry.read_bytes()
    for damaged in (whole[:100], whole.replace(b'"values": {', b'"values": {"X": {}, ', 1)):
        entry.write_bytes(damaged)  # a process killed while it wrote; another's change
        again = source(workbook, KEY)
        served = source(workbook, KEY)
        assert _same(again, first) and _same(served, first)
    assert len(measurements) == 3 and entry.read_bytes() == whole


def test_only_a_workbook_whose_files_are_known_is_served(folder: Path, mini_copy: Path
                                                         ) -> None:
    own = load_workbook(mini_copy)  # a test's own workbook, to be measured as it is
    assert measured_cache.source(folder)(own, KEY) is None
    assert not list(folder.iterdir())


def test_the_entries_last_used_are_kept(folder: Path, mini_copy: Path,
                                        measurements: list[list[str]],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = measured_cache.source(folder, keep=2)
    workbook = load_workbook_cached(mini_copy)
    for version in ("1", "2", "1", "3"):  # 1 is used again after 2 was made
        monkeypatch.setattr("kamkit.code_fingerprint.code_fingerprint", lambda v=version: v)
        source(workbook, KEY)
    assert len(measurements) == 3 and len(_entries(folder)) == 2
    for version in ("1", "3"):
        monkeypatch.setattr("kamkit.code_fingerprint.code_fingerprint", lambda v=version: v)
        source(workbook, KEY)
    assert len(measurements) == 3  # 2 was removed, 1 and 3 kept
    assert len(list(folder.glob("*.lock"))) == 2  # with their locks


def test_values_json_would_change_are_not_kept(folder: Path) -> None:
    import numpy as np

    assert measured_cache.write([folder], "numpy", ({"A": {"x": np.float64(1.0)}},
                                                    {"A": {}}), {}) is None
    assert not folder.exists()


@pytest.mark.slow  # measures the whole demo portfolio twice
def test_the_demo_s_file_gives_what_measuring_gives(folder: Path) -> None:
    key = assess.measure_key(DEMO_DAY)
    source = measured_cache.source(folder)
    source(load_workbook_cached(DEMO_WORKBOOK), key)
    again = source(load_workbook_cached(DEMO_WORKBOOK), key)
    assert _same(again, _fresh(DEMO_WORKBOOK, key))
