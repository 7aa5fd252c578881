"""Requests and answers: bounded bodies, exact JSON both ways, the client's language, errors as data.

Every error answer has one shape, `{"errors": [{"code", "field", "message",
"expected", ...}]}`, its messages from the catalogue in the language the
client asked for (`Accept-Language`, Indonesian by default). JSON is read with
every number as a `Decimal` and written with every `Decimal` as the exact
number it is (90, never 89.99999999999999).
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Mapping
from typing import Any

from kinerja.diagnostics.diagnostic import Diagnostic, KinerjaError
from kinerja.diagnostics.messages import LANGUAGES, message
from kinerja.semantics.values import parse_json, to_json
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .config import Limits

JSON = "application/json"


class Problem(Exception):
    """An answer that is an error: an HTTP status and the errors to list."""

    def __init__(self, status: int, errors: list[dict[str, Any]], headers: Mapping[str, str] | None = None):
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})


def error(code: str, lang: str, field: str | None = None, expected: Any = None, words: str | None = None,
          **args: Any) -> dict[str, Any]:  # fmt: skip
    """One entry of an error answer, from a catalogue code; `words` says `expected` in the message's language."""
    said = message(code, lang, field=field, expected=words if words is not None else expected, **args)
    return {"code": code, "field": field, "message": said, "expected": expected}


def problem(status: int, code: str, lang: str, field: str | None = None, expected: Any = None, words: str | None = None,
            **args: Any) -> Problem:  # fmt: skip
    return Problem(status, [error(code, lang, field, expected, words, **args)])


def diagnostic_error(d: Diagnostic, lang: str) -> dict[str, Any]:
    """A diagnostic as an error entry: code, field, message, expected, and where it points when it points."""
    args = dict(d.args)
    entry: dict[str, Any] = {"code": d.code, "field": d.field, "message": d.text(lang), "expected": args.get("expected")}
    if d.suggestion is not None:
        entry["suggestion"] = d.suggestion.render(lang)
    if d.span.line > 0:
        entry.update(file=d.span.file, line=d.span.line, column=d.span.column)
    return entry


def kinerja_problem(status: int, failure: KinerjaError, lang: str) -> Problem:
    return Problem(status, [diagnostic_error(d, lang) for d in failure.diagnostics])


def header(request: Request, name: bytes) -> str | None:
    """One request header by its lowercase name, read from the ASGI scope (no header object built)."""
    for key, value in request.scope["headers"]:
        if key == name:
            return value.decode("latin-1")  # type: ignore[no-any-return]
    return None


def language(request: Request) -> str:
    """The first language of Accept-Language that kinerja speaks (by quality), else Indonesian."""
    return _language(header(request, b"accept-language") or "")


@functools.lru_cache(maxsize=512)
def _language(header: str) -> str:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "id"


class BodyDeadlines:
    """Ends requests whose body has not arrived in time: one sweep a second over the requests still
    reading, rather than a timer per request (the usual small body then costs two dictionary writes)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._reading: dict[asyncio.Task[Any], float] = {}
        self._late: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    def start(self, task: asyncio.Task[Any]) -> None:
        self._reading[task] = time.monotonic() + self.seconds
        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    def stop(self, task: asyncio.Task[Any]) -> bool:
        """Whether the task was ended for being late (then it is uncancelled, to answer 408)."""
        self._reading.pop(task, None)
        if task in self._late:
            self._late.discard(task)
            task.uncancel()
            return True
        return False

    async def _sweep(self) -> None:
        while self._reading:
            await asyncio.sleep(min(1.0, self.seconds))
            now = time.monotonic()
            for task, deadline in list(self._reading.items()):
                if deadline <= now and task not in self._late:
                    self._late.add(task)
                    task.cancel()


async def body(request: Request, limits: Limits, lang: str) -> bytes:
    """The whole body, refused with 413 past the limit (before reading, when Content-Length says so)
    and with 408 when the client does not finish sending it in time."""
    declared = header(request, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limits.max_body:
        raise problem(413, "S_TOO_LARGE", lang, limit=limits.max_body)
    deadlines: BodyDeadlines = request.scope["kinerja.deadlines"]
    task = asyncio.current_task()
    assert task is not None
    parts: list[bytes] = []
    size = 0
    deadlines.start(task)
    try:
        receive = request.receive
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                raise ClientDisconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limits.max_body:
                raise problem(413, "S_TOO_LARGE", lang, limit=limits.max_body)
            parts.append(chunk)
            if not message.get("more_body", False):
                break
    except asyncio.CancelledError:
        if deadlines.stop(task):
            raise problem(408, "S_SLOW_BODY", lang, seconds=limits.body_seconds) from None
        raise
    except BaseException:
        deadlines.stop(task)
        raise
    deadlines.stop(task)  # the sweep cannot have ended it: no await since the last receive
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_json(data: bytes, lang: str) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as failure:
        raise problem(400, "S_NOT_UTF8", lang, offset=failure.start) from None
    try:
        return parse_json(text)
    except ValueError as failure:
        raise problem(400, "S_BAD_JSON", lang, problem=str(failure)) from None


async def json_object(request: Request, limits: Limits, lang: str, example: str, known: tuple[str, ...]) -> dict[str, Any]:
    """The body as a JSON object whose keys are all `known` (a typo is named, never ignored)."""
    given = header(request, b"content-type")
    media = JSON if given is None or given == JSON else given.split(";")[0].strip().lower()
    if media not in (JSON, "", "application/*+json") and not media.endswith("+json"):
        raise problem(415, "S_MEDIA_TYPE", lang, media=media, expected=JSON)
    value = read_json(await body(request, limits, lang), lang)
    if not isinstance(value, dict):
        raise problem(400, "S_NOT_OBJECT", lang, example=example)
    unknown = [key for key in value if key not in known]
    if unknown:
        raise Problem(400, [error("S_FIELD_UNKNOWN", lang, key, None, known=", ".join(known)) for key in unknown])
    return value


def flag(value: Any, name: str, lang: str) -> bool:
    """An optional boolean field of a request (absent: false)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise problem(422, "S_FIELD_TYPE", lang, name, "boolean", words=message("S_WORD_BOOLEAN", lang))
    return value


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """JSON with exact decimals (`kinerja.to_json`)."""
    return text_response(to_json(payload, indent=None), status, headers)


def text_response(text: str, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(text.encode("utf-8"), status, dict(headers or {}), JSON)


def problem_response(failure: Problem) -> Response:
    return json_response({"errors": failure.errors}, failure.status, failure.headers)


__all__ = ["JSON", "header", "Problem", "body", "diagnostic_error", "error", "flag", "json_object", "json_response", "kinerja_problem",
           "language", "problem", "problem_response", "read_json", "text_response"]
