"""The FastAPI application: `create_app(db_url)` wires the database, the writer, the signing key, the
limits, the API, the pages and the event stream."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..db.database import Database, default_db_url
from ..db.notary import Notary
from ..db.writer import Writer
from ..service import accounts, catalog, record
from ..service.clockwork import Clockwork
from ..service.errors import ExerciseError
from ..service.logins import LoginLimiter
from ..service.orders import Checker, default_checker
from . import api, c2sim_api, pages, stream
from .c2sim_push import PushHub
from .deps import LoginGate, TrustedProxies
from .middleware import BodyLimit, Headers

MAX_BODY_BYTES = 64 * 1024
STATIC_DIR = Path(__file__).parent / "static"
PROXIES_ENV = "ALLIANCE_C2_TRUSTED_PROXIES"


def create_app(
    db_url: str | None = None, checker: Checker | None = None, login_limit: int = 5, migrate: bool = True,
    key: Path | None = None, trusted_proxies: Iterable[str] | None = None, address_limit: int = 20,
) -> FastAPI:
    """The exercise service on the database at `db_url` (migrated on start unless `migrate` is False).

    `key`: the signing key (default: $ALLIANCE_C2_KEY or the user's config directory; created when
    missing). `trusted_proxies`: addresses or networks whose `X-Forwarded-For` is believed (default:
    $ALLIANCE_C2_TRUSTED_PROXIES, comma-separated; none). `login_limit` and `address_limit`: failed
    logins allowed per name and per client address in a minute.
    """
    notary = Notary.load(key, create=True)
    db = Database(db_url or default_db_url(), notary)
    if migrate:
        db.migrate()
    record.adopt_unsigned(db, notary)
    writer = Writer(db)
    hashing = accounts.Hashing()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up loads (catalog, arrangements, law, scenarios) lives as long as the process: loaded
        # now rather than by the first requests, and moved out of the collector's sight, so that full
        # collections stop costing tens of milliseconds under load.
        catalog.warm_up()
        accounts.dummy_hash()
        gc.collect()
        gc.freeze()
        ticking = asyncio.create_task(Clockwork(db, writer).run())
        yield
        await app.state.c2sim_hub.close()
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking
        writer.close()
        hashing.close()
        db.dispose()

    app = FastAPI(
        title="Alliance C2 Workbench — exercise service",
        version="0.1.0",
        description="Multi-user exercises: seats, orders checked by the law engine, releasability, audit log.",
        lifespan=lifespan,
        **_no_telemetry(),
    )
    app.state.db = db
    app.state.notary = notary
    app.state.writer = writer
    app.state.hashing = hashing
    app.state.checker = checker or default_checker()
    app.state.login_limiter = LoginLimiter(per_name=login_limit, per_address=address_limit)
    app.state.login_gate = LoginGate(db)
    app.state.streams = stream.StreamGate()
    app.state.c2sim_hub = PushHub(db)
    app.state.trusted_proxies = TrustedProxies(_proxies(trusted_proxies))
    _handlers(app)
    app.include_router(api.router)
    app.include_router(c2sim_api.router)
    app.include_router(stream.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """Liveness: the process answers and reaches its database."""
        with db.read() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES,
                       wider={c2sim_api.PREFIX + "/": (c2sim_api.MAX_SEND_BYTES, c2sim_api.too_large)})
    app.add_middleware(Headers)
    return app


def _proxies(given: Iterable[str] | None) -> list[str]:
    if given is not None:
        return list(given)
    return [p.strip() for p in os.environ.get(PROXIES_ENV, "").split(",") if p.strip()]


def _no_telemetry() -> dict[str, Any]:
    """FastAPI's built-in OpenTelemetry hooks (newer releases) off: they cost a lookup on every request."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ExerciseError)
    async def _exercise_error(request: Request, exc: ExerciseError) -> JSONResponse:
        if _c2sim(request):
            return c2sim_api.error_response(exc)
        headers = {"Retry-After": "60" if exc.status == 429 else "5"} if exc.status in (429, 503) else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _c2sim(request):
            return c2sim_api.error_response(ExerciseError(422, _explain(exc.errors())))
        return JSONResponse({"detail": _explain(exc.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if _c2sim(request):  # no such operation: the spec's error form, with the HTTP status
            body = c2sim_api.error_body("C2SimError_NotFound" if exc.status_code == 404 else "C2SimError_Request",
                                        str(exc.detail), {"path": request.url.path[:200]})
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def _c2sim(request: Request) -> bool:
    return request.url.path.startswith(c2sim_api.PREFIX + "/")


def _explain(errors: Any) -> str:
    """Pydantic's error list as one readable line: `body.rel_to: List should have at least 1 item`."""
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
