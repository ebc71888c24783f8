"""The FastAPI application: `create_app(db_url)` wires the store, the API, the pages and the limits."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import injector
from .auth import RateLimiter
from .errors import ExerciseError
from .messages import Checker, default_checker
from .store import Database, default_db_url
from .writer import Writer

MAX_BODY_BYTES = 64 * 1024
STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    db_url: str | None = None, checker: Checker | None = None, login_limit: int = 5, migrate: bool = True
) -> FastAPI:
    """The exercise service on the database at `db_url` (migrated on start unless `migrate` is False)."""
    db = Database(db_url or default_db_url())
    if migrate:
        db.migrate()

    writer = Writer(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up loads (catalog, arrangements, law, scenarios) lives as long as the process: loaded
        # now rather than by the first requests, and moved out of the collector's sight, so that full
        # collections stop costing tens of milliseconds under load.
        _warm_up()
        gc.collect()
        gc.freeze()
        releasing = asyncio.create_task(injector.run(db, writer))
        yield
        releasing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await releasing
        writer.close()
        db.dispose()

    app = FastAPI(
        title="Alliance C2 Workbench — exercise service",
        version="0.1.0",
        description="Multi-user exercises: seats, orders checked by the law engine, releasability, audit log.",
        lifespan=lifespan,
        **_no_telemetry(),
    )
    app.state.db = db
    app.state.writer = writer
    app.state.checker = checker or default_checker()
    app.state.login_limiter = RateLimiter(limit=login_limit)
    from .api import LoginGate

    app.state.login_gate = LoginGate(db)
    _handlers(app)
    from . import api, events, pages

    app.include_router(api.router)
    app.include_router(events.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers and reaches its database."""
        from sqlalchemy import text

        with db.read() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app


def _warm_up() -> None:
    """Load the bundled catalogs the requests use (law, arrangements, scenarios)."""
    from ..model import bundled_architectures
    from ..sim.catalog import scenario_ids
    from . import exercises

    exercises.situations()
    for arch_id in bundled_architectures():
        exercises.arrangement(arch_id)
    for scenario_id in scenario_ids():
        exercises.scenario_of_id(scenario_id)


def _no_telemetry() -> dict[str, Any]:
    """FastAPI's built-in OpenTelemetry hooks (newer releases) off: they cost a lookup on every request."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ExerciseError)
    async def _exercise_error(_request: Request, exc: ExerciseError) -> JSONResponse:
        headers = {"Retry-After": "60"} if exc.status == 429 else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _explain(exc.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def _explain(errors: Any) -> str:
    """Pydantic's error list as one readable line: `body.rel_to: List should have at least 1 item`."""
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


class BodyLimit:
    """413 for request bodies above `limit` bytes, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(send, self.limit)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Callable[[], Awaitable[Message]]:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise ExerciseError(413, f"request body larger than {self.limit} bytes")
            return message

        return wrapped


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail":"request body larger than {limit} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
