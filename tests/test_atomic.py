"""Atomic writes: what a write killed midway leaves is removed by the next run."""

from pathlib import Path

import pytest

from kamkit import atomic
from kamkit.atomic import is_temp_name, remove_leftovers, temp_name

NAMES = ["index.html", "analysis.html", "a", "report v2.final.html", ".hidden", "naïve é.pdf",
         "x.tmp", "line\nbreak.txt"]


@pytest.mark.parametrize("name", NAMES)
def test_every_temporary_name_is_known_as_one(name: str) -> None:
    made = {temp_name(name) for _ in range(50)}
    assert len(made) == 50 and all(is_temp_name(tmp) for tmp in made)
    assert all(tmp.startswith(f".{name}.") and tmp.endswith(".tmp") for tmp in made)


@pytest.mark.parametrize("name", [
    ".hidden.tmp", ".notes.v2.tmp", ".a.b.c.tmp", "index.html.abcd1234.tmp",  # no leading dot
    ".index.html.abcd123.tmp", ".index.html.abcd12345.tmp",  # the random part's length
    ".index.html.ABCD1234.tmp", ".index.html.abcd-234.tmp",  # its characters
    ".index.html.abcd1234.tmp.bak", ".index.html.abcd1234.TMP", "..abcd1234.tmp"])
def test_names_that_merely_look_like_one_are_not(name: str) -> None:
    assert not is_temp_name(name)


def test_a_write_leaves_no_temporary_file_and_its_name_is_known(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    monkeypatch.setattr(atomic, "temp_name", lambda name: made.append(temp_name(name)) or made[-1])
    atomic.write_text_atomic(tmp_path / "report.html", "x")
    atomic.copy_tree_atomic(tmp_path, tmp_path.parent / f"{tmp_path.name}-copy")
    assert len(made) == 2 and all(is_temp_name(name) for name in made)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_taken_temporary_name_is_passed_over(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    names = iter([".a.aaaaaaaa.tmp", ".a.bbbbbbbb.tmp"])
    (tmp_path / ".a.aaaaaaaa.tmp").write_text("someone else's")
    monkeypatch.setattr(atomic, "temp_name", lambda name: next(names))
    atomic.write_text_atomic(tmp_path / "a", "mine")
    assert (tmp_path / "a").read_text() == "mine"
    assert (tmp_path / ".a.aaaaaaaa.tmp").read_text() == "someone else's"


def test_leftovers_of_a_killed_write_are_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "MAAS").mkdir()
    left = [tmp_path / ".index.html.rej2vvlg.tmp",  # as tempfile named them before
            tmp_path / "MAAS" / temp_name("analysis.html")]
    kept = [tmp_path / "index.html", tmp_path / "notes.tmp", tmp_path / ".hidden.tmp",
            tmp_path / ".notes.v2.tmp", tmp_path / "MAAS" / ".analysis.html.x1.tmp"]
    for file in left + kept:
        file.write_text("x")
    assert sorted(remove_leftovers(tmp_path)) == sorted(left)
    assert all(file.exists() for file in kept) and not any(file.exists() for file in left)
