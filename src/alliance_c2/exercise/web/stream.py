"""Live updates by server-sent events: `GET /api/exercises/{eid}/events`, one stream per seat.

A stream reads the database (not process memory), so several server processes sharing one database
serve the same updates; it reads only when the exercise's log has moved, which the process's `Hub`
tells it (its own writes at once, other processes' by PostgreSQL's LISTEN/NOTIFY or, on SQLite, a poll
of the entry counts), and at least every `KEEPALIVE_SECONDS` (the login is checked then too). A cursor
of two numbers, the highest message id sent and the audit-log entries seen, says where a client stands; it is each event's `id:`, and a reconnecting
browser sends it back as `Last-Event-ID`. New messages and messages whose status changed (found
through the log) are both read through the one visibility rule, so a stream carries exactly what the
seat may read.

Events: `message` (the API's JSON form of one message, new or changed), `exercise` (situation and
clock; control also gets the log's entry count and the clock switches), `end` (the login expired or
the stream's time is up). Each account may hold `MAX_STREAMS_PER_USER` streams at once in a server
process (a tab each), and a process `MAX_STREAMS` in all.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from ..db.database import Database
from ..service import clock, exercises, logins, messages
from ..service.errors import ExerciseError, invalid
from ..service.exercises import Seated
from .deps import Caller, ExerciseId, Guards, Who, guards_of, token_of
from .hub import Hub

KEEPALIVE_SECONDS = 15.0
MAX_BATCH = 200
MAX_STREAMS_PER_USER = 4
MAX_STREAMS = 256
_CURSOR = re.compile(r"^([0-9]{1,10})\.([0-9]{1,10})$", re.ASCII)
_LARGEST = 2**31 - 1

router = APIRouter(prefix="/api")


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a client stands: the highest message id sent and the number of log entries seen."""

    message: int = 0
    seq: int = 0

    def encode(self) -> str:
        return f"{self.message}.{self.seq}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """A cursor from `message.seq` in ASCII digits, each at most 2**31 - 1 (None otherwise)."""
        found = _CURSOR.match(text or "")
        if found is None:
            return None
        message, seq = int(found.group(1)), int(found.group(2))
        return cls(message, seq) if message <= _LARGEST and seq <= _LARGEST else None


class StreamGate:
    """How many streams are open, per account and in all, in this server process."""

    def __init__(self, per_user: int = MAX_STREAMS_PER_USER, total: int = MAX_STREAMS) -> None:
        self._per_user = per_user
        self._total = total
        self._open: dict[int, int] = {}
        self._lock = threading.Lock()

    def admit(self, user_id: int) -> _Slot:
        with self._lock:
            if sum(self._open.values()) >= self._total:
                raise ExerciseError(503, "too many live streams on this server; the page retries by itself")
            if self._open.get(user_id, 0) >= self._per_user:
                raise ExerciseError(429, f"at most {self._per_user} live streams per account: close a tab "
                                         "showing this exercise")
            self._open[user_id] = self._open.get(user_id, 0) + 1
        return _Slot(lambda: self._release(user_id))

    def _release(self, user_id: int) -> None:
        with self._lock:
            left = self._open.get(user_id, 0) - 1
            if left > 0:
                self._open[user_id] = left
            else:
                self._open.pop(user_id, None)


class _Slot:
    """One admitted stream; `release` may be called more than once (the stream's end and the response's)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


def exercise_state(who: Seated) -> dict[str, Any]:
    """The exercise facts every seat may see (control also gets the log's entry count and switches)."""
    state: dict[str, Any] = {"situation": who.exercise.situation, "clock": clock.state(who.exercise).to_dict(),
                             "c2sim_state": who.exercise.c2sim_state}
    if who.is_control:
        state["log_count"] = who.exercise.log_count
        state["auto_injects"] = who.exercise.auto_injects
        state["auto_approvals"] = who.exercise.auto_approvals
    return state


def poll(session: Any, who: Seated, cursor: Cursor) -> tuple[list[tuple[str, dict[str, Any]]], Cursor]:
    """What the seat has not seen since `cursor`, as (event, data) pairs, and the cursor after them."""
    fresh = messages.visible(session, who, None, cursor.message, MAX_BATCH)
    events = [("message", messages.view(who, m).to_dict()) for m in fresh]
    newest = fresh[-1].id if fresh else cursor.message
    seq = cursor.seq
    if who.exercise.log_count > cursor.seq:
        changed, seq = messages.changed_since(session, who, cursor.seq)
        events += [("message", messages.view(who, m).to_dict())
                   for m in messages.visible_by_ids(session, who, changed - {m.id for m in fresh}) if m.id <= newest]
        events.append(("exercise", exercise_state(who)))
    return events, Cursor(newest, seq)


def start_cursor(session: Any, who: Seated) -> Cursor:
    """Now: a fresh page (already rendered) gets only news."""
    latest = messages.visible(session, who, None, 0, 1, newest_first=True)
    return Cursor(latest[0].id if latest else 0, who.exercise.log_count)


def format_event(event: str, data: dict[str, Any], cursor: Cursor | None = None) -> str:
    """One SSE frame."""
    head = f"id: {cursor.encode()}\n" if cursor else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _require_seat(db: Database, guards: Guards, eid: int, who: Caller) -> None:
    with db.read() as session:
        guards.watch.admit(exercises.seated(session, eid, who.user))


def _step(db: Database, guards: Guards, eid: int, token: str,
          cursor: Cursor | None) -> tuple[list[str], Cursor, int] | None:
    """One read in its own transaction: the frames, the cursor after them and the entry count seen; None
    when the login is gone (logged out, expired, idle) or the seat may no longer read (a frozen exercise)."""
    found = logins.login_of(db, token, guards.sessions)
    if found is None:
        return None
    with db.read() as session:
        who = exercises.seated(session, eid, found.user)
        guards.watch.admit(who)
        if cursor is None:
            start = start_cursor(session, who)
            return [format_event("exercise", exercise_state(who), start)], start, who.exercise.log_count
        events, after = poll(session, who, cursor)
        return [format_event(name, data, after) for name, data in events], after, who.exercise.log_count


async def _stream(request: Request, eid: int, token: str, since: Cursor | None, max_seconds: float,
                  slot: _Slot) -> AsyncIterator[str]:
    db: Database = request.app.state.db
    hub: Hub = request.app.state.hub
    guards = guards_of(request)
    try:
        yield "retry: 2000\n\n"
        cursor = since
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline and not await request.is_disconnected():
            try:
                step = await run_in_threadpool(_step, db, guards, eid, token, cursor)
            except ExerciseError:
                step = None
            if step is None:
                yield format_event("end", {"reason": "login expired, seat gone or exercise frozen; reload the page"})
                return
            frames, cursor, seen = step
            for frame in frames:
                yield frame
            wait = min(KEEPALIVE_SECONDS, deadline - time.monotonic())
            if wait > 0 and not await hub.wait(eid, seen, wait) and time.monotonic() < deadline:
                yield ": keep-alive\n\n"
        yield format_event("end", {"reason": "stream time is up; the browser reconnects"})
    finally:
        slot.release()


@router.get("/exercises/{eid}/events", tags=["messages"], include_in_schema=False)
async def exercise_events(
    eid: ExerciseId, request: Request, who: Who,
    since: Annotated[str | None, Query(max_length=24, description="cursor `message.seq` to resume from")] = None,
    max_seconds: Annotated[float, Query(ge=0.5, le=3600)] = 300,
) -> StreamingResponse:
    """Server-sent events for your seat: new and changed messages you may see, situation and clock.

    Resumes from `Last-Event-ID` (a reconnecting browser), else from `since` (the cursor the page
    was rendered at), else from now.
    """
    resume = Cursor.parse(since)
    if since is not None and resume is None:
        raise invalid(f"since: {since!r} is not a cursor: two numbers `message.seq` (0 to {_LARGEST})")
    token, _ = token_of(request)
    await run_in_threadpool(_require_seat, request.app.state.db, guards_of(request), eid, who)  # 404 before it starts
    slot = request.app.state.streams.admit(who.user.id)
    cursor = Cursor.parse(request.headers.get("last-event-id")) or resume
    return StreamingResponse(
        _stream(request, eid, token or "", cursor, max_seconds, slot),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        background=BackgroundTask(slot.release),
    )
