"""The FastAPI application: `create_app(db_url)` wires the database, the writer, the signing key, the
record's watch, the limits, the API, the pages and the event stream.

Settings a deployment may change are parameters here and, for `serve --workers N` (whose workers build
the app themselves), environment variables: `ALLIANCE_C2_WATCH_SECONDS`, `ALLIANCE_C2_WRITE_RATE`,
`ALLIANCE_C2_WRITE_BURST`, `ALLIANCE_C2_IDLE_MINUTES`, `ALLIANCE_C2_SESSION_HOURS`,
`ALLIANCE_C2_IDEMPOTENCY_HOURS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import logging
import math
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
from ..db.users import IDLE_MINUTES, SESSION_HOURS, SessionPolicy
from ..db.writer import Writer
from ..service import accounts, catalog, idempotency, logins
from ..service.clockwork import Clockwork
from ..service.errors import ExerciseError
from ..service.idempotency import RETENTION_HOURS
from ..service.limits import WRITE_BURST, WRITE_RATE, WriteLimit
from ..service.logins import LoginLimiter
from ..service.orders import Checker, default_checker
from ..service.watch import WATCH_SECONDS, Watch
from . import api, c2sim_api, pages, stream
from .c2sim_push import PushHub
from .deps import Guards, LoginGate, TrustedProxies
from .hub import Hub
from .middleware import BodyLimit, Headers

MAX_BODY_BYTES = 64 * 1024
app_log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
PROXIES_ENV = "ALLIANCE_C2_TRUSTED_PROXIES"
MAINTENANCE_SECONDS = 300.0  # pruning of old answers, login failures and logins
SETTINGS_ENV = {"watch_seconds": "ALLIANCE_C2_WATCH_SECONDS", "write_rate": "ALLIANCE_C2_WRITE_RATE",
                "write_burst": "ALLIANCE_C2_WRITE_BURST", "idle_minutes": "ALLIANCE_C2_IDLE_MINUTES",
                "session_hours": "ALLIANCE_C2_SESSION_HOURS", "idempotency_hours": "ALLIANCE_C2_IDEMPOTENCY_HOURS"}


def create_app(
    db_url: str | None = None, checker: Checker | None = None, login_limit: int = 5, migrate: bool = True,
    key: Path | None = None, trusted_proxies: Iterable[str] | None = None, address_limit: int = 20,
    account_limit: int = 20, watch_seconds: float | None = None, write_rate: float | None = None,
    write_burst: float | None = None, idle_minutes: float | None = None, session_hours: float | None = None,
    idempotency_hours: float | None = None,
) -> FastAPI:
    """The exercise service on the database at `db_url` (migrated on start unless `migrate` is False).

    `key`: the signing key (default: $ALLIANCE_C2_KEY or the user's config directory; created when
    missing). `trusted_proxies`: addresses or networks whose `X-Forwarded-For` is believed (default:
    $ALLIANCE_C2_TRUSTED_PROXIES, comma-separated; none). `login_limit`: failed logins allowed per name
    from one address in a minute; `address_limit`: per address for any names in a minute;
    `account_limit`: per name from addresses it never logged in from, in 15 minutes. `watch_seconds`:
    how often every exercise's record is verified (start-up, then this often). `write_rate` and
    `write_burst`: each user's writes a second and at once. `idle_minutes` and `session_hours`: how long
    a login lasts unused and at most. `idempotency_hours`: how long answers to retried requests are kept.
    Each None: the environment variable of `SETTINGS_ENV`, else the default.
    """
    notary = Notary.load(key, create=True)
    db = Database(db_url or default_db_url(), notary)
    if migrate:
        db.migrate()
    writer = Writer(db)
    hashing = accounts.Hashing()
    watch = Watch(db, notary.key_path, _setting("watch_seconds", watch_seconds, WATCH_SECONDS))
    guards = Guards(
        watch, WriteLimit(_setting("write_rate", write_rate, WRITE_RATE), _setting("write_burst", write_burst,
                                                                                     WRITE_BURST)),
        SessionPolicy(_setting("session_hours", session_hours, SESSION_HOURS),
                      _setting("idle_minutes", idle_minutes, IDLE_MINUTES)),
        _setting("idempotency_hours", idempotency_hours, RETENTION_HOURS))
    limiter = LoginLimiter(per_name=login_limit, per_address=address_limit, per_account=account_limit)
    hub = Hub(db)
    db.on_commit.append(lambda anchors: hub.heard((a.exercise, a.seq) for a in anchors))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up loads (catalog, arrangements, law, scenarios) lives as long as the process: loaded
        # now rather than by the first requests, and moved out of the collector's sight, so that full
        # collections stop costing tens of milliseconds under load.
        writer.reopen()
        catalog.warm_up()
        accounts.dummy_hash()
        await asyncio.to_thread(watch.check_all)  # no exercise is served before its record was checked
        gc.collect()
        gc.freeze()
        tasks = [asyncio.create_task(Clockwork(db, writer, watch).run()), asyncio.create_task(watch.run()),
                 asyncio.create_task(hub.run()),
                 asyncio.create_task(_maintain(writer, limiter, guards.retention_hours, guards.sessions))]
        yield
        await app.state.c2sim_hub.close()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
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
    app.state.login_limiter = limiter
    app.state.login_gate = LoginGate(db)
    app.state.guards = guards
    app.state.hub = hub
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


def _setting(name: str, given: float | None, default: float) -> float:
    """A setting as given, else from its environment variable, else the default (a bad value: ValueError)."""
    if given is not None:
        return given
    text = os.environ.get(SETTINGS_ENV[name], "").strip()
    if not text:
        return default
    value = float(text)
    if not value > 0:
        raise ValueError(f"{SETTINGS_ENV[name]}: must be above 0, not {text!r}")
    return value


async def _maintain(writer: Writer, limiter: LoginLimiter, retention_hours: float, sessions: SessionPolicy) -> None:
    """Every few minutes: forget answers older than the retention, login failures no window counts, and
    logins that have ended."""

    def prune(session: Any) -> None:
        idempotency.prune(session, retention_hours)
        limiter.prune(session)
        logins.prune(session, sessions)

    while True:
        try:
            await writer.run(("maintenance",), prune)
        except RuntimeError:
            return  # the writer closed: the application is stopping
        except Exception as exc:
            app_log.warning("pruning old answers and logins failed: %s", exc)
        await asyncio.sleep(MAINTENANCE_SECONDS)


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
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=retry_headers(exc))

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


def retry_headers(exc: ExerciseError) -> dict[str, str] | None:
    """`Retry-After` (whole seconds, at least 1) for a 429 or 503."""
    if exc.status not in (429, 503):
        return None
    wait = exc.retry_after if exc.retry_after is not None else (60 if exc.status == 429 else 5)
    return {"Retry-After": str(max(1, math.ceil(wait)))}


def _c2sim(request: Request) -> bool:
    return request.url.path.startswith(c2sim_api.PREFIX + "/")


def _explain(errors: Any) -> str:
    """Pydantic's error list as one readable line: `body.rel_to: List should have at least 1 item`."""
    parts = []
    for err in list(errors)[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
