"""A run's accounts rendered on the workers of a Dask distributed cluster (``scheduler``).

The run registers a worker plugin (``RunPlugin``) that carries the run's ``Parcel``
(``kamkit.batch.shipping``): every worker, also one that joins later, gets it once and
unpacks it into its local folder. Each account is one task (``render_account``); a worker
thread keeps one renderer, so one kernel, across the accounts it gets, as a worker process
of a run on one machine does. A task returns what it made; the run (``ClusterWorkers``)
writes it into the account's folder, so the output folder, its lock, the records, the log
and the index stay on the run's machine. Removing the plugin at the end closes the kernels.

Imported only for a run with a ``scheduler``: kamkit needs Dask for nothing else
(``pip install kamkit[distributed]``).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from distributed import Client, Future, WorkerPlugin, as_completed, get_worker
from distributed.worker import Worker

from kamkit.batch.definition import RunDefinition
from kamkit.batch.layout import report_stems
from kamkit.batch.render import AccountRenderer
from kamkit.batch.shipping import (
    Parcel,
    Rendered,
    collect,
    deliver,
    kernel_prelude,
    pack,
    receive,
    refusal,
    unpack,
)
from kamkit.batch.tasks import AccountDone, AccountTask, WorkerSetup
from kamkit.errors import KamkitError
from kamkit.problems import Words, words
from kamkit.speedups import skip_unused_format_checker
from kamkit.workbook import Workbook

CONNECT_TIMEOUT = 30
"""Seconds to reach the scheduler, to wait for a first worker, and to wait for a worker
when all are gone, before giving up."""


class _Renderer:
    """One worker thread's renderer, with its own log file read back after each account."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.renderer = AccountRenderer(setup)
        self.log = setup.log
        self.logged = 0

    def render(self, task: AccountTask, folder: Path) -> Rendered:
        done = self.renderer.render(AccountTask(task.account_id, task.name, folder))
        with self.log.open("rb") as log:
            log.seek(self.logged)
            text = log.read()
        self.logged += len(text)
        return collect(done, folder, text)


def _failed(account_id: str, stems: list[str], reason: Words) -> AccountDone:
    """Every report of the account failed for ``reason``, said in each language."""
    return AccountDone(account_id, failed=dict.fromkeys(stems, reason.said("en")),
                       words=dict.fromkeys(stems, reason))


class RunPlugin(WorkerPlugin):
    """A run's inputs on a worker, and the renderers (kernels) of its threads."""

    def __init__(self, parcel: Parcel) -> None:
        self.parcel = parcel

    def setup(self, worker: Worker) -> None:
        del worker  # its folder may be deep: kernels' socket paths must stay short
        skip_unused_format_checker()
        self.lock = threading.Lock()
        self.own = threading.local()
        self.renderers: list[_Renderer] = []
        self.definition: RunDefinition | None = None
        self.made = self.parcel.made
        self.stems = report_stems(self.parcel.definition)
        self.folder = Path(tempfile.mkdtemp(prefix="kamkit-dask-"))
        self.refused = refusal(self.parcel)
        if self.refused is None:
            try:
                self.definition = unpack(self.parcel, self.folder)
                if "pptx" in self.definition.formats:  # decks are made here, not in kernels
                    receive(self.folder)
            except Exception as error:  # a full disk: each account says so, none is lost
                self.refused = words("batch.reason.refused",
                                     error=f"{type(error).__name__}: {error}")
        del self.parcel  # unpacked: the kernels read the workbook from the folder

    def _renderer(self) -> _Renderer:
        """This thread's renderer: its kernel stays for the thread's next accounts."""
        renderer: _Renderer | None = getattr(self.own, "renderer", None)
        if renderer is None:
            assert self.definition is not None
            log = Path(tempfile.mkstemp(prefix="log-", dir=self.folder)[1])
            renderer = _Renderer(WorkerSetup(self.definition, self.made, log,
                                             self.folder, kernel_prelude(self.folder)))
            self.own.renderer = renderer
            with self.lock:
                self.renderers.append(renderer)
        return renderer

    def render(self, task: AccountTask) -> Rendered:
        """One account's reports, made in a folder of this worker's and sent back."""
        if self.refused is not None:
            return Rendered(_failed(task.account_id, self.stems, self.refused), {})
        folder = Path(tempfile.mkdtemp(prefix="account-", dir=self.folder))
        try:
            return self._renderer().render(task, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        with self.lock:
            renderers, self.renderers = self.renderers, []
        for renderer in renderers:
            renderer.renderer.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    async def teardown(self, worker: Worker) -> None:
        # stopping kernels blocks: not on the worker's event loop
        await asyncio.to_thread(self.close)


def render_account(plugin: str, task: AccountTask) -> Rendered:
    """The task of one account, run on a worker that has the run's plugin ``plugin``."""
    run: RunPlugin = get_worker().plugins[plugin]  # type: ignore[assignment]
    return run.render(task)


class Cluster:
    """A run's connection to a Dask cluster: made before the run writes anything, so a
    scheduler that cannot be reached or has no workers stops it with a message; closed
    when the run ends (a context manager)."""

    def __init__(self, address: str) -> None:
        self.address = address
        try:
            self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise KamkitError(f"Cannot reach the Dask scheduler at {address}: {error}. "
                              "Start one (`dask scheduler`, then `dask worker` on each "
                              "machine) or give another --scheduler.") from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            self.client.close()
            raise KamkitError(f"The Dask scheduler at {address} has no workers; start "
                              "`dask worker` on the machines that should render.") from None

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def workers(self, setup: WorkerSetup, workbook: Workbook, tasks: list[AccountTask],
                log: logging.Logger) -> ClusterWorkers:
        """The run's accounts on this cluster."""
        return ClusterWorkers(self, setup, workbook, tasks, log)


class ClusterWorkers:
    """A run's accounts on a Dask cluster, as ``runner._Workers`` runs them on this machine:
    ``results_of`` yields what each account got (written into its folder here), ``stop``
    ends the run's part on the cluster."""

    def __init__(self, cluster: Cluster, setup: WorkerSetup, workbook: Workbook,
                 tasks: list[AccountTask], log: logging.Logger) -> None:
        self.client, self.scheduler = cluster.client, cluster.address
        self.log_path = setup.log
        self.stems = report_stems(setup.definition)
        self.name = f"kamkit-run-{uuid.uuid4().hex}"
        self.futures: dict[Future, AccountTask] = {}
        self.stopped = False
        try:
            self.client.register_plugin(RunPlugin(pack(setup.definition, workbook, setup.made,
                                                       setup.measured)), name=self.name)
            self.futures = {
                self.client.submit(render_account, self.name, task, pure=False,
                                   key=f"{self.name}-{number}", priority=-number): task
                for number, task in enumerate(tasks)}
        except BaseException:
            self.stop(now=True)
            raise
        threads = self.client.nthreads()
        log.info("on the Dask cluster at %s: %d worker(s), %d thread(s)", self.scheduler,
                 len(threads), sum(threads.values()))

    def results_of(self, count: int) -> Iterator[AccountDone]:
        """What each account got, as they finish; an account whose task failed (its worker
        died, or the task could not run) fails with the reason. A cluster left without
        workers for ``CONNECT_TIMEOUT`` seconds stops the run (as a run whose worker
        processes all stopped): the accounts not rendered are left for the next run."""
        del count  # every account of the run: one task each
        pending = as_completed(self.futures, loop=self.client.loop)
        alone_since: float | None = None
        while not pending.is_empty():
            finished = pending.next_batch(block=False)
            for future in finished:
                yield self._result(future)
            if finished:
                alone_since = None
                continue
            time.sleep(0.5)
            if self.client.nthreads():
                alone_since = None
            elif alone_since is None:
                alone_since = time.monotonic()
            elif time.monotonic() - alone_since > CONNECT_TIMEOUT:
                self.stop(now=True)
                raise KamkitError(f"The Dask cluster at {self.scheduler} has had no workers "
                                  f"for {CONNECT_TIMEOUT} s; run again when it has.")

    def _result(self, future: Future) -> AccountDone:
        """One account's result, written into its folder here."""
        task = self.futures[future]
        try:
            rendered: Rendered = future.result()
        except Exception as error:
            return _failed(task.account_id, self.stems,
                           words("batch.reason.task_failed",
                                 error=f"{type(error).__name__}: {error}"))
        if rendered.log:
            with self.log_path.open("ab") as run_log:
                run_log.write(rendered.log)
        return deliver(rendered, task.folder)

    def stop(self, now: bool) -> None:
        """End the run on the cluster: its tasks cancelled (``now``) and its plugin removed,
        which stops the kernels; the connection stays for the run to close."""
        if self.stopped:
            return  # stopped already (a cluster without workers)
        self.stopped = True
        try:
            if now and self.futures:
                self.client.cancel(list(self.futures), force=True)
            self.client.unregister_worker_plugin(self.name)
        except Exception:  # a plugin never registered, a scheduler gone: nothing to end
            pass
