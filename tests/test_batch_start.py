"""How a run's workers and kernels start: the workers in a thread of the run (it measures
the portfolio meanwhile), and a kernel does its first-time work (``batch.warm``) before it
is given a notebook."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from kamkit.batch import runner, warm
from kamkit.batch.definition import load_definition
from kamkit.batch.tasks import WorkerSetup


def test_a_worker_that_cannot_start_is_said_where_the_run_waits_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spawn = multiprocessing.get_context("spawn")

    class Unstartable:  # a process that cannot be made (no memory, too many processes)
        def __init__(self, **_: object) -> None:
            self.pid = None

        def start(self) -> None:
            raise OSError("Resource temporarily unavailable")

        def is_alive(self) -> bool:
            return False

    class Context:
        Process = Unstartable

        @staticmethod
        def Queue() -> object:  # multiprocessing's name
            return spawn.Queue()

    monkeypatch.setattr(runner, "worker_context", Context)
    definition = load_definition(None, {"quarter": "2026Q3", "output": str(tmp_path)})
    workers = runner._Workers(WorkerSetup(definition, dt.date(2026, 10, 1), tmp_path / "log",
                                          tmp_path), [], 2)  # returns at once
    with pytest.raises(OSError, match="temporarily unavailable"):
        next(workers.results_of(1))
    workers.stop(now=True)  # as the run stops them then: nothing started, nothing to stop


@pytest.mark.slow  # draws a chart in a fresh process: about 3 s of CPU
def test_a_kernels_warm_up_reads_what_its_first_report_would() -> None:
    """In a fresh interpreter, as a kernel runs it: vl-convert draws with its bundled fonts
    (set before any text is measured), babel has the run's languages, the chart shapes
    validated before are read, what the kernel holds is frozen for the garbage collector,
    and a language babel does not know is no error."""
    code = warm.code(["en", "nl", "xx-unknown"]) + (
        "import babel.localedata, kamkit.charts.svg as svg\n"
        "assert svg._FONTS_READY\n"
        "assert {'en', 'nl'} <= set(babel.localedata._cache)\n"
        "import gc, kamkit.charts.validated as validated\n"
        "assert validated._READ[0] and gc.get_freeze_count() > 0\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
