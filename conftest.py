"""The test tiers. `make test-fast` runs `pytest -m "not notebook and not browser and not
slow"`; `make test` runs everything, with the committed notebooks under nbval (pyproject.toml's
addopts).

Tests are sorted into tiers here, so that a new notebook test does not depend on its author
remembering a marker: by what it uses, and a test that still starts a Jupyter kernel without
the ``notebook`` marker fails. At the top of the repository so that it also applies to
``pytest notebooks/``.

Where a test goes. The fast tier is for a developer's loop: under 30 s on 2 cores, so some
55 s of CPU in all (collection and the two workers' start included, about 10 s). A test is in
it unless

- it starts a Jupyter kernel or executes a notebook: ``notebook`` (set here from what it
  uses);
- it opens Chromium: ``browser`` (likewise);
- it costs more than about half a second of CPU of its own on an idle machine: ``slow``
  (by hand, with the reason beside the marker). Its own: what it builds for itself, not
  what its process shares with other tests (imports, the demo loaded once, the demo reports
  of ``tests/demo_reports.py``, a module's fixtures, ``mini_variant``; the portfolio
  measurements every process and run share, ``batch.measured_cache.source``), but with the
  processes it starts (``--cpu-over`` counts them). Typically: the whole demo portfolio,
  every chart of a report validated or drawn, a deck, an end-to-end run, workbook copies
  written and loaded again and again;
- it costs more than 0.1 s of CPU and covers fewer than 10 lines of kamkit per CPU second
  that no cheaper test of the tier covers: ``slow`` (``# covered by cheaper fast tests``),
  or, in a family, fewer cases in its ``sample(n)``. Most such tests check other inputs of
  lines the tier runs anyway (another date, threshold, edited cell, language): the full
  suite keeps them, the fast tier keeps its coverage (74.7% of kamkit's statements against
  75.1% with them, 2026-11-28) at a third of the CPU. ``python benchmarks/fast_tier.py``
  applies this rule: it runs the tier under coverage with a context per test and lists the
  tests to move, dearest first (``--now`` then checks the tier as marked); run it when
  ``--cpu-over`` shows the tier has grown past 30 s.

A slow test keeps a cheap case of itself in the fast tier where it has one, in one of two
ways (never by a list of test names, which would rot): ``SMALL_FAST_WHOLE_SLOW``
(tests/small_demo.py) runs it on a small copy of the demo in the fast tier and on the whole
demo in ``slow``; ``@pytest.mark.sample(n)`` on a parametrised family (every label in every
language, hundreds of random inputs, a report per quarter and language, a check per
account) keeps ``n`` of its cases, spread evenly over them, and marks the others ``slow``,
so the full suite still runs every case. A costly check over many accounts or periods is
parametrised over them so that it can be sampled. (The one way a family is cut down for the
fast tier: no test reads an option or an environment variable of its own for it.) To find
what costs: ``pytest -m "not notebook and not browser and not slow" -n 2 --cpu-over 0.3``
lists the tests over 0.3 s of CPU (setup and teardown included, ``tests/tier_costs.py``; a
test's first use of a shared build shows there too: look at what it builds).

``--dist loadfile`` (pyproject.toml) suits the fast tier as well: a module's fixtures and a
process's shared builds are made once, and it balanced the two workers within 5% of CPU
(session 7); ``load`` or ``worksteal`` would build them on both workers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ("tests.tier_costs",)  # --cpu-over, --cpu-log: what each test costs

TIER_FIXTURES = {"kept_kernel": ("notebook",), "chromium": ("browser",),
                 "lab_server": ("notebook", "browser")}
"""Fixtures (tests/conftest.py) and the tiers of a test that uses one: a kernel, Chromium,
or JupyterLab (which starts kernels and is driven in Chromium)."""

TIER_HELPERS = {"notebook_run": ("notebook",), "browser": ("browser",),
                "lab": ("notebook", "browser")}
"""Helper modules in tests/ and the tiers of a test module that imports from one."""


def _imports_from(module: object, helper: str) -> bool:
    return any(getattr(value, "__module__", None) == helper
               or getattr(value, "__name__", None) == helper for value in vars(module).values())


_MODULE_TIERS: dict[object, set[str]] = {}
"""A test module's tiers by the helpers it imports, worked out once per module (not once
per test: a module's namespace is large and it holds thousands of tests)."""


def _module_tiers(module: object) -> set[str]:
    if module not in _MODULE_TIERS:
        _MODULE_TIERS[module] = {tier for helper, helper_tiers in TIER_HELPERS.items()
                                 if _imports_from(module, helper) for tier in helper_tiers}
    return _MODULE_TIERS[module]


def _tiers(item: pytest.Item) -> set[str]:
    if item.path.suffix == ".ipynb":  # nbval: one item per cell, one kernel per notebook
        return {"notebook"}  # (--dist loadfile keeps a notebook's cells on one worker)
    tiers = {tier for fixture in getattr(item, "fixturenames", ())
             for tier in TIER_FIXTURES.get(fixture, ())}
    module = getattr(item, "module", None)
    if module is not None:
        tiers.update(_module_tiers(module))
    return tiers


def _spread(count: int, kept: int) -> set[int]:
    """``kept`` indices spread evenly over ``range(count)``, the first and last among them."""
    if kept >= count:
        return set(range(count))
    if kept <= 1:
        return {0} if kept == 1 else set()
    return {round(i * (count - 1) / (kept - 1)) for i in range(kept)}


def _sample(items: list[pytest.Item]) -> None:
    """Mark ``slow`` the cases of each ``sample(n)`` family beyond its ``n`` (among the cases
    not slow already), so that the fast tier runs a sample and the full suite every case."""
    families: dict[tuple[str, str], list[pytest.Item]] = {}
    for item in items:
        if item.get_closest_marker("sample") and not item.get_closest_marker("slow"):
            key = (str(item.path), getattr(item, "originalname", item.name))
            families.setdefault(key, []).append(item)
    for family in families.values():
        marker = family[0].get_closest_marker("sample")
        assert marker is not None
        kept = _spread(len(family), int(marker.args[0]))
        for index, item in enumerate(family):
            if index not in kept:
                item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for tier in sorted(_tiers(item)):
            item.add_marker(getattr(pytest.mark, tier))
    _sample(items)


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
