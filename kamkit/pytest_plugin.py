"""A pytest plugin, loaded first by kamkit's own test runs (``-p kamkit.pytest_plugin`` in
pyproject.toml's addopts): it keeps jsonschema's slow optional format checker out of every
test process (``kamkit.speedups``), which a conftest.py cannot, because pytest imports nbval
(and through nbformat, jsonschema) before any conftest. It saves about 1.4 s per process.
"""

from __future__ import annotations

from kamkit.speedups import skip_unused_format_checker

skip_unused_format_checker()
