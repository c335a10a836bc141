"""A workbook's fingerprint: any change to any file changes it, while a file whose stat
cannot hide a change is not read again (git's rule for its index, racy files included)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamkit import fingerprint as fp
from kamkit import workbook_cache
from kamkit.workbook import DEMO_WORKBOOK, _fingerprint, _sources, load_workbook

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No records from other tests; the user's cache folder here."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv(workbook_cache.CACHE_VARIABLE, raising=False)
    monkeypatch.delenv(workbook_cache.FOLDER_VARIABLE, raising=False)
    fp.forget()
    yield
    fp.forget()


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read (hashed) by each fingerprint, in order."""
    read: list[str] = []
    original = fp._hash

    def counted(file: tuple[str, fp.Stat]) -> tuple[bytes, bool]:
        read.append(Path(file[0]).name)
        return original(file)

    monkeypatch.setattr(fp, "_hash", counted)
    return read


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled once their times are before the digest (no margin), so a test
    need not wait 10 s; each test sleeps past the clock's tick after writing instead."""
    monkeypatch.setattr(fp, "RACY_NS", 0)


def tick() -> None:
    """Past the file system clock's tick (a jiffy; the kernel's coarse clock)."""
    time.sleep(0.03)


def files(folder: Path, **contents: bytes) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    return sorted(folder.iterdir())


def of(folder: Path, keep: list[Path] | None = None) -> str:
    return fp.fingerprint(folder, sorted(map(str, folder.iterdir())), keep or [])


def test_settled_files_are_not_read_again(tmp_path: Path, hashed: list[str],
                                          settled: None) -> None:
    files(tmp_path / "book", a=b"one", b=b"two")
    tick()
    first = of(tmp_path / "book")
    assert hashed == ["a", "b"]
    assert of(tmp_path / "book") == first
    assert hashed == ["a", "b"]  # not read again


def test_files_changed_within_the_margin_are_read_every_time(tmp_path: Path,
                                                              hashed: list[str]) -> None:
    """git's racy rule: a file written just now could change again without its times
    changing, so its digest is not kept."""
    files(tmp_path / "book", a=b"one")
    of(tmp_path / "book")
    of(tmp_path / "book")
    assert hashed == ["a", "a"]


def test_the_margin_holds_for_times_not_just_now(monkeypatch: pytest.MonkeyPatch) -> None:
    now = time.time_ns()
    old = now - fp.RACY_NS - 1

    def record(mtime: int, ctime: int, inode: int = 7) -> fp.Record:
        return fp.Record((3, mtime, ctime, inode, 1), now, b"\0" * 32)

    assert record(old, old).lasting
    assert not record(old, now - fp.RACY_NS).lasting  # a recent change (os.utime, chmod)
    assert not record(now - fp.RACY_NS, old).lasting
    assert not record(old, now + 10**9).lasting  # a file server's clock ahead of ours
    assert not record(old, 0).lasting  # no change time kept
    assert not record(old, old, inode=0).lasting
    monkeypatch.setattr(fp, "_TRUSTS_CHANGE_TIME", False)  # Windows: st_ctime is creation
    assert not record(old, old).lasting


def test_an_edit_keeping_size_and_modification_time_is_seen(tmp_path: Path,
                                                            settled: None) -> None:
    (path,) = files(tmp_path / "book", a=b"one")
    tick()
    first = of(tmp_path / "book")
    before = path.stat()
    path.write_bytes(b"two")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the time set back
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert of(tmp_path / "book") != first
    path.write_bytes(b"one")
    assert of(tmp_path / "book") == first


def test_edits_within_one_clock_tick_are_seen(tmp_path: Path, hashed: list[str]) -> None:
    """With the real margin: written, fingerprinted and written again at once (the same
    second, perhaps the same tick of the file system's clock)."""
    (path,) = files(tmp_path / "book", a=b"one")
    seen = set()
    for text in (b"two", b"six", b"ten", b"one"):
        seen.add(of(tmp_path / "book"))
        stat = path.stat()
        path.write_bytes(text)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert len(seen) == 4
    assert of(tmp_path / "book") in seen  # "one" again
    assert len(hashed) == 5


def test_a_file_replaced_by_a_rename_is_seen(tmp_path: Path, settled: None) -> None:
    """An editor's save: a new file of the same size and modification time renamed over the
    old one."""
    (path,) = files(tmp_path / "book", a=b"one")
    tick()
    first = of(tmp_path / "book")
    before = path.stat()
    new = tmp_path / "new"
    new.write_bytes(b"two")
    os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(new, path)
    assert of(tmp_path / "book") != first


def test_a_file_deleted_or_added_is_seen(tmp_path: Path, settled: None) -> None:
    files(tmp_path / "book", a=b"one", b=b"two")
    tick()
    first = of(tmp_path / "book")
    (tmp_path / "book" / "b").unlink()
    without = of(tmp_path / "book")
    assert without != first
    files(tmp_path / "book", c=b"two")  # the same contents under another name
    assert of(tmp_path / "book") not in (first, without)
    (tmp_path / "book" / "c").rename(tmp_path / "book" / "b")
    assert of(tmp_path / "book") == first


def test_a_file_changing_while_it_is_read_is_not_kept(tmp_path: Path, hashed: list[str],
                                                      settled: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (path,) = files(tmp_path / "book", a=b"one")
    tick()
    original = fp.hashlib.file_digest

    def appending(handle: object, name: str) -> object:
        digest = original(handle, name)  # type: ignore[arg-type]
        with path.open("ab") as other:
            other.write(b"!")
        return digest

    monkeypatch.setattr(fp.hashlib, "file_digest", appending)
    of(tmp_path / "book")
    monkeypatch.setattr(fp.hashlib, "file_digest", original)
    tick()
    of(tmp_path / "book")
    of(tmp_path / "book")
    assert hashed == ["a", "a"]  # read again, then kept


def test_records_are_kept_for_the_next_process(tmp_path: Path, hashed: list[str],
                                               settled: None) -> None:
    files(tmp_path / "book", a=b"one", b=b"two")
    tick()
    keep = [tmp_path / "read-only", tmp_path / "cache"]
    (tmp_path / "read-only").write_text("not a folder")  # cannot be written into
    first = of(tmp_path / "book", keep)
    assert (tmp_path / "cache" / fp.STATS_FILE).is_file()
    fp.forget()  # as another process
    assert of(tmp_path / "book", keep) == first
    assert hashed == ["a", "b"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "format", "digest"])
def test_damaged_records_are_ignored(tmp_path: Path, hashed: list[str], settled: None,
                                     damage: str) -> None:
    files(tmp_path / "book", a=b"one", b=b"two")
    tick()
    keep = [tmp_path / "cache"]
    first = of(tmp_path / "book", keep)
    stats = tmp_path / "cache" / fp.STATS_FILE
    data = stats.read_bytes()
    if damage == "flip":  # a digest's digit: the checksum no longer matches
        at = data.index(b"\\\"]") - 1
        data = data[:at] + (b"0" if data[at:at + 1] != b"0" else b"1") + data[at + 1:]
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "format":
        data = data.replace(b"kamkit-stats-1", b"kamkit-stats-0")
    else:  # a whole record rewritten with its checksum: a digest of the wrong length
        import json
        import zlib

        whole = json.loads(data)
        records = json.loads(whole["records"])
        for record in records.values():
            record[-1] = record[-1][:10]
        whole["records"] = json.dumps(records)
        whole["crc32"] = zlib.crc32(whole["records"].encode())
        data = json.dumps(whole).encode()
    stats.write_bytes(data)
    fp.forget()
    assert of(tmp_path / "book", keep) == first
    assert hashed == ["a", "b", "a", "b"]


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_workbook_keeps_its_records_with_its_cache(tmp_path: Path, hashed: list[str],
                                                     settled: None) -> None:
    book = tmp_path / "mini"
    shutil.copytree(MINI, book, ignore=shutil.ignore_patterns(".kamkit"))
    tick()
    first = load_workbook(book)
    assert (book / ".kamkit" / "cache" / fp.STATS_FILE).is_file()
    count = len(hashed)
    assert count == len(_sources(book.resolve()))
    fp.forget()
    again = load_workbook(book)
    assert len(hashed) == count  # not read again: the records and the cache entry
    assert again.account_ids == first.account_ids


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_bundled_demo_keeps_its_records_in_the_user_cache(tmp_path: Path,
                                                              settled: None) -> None:
    """The demo's folder is part of the installed package (often read-only)."""
    load_workbook(DEMO_WORKBOOK)
    (folder,) = workbook_cache.folders(DEMO_WORKBOOK.resolve())
    assert folder.is_relative_to(tmp_path / "user-cache")
    assert (folder / fp.STATS_FILE).is_file()
    assert not (DEMO_WORKBOOK / ".kamkit").exists()


def test_no_records_are_written_with_the_cache_off(tmp_path: Path, settled: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "mini"
    shutil.copytree(MINI, book, ignore=shutil.ignore_patterns(".kamkit"))
    tick()
    monkeypatch.setenv(workbook_cache.CACHE_VARIABLE, "0")
    first = _fingerprint(book)
    assert _fingerprint(book) == first
    assert not (book / ".kamkit").exists()
    assert not (tmp_path / "user-cache").exists()
