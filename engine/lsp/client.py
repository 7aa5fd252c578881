"""A small synchronous language-protocol client over a child process's stdin/stdout.

It starts a server the way an editor does (`kinerja lsp`), frames JSON-RPC messages with
`Content-Length` headers, answers the requests a server sends its client, and keeps every
message both ways in order (`transcript`), so tests and `docs/lsp_transcript.py` can
show the conversation. Not needed to run the server; used to test and demonstrate it.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]


class ProtocolError(Exception):
    """The server answered a request with an error, or said nothing in time."""

    def __init__(self, method: str, error: Any):
        self.method = method
        self.error = error
        super().__init__(f"{method}: {error}")


@dataclass
class Exchange:
    direction: str  # "->" client to server, "<-" server to client
    message: Message


@dataclass
class LanguageClient:
    command: Sequence[str]
    env: dict[str, str] | None = None
    timeout: float = 30.0
    transcript: list[Exchange] = field(default_factory=list)
    applied_edits: list[Message] = field(default_factory=list)
    capabilities: Message = field(default_factory=dict)  # what the server said it can do

    def __post_init__(self) -> None:
        self._next_id = 0
        self._inbox: queue.Queue[Message] = queue.Queue()
        self._held: list[Message] = []  # notifications and responses not yet asked for
        self._write = threading.Lock()
        self.process = subprocess.Popen(
            list(self.command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env
        )
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # ------------------------------------------------------------ wire
    def _send(self, message: Message) -> None:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        with self._write:
            self.transcript.append(Exchange("->", message))
            assert self.process.stdin is not None
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(stream.read(length).decode("utf-8"))
            self.transcript.append(Exchange("<-", message))
            if "method" in message and "id" in message:
                self._answer(message)
            else:
                self._inbox.put(message)

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _answer(self, request: Message) -> None:
        """Requests a server sends its client: apply edits (recorded), accept registrations."""
        if request["method"] == "workspace/applyEdit":
            self.applied_edits.append(request["params"]["edit"])
            self._send({"jsonrpc": "2.0", "id": request["id"], "result": {"applied": True}})
        else:
            self._send({"jsonrpc": "2.0", "id": request["id"], "result": None})

    def _take(self, wanted: Callable[[Message], bool], timeout: float | None = None) -> Message:
        for held in self._held:
            if wanted(held):
                self._held.remove(held)
                return held
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProtocolError("wait", f"nothing arrived in time; server stderr:\n{self.stderr[-2000:]}")
            try:
                message = self._inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if wanted(message):
                return message
            self._held.append(message)

    # ------------------------------------------------------------ protocol
    def request(self, method: str, params: Any = None, timeout: float | None = None) -> Any:
        self._next_id += 1
        ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        response = self._take(lambda m: m.get("id") == ident and "method" not in m, timeout)
        if "error" in response:
            raise ProtocolError(method, response["error"])
        return response.get("result")

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def notification(self, method: str, where: Callable[[Any], bool] = lambda _: True, timeout: float | None = None) -> Any:
        """The next notification `method` whose params satisfy `where`."""
        found = self._take(lambda m: m.get("method") == method and "id" not in m and where(m.get("params")), timeout)
        return found.get("params")

    def initialize(self, locale: str = "en", root: str | None = None, options: Any = None) -> Any:
        capabilities = {
            "textDocument": {
                "publishDiagnostics": {"relatedInformation": True},
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}},
                               "disabledSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "rename": {"prepareSupport": True},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            },
            "workspace": {"applyEdit": True},
        }  # fmt: skip
        result = self.request("initialize", {"processId": None, "rootUri": root, "locale": locale,
                                             "capabilities": capabilities, "initializationOptions": options})  # fmt: skip
        self.capabilities = result["capabilities"]
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> Any:
        """Open a document and wait for its diagnostics."""
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "kinerja", "version": version, "text": text}})
        return self.diagnostics(uri, version)

    def change(self, uri: str, text: str, version: int) -> Any:
        """Replace a document's text and wait for the diagnostics of that version."""
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})
        return self.diagnostics(uri, version)

    def diagnostics(self, uri: str, version: int) -> list[Message]:
        params = self.notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p.get("version") == version)
        return params["diagnostics"]

    def close(self) -> int:
        """Shut the server down as an editor does; its exit code."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", timeout=10)
                self.notify("exit")
        except (ProtocolError, BrokenPipeError, OSError):
            pass
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> LanguageClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def apply_edits(text: str, edits: list[Message]) -> str:
    """Apply LSP text edits (ranges in UTF-16 units) to a text, as an editor does."""
    lines = text.split("\n")

    def offset(position: Message) -> int:
        line = position["line"]
        before = sum(len(x) + 1 for x in lines[:line])
        units = position["character"]
        column = 0
        current = lines[line] if line < len(lines) else ""
        while units > 0 and column < len(current):
            units -= 2 if ord(current[column]) > 0xFFFF else 1
            column += 1
        return before + column

    placed = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True)
    for start, end, new in placed:
        text = text[:start] + new + text[end:]
    return text
