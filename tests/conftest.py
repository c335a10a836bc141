"""Shared fixtures: the small hand-made workbook in tests/fixtures/mini and ways to break it;
the test tiers (notebook, browser) and the check that keeps kernels out of the fast one."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kamkit import AccountData, Workbook, load_workbook
from kamkit.workbook import load_workbook_cached

MINI = Path(__file__).parent / "fixtures" / "mini"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture
def mini_path() -> Path:
    return MINI


@pytest.fixture(scope="session")
def mini() -> Workbook:
    return load_workbook(MINI)


@pytest.fixture(scope="session")
def demo() -> Workbook:
    """The bundled demo workbook, loaded once per process (also by the notebook test
    modules at collection)."""
    return load_workbook_cached()


@pytest.fixture
def a1(mini: Workbook) -> AccountData:
    """The key account: sales 2024-2025, spend, shares, three contacts, a document with a
    plan for 2025."""
    return mini.account("A1")


@pytest.fixture
def a2(mini: Workbook) -> AccountData:
    """The prospect: a spend estimate, one uncovered contact, no sales, no document."""
    return mini.account("A2")


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini workbook."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def edit_csv(mini_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace ``old`` by ``new`` in one file of a mini copy (the text must be there)."""

    def edit(file: str, old: str, new: str) -> Path:
        path = mini_copy / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return mini_copy

    return edit


@pytest.fixture(scope="module")
def kept_kernel(tmp_path_factory: pytest.TempPathFactory):
    """One kernel for a module's notebook runs, reset between notebooks, as `kamkit run`
    executes them (each xdist worker gets its own)."""
    from kamkit.batch.execute import KernelSession

    session = KernelSession(tmp_path_factory.mktemp("kernel"), NOTEBOOKS)
    yield session
    session.close()


# ------------------------------------------------------------------ test tiers
# `make test-fast` runs `pytest -m "not notebook and not browser"`. Tests are sorted into
# tiers here, so a new notebook test does not depend on its author remembering a marker:
# by what it uses (below), and a test that still starts a kernel without the marker fails.

KERNEL_FIXTURES = frozenset({"kept_kernel"})
"""Fixtures that start a Jupyter kernel: a test using one is a notebook test."""

TIER_HELPERS = {"notebook_run": "notebook", "browser": "browser"}
"""Helper modules in tests/ and the tier of a test module that imports from one."""


def _imports_from(module: object, helper: str) -> bool:
    return any(getattr(value, "__module__", None) == helper
               or getattr(value, "__name__", None) == helper for value in vars(module).values())


@pytest.hookimpl(tryfirst=True)  # before -m deselects and before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.suffix == ".ipynb":  # nbval: one item per cell, one kernel per notebook
            item.add_marker(pytest.mark.notebook)
            # the cells build on each other: one worker runs them in order (--dist loadgroup)
            item.add_marker(pytest.mark.xdist_group(item.path.name))
            continue
        if KERNEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.notebook)
        module = getattr(item, "module", None)
        for helper, tier in TIER_HELPERS.items():
            if module is not None and _imports_from(module, helper):
                item.add_marker(getattr(pytest.mark, tier))


_KERNEL_LOG = "KAMKIT_TEST_KERNEL_LOG"
# Run as the kernel: note the start in the log, then become the real kernel.
_LOGGING_KERNEL = ("import os, sys; open(os.environ['" + _KERNEL_LOG + "'], 'a').write("
                   "sys.argv[1] + '\\n'); os.execv(sys.argv[2], sys.argv[2:])")


@pytest.fixture(scope="session")
def _logged_kernels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Jupyter data folder whose kernel specs shadow the installed ones with kernels that
    log their start: with it first on JUPYTER_PATH, every kernel start is seen, also in
    subprocesses (``kamkit run`` workers, papermill, the CLI)."""
    from jupyter_client.kernelspec import KernelSpecManager

    folder = tmp_path_factory.mktemp("jupyter")
    specs = KernelSpecManager()
    for name in set(specs.find_kernel_specs()) | {"python3"}:
        spec = specs.get_kernel_spec(name).to_dict()
        spec["argv"] = [sys.executable, "-c", _LOGGING_KERNEL, name, *spec["argv"]]
        (folder / "kernels" / name).mkdir(parents=True)
        (folder / "kernels" / name / "kernel.json").write_text(json.dumps(spec),
                                                                encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _kernels_only_in_notebook_tests(request: pytest.FixtureRequest,
                                    monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that starts a Jupyter kernel without being marked ``notebook``: it would
    slow the fast tier down by seconds per kernel."""
    if request.node.get_closest_marker("notebook"):
        yield
        return
    folder: Path = request.getfixturevalue("_logged_kernels")
    log = folder / "started.log"
    log.touch()
    before = log.stat().st_size
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(
        p for p in (str(folder), os.environ.get("JUPYTER_PATH", "")) if p))
    monkeypatch.setenv(_KERNEL_LOG, str(log))
    yield
    if log.stat().st_size > before:
        pytest.fail(f"{request.node.nodeid} started a Jupyter kernel: mark it "
                    "@pytest.mark.notebook (or use the kept_kernel fixture) to keep it out "
                    "of the fast tier", pytrace=False)
