"""The app factory: `create_app(config)` builds the Starlette app of `kinerja serve`.

The app is a thin layer over the public Python API; what its routes share (the
rulesets, the decision log, the metrics, the limits) is one `Service`, reached
from a handler as `service_of(request)` (kinerja.service.decide). To add pages
or routes (the studio), pass them to `create_app(routes=[...])` — wrap each
endpoint in `handler(path, function)` to get the service's error answers and
metrics — or `static=` a folder whose `index.html` is served at `/` with its
files beside it; the default is the package data folder
`kinerja/service/static` (the studio), used when it holds an index.html.

    from starlette.routing import Route
    from kinerja.service.app import create_app, handler
    from kinerja.service.decide import service_of
    from kinerja.service.http import json_response

    async def formatted(request): ...  # e.g. kinerja.syntax.format over the posted text
    app = create_app(routes=[Route("/v1/format", handler("/v1/format", formatted), methods=["POST"])])
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from kinerja.diagnostics.diagnostic import CodedError, KinerjaError, RulesetNotFound
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import audit, decide, operations, studio
from .config import ServiceConfig
from .http import BodyDeadlines, Problem, error, kinerja_problem, language, problem, problem_response
from .metrics import Metrics
from .state import Service

LOGGER = logging.getLogger("kinerja.service")
Handler = Callable[[Request], Awaitable[Response]]


def handler(route: str, function: Handler) -> Handler:
    """A route's handler with the service's error answers: a `Problem` as itself, a missing ruleset as 404,
    anything unexpected as 500 with an id to find in the server's log (never a traceback to the client)."""

    async def handle(request: Request) -> Response:
        request.scope["kinerja.route"] = route
        try:
            return await function(request)
        except Problem as failure:
            answer = failure
        except RulesetNotFound as failure:
            answer = kinerja_problem(404, failure, language(request))
        except KinerjaError as failure:
            answer = kinerja_problem(422, failure, language(request))
        except CodedError as failure:  # a request the API cannot do (an unknown output, a column not there)
            answer = Problem(422, [{"code": failure.code, "field": None, "message": failure.render(language(request)),
                                    "expected": None}])  # fmt: skip
        except Exception:
            reference = request.scope["kinerja.service"].new_id()
            LOGGER.exception("request %s %s failed (%s)", request.method, request.url.path, reference)
            answer = problem(500, "S_INTERNAL", language(request), id=reference)
        metrics: Metrics = request.scope["kinerja.service"].metrics
        for entry in answer.errors[:1]:
            metrics.error(route, str(entry.get("code")))
        return problem_response(answer)

    return handle


def api_routes() -> list[BaseRoute]:
    table: list[tuple[str, Handler, list[str]]] = [  # the busiest first: routes are tried in order
        ("/v1/rulesets/{ref}/evaluate", decide.evaluate, ["POST"]),
        ("/v1/rulesets/{ref}/batch", decide.batch, ["POST"]),
        ("/v1/rulesets/{ref}/explain", decide.explain, ["POST"]),
        ("/v1/rulesets", decide.list_rulesets, ["GET"]),
        ("/v1/rulesets/{ref}", decide.show_ruleset, ["GET"]),
        ("/v1/rulesets/{ref}/schema", decide.schema, ["GET"]),
        ("/v1/check", audit.check, ["POST"]),
        ("/v1/diff", audit.diff, ["POST"]),
        ("/v1/impact", audit.impact, ["POST"]),
        ("/v1/impact/report", audit.impact_report, ["POST"]),
        ("/v1/impact/table", audit.impact_table, ["POST"]),
        *studio.ROUTES,
        ("/openapi.json", operations.openapi, ["GET"]),
        ("/healthz", operations.healthz, ["GET"]),
        ("/metrics", operations.metrics, ["GET"]),
    ]
    return [Route(path, handler(path, function), methods=methods) for path, function, methods in table]


def static_routes(folder: Path) -> list[BaseRoute]:
    """`/` (the page for a browser; the API's entry points for a client that asks for JSON) and one route
    per file of the folder. Each file gets its own route, never a catch-all: a wrong method on an API
    route stays 405 and an unknown path 404, as without a page."""
    routes: list[BaseRoute] = [Route("/", handler("/", operations.page(folder)), methods=["GET", "HEAD"])]
    for file in sorted(folder.rglob("*")):
        relative = file.relative_to(folder).as_posix()
        if file.is_file() and not any(part.startswith(".") for part in relative.split("/")) and "{" not in relative:
            routes.append(Route("/" + relative, operations.static_file(file), methods=["GET", "HEAD"]))
    return routes


def default_static() -> Path | None:
    folder = Path(str(resources.files("kinerja.service") / "static"))
    return folder if (folder / "index.html").is_file() else None


class Observed:
    """Outermost ASGI layer: counts every request (status, route, time) for /metrics."""

    def __init__(self, app: Starlette, service: Service):
        self.app: ASGIApp = app
        self.starlette = app  # for a caller that adds routes or reads `state` after creation
        self.service = service
        self.deadlines = BodyDeadlines(service.limits.body_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        scope["kinerja.service"] = self.service
        scope["kinerja.deadlines"] = self.deadlines

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("kinerja.route") or ("static" if status < 400 else "unmatched")
            self.service.metrics.request(scope["method"], route, status, time.perf_counter() - start)


async def _not_found(request: Request, exc: Exception) -> Response:
    lang = language(request)
    status = getattr(exc, "status_code", 404)
    if status == 405:
        allowed = getattr(exc, "headers", None) or {}
        answer = Problem(405, [error("S_METHOD", lang, None, None, method=request.method, path=request.url.path,
                                     allowed=allowed.get("Allow", ""))], allowed)  # fmt: skip
    else:
        answer = Problem(404, [error("S_NO_ROUTE", lang, None, None, path=request.url.path)])
    return problem_response(answer)


def create_app(config: ServiceConfig | None = None, *, routes: Sequence[BaseRoute] = (),
               static: Path | None | bool = True) -> Any:  # fmt: skip
    """The service as an ASGI app (see the module docstring); `static=False` serves no page at `/`."""
    config = config or ServiceConfig()
    service = Service(config)
    folder = default_static() if static is True else (static or None)
    table = [*api_routes(), *routes]
    if folder is not None:
        table += static_routes(folder)
    else:
        table.append(Route("/", handler("/", operations.index), methods=["GET"]))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # every ruleset loaded before the first request, then what startup built (grammar, rulesets)
        # moved out of the garbage collector's sight: a batch's many small objects no longer make
        # each full collection walk them all
        await anyio.to_thread.run_sync(service.library.listed)
        gc.freeze()
        yield
        service.close()

    middleware = []
    if config.allow_origins:  # a browser app on another origin (an e-Kinerja page) may call the API
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(config.allow_origins), allow_methods=["GET", "POST"],
                                     allow_headers=["Content-Type", "Accept-Language"],
                                     expose_headers=["X-Kinerja-Decision-Id", "X-Kinerja-Rows", "X-Kinerja-Errors"]))  # fmt: skip
    app = Starlette(routes=table, middleware=middleware, exception_handlers={404: _not_found, 405: _not_found}, lifespan=lifespan)
    app.state.service = service
    return Observed(app, service)


def app_from_environment() -> Any:
    """The factory uvicorn's workers call (`kinerja serve`): the config comes from the environment."""
    return create_app(ServiceConfig.from_environment())


__all__ = ["Service", "api_routes", "app_from_environment", "create_app", "handler"]
