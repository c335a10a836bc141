"""Execute notebooks through papermill in one kernel kept alive across accounts.

Starting a kernel and importing kamkit, pandas, Altair and vl-convert in it is most of a
notebook's cost, so a worker starts one kernel and runs every notebook it gets in it:
papermill's engine registry takes a small engine (``ENGINE``) that executes in a running
kernel instead of starting one. Between notebooks the kernel's namespace is reset
(``%reset -f``), so nothing a notebook defined is seen by the next one; after a timeout or a
dead kernel it is restarted. The kernel listens on Unix sockets in the worker's own folder
(IPC transport), so parallel workers never race for TCP ports, and a failed start is retried.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import nbformat
from jupyter_client import KernelClient
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.execute import (
    prepare_notebook_metadata,
    raise_for_execution_errors,
    remove_error_markers,
)
from papermill.inspection import _infer_parameters
from papermill.iorw import load_notebook_node, local_file_io_cwd
from papermill.log import logger as papermill_log
from papermill.parameterize import (
    add_builtin_parameters,
    parameterize_notebook,
    parameterize_path,
)

from kamkit.errors import LAST_RAISED, KernelStartError
from kamkit.problems import Words, words
from kamkit.speedups import KERNEL_PRELUDE

ENGINE = "kamkit-kept-kernel"
KERNEL = "python3"

RESET = ("%reset -f\nget_ipython().execution_count = 1\n"
         "import gc\ngc.collect()\ngc.freeze()\n")
"""Run between notebooks: the namespace is emptied; imported modules stay loaded; cells are
counted from 1 again (``%reset`` keeps the count, so a notebook's execution counts depended
on what its kernel ran before it: the same report made by a local run and by a cluster
differed in them).

What survives the reset (the imported modules, their caches: some million objects) is then
moved out of the garbage collector's sight (``gc.freeze``): every full collection scanned it
all again, 0.15-0.4 s of CPU each, three per reset (``%reset`` collects twice itself) and
more during a report. Frozen objects are still freed when their last reference goes; only a
reference cycle among them, once unreachable, would stay (the modules' own state, alive
until the kernel stops anyway)."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _transport(workdir: Path, number: int) -> dict[str, str]:
    """Unix sockets in the worker's own folder where there are any: no TCP port to race for."""
    if os.name != "posix":
        return {}
    return {"transport": "ipc", "ip": str(workdir / f"kernel{number}")}


@dataclass(frozen=True)
class Executed:
    """An executed notebook (up to the failing cell when ``error`` is set)."""

    notebook: nbformat.NotebookNode | None
    error: str | Words | None  # Words where kamkit says why (a timeout, a dead kernel)
    seconds: float


class _KeptKernelClient(PapermillNotebookClient):
    """papermill's client on a kernel and a client it does not own: the session's client
    (``kc``), connected once per kernel, so no notebook waits for a new client's channels
    (``wait_for_ready`` waits up to 0.2 s for IOPub after each kernel_info reply)."""

    kc: KernelClient | None  # nbclient's attribute (papermill's subclass is untyped)


class KeptKernelEngine(NBClientEngine):
    """A papermill engine that executes in the running kernel passed as ``km``, through its
    connected client ``kc``."""

    @classmethod
    def execute_managed_notebook(  # papermill's signature: nb_man is its NotebookExecutionManager
            cls, nb_man: Any, kernel_name: str, log_output: bool = False,
            stdout_file: IO[str] | None = None, stderr_file: IO[str] | None = None,
            start_timeout: int = 60, execution_timeout: float | None = None,
            **kwargs: Any) -> nbformat.NotebookNode:
        client = _KeptKernelClient(
            nb_man, km=kwargs["km"], kernel_name=kernel_name, timeout=execution_timeout,
            startup_timeout=start_timeout, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file)
        client.kc = kwargs["kc"]  # nbclient connects a client only where it has none
        try:
            return client.execute()
        except (CellTimeoutError, DeadKernelError) as stopped:
            # up to the cell that hung or killed the kernel; run() reads it with getattr
            stopped.notebook = nb_man.nb  # type: ignore[union-attr]
            raise


papermill_engines.register(ENGINE, KeptKernelEngine)


def execute_notebook(notebook: Path, output: Path, parameters: dict[str, object],
                     **engine: Any) -> nbformat.NotebookNode:
    """``papermill.execute_notebook`` (same steps, same papermill functions) without its
    closing save of the executed notebook to ``output``: the caller writes it once where it
    belongs (the save validated and serialised a report's 400-700 kB of outputs a second
    time, to a scratch file). The notebook still records ``output`` as papermill's output
    path, and a failing cell is still saved there with papermill's error markers (raises
    ``PapermillExecutionError``). ``engine``: the engine's arguments (``km``, ``kc``,
    ``execution_timeout``, ``start_timeout``)."""
    path_parameters = add_builtin_parameters(parameters)
    input_path = parameterize_path(str(notebook), path_parameters)
    output_path = parameterize_path(str(output), path_parameters)
    with local_file_io_cwd():
        nb = load_notebook_node(input_path)
        if parameters:
            known = {p.name for p in _infer_parameters(nb, name=KERNEL)}
            for name in parameters:
                if name not in known:
                    papermill_log.warning(f"Passed unknown parameter: {name}")
            nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL, engine_name=ENGINE)
        nb = remove_error_markers(prepare_notebook_metadata(nb, input_path, output_path))
        nb = papermill_engines.execute_notebook_with_engine(
            ENGINE, nb, input_path=input_path, output_path=None, kernel_name=KERNEL,
            progress_bar=False, log_output=False, stdout_file=None, stderr_file=None,
            **engine)
        raise_for_execution_errors(nb, output_path)
    return nb


def _unexpected(error: PapermillExecutionError) -> Words:
    """What papermill says of a failed cell, as Words: its exception's type and message."""
    return words("batch.reason.exception", type=error.ename,
                 message=_ANSI.sub("", error.evalue).strip())


class KernelSession:
    """One kernel for many notebooks, reset between them.

    Parameters
    ----------
    workdir
        A private folder for the kernel's sockets and the notebook being executed.
    cwd
        The kernel's working folder (the notebooks' folder).
    stderr
        Where the kernel's own messages go (the run log).
    attempts
        Kernel starts to try before giving up.
    prelude
        Code every fresh kernel runs once started (after ``KERNEL_PRELUDE``).
    before_first
        Code every fresh kernel runs before its first notebook, after ``prelude``: what may
        not be ready yet when the kernel starts (a kernel started ahead, ``start``, while
        the run measures the portfolio it hands over).
    """

    def __init__(self, workdir: Path, cwd: Path, stderr: IO[bytes] | int | None = None,
                 attempts: int = 3, start_timeout: int = 60, prelude: str = "",
                 before_first: str = "") -> None:
        self.workdir = workdir
        self.prelude = prelude
        self.before_first = before_first
        self.cwd = cwd
        self.stderr = stderr if stderr is not None else subprocess.DEVNULL
        self.attempts = attempts
        self.start_timeout = start_timeout
        self.km: AsyncKernelManager | None = None
        self.kc: AsyncKernelClient | None = None
        self._starts = 0
        self._used = False
        self._fresh = False  # started, ``before_first`` not run yet

    # ---------------------------------------------------------------- kernel
    def _connect(self) -> None:
        """The session's client of the started kernel, kept until the kernel stops: every
        reset and notebook goes through it."""
        assert self.km is not None
        # With the manager as parent the client asks whether the kernel's process lives;
        # on its own it goes by heartbeats, and one missed on a busy machine (1 s) reads as
        # "Kernel died before replying to kernel_info" while the kernel is still starting.
        client = self.km.client()
        client.start_channels()
        self.kc = client
        run_sync(client.wait_for_ready)(timeout=self.start_timeout)
        client.allow_stdin = False

    def _run_code(self, code: str) -> None:
        assert self.kc is not None
        reply = run_sync(self.kc.execute_interactive)(code, store_history=False, timeout=60,
                                                      output_hook=lambda _msg: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelStartError.of(words(
                "cli.kernel.prelude_failed", code=code.splitlines()[0],
                error=f"{content.get('ename')}: {content.get('evalue')}"))

    def start(self) -> None:
        """Start the kernel, trying again after a failed start."""
        last: Exception | None = None
        for attempt in range(1, self.attempts + 1):
            self._starts += 1
            km = AsyncKernelManager(
                kernel_name=KERNEL, **_transport(self.workdir, self._starts),
                connection_file=str(self.workdir / f"kernel{self._starts}.json"))
            try:
                run_sync(km.start_kernel)(
                    extra_arguments=["--HistoryManager.hist_file=:memory:"],  # as nbclient
                    cwd=str(self.cwd), stdout=subprocess.DEVNULL, stderr=self.stderr)
                self.km = km
                self._connect()
                self._run_code(KERNEL_PRELUDE + self.prelude)
                self._used = False
                self._fresh = True
                return
            except Exception as error:  # a start can fail in many ways; all are retried
                last = error
                self.km = None
                self._disconnect()
                self._stop(km)
                time.sleep(0.5 * attempt)
        raise KernelStartError.of(words("cli.kernel.not_started", kernel=KERNEL,
                                        attempts=self.attempts,
                                        error=f"{type(last).__name__}: {last}"))

    @staticmethod
    def _stop(km: AsyncKernelManager) -> None:
        with contextlib.suppress(Exception):  # already gone
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            run_sync(km.cleanup_resources)()

    def restart(self) -> None:
        """A fresh kernel: after a timeout, a dead kernel or a failed reset."""
        self.close()
        self.start()

    def _disconnect(self) -> None:
        if self.kc is not None:
            with contextlib.suppress(Exception):  # channels already closed
                self.kc.stop_channels()
            self.kc = None

    def close(self) -> None:
        self._disconnect()
        if self.km is not None:
            self._stop(self.km)
            self.km = None

    def _ready(self) -> None:
        """A kernel with an empty namespace."""
        if self.km is None or not run_sync(self.km.is_alive)():
            self.restart()
        elif self._used:
            try:
                self._run_code(RESET)
            except Exception:
                self.restart()
        if self._fresh:
            self._fresh = False
            if self.before_first:
                self._run_code(self.before_first)
        self._used = True

    def _raised(self, failed: PapermillExecutionError) -> Words:
        """Why a cell failed, asked of the kernel that raised it: a kamkit error keeps its
        Words (papermill has only its English text); papermill's text where the kernel
        cannot say (it names another exception than papermill's)."""
        try:
            assert self.kc is not None
            reply = run_sync(self.kc.execute_interactive)(
                "", silent=True, store_history=False, timeout=30,
                user_expressions={"raised": LAST_RAISED}, output_hook=lambda _msg: None)
            said = reply["content"]["user_expressions"]["raised"]
            raised = json.loads(ast.literal_eval(said["data"]["text/plain"]) or "null")
            if raised is not None and raised["type"] == failed.ename:
                return Words.from_plain(raised["words"])
        except Exception:  # a kernel that cannot answer: papermill's text says enough
            pass
        return _unexpected(failed)

    # ---------------------------------------------------------------- notebooks
    def run(self, notebook: Path, parameters: dict[str, object], timeout: int) -> Executed:
        """Execute ``notebook`` with ``parameters``; a failing cell gives ``error`` and the
        notebook up to it, never an exception."""
        started = time.perf_counter()
        self._ready()
        output = self.workdir / "executing.ipynb"
        output.unlink(missing_ok=True)
        error: str | Words | None = None
        result = None
        try:
            result = execute_notebook(notebook, output, parameters, km=self.km, kc=self.kc,
                                      execution_timeout=timeout,
                                      start_timeout=self.start_timeout)
        except PapermillExecutionError as failed:
            error = self._raised(failed)
        except CellTimeoutError as hung:
            error = words("batch.reason.timeout", seconds=str(timeout))
            result = getattr(hung, "notebook", None)
            self.restart()
        except DeadKernelError as dead:
            error = words("batch.reason.kernel_died", error=str(dead))
            result = getattr(dead, "notebook", None)
            self.restart()
        if error is not None and output.is_file():  # papermill saved it up to the error
            result = nbformat.read(output, as_version=4)
        return Executed(result, error, time.perf_counter() - started)
