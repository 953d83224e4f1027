"""A headless Chromium for the browser tests, driven over the Chrome DevTools
protocol (Debian packages chromium and python3-websocket; nothing is
fetched from the network). One browser per test session, a fresh tab per
page; every page's console errors, uncaught exceptions and failed loads are
collected, and screenshots go to <REGISTRY_VAR>/screenshots/."""

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

try:
    import websocket  # python3-websocket
except ImportError:  # pragma: no cover - reported by the fixture
    websocket = None

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
    "--window-size=1280,900",
]


class Page:
    """One tab: navigate, read the DOM, take screenshots."""

    def __init__(self, browser, target):
        self.browser = browser
        self.target = target
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"],
                                              timeout=30,
                                              suppress_origin=True)
        self.ids = itertools.count(1)
        self.events = []
        # a tab in the background never paints, so never screenshots
        self.call("Page.bringToFront")
        self.call("Runtime.enable")
        self.call("Log.enable")
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=1280,
                  height=900, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method,
                                 "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        for i, ev in enumerate(self.events):
            if ev.get("method") == name:
                del self.events[i]
                return ev
        try:
            while time.time() < deadline:
                self.ws.settimeout(max(0.1, deadline - time.time()))
                msg = json.loads(self.ws.recv())
                if msg.get("method") == name:
                    return msg
                self.events.append(msg)
        finally:
            self.ws.settimeout(30)
        raise TimeoutError(name)

    def goto(self, url):
        """Loads url and returns the HTTP status of the document."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")
        # let late console messages and subresource failures arrive
        self.call("Runtime.evaluate", expression="1")
        status = None
        for ev in self.events:
            if ev.get("method") == "Network.responseReceived" and \
                    ev["params"].get("type") == "Document":
                status = ev["params"]["response"]["status"]
        return status

    def errors(self):
        """Console errors, uncaught exceptions, failed loads (including
        a blocked stylesheet or a Content-Security-Policy violation)."""
        out = []
        for ev in self.events:
            m, p = ev.get("method"), ev.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append("console: " + " ".join(
                    str(a.get("value", a.get("description")))
                    for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                out.append("exception: " +
                           p["exceptionDetails"].get("text", ""))
            elif m == "Log.entryAdded" and \
                    p["entry"].get("level") == "error":
                out.append("log: " + p["entry"].get("text", "") + " " +
                           p["entry"].get("url", ""))
            elif m == "Network.loadingFailed" and \
                    not p.get("canceled"):
                out.append("network: " + p.get("errorText", "") + " " +
                           p.get("type", ""))
        return out

    def eval(self, expression):
        res = self.call("Runtime.evaluate", expression=expression,
                        returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def screenshot(self, path):
        """A PNG of the whole page, at most 6000 pixels tall. The window
        is made as tall as the page (capturing beyond the viewport hangs
        this Chromium on some pages)."""
        height = self.eval("document.documentElement.scrollHeight")
        height = max(900, min(int(height), 6000))
        self.call("Emulation.setDeviceMetricsOverride", width=1280,
                  height=height, deviceScaleFactor=1, mobile=False)
        try:
            shot = self.call("Page.captureScreenshot", format="png")
        finally:
            self.call("Emulation.setDeviceMetricsOverride", width=1280,
                      height=900, deviceScaleFactor=1, mobile=False)
        Path(path).write_bytes(base64.b64decode(shot["data"]))

    def close(self):
        self.ws.close()
        self.browser._json(f"/json/close/{self.target['id']}")


class Browser:
    def __init__(self):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            pytest.fail("chromium is not installed (make deps installs "
                        "the Debian package)")
        if websocket is None:
            pytest.fail("python3-websocket is not installed (make deps "
                        "installs it)")
        self.profile = tempfile.mkdtemp(prefix="registry-chromium-")
        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if self.proc.poll() is not None or time.time() > deadline:
                self.quit()
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        self.port = int(port_file.read_text().split()[0])

    def _json(self, path, method="GET"):
        req = Request(f"http://127.0.0.1:{self.port}{path}", method=method)
        with urlopen(req, timeout=30) as r:
            body = r.read()
        try:
            return json.loads(body)
        except ValueError:
            return body.decode(errors="replace")

    def new_page(self):
        return Page(self, self._json("/json/new?about:blank", method="PUT"))

    def quit(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(base_url):
    b = Browser()
    yield b
    b.quit()


@pytest.fixture
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


@pytest.fixture(scope="session")
def screenshots(var_dir):
    d = Path(os.environ.get("REGISTRY_SCREENSHOTS") or
             var_dir / "screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d
