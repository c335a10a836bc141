"""The worker processes of a run: each takes accounts from a queue until told to stop.

This module stays light (the run imports it); a worker imports papermill and nbconvert only
once it has kept jsonschema's slow optional checker out (``speedups``).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.queues import Queue

from kamkit.batch.definition import RunDefinition
from kamkit.batch.tasks import AccountTask, WorkerSetup
from kamkit.speedups import skip_unused_format_checker

PRELOAD = "kamkit.batch.preload"
"""The module the workers' fork server imports before forking them."""


def context() -> ForkServerContext | SpawnContext:
    """Where the run's workers come from: forks of a fork server that has imported what a
    worker uses (``PRELOAD``) once, instead of fresh interpreters that each import it
    again; spawned where there is no fork server (Windows). A fork server, unlike a fork
    of the run itself, holds no threads and no workbook: it is started fresh, once per
    process that runs (later runs in the same process fork from it too)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forks = multiprocessing.get_context("forkserver")
    forks.set_forkserver_preload([PRELOAD])
    return forks


def start_early(definition: RunDefinition) -> None:
    """Start the fork server (``context``) now, when the run will likely fork workers from
    it (forced, or a quarter folder not made yet): it imports what a worker uses (about 1 s
    of CPU) while the run imports and reads what it needs, rather than after that, and the
    workers and their kernels start that much earlier. A run on a cluster forks none."""
    if definition.scheduler is not None or not (definition.force
                                                or not definition.folder.exists()):
        return
    if isinstance(context(), ForkServerContext):
        from multiprocessing import forkserver

        forkserver.ensure_running()


def serve(setup: WorkerSetup, tasks: Queue, results: Queue,
          environment: dict[str, str] | None = None) -> None:
    """A worker process's main loop: render accounts (``AccountTask``) and the portfolio
    (``PortfolioTask``, once every account is done) until a None arrives.

    Sends ``("start", pid, account_id)`` before and ``("done", pid, AccountDone)`` after
    each task, so the run knows which account a worker that died was holding. Stops
    when the run's process is gone (killed): no account is started for nobody. Ends the
    process itself once done (``os._exit``), without the interpreter's teardown.
    ``environment``: the run's environment variables, for the worker and its kernel.
    """
    # The run, also for a worker forked by a fork server (its parent process, which stays
    # while the workers it forked live): the run holds the other end of its sentinel.
    run = multiprocessing.parent_process()
    if environment is not None:  # the run's, as a spawned worker has it: a fork has the
        os.environ.clear()  # fork server's, as it was when the server started
        os.environ.update(environment)
    if hasattr(os, "setpgrp"):  # POSIX: Ctrl-C in a terminal goes to the run, which then
        os.setpgrp()  # stops its workers at once
    skip_unused_format_checker()
    from kamkit.batch.render import AccountRenderer  # after the line above, on purpose

    renderer = AccountRenderer(setup)
    try:
        if setup.ahead:
            renderer.start_ahead()
        while run is None or run.is_alive():
            try:
                task = tasks.get(timeout=1.0)  # the run's end comes after the portfolio
            except queue.Empty:
                continue
            if task is None:
                break
            results.put(("start", os.getpid(), task.account_id))
            results.put(("done", os.getpid(), renderer.render(task)
                         if isinstance(task, AccountTask) else
                         renderer.render_portfolio(task.folder, task.notebook, task.links)))
    finally:
        renderer.close()
    # Everything is written and the kernel stopped: what is left is the interpreter's
    # teardown of the imported libraries (about 0.3 s of CPU, at the run's very end), which
    # a worker can do without. What was put on ``results`` is sent first.
    results.close()
    results.join_thread()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
