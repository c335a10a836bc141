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

import contextlib
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import nbformat
import papermill as pm
from jupyter_client import KernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from kamkit.errors import KernelStartError
from kamkit.speedups import KERNEL_PRELUDE

ENGINE = "kamkit-kept-kernel"
KERNEL = "python3"

RESET = "%reset -f\nimport gc\ngc.collect()\n"
"""Run between notebooks: the namespace is emptied; imported modules stay loaded."""

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
    error: str | None
    seconds: float


class _KeptKernelClient(PapermillNotebookClient):
    """papermill's client on a kernel it does not own: it closes only its own channels."""

    kc: KernelClient | None  # nbclient's attribute (papermill's subclass is untyped)

    def execute(self, **kwargs: object) -> nbformat.NotebookNode:
        try:
            return super().execute(**kwargs)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None


class KeptKernelEngine(NBClientEngine):
    """A papermill engine that executes in the running kernel passed as ``km``."""

    @classmethod
    def execute_managed_notebook(  # papermill's signature: nb_man is its NotebookExecutionManager
            cls, nb_man: Any, kernel_name: str, log_output: bool = False,
            stdout_file: IO[str] | None = None, stderr_file: IO[str] | None = None,
            start_timeout: int = 60, execution_timeout: float | None = None,
            **kwargs: Any) -> nbformat.NotebookNode:
        try:
            return _KeptKernelClient(
                nb_man, km=kwargs["km"], kernel_name=kernel_name, timeout=execution_timeout,
                startup_timeout=start_timeout, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file).execute()
        except (CellTimeoutError, DeadKernelError) as stopped:
            # up to the cell that hung or killed the kernel; run() reads it with getattr
            stopped.notebook = nb_man.nb  # type: ignore[union-attr]
            raise


papermill_engines.register(ENGINE, KeptKernelEngine)


def _message(error: PapermillExecutionError) -> str:
    return _ANSI.sub("", f"{error.ename}: {error.evalue}").strip()


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
        Code every fresh kernel runs before any notebook (after ``KERNEL_PRELUDE``).
    """

    def __init__(self, workdir: Path, cwd: Path, stderr: IO[bytes] | int | None = None,
                 attempts: int = 3, start_timeout: int = 60, prelude: str = "") -> None:
        self.workdir = workdir
        self.prelude = prelude
        self.cwd = cwd
        self.stderr = stderr if stderr is not None else subprocess.DEVNULL
        self.attempts = attempts
        self.start_timeout = start_timeout
        self.km: AsyncKernelManager | None = None
        self._starts = 0
        self._used = False

    # ---------------------------------------------------------------- kernel
    def _run_code(self, code: str) -> None:
        assert self.km is not None
        # With the manager as parent the client asks whether the kernel's process lives;
        # on its own it goes by heartbeats, and one missed on a busy machine (1 s) reads as
        # "Kernel died before replying to kernel_info" while the kernel is still starting.
        client = BlockingKernelClient(parent=self.km)
        client.load_connection_info(self.km.get_connection_info())
        client.start_channels()
        try:
            client.wait_for_ready(timeout=self.start_timeout)
            reply = client.execute_interactive(code, store_history=False, timeout=60,
                                               output_hook=lambda _msg: None)
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelStartError(f"The kernel could not run {code.splitlines()[0]!r}: "
                                   f"{content.get('ename')}: {content.get('evalue')}")

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
                self._run_code(KERNEL_PRELUDE + self.prelude)
                self._used = False
                return
            except Exception as error:  # a start can fail in many ways; all are retried
                last = error
                self.km = None
                self._stop(km)
                time.sleep(0.5 * attempt)
        raise KernelStartError(f"Could not start the Python kernel {KERNEL!r} after "
                               f"{self.attempts} attempts: {type(last).__name__}: {last}")

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

    def close(self) -> None:
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
        self._used = True

    # ---------------------------------------------------------------- notebooks
    def run(self, notebook: Path, parameters: dict[str, object], timeout: int) -> Executed:
        """Execute ``notebook`` with ``parameters``; a failing cell gives ``error`` and the
        notebook up to it, never an exception."""
        started = time.perf_counter()
        self._ready()
        output = self.workdir / "executing.ipynb"
        output.unlink(missing_ok=True)
        error, result = None, None
        try:
            result = pm.execute_notebook(
                str(notebook), str(output), parameters=parameters, engine_name=ENGINE,
                km=self.km, kernel_name=KERNEL, progress_bar=False,
                request_save_on_cell_execute=False, execution_timeout=timeout,
                start_timeout=self.start_timeout)
        except PapermillExecutionError as failed:
            error = _message(failed)
        except CellTimeoutError as hung:
            error = (f"A cell ran longer than {timeout} s and was stopped (the limit is "
                     "--timeout or `timeout` in the run definition).")
            result = getattr(hung, "notebook", None)
            self.restart()
        except DeadKernelError as dead:
            error = f"The Python kernel died while running the notebook: {dead}"
            result = getattr(dead, "notebook", None)
            self.restart()
        if error is not None and output.is_file():  # papermill saved it up to the error
            result = nbformat.read(output, as_version=4)
        return Executed(result, error, time.perf_counter() - started)
