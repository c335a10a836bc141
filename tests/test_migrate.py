"""``kamkit migrate`` on workbooks of format version 1 (issue 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kamkit import migrate as migration_module
from kamkit.cli import main
from kamkit.errors import KamkitError
from kamkit.migrate import migrate
from kamkit.settings import FORMAT_VERSION, NewerFormatError
from kamkit.workbook import DEMO_WORKBOOK, Workbook, load_workbook
from tests.small_demo import SMALL_FAST_WHOLE_SLOW
from tests.version1 import version1_copy, version1_xlsx

AS_OF = "2026-09-30"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".kamkit" not in p.parts}


@pytest.fixture(scope="module")
def source(demo_folder: Path) -> tuple[Workbook, pd.DataFrame]:
    """The workbook the version 1 copies are made of (the demo, or in the fast tier a small
    copy of it), and its key figures (worked out once: seconds for the whole demo)."""
    book = load_workbook(demo_folder)
    return book, book.key_figures(AS_OF)


def _same_figures(book: Workbook, source: tuple[Workbook, pd.DataFrame]) -> None:
    demo, key_figures = source
    pd.testing.assert_frame_equal(book.key_figures(AS_OF), key_figures)
    for table in ("sales", "spend", "spend_shares", "history"):
        pd.testing.assert_frame_equal(book.table(table), demo.table(table), check_dtype=False)
    assert book.documents == demo.documents


@SMALL_FAST_WHOLE_SLOW
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_a_version_1_folder_reads_and_migrates_to_the_demo(
        tmp_path: Path, demo_folder: Path, source: tuple[Workbook, pd.DataFrame]) -> None:
    old = version1_copy(tmp_path / "old", demo_folder)
    assert not (old / "workbook.yaml").exists()  # version 1 had none
    _same_figures(load_workbook(old), source)
    before = _files(old)
    result = migrate(old)
    assert result.written and (result.from_version, result.to_version) == (1, FORMAT_VERSION)
    after = _files(old)
    # the migrated copy is the demo, byte for byte (the demo is of the current version)
    assert after == _files(demo_folder)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {"sales.csv", "spend.csv", "spend_shares.csv", "history.csv",
                       "workbook.yaml"} | {f"documents/{p.name}" for p in
                                           (old / "documents").glob("*.yaml")
                                           if "targets:" in p.read_text()}
    _same_figures(load_workbook(old), source)
    # the backups hold the files as they were
    backups = [p for p in (old / ".kamkit").rglob("*") if p.is_file() and "sales" in str(p)]
    assert any(b.read_bytes() == before["sales.csv"] for b in backups)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_migrate_keeps_every_other_byte_of_a_dutch_file(tmp_path: Path) -> None:
    old = version1_copy(tmp_path / "old")
    path = old / "spend.csv"
    text = path.read_text(encoding="utf-8")
    dutch = ("\ufeff" + text.replace(",", ";").replace("\n", "\r\n")).encode("utf-8")
    dutch = dutch.replace(b"spend_eur", b"SPEND_EUR")
    path.write_bytes(dutch)
    migrate(old)
    new = path.read_bytes()
    assert new == dutch.replace(b"SPEND_EUR", b"SPEND", 1)
    assert load_workbook(old).spend["spend"].notna().all()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_migrate_twice_changes_nothing(tmp_path: Path) -> None:
    old = version1_copy(tmp_path / "old")
    migrate(old)
    once = _files(old)
    again = migrate(old)
    assert not again.written and not again.files and _files(old) == once
    assert "already of format version" in again.lines()[0]


@pytest.mark.slow  # 1.6 CPU s even on the small demo; folder migration is the fast case
@SMALL_FAST_WHOLE_SLOW
def test_an_xlsx_of_version_1_reads_and_migrates_to_the_same_figures(
        tmp_path: Path, demo_folder: Path, source: tuple[Workbook, pd.DataFrame]) -> None:
    book = version1_xlsx(tmp_path / "old.xlsx", demo_folder)
    _same_figures(load_workbook(book), source)
    result = migrate(book)
    assert any("sheet sales: revenue_eur -> revenue" in c for p in result.files
               for c in p.changes)
    import openpyxl

    sheet = openpyxl.load_workbook(book, read_only=True)["sales"]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][4:6] == ["revenue",
                                                                         "gross_margin"]
    assert (tmp_path / "workbook.yaml").read_text().count("format_version: 2") == 1
    _same_figures(load_workbook(book), source)
    assert not migrate(book).files


def test_a_failure_mid_migration_leaves_the_workbook_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = version1_copy(tmp_path / "old")
    before = _files(old)
    real = migration_module.write_bytes_atomic
    calls = []

    def failing(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(migration_module, "write_bytes_atomic", failing)
    with pytest.raises(KamkitError, match="the files are as they were"):
        migrate(old)
    assert _files(old) == before


def test_a_workbook_of_a_newer_version_is_refused(tmp_path: Path, capsys) -> None:
    new = tmp_path / "new"
    shutil.copytree(DEMO_WORKBOOK, new)
    (new / "workbook.yaml").write_text(f"format_version: {FORMAT_VERSION + 1}\n")
    before = _files(new)
    with pytest.raises(NewerFormatError):
        migrate(new)
    assert main(["migrate", str(new)]) == 2
    assert f"format version {FORMAT_VERSION + 1}" in capsys.readouterr().err
    assert _files(new) == before


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_the_command_prints_what_it_changed(tmp_path: Path, capsys) -> None:
    old = version1_copy(tmp_path / "old")
    assert main(["migrate", str(old), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would migrate from format version 1 to 2" in out
    assert "sales.csv: revenue_eur -> revenue, gross_margin_eur -> gross_margin" in out
    assert "documents/ATLAS.yaml: revenue_eur -> revenue (13x)" in out
    assert (old / "sales.csv").read_text().startswith("month,account_id,service,location,"
                                                      "revenue_eur")
    assert main(["migrate", str(old)]) == 0
    assert "migrated from format version 1 to 2" in capsys.readouterr().out


@pytest.mark.parametrize("content", [{}, {"notes.txt": "my notes\n"},
                                     {"sales.csv": "month,account_id,revenue_eur\n"}])
def test_a_folder_that_is_no_workbook_is_refused_and_left_alone(tmp_path: Path, capsys,
                                                               content: dict[str, str]) -> None:
    folder = tmp_path / "not-a-workbook"
    folder.mkdir()
    for name, text in content.items():
        (folder / name).write_text(text)
    before = _files(folder)
    for dry in ([], ["--dry-run"]):
        assert main(["migrate", str(folder), *dry]) == 2
        err = capsys.readouterr().err
        assert f"No workbook at {folder}" in err
        assert "accounts.csv" in err and "team.csv" in err and "nothing was changed" in err
    assert _files(folder) == before and not (folder / ".kamkit").exists()
    with pytest.raises(KamkitError, match="No workbook"):
        migrate(folder, dry_run=True)


def test_an_xlsx_that_is_no_workbook_is_refused(tmp_path: Path, capsys) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "orders"
    path = tmp_path / "orders.xlsx"
    book.save(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    assert main(["migrate", str(path)]) == 2
    assert "sheet 'accounts'" in capsys.readouterr().err
    assert main(["migrate", str(broken)]) == 2
    assert "cannot be opened as an .xlsx workbook" in capsys.readouterr().err
    assert not (tmp_path / "workbook.yaml").exists()


def test_migrate_needs_the_workbook_named(tmp_path: Path, capsys,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """It writes, so there is no default folder (the reading commands default to the
    demo; a current folder default turned a wrong folder into a workbook)."""
    monkeypatch.chdir(tmp_path)  # where a default would have written
    with pytest.raises(SystemExit) as exit_:
        main(["migrate"])
    assert exit_.value.code == 2
    assert "workbook" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_only_the_backups_made_are_claimed(tmp_path: Path, capsys) -> None:
    """A version-1 workbook without old names gets only a new workbook.yaml: nothing was
    there before it, so no backup is claimed; a changed file is named as kept."""
    old = version1_copy(tmp_path / "old")
    for path in [old / "sales.csv", old / "spend.csv", old / "spend_shares.csv",
                 old / "history.csv", *(old / "documents").glob("*.yaml")]:
        path.unlink()
    assert main(["migrate", str(old), "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "workbook.yaml: created" in dry and ".kamkit/backups" not in dry
    assert main(["migrate", str(old)]) == 0
    out = capsys.readouterr().out
    assert "workbook.yaml: created" in out and ".kamkit/backups" not in out
    assert not (old / ".kamkit").exists()

    other = version1_copy(tmp_path / "other")
    (other / "workbook.yaml").write_text("format_version: 1\n")
    result = migrate(other, dry_run=True)
    changed = len(result.files)  # every one exists: workbook.yaml too
    assert result.lines()[-1] == (f"  the {changed} files as they are would be kept under "
                                  ".kamkit/backups")
    result = migrate(other)
    kept = {p.relative_to(other).as_posix() for p in result.backups}
    assert {"sales.csv", "workbook.yaml"} <= kept and len(kept) == changed
    assert result.lines()[-1] == f"  the {changed} files as they were, kept under .kamkit/backups"
    backups = [p for p in (other / ".kamkit").rglob("*") if p.is_file()]
    assert len([p for p in backups if "backups" in p.parts]) >= len(kept)
