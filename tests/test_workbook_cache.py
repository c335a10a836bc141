"""The columnar cache of checked workbooks: the same workbook as from the source, never a
stale or damaged one, written atomically and where it can be written."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest
from xlsx_books import mini_as_xlsx

from kamkit import workbook as workbook_module
from kamkit import workbook_cache
from kamkit.errors import WorkbookError
from kamkit.problems import MonthName, Problem, Severity, words
from kamkit.workbook import DEMO_WORKBOOK, Workbook, _checked, load_workbook

pytestmark = pytest.mark.slow  # loads and caches workbook copies again and again, xlsx too

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, here (platformdirs follows XDG_CACHE_HOME on Linux)."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv(workbook_cache.CACHE_VARIABLE, raising=False)
    monkeypatch.delenv(workbook_cache.FOLDER_VARIABLE, raising=False)  # beside, by default
    return folder


@pytest.fixture
def book(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def assert_same(loaded: Workbook, source: Workbook) -> None:
    for name, frame in source._tables.items():
        pd.testing.assert_frame_equal(loaded.table(name), frame)
    assert dict(loaded.documents) == dict(source.documents)
    assert loaded.problems == source.problems
    assert loaded.path == source.path


def entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("manifest.json")]


def test_an_unchanged_workbook_comes_from_the_cache(book: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_workbook(book)
    assert len(entries(book / ".kamkit" / "cache")) == 1
    monkeypatch.setattr("kamkit.workbook.check_workbook", lambda *_: pytest.fail("parsed"))
    assert_same(load_workbook(book), first)


def test_warnings_are_cached_with_the_tables(book: Path) -> None:
    path = book / "accounts.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header + ",extra", *(row + ",x" for row in rows)]) + "\n",
                    encoding="utf-8")
    source = _checked(book)
    assert source.problems  # the unknown column is a warning
    load_workbook(book)
    cached = load_workbook(book).problems
    assert cached == source.problems
    # and they are said in every language as from the source (their Words come back)
    assert [p.text("nl") for p in cached] == [p.text("nl") for p in source.problems]
    assert [p.words for p in cached] == [p.words for p in source.problems]


def test_a_problems_words_come_back_from_an_entry_whole() -> None:
    said = words("problem.date.days", month=MonthName(2), year="2025", count=28)
    problem = Problem.said(Severity.WARNING, "a.csv", words("problem.sentence", text=said),
                           row=3, column="date").with_detail(words("problem.known_none"))
    entry = workbook_cache.encode({}, {}, [problem])
    assert entry is not None
    [back] = workbook_cache._problems(entry["problems.json"])
    assert back == problem and back.words == problem.words
    assert back.detail_words == problem.detail_words
    assert back.text("nl") == problem.text("nl") and "februari" in back.text("nl")


@pytest.mark.parametrize("name", sorted(p.relative_to(MINI).as_posix()
                                        for p in MINI.rglob("*") if p.is_file()))
def test_any_change_to_any_file_is_seen(book: Path, name: str) -> None:
    load_workbook(book)
    path = book / name
    path.write_bytes(path.read_bytes() + (b"\n: [\n" if name.endswith(".yaml") else
                                          b"\nbroken;row;\"\n"))
    with pytest.raises(WorkbookError):
        load_workbook(book)


def test_changed_kamkit_code_is_not_answered_from_the_cache(book: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """A rule changed in a development tree (same version) parses and checks again."""
    load_workbook(book)
    monkeypatch.setattr("kamkit.code_fingerprint.code_fingerprint", lambda: "changed rules")
    parsed: list[Path] = []
    checked = workbook_module.check_workbook

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        parsed.append(path)
        return checked(path, *args, **kwargs)

    monkeypatch.setattr("kamkit.workbook.check_workbook", counting)
    load_workbook(book)
    assert parsed


def test_a_changed_value_is_read(book: Path) -> None:
    before = load_workbook(book).sales["revenue"].sum()
    path = book / "sales.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    at = header.index("revenue")
    cells[at] = str(float(cells[at]) + 1)
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n",
                    encoding="utf-8")
    assert load_workbook(book).sales["revenue"].sum() == pytest.approx(before + 1)


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign", "manifest"])
def test_a_damaged_or_foreign_entry_is_ignored(book: Path, tmp_path: Path, damage: str) -> None:
    source = load_workbook(book)
    (entry,) = [p.parent for p in entries(book / ".kamkit" / "cache")]
    sales = entry / "sales.arrow"
    if damage == "flip":
        data = bytearray(sales.read_bytes())
        data[len(data) // 2] ^= 0xFF
        sales.write_bytes(bytes(data))
    elif damage == "truncate":
        sales.write_bytes(sales.read_bytes()[:100])
    elif damage == "foreign":  # another workbook's tables under this entry's name
        other = tmp_path / "other"
        shutil.copytree(MINI, other)
        (other / "sales.csv").write_text(
            (MINI / "sales.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
            encoding="utf-8")
        load_workbook(other)
        (theirs,) = [p.parent for p in entries(other / ".kamkit" / "cache")]
        shutil.rmtree(entry)
        shutil.copytree(theirs, entry)
    else:
        (entry / "manifest.json").write_text("{not json", encoding="utf-8")
    assert_same(load_workbook(book), source)


def test_a_folder_that_cannot_be_written_uses_the_user_cache(book: Path,
                                                             user_cache: Path) -> None:
    (book / ".kamkit").write_text("not a folder", encoding="utf-8")  # mkdir fails there
    source = load_workbook(book)
    assert len(entries(user_cache)) == 1
    assert_same(load_workbook(book), source)


def test_the_bundled_demo_is_cached_in_the_user_cache(user_cache: Path) -> None:
    assert workbook_cache.folders(DEMO_WORKBOOK.resolve()) == [
        workbook_cache.user_folder(DEMO_WORKBOOK.resolve())]
    assert str(workbook_cache.user_folder(DEMO_WORKBOOK.resolve())).startswith(
        str(user_cache))


def test_an_xlsx_workbook_is_cached_beside_it(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = mini_as_xlsx(tmp_path / "kam.xlsx")
    source = load_workbook(path)
    assert len(entries(tmp_path / ".kamkit" / "cache" / "kam.xlsx")) == 1
    assert_same(load_workbook(path), source)
    document = tmp_path / "documents" / "A1.yaml"
    document.write_text(document.read_text(encoding="utf-8") + "\n: [\n", encoding="utf-8")
    with pytest.raises(WorkbookError):
        load_workbook(path)


def test_a_cache_folder_can_be_given(book: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workbook_cache.FOLDER_VARIABLE, str(tmp_path / "given"))
    source = load_workbook(book)
    assert not (book / ".kamkit").exists()
    assert len(entries(tmp_path / "given")) == 1
    assert_same(load_workbook(book), source)


def test_the_cache_can_be_turned_off(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workbook_cache.CACHE_VARIABLE, "0")
    load_workbook(book)
    assert not (book / ".kamkit").exists()


def test_concurrent_writers_and_readers_see_whole_entries(book: Path) -> None:
    source = load_workbook(book)
    shutil.rmtree(book / ".kamkit")
    resolved = book.resolve()
    from kamkit.readers import max_file_bytes
    from kamkit.workbook import _fingerprint

    entry = workbook_cache.key(f"{_fingerprint(resolved)} {max_file_bytes()}")
    seen: list[object] = []
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(5):
                assert workbook_cache.write(resolved, entry, source._tables, source.documents,
                                            list(source.problems)) is not None
        except BaseException as error:  # reported below
            failures.append(error)

    def reader() -> None:
        for _ in range(20):
            seen.append(workbook_cache.read(resolved, entry))

    threads = [threading.Thread(target=f) for f in (writer, writer, writer, reader, reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    for found in seen:  # none or the whole entry, never half of one
        if found is not None:
            assert list(found[0]) == list(source._tables)
    assert len(entries(book / ".kamkit" / "cache")) == 1
    assert_same(load_workbook(book), source)


def test_cached_documents_are_read_when_asked_for(book: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    source = load_workbook(book)
    calls: list[bytes] = []
    original = workbook_cache.AccountDocument.model_validate_json

    def counted(text: bytes) -> object:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(workbook_cache.AccountDocument, "model_validate_json", counted)
    warm = load_workbook(book)
    assert calls == [] and list(warm.documents) == list(source.documents)
    first = next(iter(source.documents))
    assert warm.documents[first] == source.documents[first]
    assert warm.documents[first] is warm.documents[first]
    assert len(calls) == 1


def test_another_process_reads_the_prepared_workbook(book: Path) -> None:
    """What a kernel of ``kamkit run`` does after the run loaded the workbook: the cache,
    not the CSV files, is read."""
    import subprocess
    import sys

    load_workbook(book)
    code = ("import kamkit.workbook as w\n"
            "w.check_workbook = None  # parsing would fail\n"
            f"book = w.load_workbook_cached({str(book)!r})\n"
            "print(len(book.account_ids))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(load_workbook(book).account_ids) > 0


def test_the_cache_beside_a_workbook_is_ignored_by_git(book: Path) -> None:
    """A git user's `git status` does not list the cache as new workbook files."""
    load_workbook(book)
    assert (book / ".kamkit" / "cache" / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert len(entries(book / ".kamkit" / "cache")) == 1  # the ignore file is no entry
