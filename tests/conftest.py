"""Shared fixtures: the small hand-made workbook in tests/fixtures/mini and ways to break it,
the demo workbook. The test tiers are in the conftest.py at the top of the repository."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kamkit import AccountData, Workbook

# kamkit is imported by the fixtures that use it, not here: the controller of ``-n 2``
# loads this file before it starts the workers, and needs no pandas (about 0.5 s each run)

MINI = Path(__file__).parent / "fixtures" / "mini"

# Workbook caches (kamkit.workbook_cache) go to one folder per test run, shared by its
# workers, not beside the fixtures in the repository nor into the developer's own cache.
if "KAMKIT_TEST_CACHE_DIR" not in os.environ:
    os.environ["KAMKIT_TEST_CACHE_DIR"] = tempfile.mkdtemp(prefix="kamkit-test-cache-")
    atexit.register(shutil.rmtree, os.environ["KAMKIT_TEST_CACHE_DIR"], True)
os.environ["KAMKIT_CACHE_DIR"] = os.environ["KAMKIT_TEST_CACHE_DIR"]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(scope="session", autouse=True)
def _measured_once(request: pytest.FixtureRequest) -> None:
    """Portfolio measurements shared by this run's processes and the runs after it, in
    pytest's cache folder (``kamkit.batch.measured_cache.source``, the cache of a run's
    measurement); without pytest's cache (``-p no:cacheprovider``, as
    ``benchmarks/fast_tier.py`` runs the tier to see which test covers what) each process
    measures for itself."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        from kamkit.batch import measured_cache
        from kamkit.portfolio import assess

        assess.offer(measured_cache.source(cache.mkdir("kamkit-measured")))


@pytest.fixture(autouse=True)
def _mini_stays_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves hidden state (``.kamkit/``: a cache, backups, an editor's
    history) in tests/fixtures/mini: the next run would read it. Such a test works on a copy
    (``mini_copy``, ``mini_variant``); caches go to ``KAMKIT_CACHE_DIR`` (set above)."""
    state = MINI / ".kamkit"
    before = state.exists()
    yield
    if not before and state.exists():
        pytest.fail(f"{request.node.nodeid} left {state} (or a test running beside it on "
                    "another worker did): work on a copy of the mini workbook", pytrace=False)


@pytest.fixture
def measurements(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The account ids of every measurement of values (``assess._measured_values``, the
    costly part of measuring a portfolio) made in this process during the test, in order."""
    from kamkit.portfolio import assess

    made: list[list[str]] = []
    measure_values = assess._measured_values

    def counted(workbook: Workbook, as_of: object, account_ids: list[str], *rest: object
                ) -> assess.Values:
        made.append(list(account_ids))
        return measure_values(workbook, as_of, account_ids, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(assess, "_measured_values", counted)
    return made


@pytest.fixture
def mini_path() -> Path:
    return MINI


@pytest.fixture(scope="session")
def mini() -> Workbook:
    from kamkit import load_workbook

    return load_workbook(MINI)


@pytest.fixture(scope="session")
def demo() -> Workbook:
    """The bundled demo workbook, loaded once per process (also by the notebook test
    modules at collection)."""
    from kamkit.workbook import load_workbook_cached

    return load_workbook_cached()


@pytest.fixture(scope="session")
def demo_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Path:
    """The demo workbook's folder, or with ``request.param == "small"`` a small copy of it
    written once per process (tests/small_demo.py: use its ``SMALL_FAST_WHOLE_SLOW``)."""
    if getattr(request, "param", "demo") == "demo":
        from kamkit.workbook import DEMO_WORKBOOK

        return DEMO_WORKBOOK
    from tests.small_demo import demo_subset

    return demo_subset(tmp_path_factory.mktemp("small-demo") / "workbook")


@pytest.fixture(scope="session")
def bare(tmp_path_factory: pytest.TempPathFactory) -> AccountData:
    """A1 in a workbook that holds only the reference tables, and the sales and spend
    tables' headers (how a workbook says it has none yet): an account without any data
    (loaded once: a Workbook and its accounts are immutable)."""
    from kamkit import load_workbook

    folder = tmp_path_factory.mktemp("bare")
    for name in ("services", "locations", "competitors", "team", "accounts"):
        shutil.copy(MINI / f"{name}.csv", folder)
    for name in ("sales", "spend"):
        header = (MINI / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        (folder / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    return load_workbook(folder).account("A1")


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
    return Path(shutil.copytree(MINI, tmp_path / "mini"))


@pytest.fixture(scope="session")
def mini_variant(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Callable[[Path], Path]],
                                                                       Path]:
    """A copy of the mini workbook changed by ``change`` (a function of the copy's folder
    giving the folder back), made once per process for each ``change``: for tests that only
    read it, so that a family of cases loads it once (``load_workbook_cached``)."""
    made: dict[Callable[[Path], Path], Path] = {}

    def variant(change: Callable[[Path], Path]) -> Path:
        if change not in made:
            target = tmp_path_factory.mktemp("mini-variant") / "mini"
            shutil.copytree(MINI, target)
            made[change] = change(target)
        return made[change]

    return variant


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


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module, the network blocked (tests/browser.py)."""
    from browser import CHROMIUM, Chromium

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (CI installs it: see .ci/run; locally "
                    "`apt-get install chromium`)")
    with Chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory):
    """One real JupyterLab per test module on 127.0.0.1, serving the folder
    ``lab_server.root`` (tests/lab.py); open notebooks in it with ``lab.Notebook.open``."""
    from lab import LabServer

    server = LabServer(tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots for a person to look at: $KAMKIT_SCREENSHOTS if
    set, else a temporary folder (pytest keeps the last three runs')."""
    folder = os.environ.get("KAMKIT_SCREENSHOTS")
    if not folder:
        return tmp_path_factory.mktemp("screenshots")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path
