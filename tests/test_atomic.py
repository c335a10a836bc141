"""Atomic writes: what a write killed midway leaves is removed by the next run."""

from pathlib import Path

from kamkit.atomic import remove_leftovers


def test_leftovers_of_a_killed_write_are_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "MAAS").mkdir()
    left = [tmp_path / ".index.html.rej2vvlg.tmp", tmp_path / "MAAS" / ".analysis.html.x1.tmp"]
    kept = [tmp_path / "index.html", tmp_path / "notes.tmp", tmp_path / ".hidden.tmp"]
    for file in left + kept:
        file.write_text("x")
    assert sorted(remove_leftovers(tmp_path)) == sorted(left)
    assert all(file.exists() for file in kept) and not any(file.exists() for file in left)
