"""The JSON API under /api/: logins, exercises, seats, clock, situation, messages, orders, log, report.

Every route that names an exercise resolves the caller's seat in it first (404 when they hold
none), and every message read goes through `releasability.visible_to` (in `service.messages`).
Writes run in the exercise writer and are answered once committed (`deps.seated_write`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from ...interop import parse_order, task_verbs
from ...model.errors import CatalogError
from ..db.auditlog import json_text
from ..db.database import Database
from ..db.rows import ExerciseRecord, SeatRecord
from ..db.writer import Writer
from ..service import aar, approvals, clock, exercises, injects, logins, messages, orders, record
from ..service.errors import ExerciseError
from ..service.exercises import Seated
from ..service.messages import MessageView
from ..service.releasability import CLASSIFICATIONS
from .deps import (
    Caller,
    Credentials,
    Creds,
    Db,
    EarlierAnswer,
    ExerciseId,
    IdempotencyKey,
    MessageId,
    Who,
    Wr,
    client_address,
    guards_of,
    hints,
    retry_of,
    seated_write,
    seated_write_once,
    token_of,
)
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

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (400, 401, 403, 404, 409, 413, 415, 422, 429, 503)
}

router = APIRouter(prefix="/api", responses=_ERRORS)
T = TypeVar("T")


@contextmanager
def _reading(request: Request, eid: int, who: Caller) -> Iterator[tuple[Session, Seated]]:
    """`with _reading(request, eid, who) as (session, seat):` the caller's seat inside a read transaction
    (423 for a player in a frozen exercise)."""
    db: Database = request.app.state.db
    with db.read() as session:
        seat = exercises.seated(session, eid, who.user)
        guards_of(request).watch.admit(seat)
        yield session, seat


async def _act(request: Request, eid: int, creds: Credentials, work: Callable[[Session, Seated], T]) -> T:
    """Run `work` as the caller's seat in a write, answered once it has committed (group commit)."""
    writer: Writer = request.app.state.writer
    return await writer.run(eid, seated_write(eid, creds, work, guards_of(request)), hints(creds))


async def _act_once(request: Request, eid: int, creds: Credentials, work: Callable[[Session, Seated], MessageView],
                    key: str | None, route: str, body: Any) -> JSONResponse:
    """`_act` for a post that makes a message: 201 with the message, or, for a retry with the same
    `Idempotency-Key`, the message it made, as the seat sees it now (stored once)."""
    guards = guards_of(request)
    retry = retry_of(key, route, eid, body, guards)
    if retry is None:
        return RecordJSON((await _act(request, eid, creds, work)).to_dict(), status_code=201)
    job = seated_write_once(eid, creds, work, retry, guards, lambda view: view.id, _message_again)
    writer: Writer = request.app.state.writer
    result = await writer.run(eid, job, hints(creds, retry))
    if isinstance(result, EarlierAnswer):
        return RecordJSON(result.body, status_code=201, headers={"Idempotent-Replayed": "true"})
    return RecordJSON(result.to_dict(), status_code=201)


class RecordJSON(JSONResponse):
    """JSON whose verdicts were encoded once, when their order was planned (`auditlog.Canonical`)."""

    def render(self, content: Any) -> bytes:
        return json_text(content).encode("utf-8")


def _message_again(session: Session, who: Seated, message_id: int) -> dict[str, Any]:
    return messages.view(who, messages.visible_one(session, who, message_id)).to_dict()


@router.post("/auth/login", response_model=LoginOut, tags=["auth"])
async def api_login(body: LoginIn, request: Request, db: Db, writer: Wr) -> LoginOut:
    """Exchange a name and password for a bearer token (and the session's CSRF token)."""
    login, user = await logins.log_in(db, writer, request.app.state.hashing, request.app.state.login_limiter,
                                      body.name, body.password, client_address(request), guards_of(request).sessions)
    return LoginOut(token=login.token, csrf=login.csrf, user=user.name)


@router.post("/auth/logout", status_code=204, tags=["auth"])
async def api_logout(request: Request, who: Who, writer: Wr) -> Response:
    token, _ = token_of(request)
    await writer.run(logins.LOGINS, lambda session: logins.log_out(session, token or ""))
    return Response(status_code=204)


@router.get("/me", tags=["auth"])
def api_me(who: Who) -> dict[str, Any]:
    return {"user": who.user.name, "control": who.user.control}


def _seat_out(seat: SeatRecord, user: str) -> SeatOut:
    return SeatOut(id=seat.id, user=user, nation=seat.nation, organization=seat.organization, role=seat.role,
                   clearance=CLASSIFICATIONS[seat.clearance])


def _exercise_out(who: Seated) -> ExerciseOut:
    return _exercise_row(who.exercise, who.seat, who.user.name)


def _exercise_row(e: ExerciseRecord, seat: SeatRecord, user: str) -> ExerciseOut:
    return ExerciseOut(id=e.id, name=e.name, arrangement=e.arrangement, scenario=e.scenario, situation=e.situation,
                       reforms=list(e.reforms), auto_injects=e.auto_injects, auto_approvals=e.auto_approvals,
                       clock=ClockOut(**clock.state(e).to_dict()), seat=_seat_out(seat, user))


@router.get("/exercises", response_model=list[ExerciseOut], tags=["exercises"])
def list_exercises(who: Who, db: Db) -> list[ExerciseOut]:
    """The exercises in which you hold a seat (read as stored: one whose catalog entries are gone is still
    listed, and fails only when opened)."""
    with db.read() as session:
        return [_exercise_row(e, seat, who.user.name) for e, seat in exercises.exercises_of(session, who.user)]


@router.post("/exercises", response_model=ExerciseOut, status_code=201, tags=["exercises"])
async def create_exercise(body: ExerciseIn, who: Who, writer: Wr) -> ExerciseOut:
    """Create an exercise from an arrangement and (optionally) a scenario; you hold its control seat
    (control accounts only)."""

    def work(session: Session) -> ExerciseOut:
        created = exercises.create_exercise(session, who.user, body.name, body.arrangement, body.scenario,
                                            body.situation, body.reforms, body.auto_injects, body.auto_approvals)
        return _exercise_out(created)

    return await writer.run(("create", who.user.id), work)


@router.get("/exercises/{eid}", response_model=ExerciseOut, tags=["exercises"])
def get_exercise(eid: ExerciseId, request: Request, who: Who) -> ExerciseOut:
    with _reading(request, eid, who) as (_, seat):
        return _exercise_out(seat)


@router.get("/exercises/{eid}/seats", response_model=list[SeatOut], tags=["exercises"])
def list_seats(eid: ExerciseId, request: Request, who: Who) -> list[SeatOut]:
    with _reading(request, eid, who) as (session, seat):
        return [_seat_out(s, u) for s, u in exercises.seats(session, seat)]


@router.post("/exercises/{eid}/seats", response_model=SeatOut, status_code=201, tags=["exercises"])
async def add_seat(eid: ExerciseId, body: SeatIn, request: Request, creds: Creds) -> SeatOut:
    """Control seats a user: an organization of the arrangement (its nation follows), role, clearance."""

    def work(session: Session, who: Seated) -> SeatOut:
        return _seat_out(exercises.add_seat(session, who, body.user, body.organization, body.role, body.clearance),
                         body.user)

    return await _act(request, eid, creds, work)


@router.post("/exercises/{eid}/clock", response_model=ClockOut, tags=["exercises"])
async def change_clock(eid: ExerciseId, body: ClockIn, request: Request, creds: Creds) -> ClockOut:
    """Control starts, pauses or resumes the clock, or changes its speed (game seconds per second)."""

    def work(session: Session, who: Seated) -> ClockOut:
        return ClockOut(**clock.state(exercises.change_clock(session, who, body.action, body.speed)).to_dict())

    return await _act(request, eid, creds, work)


@router.post("/exercises/{eid}/situation", response_model=ExerciseOut, tags=["exercises"])
async def change_situation(eid: ExerciseId, body: SituationIn, request: Request, creds: Creds) -> ExerciseOut:
    """Control records a Cabinet decision or Diet approval that changes the legal situation."""

    def work(session: Session, who: Seated) -> ExerciseOut:
        changed = exercises.change_situation(session, who, body.situation, body.basis, body.note)
        return _exercise_out(replace(who, exercise=changed))

    return await _act(request, eid, creds, work)


@router.get("/exercises/{eid}/messages", response_model=list[MessageView], tags=["messages"])
def list_messages(
    eid: ExerciseId, request: Request, who: Who,
    kind: Annotated[str | None, Query(pattern="^(order|request|report|inject|approval)$")] = None,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[MessageView]:
    """The messages your seat may see (addressed to your organization and releasable to your nation)."""
    with _reading(request, eid, who) as (session, seat):
        return [messages.view(seat, m) for m in messages.visible(session, seat, kind, after, limit)]


@router.get("/exercises/{eid}/messages/{mid}", response_model=MessageView, tags=["messages"])
def get_message(eid: ExerciseId, mid: MessageId, request: Request, who: Who) -> MessageView:
    with _reading(request, eid, who) as (session, seat):
        return messages.view(seat, messages.visible_one(session, seat, mid))


@router.post("/exercises/{eid}/messages", response_model=MessageView, status_code=201, tags=["messages"])
async def send_message(eid: ExerciseId, body: MessageIn, request: Request, creds: Creds,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Send a request or a report."""

    def work(session: Session, who: Seated) -> MessageView:
        label = messages.label_for(who, body.classification, body.rel_to)
        sent = messages.send(session, who, body.kind, body.recipients, body.subject, body.body, label,
                             body.as_organization, body.reply_to)
        return messages.view(who, sent)

    return await _act_once(request, eid, creds, work, idempotency_key, "messages", body)


def _json_order(raw: bytes, query: QueryParams) -> OrderIn:
    try:
        return OrderIn.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


def _c2sim_order(raw: bytes, query: QueryParams) -> OrderIn:
    """A C2SIM order (any edition `order check` reads) with one task: its verb mapped to the catalog's action
    (catalog/c2sim-tasks.yaml) and its performing entity kept as the partner named it (UUID), which the
    service maps to the exercise's organization. The seat is the sender, whatever FromSender says.

    C2SIM carries no releasability: the label comes from the query (`?rel_to=JPN&rel_to=USA`, or
    `rel_to=JPN,USA`; `classification`, UNCLASSIFIED by default)."""
    rel_to = [n.strip() for value in query.getlist("rel_to") for n in value.split(",") if n.strip()]
    if not rel_to:
        raise ExerciseError(422, "rel_to: a C2SIM order carries no releasability; give the nations it is "
                                 "releasable to in the query (?rel_to=JPN&rel_to=USA)")
    try:
        order = parse_order(raw, "order.xml")
    except CatalogError as exc:
        raise ExerciseError(422, str(exc)) from None
    if len(order.tasks) != 1:
        raise ExerciseError(422, f"order.xml: an exercise order carries one task; this one has {len(order.tasks)} "
                                 "(send one order per task)")
    task = order.tasks[0]
    action = task_verbs().action_for(task.verb)
    if action is None:
        raise ExerciseError(422, f"order.xml:{task.line}: task verb {task.verb or '(none)'} has no action in "
                                 "catalog/c2sim-tasks.yaml")
    subject = task.name or f"C2SIM order {order.order_id or '(no OrderID)'}"
    body = (f"C2SIM {order.edition_label} order {order.order_id}, task {task.uuid} ({task.verb}) for "
            f"{task.performer_name or task.performer}")
    try:
        return OrderIn.model_validate({"action": action, "unit": task.performer or (task.performer_name or ""),
                                       "subject": subject[:300], "body": body, "rel_to": rel_to,
                                       "classification": query.get("classification", "UNCLASSIFIED")})
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


# How an order's body is read, by media type: JSON (`OrderIn`), or a C2SIM order in XML.
ORDER_READERS: dict[str, Callable[[bytes, QueryParams], OrderIn]] = {
    "application/json": _json_order,
    "application/xml": _c2sim_order,
    "text/xml": _c2sim_order,
}


async def order_body(request: Request) -> OrderIn:
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    reader = ORDER_READERS.get(media)
    if reader is None:
        raise _unsupported(media)
    return reader(await request.body(), request.query_params)


def _unsupported(media: str) -> Exception:
    return ExerciseError(415, f"content type {media!r}: orders are read from {', '.join(ORDER_READERS)}")


@router.post("/exercises/{eid}/orders", response_model=MessageView, status_code=201, tags=["messages"],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": OrderIn.model_json_schema()},
                 "application/xml": {"schema": {"type": "string", "description": "A C2SIM order with one task"}},
             }}})
async def issue_order(eid: ExerciseId, request: Request, creds: Creds,
                      body: Annotated[OrderIn, Depends(order_body)],
                      idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Issue an order: refused (with reasons), waiting for approvals, or delivered down the chain."""
    checker = request.app.state.checker

    def work(session: Session, who: Seated) -> MessageView:
        label = messages.label_for(who, body.classification, body.rel_to)
        order = orders.issue_order(session, who, body.action, body.unit, body.subject, body.body, label,
                                   body.as_organization, body.reply_to, checker)
        return messages.view(who, order)

    return await _act_once(request, eid, creds, work, idempotency_key, "orders", body)


@router.post("/exercises/{eid}/orders/preview", response_model=PreviewOut, tags=["messages"])
def preview_order(eid: ExerciseId, body: PreviewIn, request: Request, who: Who) -> dict[str, Any]:
    """The law engine's verdict and the approval routing for an order, without sending it (takes the
    order's own body; only action, unit and `as_organization` matter)."""
    with _reading(request, eid, who) as (_, seat):
        return orders.preview(seat, body.action, body.unit, body.as_organization, request.app.state.checker).to_dict()


@router.get("/exercises/{eid}/approvals", response_model=list[MessageView], tags=["messages"])
def pending_approvals(eid: ExerciseId, request: Request, who: Who) -> list[MessageView]:
    """Approval tasks waiting for your seat (control: all pending tasks)."""
    with _reading(request, eid, who) as (session, seat):
        return [messages.view(seat, m) for m in messages.pending(session, seat)]


@router.post("/exercises/{eid}/approvals/grant-unseated", response_model=list[MessageView], tags=["control"])
async def grant_unseated(eid: ExerciseId, body: GrantUnseatedIn, request: Request, creds: Creds) -> list[MessageView]:
    """Control grants every pending approval held by an organization nobody sits in (repeating as orders
    move on to their next approval), so only seated holders are left to decide."""

    def work(session: Session, who: Seated) -> list[MessageView]:
        return [messages.view(who, m) for m in approvals.grant_unseated(session, who, body.note)]

    return await _act(request, eid, creds, work)


@router.post("/exercises/{eid}/approvals/auto", response_model=ExerciseOut, tags=["control"])
async def auto_approvals(eid: ExerciseId, body: SwitchIn, request: Request, creds: Creds) -> ExerciseOut:
    """Control switches on or off the granting of approvals that no seat holds once each approval's typical
    duration (law catalog, `typical_minutes`) has passed in game time."""

    def work(session: Session, who: Seated) -> ExerciseOut:
        changed = exercises.set_auto_approvals(session, who, body.enabled)
        return _exercise_out(replace(who, exercise=changed))

    return await _act(request, eid, creds, work)


@router.post("/exercises/{eid}/approvals/{mid}", response_model=MessageView, tags=["messages"])
async def decide_approval(eid: ExerciseId, mid: MessageId, body: DecisionIn, creds: Creds,
                          request: Request) -> MessageView:
    """Grant or deny an approval task you hold (control may decide any)."""

    def work(session: Session, who: Seated) -> MessageView:
        return messages.view(who, approvals.decide(session, who, mid, body.decision == "grant", body.note))

    return await _act(request, eid, creds, work)


@router.post("/exercises/{eid}/injects/auto", response_model=ExerciseOut, tags=["control"])
async def auto_injects(eid: ExerciseId, body: SwitchIn, request: Request, creds: Creds) -> ExerciseOut:
    """Control switches the release of the scenario's injects on the clock on or off."""

    def work(session: Session, who: Seated) -> ExerciseOut:
        changed = exercises.set_auto_injects(session, who, body.enabled)
        return _exercise_out(replace(who, exercise=changed))

    return await _act(request, eid, creds, work)


@router.get("/exercises/{eid}/injects", tags=["control"])
def inject_timeline(eid: ExerciseId, request: Request, who: Who) -> list[dict[str, Any]]:
    """Control: the scenario's inject timeline and which injects have been released."""
    with _reading(request, eid, who) as (session, seat):
        return injects.timeline(session, seat)


@router.post("/exercises/{eid}/injects", response_model=MessageView, status_code=201, tags=["control"])
async def release_inject(eid: ExerciseId, body: InjectIn, request: Request, creds: Creds) -> MessageView:
    """Control releases a scenario inject by id, or writes one."""

    def work(session: Session, who: Seated) -> MessageView:
        label = None
        if body.classification or body.rel_to:
            label = messages.label_for(who, body.classification or "UNCLASSIFIED", body.rel_to)
        released = injects.release_inject(session, who, body.inject_id, body.recipients, body.subject, body.body,
                                          label)
        return messages.view(who, released)

    return await _act(request, eid, creds, work)


@router.get("/exercises/{eid}/log", response_model=list[LogEntryOut], tags=["control"])
def read_log(
    eid: ExerciseId, request: Request, who: Who,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> list[dict[str, Any]]:
    """Control: the audit log in order."""
    with _reading(request, eid, who) as (session, seat):
        return [{**e.to_dict(), "data": e.decoded()} for e in record.log(session, seat, after, limit)]


@router.get("/exercises/{eid}/log/verify", response_model=VerifyOut, tags=["control"])
def verify_log(eid: ExerciseId, request: Request, who: Who) -> dict[str, Any]:
    """Control: check the record now — the hash chain, its signed checkpoints and the anchor kept outside the
    database, and that the tables agree with the log; every problem is named. A broken record freezes the
    exercise (read-only), one found intact again is released."""
    with _reading(request, eid, who) as (_, seat):
        exercises.require_control(seat)
    found = guards_of(request).watch.check(eid)
    assert found is not None, "the exercise was read a moment ago"
    return _verified(request, eid, found)


def _verified(request: Request, eid: int, found: record.Verification) -> dict[str, Any]:
    freeze = guards_of(request).watch.frozen(eid)
    return {**found.to_dict(), "frozen": freeze is not None, "frozen_since": freeze.since if freeze else None}


@router.get("/exercises/{eid}/aar", tags=["control"])
def after_action(eid: ExerciseId, request: Request, who: Who) -> dict[str, Any]:
    """Control: the after-action report data, built from the audit log (timeline, orders, time from
    inject to action per seat)."""
    with _reading(request, eid, who) as (session, seat):
        return aar.report_data(session, seat)
