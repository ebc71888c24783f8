"""The JSON API under /api/: logins, exercises, seats, clock, situation, messages, orders, log, report.

Every route that names an exercise resolves the caller's seat in it first (404 when they hold
none), and every message read goes through `releasability.visible_to` via `messages`.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from . import aar, auditlog, auth, clock, exercises, messages
from .errors import ExerciseError, invalid
from .exercises import Context
from .releasability import CLASSIFICATIONS
from .schemas import (
    ClockIn,
    ClockOut,
    DecisionIn,
    ExerciseIn,
    ExerciseOut,
    GrantUnseatedIn,
    InjectIn,
    LogEntryOut,
    LoginIn,
    LoginOut,
    MessageIn,
    MessageOut,
    OrderIn,
    PreviewIn,
    PreviewOut,
    Problem,
    SeatIn,
    SeatOut,
    SituationIn,
    SwitchIn,
    VerifyOut,
)
from .store import Database, Seat, User
from .writer import Writer

T = TypeVar("T")

SESSION_COOKIE = "ac2_session"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404, 409, 413, 422, 429)
}

ExerciseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Exercise id")]
MessageId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Message id")]

router = APIRouter(prefix="/api", responses=_ERRORS)


@dataclass(frozen=True, slots=True)
class Caller:
    user: User
    csrf: str
    via_cookie: bool


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request presents, before the database is asked: its login token and CSRF header."""

    token: str
    via_cookie: bool
    unsafe: bool
    csrf_given: str | None

    def admit(self, found: tuple[User, str] | None) -> Caller:
        """The caller behind a looked-up login; 401 when unknown or expired, 403 on a cookie without CSRF."""
        if found is None:
            raise ExerciseError(401, "the login token is unknown or expired; log in again")
        user, csrf = found
        if self.via_cookie and self.unsafe and not auth.csrf_matches(csrf, self.csrf_given):
            raise ExerciseError(403, f"missing or wrong CSRF token (send the {CSRF_HEADER} header)")
        return Caller(user, csrf, self.via_cookie)


async def database(request: Request) -> Database:
    """Async (as is `exercise_writer`): FastAPI runs sync dependencies in its thread pool."""
    db: Database = request.app.state.db
    return db


async def exercise_writer(request: Request) -> Writer:
    writer: Writer = request.app.state.writer
    return writer


def token_of(request: Request) -> tuple[str | None, bool]:
    """The login token from `Authorization: Bearer` or, failing that, the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def presented(request: Request) -> Credentials:
    """The request's login token (401 without one) and CSRF header, not yet looked up."""
    token, via_cookie = token_of(request)
    if not token:
        raise ExerciseError(401, "log in first: send 'Authorization: Bearer <token>' (POST /api/auth/login)")
    return Credentials(token, via_cookie, request.method in _UNSAFE, request.headers.get(CSRF_HEADER))


async def credentials(request: Request, creds: Annotated[Credentials, Depends(presented)]) -> Credentials:
    """For writes: 401 for a token no login has, by a read before the write queue; the login is checked
    again, with the CSRF token, inside the write's transaction."""
    gate: LoginGate = request.app.state.login_gate
    if not await gate.known(creds.token):
        raise ExerciseError(401, "the login token is unknown or expired; log in again")
    return creds


class LoginGate:
    """Tokens seen to belong to a login in the last `ttl` seconds (per process, bounded), so that a request
    with a made-up token is refused by a read instead of queueing for a write transaction.

    Only a filter: every write checks its login again inside its own transaction, so a logout takes
    effect at once; a token forgotten here costs one read.
    """

    def __init__(self, db: Database, ttl: float = 30.0, size: int = 10_000) -> None:
        self._db = db
        self._ttl = ttl
        self._size = size
        self._seen: dict[str, float] = {}

    async def known(self, token: str) -> bool:
        now = time.monotonic()
        if self._seen.get(token, 0.0) > now:
            return True
        if await asyncio.to_thread(auth.resolve_token, self._db, token) is None:
            return False
        if len(self._seen) >= self._size:
            self._seen = {t: until for t, until in self._seen.items() if until > now}
            while len(self._seen) >= self._size:
                self._seen.pop(next(iter(self._seen)))
        self._seen[token] = now + self._ttl
        return True


def caller(creds: Annotated[Credentials, Depends(presented)], db: Annotated[Database, Depends(database)]) -> Caller:
    """The logged-in user; 401 without a valid token, 403 when a cookie request lacks its CSRF token."""
    return creds.admit(auth.resolve_token(db, creds.token))


Db = Annotated[Database, Depends(database)]
Who = Annotated[Caller, Depends(caller)]
Creds = Annotated[Credentials, Depends(credentials)]
Wr = Annotated[Writer, Depends(exercise_writer)]


def _limited(request: Request, name: str) -> str:
    host = request.client.host if request.client else "unknown"
    return f"{host}|{name.lower()}"


def login_user(request: Request, db: Database, name: str, password: str) -> tuple[auth.Login, User]:
    """Check a password under the rate limit; shared by the API and the login page."""
    limiter: auth.RateLimiter = request.app.state.login_limiter
    key = _limited(request, name)
    wait = limiter.blocked(key)
    if wait:
        raise ExerciseError(429, f"too many failed logins; try again in {math.ceil(wait)} s")
    with db.write() as session:
        user = auth.authenticate(session, name, password)
        if user is None:
            limiter.failed(key)
            raise ExerciseError(401, "wrong user name or password")
        limiter.succeeded(key)
        return auth.open_login(session, user), user


@router.post("/auth/login", response_model=LoginOut, tags=["auth"])
def api_login(body: LoginIn, request: Request, db: Db) -> LoginOut:
    """Exchange a name and password for a bearer token (and the session's CSRF token)."""
    login, user = login_user(request, db, body.name, body.password)
    return LoginOut(token=login.token, csrf=login.csrf, user=user.name)


@router.post("/auth/logout", status_code=204, tags=["auth"])
def api_logout(request: Request, who: Who, db: Db) -> Response:
    token, _ = token_of(request)
    with db.write() as session:
        auth.close_login(session, token or "")
    return Response(status_code=204)


@router.get("/me", tags=["auth"])
def api_me(who: Who) -> dict[str, str]:
    return {"user": who.user.name}


def _seat_out(seat: Seat, user: str) -> SeatOut:
    return SeatOut(id=seat.id, user=user, nation=seat.nation, organization=seat.organization, role=seat.role,
                   clearance=CLASSIFICATIONS[seat.clearance])


def _exercise_out(ctx: Context) -> ExerciseOut:
    e = ctx.exercise
    return ExerciseOut(id=e.id, name=e.name, arrangement=e.arrangement, scenario=e.scenario, situation=e.situation,
                       reforms=list(e.reforms), auto_injects=bool(e.auto_injects),
                       auto_approvals=bool(e.auto_approvals),
                       clock=ClockOut(**clock.state(e).to_dict()),
                       seat=_seat_out(ctx.seat, ctx.user.name))


def _read(db: Database, eid: int, who: Caller) -> Any:
    """`with _read(db, eid, who) as ctx:` the caller's seat context inside a read transaction."""
    return _ReadScope(db, eid, who)


class _ReadScope:
    def __init__(self, db: Database, eid: int, who: Caller) -> None:
        self._cm = db.read()
        self._eid = eid
        self._who = who

    def __enter__(self) -> Context:
        session: Session = self._cm.__enter__()
        try:
            return exercises.context(session, self._eid, self._who.user)
        except BaseException as exc:
            self._cm.__exit__(type(exc), exc, exc.__traceback__)
            raise

    def __exit__(self, *exc: Any) -> None:
        self._cm.__exit__(*exc)


def seated_write(eid: int, creds: Credentials, work: Callable[[Context], T]) -> Callable[[Session], T]:
    """A write for the exercise writer: log-in check, the caller's seat (exercise row locked), then `work`.

    The login is looked up inside the write's own transaction, so the request needs no other, and
    remembered for the other writes of that transaction (a logout is seen by the next one).
    """

    def job(session: Session) -> T:
        logins: dict[str, tuple[User, str] | None] = session.info.setdefault(_LOGINS, {})
        if creds.token not in logins:
            logins[creds.token] = auth.resolve_in(session, creds.token)
        who = creds.admit(logins[creds.token])
        return work(exercises.context(session, eid, who.user, lock=True))

    return job


_LOGINS = "ac2_logins"  # Session.info key: token -> the login found for it in this transaction


async def _act(writer: Writer, eid: int, creds: Credentials, work: Callable[[Context], T]) -> T:
    """Run `work` as the caller's seat in a write, answered once it has committed (group commit)."""
    return await writer.run(eid, seated_write(eid, creds, work))


@router.get("/exercises", response_model=list[ExerciseOut], tags=["exercises"])
def list_exercises(who: Who, db: Db) -> list[ExerciseOut]:
    """The exercises in which you hold a seat."""
    with db.read() as session:
        rows = exercises.exercises_of(session, who.user)
        return [_exercise_out(Context(session, e, s, who.user, exercises.arrangement(e.arrangement))) for e, s in rows]


@router.post("/exercises", response_model=ExerciseOut, status_code=201, tags=["exercises"])
def create_exercise(body: ExerciseIn, who: Who, db: Db) -> ExerciseOut:
    """Create an exercise from an arrangement and (optionally) a scenario; you hold its control seat."""
    with db.write() as session:
        ctx = exercises.create_exercise(session, who.user, body.name, body.arrangement, body.scenario,
                                        body.situation, body.reforms, body.auto_injects, body.auto_approvals)
        return _exercise_out(ctx)


@router.get("/exercises/{eid}", response_model=ExerciseOut, tags=["exercises"])
def get_exercise(eid: ExerciseId, who: Who, db: Db) -> ExerciseOut:
    with _read(db, eid, who) as ctx:
        return _exercise_out(ctx)


@router.get("/exercises/{eid}/seats", response_model=list[SeatOut], tags=["exercises"])
def list_seats(eid: ExerciseId, who: Who, db: Db) -> list[SeatOut]:
    with _read(db, eid, who) as ctx:
        return [_seat_out(s, u) for s, u in exercises.seats(ctx)]


@router.post("/exercises/{eid}/seats", response_model=SeatOut, status_code=201, tags=["exercises"])
async def add_seat(eid: ExerciseId, body: SeatIn, creds: Creds, writer: Wr) -> SeatOut:
    """Control seats a user: an organization of the arrangement (its nation follows), role, clearance."""

    def work(ctx: Context) -> SeatOut:
        seat = exercises.add_seat(ctx, body.user, body.organization, body.role, body.clearance)
        return _seat_out(seat, body.user)

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/clock", response_model=ClockOut, tags=["exercises"])
async def change_clock(eid: ExerciseId, body: ClockIn, creds: Creds, writer: Wr) -> ClockOut:
    """Control starts, pauses or resumes the clock, or changes its speed (game seconds per second)."""

    def work(ctx: Context) -> ClockOut:
        exercises.change_clock(ctx, body.action, body.speed)
        return ClockOut(**clock.state(ctx.exercise).to_dict())

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/situation", response_model=ExerciseOut, tags=["exercises"])
async def change_situation(eid: ExerciseId, body: SituationIn, creds: Creds, writer: Wr) -> ExerciseOut:
    """Control records a Cabinet decision or Diet approval that changes the legal situation."""

    def work(ctx: Context) -> ExerciseOut:
        exercises.change_situation(ctx, body.situation, body.basis, body.note)
        return _exercise_out(ctx)

    return await _act(writer, eid, creds, work)


@router.get("/exercises/{eid}/messages", response_model=list[MessageOut], tags=["messages"])
def list_messages(
    eid: ExerciseId, who: Who, db: Db,
    kind: Annotated[str | None, Query(pattern="^(order|request|report|inject|approval)$")] = None,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[dict[str, Any]]:
    """The messages your seat may see (addressed to your organization and releasable to your nation)."""
    with _read(db, eid, who) as ctx:
        return [messages.view(ctx, m) for m in messages.visible_messages(ctx, kind, after, limit)]


@router.get("/exercises/{eid}/messages/{mid}", response_model=MessageOut, tags=["messages"])
def get_message(eid: ExerciseId, mid: MessageId, who: Who, db: Db) -> dict[str, Any]:
    with _read(db, eid, who) as ctx:
        return messages.view(ctx, messages.visible_message(ctx, mid))


@router.post("/exercises/{eid}/messages", response_model=MessageOut, status_code=201, tags=["messages"])
async def send_message(eid: ExerciseId, body: MessageIn, creds: Creds, writer: Wr) -> dict[str, Any]:
    """Send a request or a report."""

    def work(ctx: Context) -> dict[str, Any]:
        label = messages.label_for(ctx, body.classification, body.rel_to)
        m = messages.send(ctx, body.kind, body.recipients, body.subject, body.body, label, body.as_organization,
                          body.reply_to)
        return messages.view(ctx, m)

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/orders", response_model=MessageOut, status_code=201, tags=["messages"])
async def issue_order(eid: ExerciseId, body: OrderIn, request: Request, creds: Creds, writer: Wr) -> dict[str, Any]:
    """Issue an order: refused (with reasons), waiting for approvals, or delivered down the chain."""
    checker = request.app.state.checker

    def work(ctx: Context) -> dict[str, Any]:
        label = messages.label_for(ctx, body.classification, body.rel_to)
        m = messages.issue_order(ctx, body.action, body.unit, body.subject, body.body, label, body.as_organization,
                                 body.reply_to, checker)
        return messages.view(ctx, m)

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/orders/preview", response_model=PreviewOut, tags=["messages"])
def preview_order(eid: ExerciseId, body: PreviewIn, request: Request, who: Who, db: Db) -> dict[str, Any]:
    """The law engine's verdict and the approval routing for an order, without sending it."""
    with _read(db, eid, who) as ctx:
        sender = body.as_organization if ctx.is_control and body.as_organization else ctx.seat.organization
        if sender not in ctx.arch.organizations:
            raise invalid("control previews an order as an organization: set as_organization")
        plan = messages.plan_for(ctx, body.action, body.unit, sender, request.app.state.checker)
        return plan.to_dict()


@router.get("/exercises/{eid}/approvals", response_model=list[MessageOut], tags=["messages"])
def pending_approvals(eid: ExerciseId, who: Who, db: Db) -> list[dict[str, Any]]:
    """Approval tasks waiting for your seat (control: all pending tasks)."""
    with _read(db, eid, who) as ctx:
        tasks = [messages.view(ctx, m) for m in messages.visible_messages(ctx, "approval", 0, 500)]
        return [t for t in tasks if t["status"] == "pending"
                and (ctx.is_control or ctx.seat.organization in t["recipients"])]


@router.post("/exercises/{eid}/approvals/grant-unseated", response_model=list[MessageOut], tags=["control"])
async def grant_unseated(eid: ExerciseId, body: GrantUnseatedIn, creds: Creds, writer: Wr) -> list[dict[str, Any]]:
    """Control grants every pending approval held by an organization nobody sits in (repeating as orders
    move on to their next approval), so only seated holders are left to decide."""

    def work(ctx: Context) -> list[dict[str, Any]]:
        return [messages.view(ctx, m) for m in messages.grant_unseated(ctx, body.note)]

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/approvals/auto", response_model=ExerciseOut, tags=["control"])
async def auto_approvals(eid: ExerciseId, body: SwitchIn, creds: Creds, writer: Wr) -> ExerciseOut:
    """Control switches on or off the granting of approvals that no seat holds once each approval's typical
    duration (law catalog, `typical_minutes`) has passed in game time."""

    def work(ctx: Context) -> ExerciseOut:
        exercises.set_auto_approvals(ctx, body.enabled)
        return _exercise_out(ctx)

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/approvals/{mid}", response_model=MessageOut, tags=["messages"])
async def decide_approval(eid: ExerciseId, mid: MessageId, body: DecisionIn, creds: Creds, writer: Wr) -> dict[str, Any]:
    """Grant or deny an approval task you hold (control may decide any)."""

    def work(ctx: Context) -> dict[str, Any]:
        return messages.view(ctx, messages.decide(ctx, mid, body.decision == "grant", body.note))

    return await _act(writer, eid, creds, work)


@router.post("/exercises/{eid}/injects/auto", response_model=ExerciseOut, tags=["control"])
async def auto_injects(eid: ExerciseId, body: SwitchIn, creds: Creds, writer: Wr) -> ExerciseOut:
    """Control switches the release of the scenario's injects on the clock on or off."""

    def work(ctx: Context) -> ExerciseOut:
        exercises.set_auto_injects(ctx, body.enabled)
        return _exercise_out(ctx)

    return await _act(writer, eid, creds, work)


@router.get("/exercises/{eid}/injects", tags=["control"])
def inject_timeline(eid: ExerciseId, who: Who, db: Db) -> list[dict[str, Any]]:
    """Control: the scenario's inject timeline and which injects have been released."""
    with _read(db, eid, who) as ctx:
        return messages.timeline(ctx)


@router.post("/exercises/{eid}/injects", response_model=MessageOut, status_code=201, tags=["control"])
async def release_inject(eid: ExerciseId, body: InjectIn, creds: Creds, writer: Wr) -> dict[str, Any]:
    """Control releases a scenario inject by id, or writes one."""

    def work(ctx: Context) -> dict[str, Any]:
        label = None
        if body.classification or body.rel_to:
            label = messages.label_for(ctx, body.classification or "UNCLASSIFIED", body.rel_to)
        m = messages.release_inject(ctx, body.inject_id, body.recipients, body.subject, body.body, label)
        return messages.view(ctx, m)

    return await _act(writer, eid, creds, work)


@router.get("/exercises/{eid}/log", response_model=list[LogEntryOut], tags=["control"])
def read_log(
    eid: ExerciseId, who: Who, db: Db,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> list[dict[str, Any]]:
    """Control: the audit log in order."""
    with _read(db, eid, who) as ctx:
        exercises.require_control(ctx)
        return [
            {"seq": e.seq, "at": e.at, "game_time": e.game_time, "actor": e.actor, "act": e.act,
             "data": json.loads(e.data), "prev_hash": e.prev_hash, "hash": e.hash}
            for e in auditlog.entries(ctx.session, eid, after, limit)
        ]


@router.get("/exercises/{eid}/log/verify", response_model=VerifyOut, tags=["control"])
def verify_log(eid: ExerciseId, who: Who, db: Db) -> dict[str, Any]:
    """Control: walk the hash chain and name the first bad entry."""
    with _read(db, eid, who) as ctx:
        exercises.require_control(ctx)
        return auditlog.verify(ctx.session, ctx.exercise).to_dict()


@router.get("/exercises/{eid}/aar", tags=["control"])
def after_action(eid: ExerciseId, who: Who, db: Db) -> dict[str, Any]:
    """Control: the after-action report data (timeline, orders, time from inject to action per seat)."""
    with _read(db, eid, who) as ctx:
        exercises.require_control(ctx)
        return aar.report_data(ctx)
