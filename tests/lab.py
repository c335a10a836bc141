"""A real JupyterLab for browser tests: a server on 127.0.0.1 and a notebook driven in
headless Chromium (tests/browser.py), as an analyst would use it.

``LabServer`` starts ``jupyter lab`` on a free port of 127.0.0.1 with a token, no browser, a
root folder of the test's own, and its own config, data, runtime, settings and workspace
folders, so that nothing of the user's is read or written; kernels run the kamkit under test.
``Notebook`` drives one notebook in a Chromium tab through JupyterLab's own command registry
(``window.jupyterapp``, exposed by ``LabApp.expose_app_in_browser``, the setting JupyterLab's
galata test tool uses) and through real mouse and keyboard events.

The fixtures ``lab_server`` (one server per test module, root folder ``lab_server.root``),
``chromium`` (one browser per test module) and ``screenshots`` (a folder; set
``KAMKIT_SCREENSHOTS`` to choose it) are in conftest.py. A test copies its notebooks into the
root and opens them::

    def test_x(lab_server, chromium, screenshots):
        shutil.copy(my_notebook, lab_server.root / "x.ipynb")
        with Notebook.open(chromium, lab_server, "x.ipynb") as notebook:  # kernel ready
            notebook.run_all()                       # Run > Run All Cells, waits for idle
            notebook.wait_drawn(3, "vega")           # 3 Vega charts with a size
            notebook.outputs()                       # [{cell, kind, width, height, text}]
            notebook.stored_outputs()                # what a save writes: mimetypes
            notebook.click("PANEL.node.querySelector('.widget-button')")  # the mouse
            notebook.tab.type("MAAS"); notebook.tab.press("Enter")        # the keyboard
            notebook.wait_for("PANEL.node.innerText.includes('Maasport')")
            notebook.run_cell(4); notebook.save(); notebook.reload()
            notebook.screenshot(screenshots / "x.png")
            assert notebook.tab.log.faults() == []

A test module using it is marked ``browser`` and ``notebook`` (JupyterLab starts kernels;
the tiers are in the repository's conftest.py) and skipped without Chromium: ``pytestmark =
IN_LAB``.

In scripts given to ``evaluate``, ``wait_for`` and ``click``, ``PANEL`` stands for the
notebook's ``NotebookPanel`` and ``APP`` for the JupyterLab application.

JupyterLab is configured for tests in one way that matters: the notebook's windowing mode is
"none", so every cell is in the page (not only those scrolled into view) and can be queried.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from browser import CHROMIUM, LOOPBACK, Chromium, PageError, Tab
from notebook_run import NOTEBOOKS as NOTEBOOKS  # the repository's notebooks, for lab tests

import kamkit

IN_LAB = [
    pytest.mark.browser, pytest.mark.notebook,  # JupyterLab runs kernels
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: "
                       "see .ci/run; locally `apt-get install chromium`)")]
"""The marks of a test module driving JupyterLab (``pytestmark = IN_LAB``); the notebooks
such a test copies into the server's root are in ``NOTEBOOKS``."""

def explore_notebook(root: Path, book: str, notebook: str, *, extra_cell: str = "",
                     workbook: Path = kamkit.DEMO_WORKBOOK, **parameters: str) -> Path:
    """A copy of ``workbook`` (the demo's) as ``root/book`` and ``notebooks/explore.ipynb``
    as ``root/notebook`` whose parameters cell reads it, with ``parameters`` (name -> text
    value) set too; each parameter's line must be there once; ``extra_cell``: code run last
    (a test's setting of the kernel's side). Returns the workbook's folder."""
    folder = root / book
    shutil.copytree(workbook, folder)
    explore = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    cell = next(c for c in explore.cells if "parameters" in c.metadata.get("tags", []))
    for name, value in {"workbook": book, **parameters}.items():
        cell.source, replaced = re.subn(rf"^{name} = .*$", f"{name} = {json.dumps(value)}",
                                        cell.source, flags=re.M)
        assert replaced == 1, (name, cell.source)
    if extra_cell:
        explore.cells.append(nbformat.v4.new_code_cell(extra_cell))
    nbformat.write(explore, root / notebook)
    return folder


SETTINGS = {
    # every cell in the page, so that tests can query outputs that are scrolled away
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # no question about news (it would cover part of a screenshot), no update check
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                   "checkForUpdates": False},
}
"""User settings of the test server (JupyterLab's settings ids and values)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class LabServer:
    """A ``jupyter lab`` process serving ``root`` on 127.0.0.1; ``stop`` ends it and its
    kernels. Its log is ``home / "server.log"``."""

    def __init__(self, root: Path, timeout: float = 90) -> None:
        self.root = root
        self.home = Path(tempfile.mkdtemp(prefix="kamkit-lab-"))
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        config, settings = self.home / "config", self.home / "settings"
        for plugin, values in SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        source = str(Path(kamkit.__file__).resolve().parents[1])  # kernels import this kamkit
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTER_DATA_DIR": str(self.home / "data"),
               "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
               "IPYTHONDIR": str(self.home / "ipython"),
               "PYTHONPATH": os.pathsep.join(filter(None, [source,
                                                           os.environ.get("PYTHONPATH")]))}
        self.log = (self.home / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ip={LOOPBACK}",
             f"--port={self.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
             f"--LabApp.user_settings_dir={settings}",
             f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
             "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
             "--LabApp.check_for_updates_class="
             "jupyterlab.handlers.announcements.NeverCheckForUpdate",
             "--ServerApp.terminals_enabled=False", "--allow-root"],  # CI runs as root
            cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True)
        started = time.perf_counter()
        try:
            self._wait(timeout)
        except Exception:
            self.stop()
            raise
        self.seconds = time.perf_counter() - started  # until it answered

    def _wait(self, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab ended with {self.process.returncode}:\n"
                                   + self.log_text()[-3000:])
            with contextlib.suppress(OSError):
                self.api("GET", "/api/status")
                return
            if time.perf_counter() > deadline:
                raise TimeoutError(f"jupyter lab did not answer in {timeout:.0f} s:\n"
                                   + self.log_text()[-3000:])
            time.sleep(0.2)

    def api(self, method: str, path: str, body: object = None) -> object:
        """Call the server's REST API (``/api/...``) with the token; the JSON reply."""
        request = urllib.request.Request(
            self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}",
                     "Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy
        with opener.open(request, timeout=10) as reply:
            text = reply.read()
        return json.loads(text) if text else None

    def url(self, path: str = "", reset: bool = False) -> str:
        """The address of ``path`` (relative to ``root``) in JupyterLab, logged in; ``reset``
        starts from an empty workspace (no documents from before reopened beside it)."""
        return (f"{self.base}/lab/tree/{quote(path)}?token={self.token}"
                + ("&reset" if reset else ""))

    def log_text(self) -> str:
        self.log.flush()
        return (self.home / "server.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Shut the server and its kernels down (asked nicely first), remove its folders."""
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.api("POST", "/api/shutdown")
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)  # its own session
                self.process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


# JavaScript run in the page: the notebook panel open on a path, found through the app.
_PANEL = """(() => {{
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  return [...app.shell.widgets('main')].find(w => w.context && w.context.path === {path}
                                                  && w.content && w.content.widgets) || null;
}})()"""

_OUTPUTS = """(() => {
  const kinds = [['jp-RenderedVegaCommon5', 'vega'], ['jp-RenderedSVG', 'svg'],
                 ['jp-RenderedImage', 'image'], ['jp-RenderedJavaScript', 'javascript'],
                 ['jp-RenderedHTMLCommon', 'html'], ['jp-RenderedText', 'text']];
  return PANEL.content.widgets.flatMap((cell, index) => {
    if (cell.model.type !== 'code') return [];
    return [...cell.node.querySelectorAll('.jp-OutputArea-output')].map(node => {
      const widget = node.matches('.jupyter-widgets') || node.querySelector('.jupyter-widgets');
      const kind = widget ? 'widget'
        : (kinds.find(([cls]) => node.classList.contains(cls)) || [null, 'other'])[1];
      const pictures = [...node.querySelectorAll('svg, img, canvas')].map(p => {
        const box = p.getBoundingClientRect();
        return [Math.round(box.width), Math.round(box.height)];
      });
      const largest = pictures.sort((a, b) => b[0] * b[1] - a[0] * a[1])[0] || [0, 0];
      return {cell: index, kind, mime: node.dataset.mimeType || null,
              width: largest[0], height: largest[1], text: node.innerText.slice(0, 300)};
    });
  });
})()"""


class Notebook:
    """One notebook open in JupyterLab in a tab of ``browser``; use ``Notebook.open``."""

    def __init__(self, tab: Tab, server: LabServer, path: str) -> None:
        self.tab, self.server, self.path = tab, server, path
        self.panel = _PANEL.format(path=json.dumps(path))

    @classmethod
    def open(cls, browser: Chromium, server: LabServer, path: str, timeout: float = 90
             ) -> Notebook:
        """Open ``path`` (relative to the server's root) alone in a new tab and wait until
        its kernel is ready."""
        notebook = cls(browser.open(), server, path)
        try:
            notebook.tab.navigate(server.url(path, reset=True), timeout)
            notebook.wait_ready(timeout)
        except Exception:
            notebook.close()
            raise
        return notebook

    def evaluate(self, script: str, timeout: float = 30) -> object:
        """Run JavaScript in the page; ``PANEL`` in it stands for this notebook's panel
        (JupyterLab's ``NotebookPanel``), ``APP`` for ``window.jupyterapp``."""
        return self.tab.evaluate(script.replace("PANEL", self.panel)
                                 .replace("APP", "window.jupyterapp"), timeout)

    def wait_for(self, script: str, timeout: float = 60) -> object:
        """``evaluate`` until truthy (``PANEL`` and ``APP`` as there)."""
        return self.tab.wait_for(script.replace("PANEL", self.panel)
                                 .replace("APP", "window.jupyterapp"), timeout)

    def wait_ready(self, timeout: float = 90) -> None:
        """Until the notebook is loaded, shown and its kernel idle."""
        self.wait_for("(() => { const p = PANEL; return !!p && p.context.isReady && "
                      "p.sessionContext.isReady && p.content.widgets.length > 0 && "
                      "p.sessionContext.session?.kernel?.status === 'idle'; })()", timeout)
        self.evaluate("APP.shell.activateById(PANEL.id)")

    def wait_idle(self, timeout: float = 300) -> None:
        """Until the kernel is idle and no cell is waiting to run."""
        self.wait_for("(() => { const p = PANEL; "
                      "return p.sessionContext.session?.kernel?.status === 'idle' && "
                      "p.content.widgets.every(c => c.model.type !== 'code' || "
                      "c.model.executionState !== 'running'); })()", timeout)

    def command(self, command: str, args: dict | None = None, timeout: float = 300) -> object:
        """Execute a JupyterLab command (e.g. ``notebook:run-all-cells``) on this notebook
        and wait for what it returns."""
        self.evaluate("APP.shell.activateById(PANEL.id)")
        return self.evaluate(f"APP.commands.execute({json.dumps(command)}, "
                             f"{json.dumps(args or {})}).then(r => r === undefined ? null : "
                             "(typeof r === 'object' ? true : r))", timeout)

    def run_all(self, timeout: float = 300) -> None:
        """Run every cell, as Run > Run All Cells does; ``PageError`` if a cell failed."""
        if self.command("notebook:run-all-cells", timeout=timeout) is False:
            raise PageError(f"{self.path}: a cell failed: {self.errors()}")
        self.wait_idle(timeout)

    def run_cell(self, index: int, timeout: float = 120) -> None:
        """Run the cell at ``index`` alone, as Shift+Enter on it does."""
        self.evaluate(f"(() => {{ PANEL.content.activeCellIndex = {index}; "
                      "PANEL.content.deselectAll(); })()")
        if self.command("notebook:run-cell", timeout=timeout) is False:
            raise PageError(f"{self.path}: cell {index} failed: {self.errors()}")
        self.wait_idle(timeout)

    def click(self, element: str) -> None:
        """Click an element with the mouse (``Tab.click``; ``PANEL`` and ``APP`` as in
        ``evaluate``), e.g. ``"PANEL.content.widgets[3].node.querySelector('button')"``."""
        self.tab.click(element.replace("PANEL", self.panel).replace("APP", "window.jupyterapp"))

    def open_tab(self, label: str) -> None:
        """Click the widget tab ``label`` as a person does, again if the tab bar moved under
        the mouse (the workbench's tabs wrap onto a second line as the forms below them
        reload), until it is open."""
        element = (f"[...document.querySelectorAll('.lm-TabBar-tab .lm-TabBar-tabLabel')]"
                   f".find(e => e.textContent.trim() === {json.dumps(label)})")
        self.wait_for(f"!!({element})", 120)
        current = f"{element}.closest('.lm-TabBar-tab').classList.contains('lm-mod-current')"
        for _ in range(5):
            self.click(element)
            try:
                self.wait_for(current, 20)
                return
            except PageError:
                continue
        self.wait_for(current, 20)

    def save(self) -> None:
        """Save the notebook, as Ctrl+S does."""
        self.evaluate("PANEL.context.save()")

    def reload(self, timeout: float = 90) -> None:
        """Reload the browser tab; JupyterLab reopens the notebook from its workspace."""
        self.tab.reload(timeout)
        self.wait_ready(timeout)

    def outputs(self) -> list[dict]:
        """Every output of the code cells, in order: the cell's index, ``kind`` (vega, svg,
        image, html, text, javascript, widget (an ipywidgets view) or other), the size of its
        largest picture (svg, img, canvas), the start of its visible text."""
        return self.evaluate(_OUTPUTS)  # type: ignore[return-value]

    def stored_outputs(self) -> list[dict]:
        """Every output of the code cells as the notebook model holds it (what a save
        writes): the cell's index, ``output_type`` and the ``mimetypes`` of its data."""
        return self.evaluate("PANEL.content.widgets.flatMap((cell, index) => "
                             "cell.model.type !== 'code' ? [] : cell.model.outputs.toJSON()"
                             ".map(o => ({cell: index, output_type: o.output_type, "
                             "mimetypes: Object.keys(o.data || {})})))")  # type: ignore[return-value]

    def wait_drawn(self, count: int, kind: str | None = None, timeout: float = 60
                   ) -> list[dict]:
        """Until ``count`` outputs (of ``kind``, see ``outputs``; any kind if None) show a
        picture (svg, img or canvas) of at least 50 x 50 pixels; those outputs."""
        deadline = time.perf_counter() + timeout
        while True:
            drawn = [o for o in self.outputs() if (kind is None or o["kind"] == kind)
                     and o["width"] >= 50 and o["height"] >= 50]
            if len(drawn) >= count:
                return drawn
            if time.perf_counter() > deadline:
                raise PageError(f"{self.path}: {len(drawn)} of {count} {kind or ''} outputs "
                                f"drawn after {timeout:.0f} s")
            time.sleep(0.2)

    def errors(self) -> list[str]:
        """The error outputs in the notebook (tracebacks as shown)."""
        return self.evaluate("[...PANEL.node.querySelectorAll("
                             "'.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter"
                             ".stderr\"]')].map(n => n.innerText.slice(0, 1000))")  # type: ignore[return-value]

    def scroll_to(self, index: int) -> None:
        """Scroll the cell at ``index`` to the top of the notebook's view."""
        self.evaluate(f"PANEL.content.widgets[{index}].node.scrollIntoView({{block: 'start'}})")

    def screenshot(self, path: Path, height: int = 3000) -> Path:
        """A PNG of the page, the window made ``height`` pixels tall to show more cells."""
        return self.tab.screenshot(path, height=height)

    def close(self) -> None:
        self.tab.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
