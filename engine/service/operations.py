"""Running the service: health, Prometheus metrics, the OpenAPI document, and the index at `/`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import kinerja
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .decide import service_of
from .http import header, json_response, text_response
from .openapi import document

_HEALTHY = '{"status": "ok"}'


async def healthz(request: Request) -> Response:
    return text_response(_HEALTHY)


async def metrics(request: Request) -> Response:
    text = service_of(request).metrics.text()
    return Response(text.encode("utf-8"), 200, media_type="text/plain; version=0.0.4; charset=utf-8")


async def openapi(request: Request) -> Response:
    service = service_of(request)
    listed = await anyio.to_thread.run_sync(service.library.listed)
    return json_response(document(listed, service.config))


def page(folder: Path) -> Callable[[Request], Awaitable[Response]]:
    """`/`: the folder's index.html (the studio), or the JSON index when the client asks for JSON and not HTML."""
    index_file = folder / "index.html"

    async def root(request: Request) -> Response:
        accept = (header(request, b"accept") or "").lower()
        if "application/json" in accept and "text/html" not in accept:
            return await index(request)
        return FileResponse(index_file, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    return root


def static_file(path: Path) -> Callable[[Request], Awaitable[Response]]:
    """One file of the page (its script, its styles), revalidated by the browser on each load."""

    async def serve(request: Request) -> Response:
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    return serve


async def index(request: Request) -> Response:
    return json_response({"service": "kinerja", "version": kinerja.__version__, "openapi": "/openapi.json",
                          "rulesets": "/v1/rulesets", "health": "/healthz", "metrics": "/metrics"})  # fmt: skip


__all__ = ["healthz", "index", "metrics", "openapi", "page", "static_file"]
