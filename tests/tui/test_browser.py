"""`supple serve`: the same app in a real headless Chromium, driven over WebDriver.

The page draws the terminal on a canvas, so the test reads what the app sent
to it: a small script (added before the page loads) keeps every byte that
arrives on the page's WebSocket.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import write

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    import textual_serve  # noqa: F401
except ImportError:
    textual_serve = None

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER and textual_serve),
    reason="needs Debian's chromium and chromium-driver and textual-serve (.ci/run installs them)",
)

KEEP_BYTES = """
window.__received = [];
const Plain = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Plain(...args);
  ws.addEventListener('message', (e) => {
    if (typeof e.data === 'string') { window.__received.push(e.data); return; }
    const keep = (buf) => window.__received.push(new TextDecoder().decode(new Uint8Array(buf)));
    if (e.data instanceof ArrayBuffer) keep(e.data); else e.data.arrayBuffer().then(keep);
  });
  return ws;
};
window.WebSocket.prototype = Plain.prototype;
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            got = check()
            if got:
                return got
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


TINY = 'name = "Tiny"\nregion = "neck"\nprepare = 1\n[[stretch]]\nname = "Nod"\nhow = "Nod once."\nhold = 2\n'


def test_the_app_in_a_browser_shows_the_picker_and_a_key_starts_a_routine(dirs, tmp_path):
    write(dirs.user_routines / "tiny.toml", TINY)
    serve_port, driver_port = free_port(), free_port()
    env = dict(os.environ, SUPPLE_DATA_DIR=str(dirs.data), SUPPLE_CONFIG_DIR=str(dirs.config),
               SUPPLE_CACHE_DIR=str(dirs.cache))
    server = subprocess.Popen([sys.executable, "-m", "supple", "serve", "--port", str(serve_port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={driver_port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{driver_port}"
    session = None
    try:
        wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{serve_port}/", timeout=2).status == 200,
                   20, "supple serve")
        wait_until(lambda: call("GET", base + "/status")["value"]["ready"], 20, "chromedriver")
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,800"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
                                                 "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}}
        session = call("POST", base + "/session", caps)["value"]["sessionId"]
        s = f"{base}/session/{session}"
        call("POST", s + "/goog/cdp/execute",
             {"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": KEEP_BYTES}})
        call("POST", s + "/url", {"url": f"http://127.0.0.1:{serve_port}/"})

        def received() -> str:
            return call("POST", s + "/execute/sync",
                        {"script": "return window.__received.join('')", "args": []})["value"]

        wait_until(lambda: "Where do you feel it?" in received(), 30, "the picker in the page")
        print("browser: the page loaded and the picker showed")
        # keys go to the terminal's hidden text area once it has focus (a click would also
        # reach the app as a mouse click, wherever it landed)
        call("POST", s + "/execute/sync",
             {"script": "document.querySelector('.xterm-helper-textarea').focus()", "args": []})
        # Enter opens the first region (Neck); Down and Enter start its second routine, Tiny
        keys = ["\ue007", "\ue015", "\ue007"]
        for key in keys:
            actions = [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
            call("POST", s + "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
            time.sleep(0.3)  # the page forwards keys over a WebSocket; give each a moment to land
        wait_until(lambda: "GET READY" in received(), 15, "the player in the page")
        wait_until(lambda: "Well done" in received(), 20, "the summary in the page")
        print("browser: Enter, Down, Enter started the routine and it played to the summary")
        shot = call("GET", s + "/screenshot")["value"]
        (tmp_path / "browser.png").write_bytes(base64.b64decode(shot))
    finally:
        if session:
            try:
                call("DELETE", f"{base}/session/{session}")
            except OSError:
                pass
        driver.terminate()
        server.terminate()
        driver.wait(10)
        server.wait(10)
    out = subprocess.run([sys.executable, "-m", "supple", "history", "--json"], env=env,
                         capture_output=True, text=True, check=True)
    [played] = json.loads(out.stdout)["sessions"]
    assert played["routine"] == "tiny" and played["completed"] is True
