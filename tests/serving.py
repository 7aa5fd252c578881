"""A real `kinerja serve` on a free loopback port, started as a user starts it, and a small HTTP client."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kinerja_command() -> list[str]:
    """The installed console script beside this Python (what a user runs), else the module."""
    script = Path(sys.executable).parent / "kinerja"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli.main"]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self, **options: Any) -> Any:
        return json.loads(self.body, **options)


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, body: bytes | str | Any = None, headers: Mapping[str, str] | None = None,
             timeout: float = 60) -> Answer:  # fmt: skip
        sent = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            sent.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            connection.close()


@contextlib.contextmanager
def serve(*arguments: str, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Iterator[Server]:
    """`kinerja serve --port N ARGUMENTS`, until /healthz answers; stopped (and waited for) at the end."""
    port = free_port()
    environment = {**os.environ, **(env or {})}
    process = subprocess.Popen([*kinerja_command(), "serve", "--port", str(port), *arguments], env=environment,
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    server = Server(port, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kinerja serve exited {process.returncode}: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                if server.call("GET", "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("kinerja serve did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
