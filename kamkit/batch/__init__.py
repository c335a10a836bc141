"""The quarter batch (``kamkit run``): every selected account's notebooks executed with
papermill and converted to self-contained HTML reports, with an index page for management.

One module per concern: ``definition`` (what a run renders, from YAML and options),
``layout`` (where files go; safe folder names), ``cache`` (cache keys and each account's
record; the index's key figures come from ``kamkit.key_figures``), ``execute``
(papermill in a kept kernel), ``convert`` (nbconvert with kamkit's report template),
``render`` (one account), ``index`` (the management page), ``tasks`` (what the run and its
workers pass each other), ``worker`` (the worker processes), ``runner`` (the run: workers,
progress, log, summary), ``shipping`` (what a run sends to workers on other machines and
what comes back), ``distributed`` (the accounts on a Dask cluster, with ``scheduler``);
``kamkit.speedups`` saves import time in workers and kernels.

Examples
--------
>>> from kamkit.batch import load_definition, run
>>> definition = load_definition(None, {"quarter": "2026Q3", "accounts": "MAAS"})
>>> run(definition).exit_code  # doctest: +SKIP
0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kamkit.batch.definition import REPORTS, ReportKind, RunDefinition, load_definition

if TYPE_CHECKING:
    from kamkit.batch.runner import RunSummary, run

__all__ = ["REPORTS", "ReportKind", "RunDefinition", "RunSummary", "load_definition", "run"]


def __getattr__(name: str) -> Any:
    """``run`` and ``RunSummary``, imported from ``runner`` when first asked for: a worker
    process imports this package for its tasks and never runs a run (the runner's imports,
    the portfolio's computations among them, cost it about 0.3 s of CPU at its start)."""
    if name in ("run", "RunSummary"):
        from kamkit.batch import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
