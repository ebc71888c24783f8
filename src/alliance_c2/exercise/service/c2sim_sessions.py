"""The exercise as a C2SIM shared session: sessions, clients, the state machine and `send`.

Each exercise is the shared session `exercise-<id>` (or the name a control account created it under).
A C2SIM client joins with an account's login and acts for that account's seat and nothing else; its
`clientId` names it, never authenticates it. Everything a client does goes through the functions the
pages use: an order is read into tasks as `order check` reads them, and each task is issued with
`orders.issue_order`, so the law engine's verdict, the approvals, releasability and the signed record
are the same as for an order given on a seat page. A report or other domain message becomes an exercise
report (its C2SIM text as the body) released by the rule below; the state machine moves the exercise
clock. Every act is a log entry (`c2sim.*`), so the record shows what each client did.

C2SIM carries no releasability: a message from a client is classified by its header's
`SecurityClassificationCode` (UNCLASSIFIED when absent) and released to the sender's nation and the
nations of the organizations it is addressed to (the performing units of an order's tasks, a report's
`ToReceiver`); a report to nobody in particular goes to the organizations of the sender's own nation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ...interop import organization_for, task_verbs
from ...interop.c2sim_server import (
    DOMAIN,
    INITIALIZATION,
    OBJECT_INITIALIZATION,
    SYSTEM,
    ServerMessage,
    receivers,
    sender,
)
from ...interop.message import C2simMessage
from ...interop.order_check import map_task
from ...interop.order_read import order_of
from ...interop.schema import SCHEMAS
from ..db import auditlog, projection, queries, tx
from ..db.projection import Change
from ..db.rows import C2simClientRecord, ExerciseRecord, MessageRecord, UserRecord
from ..db.tables import C2simClient, Exercise, table_of
from . import clock, session_states
from .errors import ExerciseError
from .exercises import Seated, create_exercise, require_control, require_sender, seated, store
from .messages import label_for
from .messages import send as send_message
from .orders import Checker, issue_order
from .releasability import CLASSIFICATIONS

SESSION_PREFIX = "exercise-"
SESSION_PATTERN = re.compile(r"^(?:[A-Za-z0-9._~\-]|%[0-9A-Fa-f]{2})+$")
_EXERCISE_NAME = re.compile(r"^exercise-([0-9]{1,10})$")
MAX_SESSION_NAME = 200
DEFAULT_ARRANGEMENT = "2024-proposal"
# The edition names a client may give as `c2simSchemaVersion`, and the edition each stands for. "1.0.2" is
# the CWIX 2025 schema's own version number, published in the .../C2SIM/1.1 namespace.
SCHEMA_NAMES = {"2.0.0": "2.0.0", "2.0.0-cwix2026": "2.0.0", "1.1": "1.1", "1.0.2": "1.1", "CWIX2025": "1.1",
                "1.0.0": "1.0.0"}
EXECUTING = ("INITIALIZED", "RUNNING", "PAUSED")
_CLASSIFICATIONS = {"Unclassified": "UNCLASSIFIED", "Confidential": "CONFIDENTIAL", "Secret": "SECRET",
                    "TopSecret": "SECRET"}
_INIT_ACTS = ("c2sim.initialization", "c2sim.initialization.cleared")
_CLIENTS = table_of(C2simClient)


class C2simError(ExerciseError):
    """A request the C2SIM interface refuses: answered as the spec's `C2SimError {code, message, details}`."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None, status: int = 400) -> None:
        super().__init__(status, message)
        self.code = code
        self.details = details or {}


def error(code: str, message: str, **details: Any) -> C2simError:
    return C2simError(f"C2SimError_{code}", message, {k: v for k, v in details.items() if v is not None})


# --- sessions ----------------------------------------------------------------------------------------


def check_session_name(name: str) -> None:
    if len(name) > MAX_SESSION_NAME or not SESSION_PATTERN.match(name):
        raise error("SessionId", f"session id {name[:80]!r} is not an RFC 3986 unreserved or percent-encoded "
                                 f"string of at most {MAX_SESSION_NAME} characters", sessionId=name[:80])


def exercise_id_of(session: Session, name: str) -> int | None:
    """The exercise a session name stands for: `exercise-<id>`, or the name it was created under."""
    check_session_name(name)
    found = _EXERCISE_NAME.match(name)
    if found is not None:
        number = int(found.group(1))
        return number if 0 < number <= 2**31 - 1 else None
    return queries.exercise_named(session, name)


def session_name(exercise: ExerciseRecord) -> str:
    return exercise.c2sim_session or f"{SESSION_PREFIX}{exercise.id}"


def in_session(session: Session, name: str, user: UserRecord, lock: bool = False) -> Seated:
    """The caller's seat in the session's exercise; the same refusal whether it does not exist or the caller
    holds no seat in it (as the exercise API's 404)."""
    eid = exercise_id_of(session, name)
    try:
        if eid is None:
            raise ExerciseError(404, "no such session")
        return seated(session, eid, user, lock)
    except ExerciseError as exc:
        if exc.status != 404:
            raise
        raise error("UnknownSession", f"session {name!r} does not exist (or you hold no seat in its exercise)",
                    sessionId=name) from None


def edition_of(name: str) -> str:
    """The edition a `c2simSchemaVersion` names ("2.0.0-cwix2026", "1.1", "1.0.0" ...)."""
    found = SCHEMA_NAMES.get(name.strip())
    if found is None:
        raise error("Schema", f"C2SIM schema version {name[:40]!r} is not supported; choose from: "
                              f"{', '.join(SCHEMA_NAMES)}", c2simSchemaVersion=name[:40])
    return found


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What the spec's `DynamicSessionInfo` says of a session."""

    name: str
    created_at: str
    schema: str
    display_name: str
    description: str
    state: str

    def to_dict(self) -> dict[str, Any]:
        return {"sessionName": self.name, "createdAt": self.created_at, "state": self.state,
                "info": {"c2simSchemaVersion": SCHEMAS[self.schema].label.split(" ")[0],
                         "displayName": self.display_name, "description": self.description}}


def info(session: Session, exercise: ExerciseRecord) -> SessionInfo:
    created = session.execute(select(table_of(Exercise).c.created_at).where(
        table_of(Exercise).c.id == exercise.id)).scalar()
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ") if created is not None else "1970-01-01T00:00:00Z"
    return SessionInfo(session_name(exercise), stamp, exercise.c2sim_schema, exercise.name,
                       exercise.c2sim_description, exercise.c2sim_state)


def sessions_of(session: Session, user: UserRecord) -> list[SessionInfo]:
    """Every session (exercise) in which the user holds a seat."""
    return [info(session, e) for e, _ in queries.exercises_of(session, user.id)]


@dataclass(frozen=True, slots=True)
class Creation:
    """Extra fields a control account may give when `create` makes a new exercise (else the defaults)."""

    arrangement: str = DEFAULT_ARRANGEMENT
    scenario: str | None = None
    situation: str | None = None
    reforms: tuple[str, ...] = ()


def create_or_update(session: Session, user: UserRecord, name: str, schema: str, display_name: str,
                     description: str, creation: Creation) -> tuple[bool, Seated]:
    """`create`: a new exercise under `name` (control accounts only), or, for an existing session, its
    display name and description changed (its control only; the schema edition never changes)."""
    edition = edition_of(schema)
    eid = exercise_id_of(session, name)
    if eid is not None:
        who = in_session(session, name, user, lock=True)
        require_control(who)
        if edition != who.exercise.c2sim_schema:
            raise error("SchemaChange", f"session {name!r} uses C2SIM {SCHEMAS[who.exercise.c2sim_schema].label}; "
                                        "the schema cannot change during a session", sessionId=name)
        after = replace(who.exercise, name=display_name or who.exercise.name, c2sim_description=description)
        if after != who.exercise:
            stored = store(session, who, [projection.exercise_changed("c2sim.session.updated", who.exercise, after)])
            who = replace(who, exercise=stored)
        return False, who
    if _EXERCISE_NAME.match(name):
        raise error("UnknownSession", f"{name!r} names an exercise that does not exist; create a session under "
                                      "another name (it becomes a new exercise)", sessionId=name)
    if not user.control:
        raise error("Forbidden", "only control accounts create sessions (alliance-c2 users add NAME --control)")
    created = create_exercise(session, user, display_name or name, creation.arrangement, creation.scenario,
                              creation.situation, list(creation.reforms), c2sim_session=name, c2sim_schema=edition,
                              c2sim_description=description)
    return True, created


def close(session: Session, who: Seated, force: bool) -> int:
    """`delete`: control ends the session: every client resigned, the state back to UNINITIALIZED, the
    clock paused. The exercise and its signed record stay. The number of clients resigned."""
    require_control(who)
    joined = queries.c2sim_clients(session, who.exercise.id)
    if joined and not force:
        raise error("ClientsJoined", f"{len(joined)} client(s) are joined; delete with force=true to resign them",
                    clients=len(joined))
    for client in joined:
        _set_client(session, client, active=False)
    after = replace(_paused(who.exercise), c2sim_state=session_states.DEFAULT_STATE)
    store(session, who, [projection.exercise_changed("c2sim.session.closed", who.exercise, after,
                                                     resigned=[c.client_id for c in joined])])
    return len(joined)


def _paused(exercise: ExerciseRecord) -> ExerciseRecord:
    return clock.changed(exercise, "pause") if exercise.clock_state == "running" else exercise


# --- clients ------------------------------------------------------------------------------------------


def join(session: Session, who: Seated, client_id: str, display_name: str, system_name: str) -> C2simClientRecord:
    """The client joins the session for the caller's seat (again, if it had resigned)."""
    known = {c.client_id: c for c in queries.c2sim_clients(session, who.exercise.id, active_only=False)}
    found = known.get(client_id)
    if found is not None and found.active and found.user_id != who.user.id:
        raise error("ClientId", f"clientId {client_id} is joined to this session by another account; "
                                "choose another clientId", clientId=client_id)
    client = C2simClientRecord(
        id=found.id if found is not None else tx.next_id(session, _CLIENTS), exercise_id=who.exercise.id,
        client_id=client_id, user_id=who.user.id, seat_id=who.seat.id, display_name=display_name[:200],
        system_name=(system_name or display_name)[:200], active=True, joined_at=auditlog.now_text())
    if found is None:
        tx.queue_insert(session, _CLIENTS, [{"id": client.id, "exercise_id": client.exercise_id, **client.values()}])
    else:
        _set_client(session, client, active=True)
    store(session, who, [Change("c2sim.joined", {"c2sim_client": client_id, "joined": {
        **client.values(), "organization": who.seat.organization, "nation": who.seat.nation}})])
    return client


def resign(session: Session, who: Seated, client_id: str, reason: str) -> None:
    client = joined_client(session, who, client_id)
    _set_client(session, client, active=False)
    store(session, who, [Change("c2sim.resigned", {"c2sim_client": client_id, "resigned": reason[:500]})])


def joined_client(session: Session, who: Seated, client_id: str) -> C2simClientRecord:
    """The caller's client joined to this session; a refusal naming what to do otherwise."""
    found = next((c for c in queries.c2sim_clients(session, who.exercise.id) if c.client_id == client_id), None)
    if found is None:
        raise error("NotJoined", f"client {client_id} has not joined session {session_name(who.exercise)}: "
                                 "join first", clientId=client_id, sessionId=session_name(who.exercise))
    if found.user_id != who.user.id:
        raise error("ClientId", f"client {client_id} is joined by another account", clientId=client_id)
    return found


_SET_CLIENT = update(_CLIENTS).where(_CLIENTS.c.id == bindparam("cid")).values(
    active=bindparam("active"), user_id=bindparam("uid"), seat_id=bindparam("sid"))


def _set_client(session: Session, client: C2simClientRecord, active: bool) -> None:
    tx.queue_update(session, _SET_CLIENT, {"cid": client.id, "active": active, "uid": client.user_id,
                                           "sid": client.seat_id})


# --- send -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Sent:
    """What one `send` did: its tracking id, the exercise messages it made, and the tasks the law refused."""

    tracking_id: str
    messages: list[MessageRecord] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    state: str | None = None


def send(session: Session, who: Seated, client_id: str, message: ServerMessage, checker: Checker) -> Sent:
    """One C2SIM message from a joined client, by kind: a state trigger, the initialization, an order, or
    another domain message. Refused before anything is stored unless the message is an order whose tasks
    the law refuses (those are stored as refused orders, as on the pages, and listed in `refused`)."""
    client = joined_client(session, who, client_id)
    state = who.exercise.c2sim_state
    if message.category == SYSTEM:
        return _trigger(session, who, client, message)
    if message.category == INITIALIZATION:
        return _initialization(session, who, client, message)
    if state != "RUNNING" and not (message.category == OBJECT_INITIALIZATION and state != "UNINITIALIZED"):
        raise error("State", f"the session is {state}: {message.kind} is accepted only while it is RUNNING",
                    state=state, kind=message.kind)
    if message.category == DOMAIN and message.kind == "OrderBody":
        return _order(session, who, client, message, checker)
    if message.category in (DOMAIN, OBJECT_INITIALIZATION):
        return _domain(session, who, client, message)
    raise error("Unsupported", f"{message.category} messages are not taken by this server", kind=message.kind)


def _received(session: Session, who: Seated, client: C2simClientRecord, message: ServerMessage,
              made: Sequence[MessageRecord], refused: Sequence[dict[str, Any]] = ()) -> str:
    """Log what the client sent (the messages it made, the tasks refused); its tracking id."""
    stored = store(session, who, [Change("c2sim.received", {"c2sim_client": client.client_id, "received": {
        "message_id": message.message_id, "conversation_id": message.conversation_id, "kind": message.kind,
        "messages": [m.id for m in made], "refused": [r["order"] for r in refused]}})])
    return f"{session_name(stored)}/{stored.log_count}"


def _trigger(session: Session, who: Seated, client: C2simClientRecord, message: ServerMessage) -> Sent:
    trigger = message.kind
    if trigger not in session_states.TRIGGERS:
        raise error("Unsupported", f"system message {trigger} is not taken by this server; it takes: "
                                   f"{', '.join(session_states.TRIGGERS)}", kind=trigger)
    if not who.is_control:
        raise error("Forbidden", f"{trigger}: only the exercise control cell moves the session (join with a "
                                 "control account)", kind=trigger)
    state = who.exercise.c2sim_state
    try:
        target = session_states.after(state, trigger)
    except session_states.StateError as exc:
        raise error("State", str(exc), state=state, kind=trigger) from None
    if trigger == "ShareScenario" and initialization(session, who.exercise) is None:
        raise error("State", "ShareScenario: no initialization was submitted (send a C2SIMInitializationBody "
                             "message while INITIALIZING)", state=state)
    action = session_states.clock_action(trigger, who.exercise.clock_state)
    moved = who.exercise if action is None else clock.changed(who.exercise, action)  # type: ignore[arg-type]
    after = replace(moved, c2sim_state=target)
    changes = [projection.exercise_changed("c2sim.state", who.exercise, after, trigger=trigger, **{
        "from": state, "to": target, "c2sim_client": client.client_id})]
    if trigger in ("SubmitInitialization", "ResetScenario"):
        changes.append(Change("c2sim.initialization.cleared", {"c2sim_client": client.client_id}))
    stored = store(session, who, changes)
    return Sent(f"{session_name(stored)}/{stored.log_count}", state=target)


def _initialization(session: Session, who: Seated, client: C2simClientRecord, message: ServerMessage) -> Sent:
    if not who.is_control:
        raise error("Forbidden", "the initialization is submitted by the exercise control cell (join with a "
                                 "control account)")
    state = who.exercise.c2sim_state
    if state != "INITIALIZING":
        raise error("State", f"an initialization is taken while the session is INITIALIZING, not {state} "
                             "(send SubmitInitialization first)", state=state)
    stored = store(session, who, [Change("c2sim.initialization", {
        "c2sim_client": client.client_id, "message_id": message.message_id, "initialization": message.text()})])
    return Sent(f"{session_name(stored)}/{stored.log_count}")


def initialization(session: Session, exercise: ExerciseRecord) -> str | None:
    """The initialization submitted in the session's current run (None after a reset or before one)."""
    found = queries.latest_entry(session, exercise.id, _INIT_ACTS)
    if found is None or found[1] != "c2sim.initialization":
        return None
    text = json.loads(found[2]).get("initialization")
    return text if isinstance(text, str) else None


def _label(who: Seated, message: ServerMessage, nations: Sequence[str]) -> Any:
    classification = _CLASSIFICATIONS.get(message.classification or "", CLASSIFICATIONS[0])
    return label_for(who, classification, sorted({who.seat.nation, *nations} & set(who.arch.nations)))


def _sender(who: Seated, message: ServerMessage) -> str | None:
    """`as_organization` for the act: a player's seat is the sender whatever `FromSender` says; control acts
    as the organization `FromSender` names."""
    if not who.is_control:
        return None
    named = sender(message)
    found = organization_for(who.arch, named) if named else None
    if found is None:
        raise error("Sender", "control sends as an organization of the arrangement: FromSender must name one "
                              f"(by its C2SIM UUID); {named or 'none'} does not", fromSender=named)
    return found


def _acting(who: Seated, as_organization: str | None) -> Seated:
    """For control acting as an organization, the seat's nation is that organization's (for labels)."""
    if as_organization is None:
        return who
    return replace(who, seat=replace(who.seat, nation=who.arch.organizations[as_organization].nation))


def _order(session: Session, who: Seated, client: C2simClientRecord, message: ServerMessage,
           checker: Checker) -> Sent:
    """Each task of the order checked and issued as an exercise order of the client's organization."""
    require_sender(who)
    order = order_of(C2simMessage("order.xml", message.edition, message.body))
    if not order.tasks:
        raise error("Task", "the order has no ManeuverWarfareTask to carry out")
    as_org = _sender(who, message)
    verbs = task_verbs()
    mapped = [map_task(who.arch, t, verbs) for t in order.tasks]
    bad = [m for m in mapped if m.problem_en]
    if bad:
        first = bad[0]
        raise error("Task", f"order.xml:{first.task.line}: {first.problem_en}", line=first.task.line,
                    tasks=[{"task": m.task.uuid, "line": m.task.line, "problem": m.problem_en,
                            "problem_ja": m.problem_ja} for m in bad])
    labelled = _acting(who, as_org)
    made: list[MessageRecord] = []
    refused: list[dict[str, Any]] = []
    for task in mapped:
        assert task.unit is not None and task.action is not None
        label = _label(labelled, message, [who.arch.organizations[task.unit].nation])
        subject = (task.task.name or f"C2SIM order {order.order_id or message.message_id}")[:300]
        body = (f"C2SIM {order.edition_label} order {order.order_id or '-'}, task {task.task.uuid or '-'} "
                f"({task.task.verb}) from client {client.client_id}; message {message.message_id}")
        issued = issue_order(session, who, task.action, task.unit, subject, body, label, as_org, None, checker)
        made.append(issued)
        if issued.status == "refused":
            refused.append(_refusal(task.task.uuid, task.task.name, issued))
    return Sent(_received(session, who, client, message, made, refused), made, refused)


def _refusal(task_uuid: str, name: str | None, order: MessageRecord) -> dict[str, Any]:
    """A refused task as the C2SimError's details name it: the reasons, each with its article."""
    verdict = order.verdict or {}
    full = verdict.get("verdict") or {}
    return {
        "task": task_uuid, "name": name, "order": order.id, "unit": order.unit, "action": order.action,
        "reasons": [{"rule": b.get("rule"), "reason": b.get("reason"), "reason_ja": b.get("reason_ja"),
                     "article": b.get("source"), "constraint": b.get("constraint")}
                    for b in full.get("blocked_by", [])],
        "articles": [c.get("article") for c in full.get("citations", []) if c.get("article")],
    }


def _domain(session: Session, who: Seated, client: C2simClientRecord, message: ServerMessage) -> Sent:
    """A report (or request, plan, acknowledgement, object initialization) delivered as an exercise message
    with its C2SIM text as the body."""
    require_sender(who)
    as_org = _sender(who, message)
    acting = _acting(who, as_org)
    origin = as_org or who.seat.organization
    addressed = [o for o in (organization_for(who.arch, r) for r in receivers(message)) if o and o != origin]
    nation = acting.seat.nation
    targets = list(dict.fromkeys(addressed)) or [o.id for o in who.arch.organizations.values()
                                                 if o.nation == nation and o.id != origin]
    label = _label(acting, message, [who.arch.organizations[o].nation for o in targets])
    kind = "request" if message.kind == "RequestBody" else "report"
    subject = f"C2SIM {message.kind.removesuffix('Body')} from {client.system_name}"[:300]
    if not targets:
        raise error("Receiver", "the message is addressed to nobody this server can deliver to")
    made = send_message(session, who, kind, targets[:64], subject, message.text(), label, as_org, None)
    return Sent(_received(session, who, client, message, [made]), [made])


def is_c2sim_text(body: str) -> bool:
    """Whether an exercise message's body is a C2SIM document (what a client's report became)."""
    return body.startswith("<Message") or body.startswith("<?xml")


__all__ = [
    "C2simError",
    "Creation",
    "Sent",
    "SessionInfo",
    "close",
    "create_or_update",
    "edition_of",
    "error",
    "exercise_id_of",
    "in_session",
    "info",
    "initialization",
    "join",
    "joined_client",
    "resign",
    "send",
    "session_name",
    "sessions_of",
]
