"""What a pip-installed kamkit carries: the report notebooks (one home: the repository's
``notebooks/``, mapped into the wheel by setup.py) and the demo workbook, and where a run
finds the notebooks in a checkout and in an installed copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kamkit import DEMO_WORKBOOK
from kamkit.batch.definition import NOTEBOOK_FOLDER, REPORTS, shipped_notebooks

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("kamkit", "notebooks", "pyproject.toml", "setup.py", "README.md")
"""What the build reads (copied, so the build leaves nothing in the checkout)."""


def test_a_checkout_runs_its_own_notebooks() -> None:
    assert NOTEBOOK_FOLDER == ROOT / "notebooks"
    assert all((NOTEBOOK_FOLDER / report.notebook).is_file() for report in REPORTS.values())


def test_an_installed_copy_runs_the_notebooks_inside_the_package(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    (site / "kamkit" / "notebooks").mkdir(parents=True)
    (site / "notebooks").mkdir()  # another distribution's top-level folder: never taken
    assert shipped_notebooks(site / "kamkit") == site / "kamkit" / "notebooks"
    assert shipped_notebooks(tmp_path / "checkout" / "kamkit") == tmp_path / "checkout" / (
        "notebooks")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kamkit's wheel, built by pip from a copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".ipynb_checkpoints", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (built,) = out.glob("kamkit-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_notebooks_and_the_demo_workbook(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
            packed = f"kamkit/notebooks/{notebook.name}"
            assert packed in names
            assert archive.read(packed) == notebook.read_bytes()
    demo = {f"kamkit/demo/workbook/{p.relative_to(DEMO_WORKBOOK).as_posix()}"
            for p in DEMO_WORKBOOK.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert len(demo) > 20 and demo <= names
    assert not any(name.startswith("notebooks/") for name in names)


@pytest.mark.slow
def test_the_installed_wheel_finds_its_notebooks_and_demo(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:  # a pure-Python wheel installs by unpacking
        archive.extractall(site)
    probe = (
        "import json, kamkit\n"
        "from kamkit.batch.definition import NOTEBOOK_FOLDER, load_definition\n"
        "d = load_definition(None, {'quarter': '2026Q3'})\n"
        "print(json.dumps({'package': kamkit.__file__, 'folder': str(NOTEBOOK_FOLDER),\n"
        "    'reports': [r.name for r in d.reports], 'demo': str(kamkit.DEMO_WORKBOOK),\n"
        "    'accounts': kamkit.load_workbook().accounts['account_id'].tolist()}))\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    found = json.loads(subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, check=True,
        capture_output=True, text=True).stdout)
    package = site.resolve() / "kamkit"
    assert Path(found["package"]).parent == package
    assert Path(found["folder"]) == package / "notebooks"
    assert found["reports"] == list(REPORTS)
    assert Path(found["demo"]) == package / "demo" / "workbook"
    assert "MAAS" in found["accounts"]
