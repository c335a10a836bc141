"""The examples in kamkit's docstrings run and hold.

Every module whose source has a ``>>>`` example is found by reading the files (nothing is
imported to find them), so a new example is tested without anyone listing it here. The
widgets' example builds an Explorer on the demo workbook (seconds of CPU): ``slow``.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import kamkit

PACKAGE = Path(kamkit.__file__).parent
SLOW_PACKAGES = ("kamkit.widgets",)
"""Modules whose examples build widgets: in `make test`, not in the fast tier."""


def modules_with_examples() -> list[str]:
    """The dotted names of the kamkit modules with a ``>>>`` line in their source."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _param(name: str) -> object:
    slow = any(name == p or name.startswith(p + ".") for p in SLOW_PACKAGES)
    return pytest.param(name, marks=pytest.mark.slow) if slow else name


def test_examples_are_found() -> None:
    found = modules_with_examples()
    assert {"kamkit.periods", "kamkit.formatting", "kamkit.widgets"} <= set(found)


@pytest.mark.parametrize("name", [_param(n) for n in modules_with_examples()])
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.attempted > 0, f"{name} has '>>>' but no example doctest finds"
    assert results.failed == 0, "".join(report)
