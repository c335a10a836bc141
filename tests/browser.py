"""Headless Chromium with the network blocked, driven over the DevTools protocol: open pages
(a file, or a server on 127.0.0.1), run JavaScript in them, wait for a condition, take
screenshots, and keep what happened: every request, console errors and warnings, uncaught
exceptions.

Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
messages separated by NUL bytes): no port, no websocket, no extra package.

    with Chromium() as browser:
        visit = browser.visit(path, "document.title")        # load, check, close
        tab = browser.open("http://127.0.0.1:8888/lab")       # or keep a tab to drive
        tab.wait_for("window.jupyterapp !== undefined")
        tab.screenshot(Path("lab.png"))
        tab.log.faults()    # exceptions, remote requests, console errors: []
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOOPBACK = "127.0.0.1"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # no request can leave the machine: no name resolves, and any other address goes to a
    # proxy that is not there; only a server the test started on 127.0.0.1 answers
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}",
    "--proxy-server=http://127.0.0.1:9", f"--proxy-bypass-list={LOOPBACK}",
]
LOCAL = ("file:", "data:", "about:", "blob:", f"http://{LOOPBACK}:", f"ws://{LOOPBACK}:")


KEYS = {"Enter": (13, "\r"), "Tab": (9, "\t"), "Escape": (27, ""), "Backspace": (8, ""),
        "ArrowDown": (40, ""), "ArrowUp": (38, ""), "ArrowLeft": (37, ""),
        "ArrowRight": (39, "")}
"""Keys ``Tab.press`` knows: name -> (virtual key code, text typed)."""


class PageError(RuntimeError):
    """A script evaluated in a page threw, or a condition did not come true in time."""


@dataclass
class PageVisit:
    """What happened in a tab: requests, console messages, uncaught exceptions."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alerts and "leave the page?" (accepted)
    result: object = None  # what the check script returned (``Chromium.visit``)
    seconds: float = 0.0  # from navigation until the check script was satisfied

    @property
    def remote_requests(self) -> list[str]:
        """Requests for anything but a local file or a server on 127.0.0.1."""
        return [url for url in self.requests if not url.startswith(LOCAL)]

    def faults(self, console: bool = True) -> list[str]:
        """What a sound page has none of: uncaught exceptions, ``remote_requests`` and, with
        ``console``, console errors (a test asserts ``== []``, which names them)."""
        return [*self.exceptions, *self.remote_requests,
                *(self.console_errors if console else [])]


def _console_text(params: dict) -> str:
    return " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", []))


class Tab:
    """One page of the browser, attached over a DevTools session. Events (requests,
    console, exceptions) are collected in ``log`` whenever the tab is used."""

    def __init__(self, browser: Chromium, url: str = "about:blank") -> None:
        self.browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target,
                                                              "flatten": True})["sessionId"]
        self.events: queue.Queue[dict] = browser._session_queue(self.session)
        self.log = PageVisit(url)
        self.loads = 0  # load events seen since the tab was opened
        for domain in ("Network", "Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")
        if url != "about:blank":
            self.navigate(url)

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def drain(self) -> None:
        """Move the events that arrived into ``log``."""
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                self.log.requests.append(params["request"]["url"])
            elif method == "Page.loadEventFired":
                self.loads += 1
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                 "assert"):
                self.log.console_errors.append(_console_text(params))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "warning":
                self.log.console_warnings.append(_console_text(params))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                self.log.console_errors.append(params["entry"].get("text", ""))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                # what was thrown first (the JSON cut at 500 characters lost it)
                thrown = (details.get("exception") or {}).get("description", "")
                self.log.exceptions.append((thrown[:300] + " | " if thrown else "")
                                           + json.dumps(details)[:500])
            elif method == "Page.javascriptDialogOpening":  # a person would click OK
                self.log.dialogs.append(f"{params.get('type')}: {params.get('message')}")
                self.send("Page.handleJavaScriptDialog", {"accept": True})

    def _wait_load(self, loads: int, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        self.drain()
        while self.loads <= loads:
            if time.perf_counter() > deadline:
                raise PageError(f"{self.log.url} did not load in {timeout:.0f} s")
            time.sleep(0.05)
            self.drain()

    def navigate(self, url: str, timeout: float = 30) -> None:
        """Go to ``url`` and wait for its load event."""
        self.drain()
        loads, self.log.url = self.loads, url
        self.send("Page.navigate", {"url": url})
        self._wait_load(loads, timeout)

    def reload(self, timeout: float = 30) -> None:
        """Reload the page, as the browser's reload button does, and wait for it to load."""
        self.drain()
        loads = self.loads
        self.send("Page.reload", {"ignoreCache": False})
        self._wait_load(loads, timeout)

    def evaluate(self, expression: str, timeout: float = 30) -> object:
        """The value of a JavaScript expression (a promise is awaited); a script that throws
        raises ``PageError`` with the page's message."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True}, timeout=timeout)
        self.drain()
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            message = details.get("exception", {}).get("description") or details.get("text")
            raise PageError(f"{message}\nin: {expression[:300]}")
        return reply.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 30, interval: float = 0.1) -> object:
        """Evaluate ``expression`` until it gives a truthy value and return it; ``PageError``
        with the last value after ``timeout`` seconds."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except RuntimeError as exc:
                # a page that is navigating (a link just clicked) has no context to evaluate
                # in for a moment: ask again, as a person waits for the next page
                if "navigated or closed" not in str(exc) and "context" not in str(exc):
                    raise
                value = None
            if value:
                return value
            if time.perf_counter() > deadline:
                raise PageError(f"not true within {timeout:.0f} s (last value {value!r}): "
                                f"{expression[:300]}")
            time.sleep(interval)

    def click(self, element: str) -> None:
        """Click the middle of an element with the mouse, as a person does (the page gets
        real pointer events); ``element`` is a JavaScript expression that gives it, e.g.
        ``"document.querySelector('button.kk-save')"``."""
        point = self.evaluate(f"""(() => {{
  const element = {element};
  if (!element) return null;
  element.scrollIntoView({{block: 'center', inline: 'center'}});
  const box = element.getBoundingClientRect();
  return [box.left + box.width / 2, box.top + box.height / 2];
}})()""")
        if not point:
            raise PageError(f"no element to click: {element}")
        x, y = point  # type: ignore[misc]
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                   "button": "left", "clickCount": 1})
        self.drain()

    def type(self, text: str) -> None:
        """Type ``text`` into what has the focus, as a keyboard does."""
        self.send("Input.insertText", {"text": text})

    def press(self, key: str, shift: bool = False, ctrl: bool = False) -> None:
        """Press and release one key (``KEYS``), optionally with Shift or Ctrl held."""
        code, text = KEYS[key]
        modifiers = (8 if shift else 0) | (2 if ctrl else 0)
        for kind in ("keyDown", "keyUp"):
            event = {"type": kind, "key": key, "code": key, "modifiers": modifiers,
                     "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
            if kind == "keyDown" and text and not (shift or ctrl):
                event["text"] = text
            self.send("Input.dispatchKeyEvent", event)
        self.drain()

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """Save what the page shows as a PNG; ``height`` makes the window that tall for the
        picture (an app such as JupyterLab then lays itself out to show more)."""
        if height:
            width = self.evaluate("window.innerWidth")
            self.send("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            time.sleep(0.5)  # the page lays itself out again
        try:
            data = self.send("Page.captureScreenshot", {"format": "png"}, timeout=60)["data"]
        finally:
            if height:
                self.send("Emulation.clearDeviceMetricsOverride")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.drain()
        with contextlib.suppress(RuntimeError, TimeoutError):
            self.browser.send("Target.closeTarget", {"targetId": self.target})
        self.browser._forget(self.session)


class Chromium:
    """One headless browser; ``open`` tabs or ``visit`` pages, then ``close``."""

    def __init__(self, executable: str | None = CHROMIUM, window: tuple[int, int] = (1280, 2000)
                 ) -> None:
        if executable is None:
            raise FileNotFoundError("chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="kamkit-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def pipes() -> None:  # in the child: its fd 3 reads commands, fd 4 writes replies
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--window-size={window[0]},{window[1]}",
             f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4, to_browser_r, from_browser_w), preexec_fn=pipes,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._sessions: dict[str, queue.Queue[dict]] = {}
        self._lock = threading.Condition()
        self._write = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 1 << 16):
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._replies[message["id"]] = message
                        self._lock.notify_all()
                    elif message.get("sessionId") in self._sessions:
                        self._sessions[message["sessionId"]].put(message)

    def _session_queue(self, session: str) -> queue.Queue[dict]:
        with self._lock:
            return self._sessions.setdefault(session, queue.Queue())

    def _forget(self, session: str) -> None:
        with self._lock:
            self._sessions.pop(session, None)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        with self._write:
            self._next_id += 1
            ident = self._next_id
            message: dict = {"id": ident, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        with self._lock:
            if not self._lock.wait_for(lambda: ident in self._replies, timeout):
                raise TimeoutError(f"no reply to {method}")
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, url: str = "about:blank") -> Tab:
        """A new tab showing ``url`` (loaded); ``close`` it when done."""
        return Tab(self, url)

    def visit(self, path: Path, check: str, timeout: float = 30) -> PageVisit:
        """Load ``path`` and evaluate the JavaScript expression ``check`` until it gives a
        truthy value (or ``timeout``); the last value is ``result``."""
        tab = self.open()
        started = time.perf_counter()
        tab.navigate(path.as_uri(), timeout)
        with contextlib.suppress(PageError):
            tab.log.result = tab.wait_for(check, max(timeout - (time.perf_counter() - started),
                                                     0.1), interval=0.05)
        tab.log.seconds = time.perf_counter() - started
        time.sleep(0.2)  # late requests and messages
        tab.close()
        return tab.log

    def close(self) -> None:
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def charts_drawn(expected: int) -> str:
    """A check for ``visit``: ``expected`` Vega charts on the page, each an SVG with marks and
    a size."""
    return f"""(() => {{
  const charts = [...document.querySelectorAll('svg.marks')];
  const sized = charts.filter(svg => {{
    const box = svg.getBoundingClientRect();
    return box.width > 50 && box.height > 50 && svg.querySelectorAll('path, text').length > 5;
  }});
  return sized.length >= {expected} ? {{charts: charts.length, sized: sized.length}} : null;
}})()"""


A4_PRINTED_WIDTH = 703
"""CSS px a printed report page has across: A4's 210 mm less the 2 x 12 mm margins of
report.css's @page, at 96 px an inch."""

WIDE_TABLES = """[...document.querySelectorAll('table')]
  .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => t.querySelector('th') && t.querySelector('th').textContent)"""
"""The tables wider than what holds them (by their first header): on a page, one that
scrolls or hides its last columns; in print, one that makes Chromium shrink the page."""


SPILLING_CELLS = """[...document.querySelectorAll('td')]
  .filter(c => c.scrollWidth > c.clientWidth + 1)
  .map(c => c.textContent.trim().slice(0, 60))"""
"""The table cells whose text runs over their edge (by their first 60 characters)."""


def emulate(tab: Tab, media: str, width: int) -> None:
    """Show ``tab`` as ``media`` ("screen", "print") ``width`` CSS px wide (A4 print:
    ``A4_PRINTED_WIDTH``), without scrollbars."""
    tab.send("Emulation.setScrollbarsHidden", {"hidden": True})
    tab.send("Emulation.setEmulatedMedia", {"media": media})
    tab.send("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
