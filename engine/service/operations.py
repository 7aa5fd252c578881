"""Running the service: health, Prometheus metrics, the OpenAPI document, and the index at `/`."""

from __future__ import annotations

import anyio
import kinerja
from starlette.requests import Request
from starlette.responses import Response

from .decide import service_of
from .http import json_response, text_response
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


async def index(request: Request) -> Response:
    return json_response({"service": "kinerja", "version": kinerja.__version__, "openapi": "/openapi.json",
                          "rulesets": "/v1/rulesets", "health": "/healthz", "metrics": "/metrics"})  # fmt: skip


__all__ = ["healthz", "index", "metrics", "openapi"]
