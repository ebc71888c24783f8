"""What the C2SIM WebSocket pushes to each joined client, and when.

One watcher per exercise that has a stream open in this process reads, in one read transaction, the
messages and log entries written since it last looked, and turns them into C2SIM documents for each
client: every exercise message the client's seat may see (the one visibility rule, in Python) once,
as a C2SIM document — an order once it is delivered (written by the workbench's order writer), a report
or request as its sender wrote it — never back to the client that sent it; a state notification to every
joined client when the session's state changes (and, on ShareScenario, the initialization); and a
refusal (`ACKREQDEN`, in reply to the message) to a client whose order the law refused. The watcher
looks when a write in this process pokes it, and at least every `POLL_SECONDS`, so writes made by other
server processes on the same database are pushed too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from ...interop import OrderRecord, entity_uuid, order_message
from ...interop.c2sim_server import refusal, state_notification
from ...interop.codes import NULL_UUID
from ...model import Architecture, CatalogError, UnknownIdError
from ..db import auditlog, queries
from ..db.database import Database
from ..db.rows import ExerciseRecord, MessageRecord, SeatRecord
from ..db.tables import Message, table_of
from ..service import c2sim_sessions, catalog
from ..service.drafts import label_of
from ..service.releasability import may_see

POLL_SECONDS = 0.25
MAX_BATCH = 2000
MAX_QUEUED = 10_000  # frames waiting for one slow client before it is cut off
_CACHE = 4096
_ORIGINS = 100_000
log = logging.getLogger(__name__)


@dataclass(eq=False)
class Subscriber:
    """One open stream: the client it is for, the account that opened it, and what is waiting for it."""

    client_id: str
    user_id: int
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    pushed: set[int] = field(default_factory=set)
    overflowed: bool = False

    def put(self, frame: str | None) -> None:
        """Queue a frame (None: the stream ends)."""
        if frame is None or self.queue.qsize() >= MAX_QUEUED:
            self.overflowed = frame is not None
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(frame)


@dataclass(eq=False)
class _Watch:
    exercise_id: int
    subscribers: set[Subscriber] = field(default_factory=set)
    message: int = -1
    seq: int = -1
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    documents: OrderedDict[int, str | None] = field(default_factory=OrderedDict)
    origin: OrderedDict[int, str] = field(default_factory=OrderedDict)  # message -> the client that sent it


class PushHub:
    """The watchers of one server process."""

    def __init__(self, db: Database, poll_seconds: float = POLL_SECONDS) -> None:
        self._db = db
        self._poll = poll_seconds
        self._watches: dict[int, _Watch] = {}

    def poke(self, exercise_id: int) -> None:
        """A write of this process changed the exercise: look now."""
        watch = self._watches.get(exercise_id)
        if watch is not None:
            watch.wake.set()

    async def attach(self, exercise_id: int, subscriber: Subscriber) -> None:
        watch = self._watches.get(exercise_id)
        if watch is None:
            watch = self._watches[exercise_id] = _Watch(exercise_id)
            watch.message, watch.seq = await run_in_threadpool(self._cursor, exercise_id)
            watch.task = asyncio.create_task(self._run(watch))
        watch.subscribers.add(subscriber)

    def detach(self, exercise_id: int, subscriber: Subscriber) -> None:
        watch = self._watches.get(exercise_id)
        if watch is None:
            return
        watch.subscribers.discard(subscriber)
        if not watch.subscribers:
            del self._watches[exercise_id]
            if watch.task is not None:
                watch.task.cancel()

    async def close(self) -> None:
        for watch in list(self._watches.values()):
            for subscriber in watch.subscribers:
                subscriber.queue.put_nowait(None)
            if watch.task is not None:
                watch.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch.task
        self._watches.clear()

    def _cursor(self, exercise_id: int) -> tuple[int, int]:
        with self._db.read() as session:
            newest = session.execute(select(func.max(table_of(Message).c.id)).where(
                table_of(Message).c.exercise_id == exercise_id)).scalar()
            found = queries.exercise(session, exercise_id)
        return int(newest or 0), found.log_count if found is not None else 0

    async def _run(self, watch: _Watch) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.wake.wait(), self._poll)
            watch.wake.clear()
            try:
                frames = await run_in_threadpool(self._look, watch, list(watch.subscribers))
            except Exception:  # the next look tries again; a stream never dies of one failed read
                log.exception("C2SIM push: reading exercise %s failed", watch.exercise_id)
                continue
            for subscriber, frame in frames:
                subscriber.put(frame)

    def _look(self, watch: _Watch, subscribers: list[Subscriber]) -> list[tuple[Subscriber, str | None]]:
        with self._db.read() as session:
            exercise = queries.exercise(session, watch.exercise_id)
            if exercise is None:  # gone: every stream ends
                return [(s, None) for s in subscribers]
            if exercise.log_count <= watch.seq:
                return []
            entries = auditlog.entries(session, watch.exercise_id, watch.seq, MAX_BATCH)
            fresh = queries.messages(session, table_of(Message).c.exercise_id == watch.exercise_id,
                                     watch.message, MAX_BATCH)
            changed = {int(d["message"]) for d in (e.decoded() for e in entries) if "set" in d and "message" in d}
            changed -= {m.id for m in fresh}
            if changed:
                fresh += queries.messages(session, table_of(Message).c.id.in_(sorted(changed)), limit=None)
            joined = {c.client_id: c for c in queries.c2sim_clients(session, watch.exercise_id)}
            seats = {s.id: s for s, _ in queries.seats(session, watch.exercise_id)} if joined else {}
        if entries:
            watch.seq = entries[-1].seq
        if fresh:
            watch.message = max(watch.message, *(m.id for m in fresh))
        arch = catalog.arrangement(exercise.arrangement)
        frames: list[tuple[Subscriber, str | None]] = []
        active = [(s, seats[joined[s.client_id].seat_id]) for s in subscribers
                  if s.client_id in joined and joined[s.client_id].user_id == s.user_id
                  and joined[s.client_id].seat_id in seats]
        origin = watch.origin
        for entry in entries:
            data = entry.decoded()
            frames += self._entry_frames(exercise, arch, entry.act, data, active, seats, joined)
            received = data.get("received")
            if entry.act == "c2sim.received" and isinstance(received, dict):
                origin.update({int(m): str(data.get("c2sim_client")) for m in received.get("messages", [])})
                while len(origin) > _ORIGINS:
                    origin.popitem(last=False)
        for message in sorted(fresh, key=lambda m: m.id):
            if not _relayed(message):
                continue
            for subscriber, seat in active:
                if message.id in subscriber.pushed or origin.get(message.id) == subscriber.client_id:
                    continue
                if not may_see(seat, message.exercise_id, message.sender_org, message.recipients, label_of(message)):
                    continue
                document = self._document(watch, exercise, arch, message)
                if document:
                    subscriber.pushed.add(message.id)
                    frames.append((subscriber, document))
        return frames

    def _entry_frames(self, exercise: ExerciseRecord, arch: Architecture, act: str, data: dict[str, Any],
                      active: list[tuple[Subscriber, SeatRecord]], seats: dict[int, SeatRecord],
                      joined: dict[str, Any]) -> Iterable[tuple[Subscriber, str]]:
        """State notifications to all, the shared initialization to all, refusals to their sender."""
        edition = exercise.c2sim_schema
        if act == "c2sim.state":
            trigger = str(data.get("trigger", ""))
            note = state_notification(edition, trigger)
            frames = [(s, note.decode()) for s, _ in active] if note else []
            if trigger == "ShareScenario":
                with self._db.read() as session:
                    shared = c2sim_sessions.initialization(session, exercise)
                frames += [(s, shared) for s, _ in active] if shared else []
            return frames
        received = data.get("received")
        if act == "c2sim.received" and isinstance(received, dict) and received.get("refused"):
            client = str(data.get("c2sim_client"))
            target = next(((s, seat) for s, seat in active if s.client_id == client), None)
            if target is None:
                return []
            organization = target[1].organization
            to = entity_uuid(arch, organization) if organization in arch.organizations else NULL_UUID
            refused = refusal(edition, str(received.get("message_id") or NULL_UUID),
                              str(received.get("conversation_id") or NULL_UUID), NULL_UUID, to)
            return [(target[0], refused.decode())]
        return []

    def _document(self, watch: _Watch, exercise: ExerciseRecord, arch: Architecture, message: MessageRecord) -> str | None:
        cache = watch.documents
        if message.id in cache:
            return cache[message.id]
        document = message.body if message.kind != "order" else _order_document(exercise, arch, message)
        cache[message.id] = document
        while len(cache) > _CACHE:
            cache.popitem(last=False)
        return document


def _relayed(message: MessageRecord) -> bool:
    """What a C2SIM client is sent: delivered orders, and reports and requests that are C2SIM documents."""
    if message.kind == "order":
        return message.status == "delivered"
    return message.kind in ("report", "request") and c2sim_sessions.is_c2sim_text(message.body)


def _order_document(exercise: ExerciseRecord, arch: Architecture, message: MessageRecord) -> str | None:
    """A delivered exercise order as a C2SIM order (its subject as the task's name, its game time as the
    task's start); None for an order C2SIM cannot carry (an action with no task code)."""
    if not message.action or not message.unit or message.sender_org not in arch.organizations:
        return None
    record = OrderRecord(message.sender_org, message.unit, message.action, timedelta(seconds=int(message.game_time)),
                         message.subject)
    try:
        return order_message(arch, [record], schema=exercise.c2sim_schema, validate=False).decode()
    except (UnknownIdError, ValueError, CatalogError):
        return None
