"""The C2SIM server interface under /api, as the vendored `c2sim_spec/c2sim-server-spec.yaml` defines it.

Shared sessions (create, join, resign, delete, info, list, initialization), `send` (one C2SIM `Message`,
validated against the session's edition) and `stream-endpoints` with the WebSocket it names
(`c2sim_push`). Each exercise is the session `exercise-<id>`. A client authenticates with an exercise
account's bearer token (`POST /api/auth/login`); the `clientId` header names the client and is never a
credential. Every answer that is not a success is the spec's `C2SimError {code, message, details}` with
status 400, the only error status the spec documents (`details` says what was wrong: the line of an XML
error, the refused tasks with their reasons and articles, the state the session is in ...).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from ...interop.c2sim_server import C2simMessageError, read_server_message
from ..db import queries
from ..db.database import Database
from ..db.rows import UserRecord
from ..db.writer import Writer
from ..service import c2sim_sessions, logins
from ..service.c2sim_sessions import C2simError, Creation, error
from ..service.errors import ExerciseError
from ..service.exercises import Seated
from .c2sim_push import PushHub, Subscriber
from .deps import Credentials, guards_of, hints, live_login, seated_write, token_of
from .schemas import Text

PREFIX = "/api/c2sim"
SPEC = Path(__file__).parent / "c2sim_spec" / "c2sim-server-spec.yaml"
MAX_SEND_BYTES = 16 * 1024 * 1024
WEBSOCKET_POLICY = 1008  # RFC 6455: the connection violates the server's policy (not authenticated, no seat)
WEBSOCKET_TRY_LATER = 1013
_STATUS_CODES = {401: "Auth", 403: "Forbidden", 404: "UnknownSession", 409: "State", 413: "TooLarge",
                 415: "ContentType", 422: "Request", 429: "RateLimit", 503: "Busy"}

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def too_large(limit: int) -> tuple[int, dict[str, Any]]:
    """What `middleware.BodyLimit` answers on a C2SIM route for a body above its limit."""
    return 400, error_body("C2SimError_TooLarge", f"request body larger than {limit} bytes", {"limit": limit})


def error_response(exc: ExerciseError) -> JSONResponse:
    """Any refusal on a C2SIM route as the spec's C2SimError (400; Retry-After kept for limits)."""
    if isinstance(exc, C2simError):
        body = error_body(exc.code, exc.message, exc.details)
    else:
        body = error_body(f"C2SimError_{_STATUS_CODES.get(exc.status, 'Request')}", exc.message,
                          {"status": exc.status})
    headers = {"Retry-After": "60" if exc.status == 429 else "5"} if exc.status in (429, 503) else None
    return JSONResponse(body, status_code=400, headers=headers)


# --- what requests carry -----------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class SessionInfoIn(_In):
    c2simSchemaVersion: Text = Field(min_length=1, max_length=40)  # the spec's field names
    displayName: Text = Field(max_length=200)
    description: Text = Field(max_length=1000)
    # Not in the spec (it allows more fields): what a new exercise is made of (docs/exercise.md).
    arrangement: Text = Field(default=c2sim_sessions.DEFAULT_ARRANGEMENT, max_length=100)
    scenario: Text | None = Field(default=None, max_length=100)
    situation: Text | None = Field(default=None, max_length=64)
    reforms: list[Annotated[Text, Field(max_length=64)]] = Field(default_factory=list, max_length=20)


class CreateIn(_In):
    data: SessionInfoIn


class JoinIn(_In):
    systemName: Text = Field(default="", max_length=200)
    clientIdDisplayName: Text = Field(max_length=200)


class ResignIn(_In):
    reason: Text = Field(default="", max_length=500)


def _body(model: type[BaseModel], raw: bytes) -> Any:
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise error("Request", f"{where}: {first.get('msg', 'invalid')}", field=where) from None


def client_id(request: Request | WebSocket) -> str:
    """The `clientId` header (5 to 10 characters, printable ASCII); for a WebSocket also the query."""
    value = request.headers.get("clientid") or request.query_params.get("clientId") or ""
    if not 5 <= len(value) <= 10 or not value.isascii() or not value.isprintable():
        raise error("ClientId", "header clientId must be 5 to 10 printable ASCII characters (an identifier the "
                                "client chooses; it is not a credential)", clientId=value[:20])
    return value


def _credentials(request: Request) -> Credentials:
    token, via_cookie = token_of(request)
    if not token:
        raise error("Auth", "authenticate with an exercise account: send 'Authorization: Bearer <token>' "
                            "(POST /api/auth/login); anonymous clients may not use a session")
    unsafe = request.method in ("POST", "PUT", "PATCH", "DELETE")
    return Credentials(token, via_cookie, unsafe, request.headers.get("x-csrf-token"))


def _user(request: Request) -> UserRecord:
    """The caller's user, by its live login (idle and lifetime limits applied, a stale login's use recorded)."""
    creds = _credentials(request)
    return creds.admit(live_login(request, _db(request), creds.token)).user


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _writer(request: Request) -> Writer:
    writer: Writer = request.app.state.writer
    return writer


def _hub(request: Request | WebSocket) -> PushHub:
    hub: PushHub = request.app.state.c2sim_hub
    return hub


def _reading(db: Database, name: str, user: UserRecord) -> tuple[Seated, dict[str, Any]]:
    with db.read() as session:
        who = c2sim_sessions.in_session(session, name, user)
        return who, c2sim_sessions.info(session, who.exercise).to_dict()


def _info(db: Database, exercise_id: int) -> dict[str, Any]:
    with db.read() as session:
        found = queries.exercise(session, exercise_id)
        assert found is not None, "the exercise was written a moment ago"
        return c2sim_sessions.info(session, found).to_dict()


async def _act(request: Request, name: str, creds: Credentials, work: Any) -> tuple[int, Any]:
    """Run `work(session, seated)` in the exercise's write, as the caller's seat; the exercise id and result."""
    db = _db(request)
    eid = await run_in_threadpool(_exercise_id, db, name)
    result = await _writer(request).run(eid, seated_write(eid, creds, work, guards_of(request)), hints(creds))
    _hub(request).poke(eid)
    return eid, result


def _exercise_id(db: Database, name: str) -> int:
    with db.read() as session:
        eid = c2sim_sessions.exercise_id_of(session, name)
    if eid is None:
        raise error("UnknownSession", f"session {name!r} does not exist (or you hold no seat in its exercise)",
                    sessionId=name)
    return eid


# --- session routes ------------------------------------------------------------------------------------


@router.put("/session/{session_id}/create")
async def create_session(session_id: str, request: Request) -> JSONResponse:
    """Create a session (a new exercise; control accounts) or update one's display name and description."""
    client_id(request)
    _credentials(request)  # 401 before the body is read
    c2sim_sessions.check_session_name(session_id)
    body: CreateIn = _body(CreateIn, await request.body())
    db = _db(request)
    user = await run_in_threadpool(_user, request)
    data = body.data
    creation = Creation(data.arrangement, data.scenario or None, data.situation or None, tuple(data.reforms))

    def work(session: Any) -> tuple[bool, int]:
        created, who = c2sim_sessions.create_or_update(session, user, session_id, data.c2simSchemaVersion,
                                                       data.displayName, data.description, creation)
        return created, who.exercise.id

    key = await run_in_threadpool(_create_key, db, session_id, user)
    try:
        created, eid = await _writer(request).run(key, work)
    except IntegrityError:
        raise error("SessionExists", f"session {session_id!r} was created a moment ago by another request; "
                                     "send create again to update it", sessionId=session_id) from None
    _hub(request).poke(eid)
    return JSONResponse({"creation": "CREATED" if created else "UPDATED",
                         "session": await run_in_threadpool(_info, db, eid)})


def _create_key(db: Database, name: str, user: UserRecord) -> Any:
    """The writer's key: the exercise when it exists (its lock), else the account creating one."""
    with db.read() as session:
        eid = c2sim_sessions.exercise_id_of(session, name)
    return eid if eid is not None else ("create", user.id)


@router.post("/session/{session_id}/join")
async def join_session(session_id: str, request: Request) -> JSONResponse:
    """Join the session as the caller's seat in its exercise."""
    cid = client_id(request)
    creds = _credentials(request)
    body: JoinIn = _body(JoinIn, await request.body())

    def work(session: Any, who: Seated) -> None:
        c2sim_sessions.join(session, who, cid, body.clientIdDisplayName, body.systemName)

    eid, _ = await _act(request, session_id, creds, work)
    return JSONResponse({"session": await run_in_threadpool(_info, _db(request), eid)})


@router.post("/session/{session_id}/resign")
async def resign_session(session_id: str, request: Request) -> JSONResponse:
    cid = client_id(request)
    creds = _credentials(request)
    body: ResignIn = _body(ResignIn, await request.body())

    def work(session: Any, who: Seated) -> None:
        c2sim_sessions.resign(session, who, cid, body.reason)

    await _act(request, session_id, creds, work)
    return JSONResponse({"msg": f"client {cid} resigned from session {session_id}"})


@router.delete("/session/{session_id}")
async def delete_session(session_id: str, request: Request,
                         force: Annotated[str, Query(max_length=10)] = "true") -> JSONResponse:
    """Control closes the session (every client resigned; the exercise and its record are kept)."""
    client_id(request)
    creds = _credentials(request)
    forced = force.strip().lower()
    if forced not in ("true", "false"):
        raise error("Request", "force must be true or false", force=force)

    def work(session: Any, who: Seated) -> int:
        return c2sim_sessions.close(session, who, forced == "true")

    _, resigned = await _act(request, session_id, creds, work)
    return JSONResponse({"message": f"session {session_id} closed ({resigned} client(s) resigned); the exercise "
                                    "and its record are kept"})


@router.get("/session/list")
def list_sessions(request: Request) -> JSONResponse:
    """The sessions in which the caller holds a seat."""
    client_id(request)
    db = _db(request)
    user = _user(request)
    with db.read() as session:
        return JSONResponse([s.to_dict() for s in c2sim_sessions.sessions_of(session, user)])


@router.get("/session/{session_id}/info")
def session_info(session_id: str, request: Request) -> JSONResponse:
    client_id(request)
    db = _db(request)
    _, found = _reading(db, session_id, _user(request))
    return JSONResponse(found)


@router.get("/session/{session_id}/initialization")
def session_initialization(session_id: str, request: Request) -> Response:
    """The initialization shared in the session's current run, while it executes (INITIALIZED or later)."""
    client_id(request)
    db = _db(request)
    user = _user(request)
    with db.read() as session:
        who = c2sim_sessions.in_session(session, session_id, user)
        state = who.exercise.c2sim_state
        text = c2sim_sessions.initialization(session, who.exercise) if state in c2sim_sessions.EXECUTING else None
    if text is None:
        raise error("NoInitialization", f"the session is {state}: its initialization is given once it has been "
                                        "shared (INITIALIZED, RUNNING, PAUSED)", state=state)
    return Response(text, media_type="application/xml")


@router.post("/session/{session_id}/send")
async def send(session_id: str, request: Request) -> JSONResponse:
    """One C2SIM Message: validated against the session's edition, then taken by kind (`c2sim_sessions.send`);
    an order whose tasks the law refuses answers C2SimError_Law naming each refused task."""
    cid = client_id(request)
    creds = _credentials(request)
    data = await _document(request)
    db = _db(request)
    user = await run_in_threadpool(_user, request)
    who, _ = await run_in_threadpool(_reading, db, session_id, user)
    try:
        message = await run_in_threadpool(read_server_message, data, who.exercise.c2sim_schema, "message.xml",
                                          MAX_SEND_BYTES)
    except C2simMessageError as exc:
        code = {"xml": "XML", "xsd": "XSD", "namespace": "Schema", "message": "Message"}[exc.reason]
        raise error(code, f"{exc.problem.path}:{exc.problem.line}: {exc.problem.message}", line=exc.problem.line,
                    sessionId=session_id) from None
    checker = request.app.state.checker

    def work(session: Any, seat: Seated) -> c2sim_sessions.Sent:
        return c2sim_sessions.send(session, seat, cid, message, checker)

    _, sent = await _act(request, session_id, creds, work)
    if sent.refused:
        raise error("Law", f"{len(sent.refused)} of {len(sent.messages)} task(s) refused by the law of the exercise's "
                           "arrangement; the refused tasks are not relayed", trackingId=sent.tracking_id,
                    refused=sent.refused, accepted=[m.id for m in sent.messages if m.status != "refused"])
    return JSONResponse({"trackingId": sent.tracking_id})


async def _document(request: Request) -> bytes:
    """The body's one document: XML as sent, or the `file` part of a multipart form."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in ("application/xml", "text/xml"):
        return await request.body()
    if media == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=4)
        except Exception as exc:  # python-multipart's refusals of a malformed form
            raise error("Request", f"multipart body could not be read: {exc}") from None
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise error("Request", "multipart/form-data: put the C2SIM document in a file part named 'file'")
        return await upload.read()
    raise error("ContentType", f"content type {media or '(none)'}: send application/xml (or multipart/form-data "
                               "with a part 'file')", contentType=media[:80])


@router.get("/session/{session_id}/stream-endpoints")
def stream_endpoints(session_id: str, request: Request) -> JSONResponse:
    """Where the client connects its WebSocket (with the same bearer token and clientId)."""
    cid = client_id(request)
    db = _db(request)
    who, _ = _reading(db, session_id, _user(request))
    scheme = "wss" if request.url.scheme == "https" else "ws"
    host = request.headers.get("host") or request.url.netloc
    name = c2sim_sessions.session_name(who.exercise)
    return JSONResponse({"websocket": {"url": f"{scheme}://{host}{PREFIX}/session/{name}/stream?clientId={cid}"}})


@router.get("/openapi.yaml")
def spec() -> Response:
    """The interface this server implements (the reference server's OpenAPI document, vendored)."""
    return Response(SPEC.read_text(encoding="utf-8"), media_type="application/yaml")


# --- the stream ----------------------------------------------------------------------------------------


@router.websocket("/session/{session_id}/stream")
async def stream(websocket: WebSocket, session_id: str) -> None:
    """Pushes C2SIM documents (text frames) to a joined client: what its seat may see, state changes,
    refusals of its orders. Authenticated by `Authorization: Bearer` on the handshake."""
    try:
        cid = client_id(websocket)
        header = websocket.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise error("Auth", "send 'Authorization: Bearer <token>' with the WebSocket handshake")
        db: Database = websocket.app.state.db
        found = await run_in_threadpool(logins.login_of, db, token.strip(), websocket.app.state.guards.sessions)
        if found is None:
            raise error("Auth", "the login token is unknown or expired")
        user = found.user
        who, _ = await run_in_threadpool(_reading, db, session_id, user)
        slot = websocket.app.state.streams.admit(user.id)
    except ExerciseError as exc:
        await websocket.close(code=WEBSOCKET_TRY_LATER if exc.status in (429, 503) else WEBSOCKET_POLICY,
                              reason=exc.message[:120])
        return
    hub = _hub(websocket)
    subscriber = Subscriber(cid, user.id)
    await websocket.accept()
    await hub.attach(who.exercise.id, subscriber)
    listener = asyncio.create_task(_until_closed(websocket))
    try:
        while not listener.done():
            getter = asyncio.create_task(subscriber.queue.get())
            done, _ = await asyncio.wait({getter, listener}, return_when=asyncio.FIRST_COMPLETED)
            if getter not in done:
                getter.cancel()
                break
            frame = getter.result()
            if frame is None:
                await websocket.close(code=WEBSOCKET_TRY_LATER if subscriber.overflowed else 1000)
                break
            await websocket.send_text(frame)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        listener.cancel()
        hub.detach(who.exercise.id, subscriber)
        slot.release()


async def _until_closed(websocket: WebSocket) -> None:
    """Read (and drop) what the client sends until it closes the connection."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
