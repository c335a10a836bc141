"""A relative workbook path in a notebook is looked up where its user means it: in the
kernel's folder, then the folders above it up to the project's root; where it is in none,
the message names where it looked and what is close (``kamkit.notebook_paths``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kamkit import KamkitError
from kamkit.notebook_paths import MAX_UP, search_folders, workbook_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a marker at its root, a notebooks folder and a workbook at the root."""
    root = tmp_path / "project"
    (root / "notebooks" / "deep" / "er").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "my-workbook").mkdir()
    (root / "notebooks" / "local.xlsx").write_bytes(b"")
    (tmp_path / "outside").mkdir()  # above the project: never looked in
    return root


def test_the_kernels_folder_comes_first(project: Path) -> None:
    (project / "notebooks" / "my-workbook").mkdir()
    found = workbook_path("my-workbook", project / "notebooks")
    assert found == project / "notebooks" / "my-workbook"
    assert workbook_path("local.xlsx", project / "notebooks") == \
        project / "notebooks" / "local.xlsx"


@pytest.mark.parametrize("start", ["notebooks", "notebooks/deep", "notebooks/deep/er", "."])
def test_a_path_from_the_projects_root_is_found_from_below(project: Path, start: str) -> None:
    assert workbook_path("my-workbook", project / start) == project / "my-workbook"
    assert workbook_path(Path("my-workbook"), project / start) == project / "my-workbook"


def test_nothing_above_the_projects_root_is_looked_in(project: Path) -> None:
    assert search_folders(project / "notebooks") == [project / "notebooks", project]
    with pytest.raises(KamkitError) as caught:
        workbook_path("outside", project / "notebooks")
    assert str(project.parent) + "," not in str(caught.value)


def test_without_a_project_root_it_goes_up_a_few_folders(tmp_path: Path) -> None:
    start = tmp_path.joinpath(*"abcdef")
    start.mkdir(parents=True)
    assert len(search_folders(start)) == MAX_UP + 1


def test_an_absolute_path_is_taken_as_it_is(project: Path) -> None:
    missing = project / "nowhere"
    assert workbook_path(missing, project / "notebooks") == missing  # loading says why


def test_not_found_names_where_it_looked_and_what_is_close(project: Path) -> None:
    with pytest.raises(KamkitError) as caught:
        workbook_path("my-workbok", project / "notebooks")
    message = str(caught.value)
    assert message.startswith(f"No workbook at {project / 'notebooks' / 'my-workbok'}")
    assert str(project) in message and "Did you mean '../my-workbook'?" in message
    assert "kamkit init DIR" in message
    with pytest.raises(KamkitError, match=r"Did you mean 'local\.xlsx'"):
        workbook_path("locall.xlsx", project / "notebooks")
    with pytest.raises(KamkitError) as unlike:
        workbook_path("zzz", project / "notebooks")
    assert "Did you mean" not in str(unlike.value)


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_notebooks_load_a_workbook_from_the_projects_root(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamkit.workbook import load_workbook_cached
    from tests.conftest import MINI

    shutil.rmtree(project / "my-workbook")
    shutil.copytree(MINI, project / "my-workbook")
    monkeypatch.chdir(project / "notebooks")  # where a notebook's kernel works
    book = load_workbook_cached("my-workbook")
    assert book.path == project / "my-workbook" and book.account_ids == ["A1", "A2"]


def test_a_kamkit_error_shows_in_a_notebook_as_its_message() -> None:
    shown = KamkitError("No workbook at x: give a folder.")._render_traceback_()
    assert len(shown) == 1 and shown[0].endswith("kamkit: error:\x1b[0m No workbook at x: "
                                                 "give a folder.")
