"""A small W3C WebDriver client over HTTP, for tests that open pages in real headless Chromium.

Debian's `chromium` and `chromium-driver` (installed by the test setup when missing, as
`conftest.py` installs chromium); chromedriver listens on a loopback port and is stopped at
the end. Only the standard library: the protocol is a handful of JSON requests.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def install() -> tuple[str, str] | None:
    """(chromium, chromedriver) paths, installing the Debian packages when we may (root, apt-get)."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    if os.environ.get("KINERJA_NO_BROWSER_INSTALL") or not shutil.which("apt-get") or os.geteuid() != 0:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], check=False, env=env,
                   capture_output=True, timeout=900)  # fmt: skip
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Driver:
    """A running chromedriver; `session(width, height)` opens a headless browser window of that size."""

    def __init__(self, chromium: str, driver: str):
        self.chromium = chromium
        self.port = _free_port()
        self.process = subprocess.Popen([driver, f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.request("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.1)

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"WebDriver {method} {path}: {error.read()[:500]!r}") from None

    def session(self, width: int, height: int) -> Session:
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                f"--window-size={width},{height}", "--force-device-scale-factor=1"]  # fmt: skip
        options: dict[str, Any] = {"binary": self.chromium, "args": args}
        if width < 600:  # headless windows are at least 500 wide: a phone's viewport is emulated, as a phone shows it
            options["mobileEmulation"] = {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": True}}
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options}
        value = self.request("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        return Session(self, value["sessionId"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Session:
    def __init__(self, driver: Driver, session_id: str):
        self.driver = driver
        self.base = f"/session/{session_id}"

    def open(self, url: str) -> None:
        self.driver.request("POST", f"{self.base}/url", {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run a function body in the page (`return …` gives the value)."""
        return self.driver.request("POST", f"{self.base}/execute/sync", {"script": script, "args": list(args)})

    def run_async(self, script: str, *args: Any) -> Any:
        """Run a function body that ends by calling its last argument with the value (a promise's result)."""
        return self.driver.request("POST", f"{self.base}/execute/async", {"script": script, "args": list(args)})

    def find(self, css: str) -> str:
        """The element id of the first element matching a CSS selector (an error when there is none)."""
        value = self.driver.request("POST", f"{self.base}/element", {"using": "css selector", "value": css})
        return str(next(iter(value.values())))

    def click(self, css: str) -> None:
        self.driver.request("POST", f"{self.base}/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str) -> None:
        """Type into an element as a person does (key events); a file input takes a path this way."""
        self.driver.request("POST", f"{self.base}/element/{self.find(css)}/value", {"text": text})

    def wait(self, script: str, *args: Any, timeout: float = 20.0) -> Any:
        """Poll a function body until it returns something truthy; that value, else an error naming the script."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s in vain for: {script}")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.driver.request("GET", f"{self.base}/screenshot")))
        return path

    def close(self) -> None:
        self.driver.request("DELETE", self.base)


__all__ = ["Driver", "Session", "install"]
