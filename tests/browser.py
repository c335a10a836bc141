"""Open a page in headless Chromium with the network blocked, and report what happened:
every request, console errors and uncaught exceptions, and what a script found in the DOM.

Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
messages separated by NUL bytes): no port, no websocket, no extra package.
"""

from __future__ import annotations

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
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # no request can leave the machine: no name resolves, and any address goes to a
    # proxy that is not there
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>", "--window-size=1280,2000",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


@dataclass
class PageVisit:
    """What happened while a page loaded."""

    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    result: object = None  # what the check script returned
    seconds: float = 0.0  # from navigation until the check script was satisfied

    @property
    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


class Chromium:
    """One headless browser; ``visit`` pages, then ``close``."""

    def __init__(self, executable: str | None = CHROMIUM) -> None:
        if executable is None:
            raise FileNotFoundError("chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="kamkit-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def pipes() -> None:  # in the child: its fd 3 reads commands, fd 4 writes replies
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
             "about:blank"], pass_fds=(3, 4, to_browser_r, from_browser_w), preexec_fn=pipes,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: queue.Queue[dict] = queue.Queue()
        self._lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 1 << 16):
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._replies[message["id"]] = message
                        self._lock.notify_all()
                else:
                    self._events.put(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        with self._lock:
            if not self._lock.wait_for(lambda: self._next_id in self._replies, timeout):
                raise TimeoutError(f"no reply to {method}")
            reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _drain(self, visit: PageVisit) -> list[dict]:
        events = []
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return events
            events.append(event)
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                 "assert"):
                visit.console_errors.append(" ".join(str(a.get("value", a.get("description")))
                                                     for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                visit.console_errors.append(params["entry"].get("text", ""))
            elif method == "Runtime.exceptionThrown":
                visit.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])

    def visit(self, path: Path, check: str, timeout: float = 30) -> PageVisit:
        """Load ``path`` and evaluate the JavaScript expression ``check`` until it gives a
        truthy value (or ``timeout``); the last value is ``result``."""
        visit = PageVisit(path.as_uri())
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target,
                                                      "flatten": True})["sessionId"]
        for domain in ("Network", "Runtime", "Log", "Page"):
            self.send(f"{domain}.enable", session=session)
        started = time.perf_counter()
        self.send("Page.navigate", {"url": visit.url}, session=session)
        loaded = False
        while time.perf_counter() - started < timeout:
            loaded = loaded or any(e.get("method") == "Page.loadEventFired"
                                   for e in self._drain(visit))
            if loaded:
                reply = self.send("Runtime.evaluate", {"expression": check,
                                                       "returnByValue": True}, session=session)
                visit.result = reply.get("result", {}).get("value")
                if visit.result:
                    break
            time.sleep(0.05)
        visit.seconds = time.perf_counter() - started
        time.sleep(0.2)  # late requests and messages
        self._drain(visit)
        self.send("Target.closeTarget", {"targetId": target})
        return visit

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
