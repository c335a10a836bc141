"""What each test costs in CPU, to keep the fast tier fast (the rule: conftest.py at the top of
the repository). A pytest plugin, loaded by that conftest.py:

- ``--cpu-over SECONDS`` lists, after the run, the tests that took more than ``SECONDS`` of
  CPU in their process and in the processes they started and waited for (a CLI or a fresh
  Python run as a subprocess: about 0.8 s each) (setup, call and teardown: also a shared
  build that a test is the first in its process to use), dearest first, and the CPU of all
  tests;
- ``--cpu-log PATH`` writes every test's CPU seconds as JSON (``benchmarks/fast_tier.py``
  reads it beside the coverage of each test).

It works with ``-n 2`` too: each worker measures its own tests and sends the figure with the
test's report."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

_KEY = "cpu_seconds"
_STARTED = pytest.StashKey[float]()


_costs: dict[str, float] = {}
"""nodeid -> CPU seconds of the tests this process reported (the controller's: all)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kamkit tiers")
    group.addoption("--cpu-over", type=float, metavar="SECONDS", default=None,
                    help="list the tests that took more than SECONDS of CPU (setup, call "
                         "and teardown) after the run")
    group.addoption("--cpu-log", metavar="PATH", default=None,
                    help="write each test's CPU seconds to PATH (JSON)")


def _measuring(config: pytest.Config) -> bool:
    return (config.getoption("--cpu-over") is not None
            or config.getoption("--cpu-log") is not None)


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended and were waited for."""
    if sys.platform == "win32":  # no resource module: this process only
        return time.process_time()
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, Any, None]:
    item.stash[_STARTED] = _cpu()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if _measuring(item.config) and report.when == "teardown" and _STARTED in item.stash:
        # the teardown report comes last: the CPU since the test's setup began (user
        # properties travel with the report from an xdist worker to the controller)
        report.user_properties.append((_KEY, _cpu() - item.stash[_STARTED]))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == _KEY and report.when == "teardown":
            _costs[report.nodeid] = float(value)  # type: ignore[arg-type]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or not _measuring(config):
        return
    path = config.getoption("--cpu-log")
    if path:
        Path(path).write_text(json.dumps(_costs, indent=0, sort_keys=True), encoding="utf-8")
    over = config.getoption("--cpu-over")
    if over is None:
        return
    dear = sorted(((cost, nodeid) for nodeid, cost in _costs.items() if cost > over),
                  reverse=True)
    write = terminalreporter.write_line
    terminalreporter.section(f"tests over {over:g} s of CPU")
    for cost, nodeid in dear:
        write(f"{cost:6.2f} s  {nodeid}")
    write(f"{len(dear)} of {len(_costs)} tests over {over:g} s: {sum(c for c, _ in dear):.1f} "
          f"of {sum(_costs.values()):.1f} s of CPU in tests")
