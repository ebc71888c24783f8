"""Live updates by server-sent events: `GET /api/exercises/{eid}/events`, one stream per seat.

The stream polls the database (not process memory), so several server processes sharing one
PostgreSQL serve the same updates. A cursor of two numbers, the highest message id sent and the
audit-log entries seen, says where a client stands; it is each event's `id:`, and a reconnecting
browser sends it back as `Last-Event-ID`. New messages are read with `messages.visible_messages`
and messages whose status changed (found through the log's acts) with `messages.visible_by_ids`:
both go through `releasability.visible_to`, so a stream carries exactly what the seat may read.

Events: `message` (the API's JSON form of one message, new or changed), `exercise` (situation and
clock; control also gets the log's entry count), `end` (the login expired or the stream's time is up).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from . import auditlog, auth, clock, exercises, messages
from .api import Db, ExerciseId, Who, token_of
from .errors import ExerciseError
from .exercises import Context
from .store import Database

POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0
MAX_BATCH = 200
# Acts that change the status of a message that already exists, and the data keys naming it.
_STATUS_ACTS = {
    "order.delivered": ("order",),
    "order.denied": ("order",),
    "approval.granted": ("task", "order"),
    "approval.denied": ("task", "order"),
}

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
        """A cursor from `Last-Event-ID` (None when absent or malformed)."""
        head, sep, tail = (text or "").partition(".")
        if not (sep and head.isdigit() and tail.isdigit() and len(text or "") <= 24):
            return None
        return cls(int(head), int(tail))


def exercise_state(ctx: Context) -> dict[str, Any]:
    """The exercise facts every seat may see (control also gets the log's entry count)."""
    state: dict[str, Any] = {"situation": ctx.exercise.situation, "clock": clock.state(ctx.exercise).to_dict()}
    if ctx.is_control:
        state["log_count"] = ctx.exercise.log_count
        state["auto_injects"] = bool(ctx.exercise.auto_injects)
        state["auto_approvals"] = bool(ctx.exercise.auto_approvals)
    return state


def poll(ctx: Context, cursor: Cursor) -> tuple[list[tuple[str, dict[str, Any]]], Cursor]:
    """What the seat has not seen since `cursor`, as (event, data) pairs, and the cursor after them."""
    fresh = messages.visible_messages(ctx, None, cursor.message, MAX_BATCH)
    events = [("message", messages.view(ctx, m)) for m in fresh]
    newest = fresh[-1].id if fresh else cursor.message
    seq = cursor.seq
    if ctx.exercise.log_count > cursor.seq:
        entries = auditlog.entries(ctx.session, ctx.exercise.id, cursor.seq, 1000)
        seq = entries[-1].seq if entries else ctx.exercise.log_count
        changed = _changed_ids(entries) - {m.id for m in fresh}
        events += [("message", messages.view(ctx, m)) for m in messages.visible_by_ids(ctx, changed)
                   if m.id <= newest]
        events.append(("exercise", exercise_state(ctx)))
    return events, Cursor(newest, seq)


def start_cursor(ctx: Context, since: Cursor | None) -> Cursor:
    """`since` when the client resumes; else now, so a fresh page (already rendered) gets only news."""
    if since is not None:
        return since
    latest = messages.visible_messages(ctx, None, 0, 1, newest_first=True)
    return Cursor(latest[0].id if latest else 0, ctx.exercise.log_count)


def _changed_ids(entries: list[Any]) -> set[int]:
    ids: set[int] = set()
    for entry in entries:
        keys = _STATUS_ACTS.get(entry.act)
        if keys:
            data = json.loads(entry.data)
            ids.update(int(data[k]) for k in keys if isinstance(data.get(k), int))
    return ids


def format_event(event: str, data: dict[str, Any], cursor: Cursor | None = None) -> str:
    """One SSE frame."""
    head = f"id: {cursor.encode()}\n" if cursor else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _require_seat(db: Database, eid: int, who: Any) -> None:
    with db.read() as session:
        exercises.context(session, eid, who.user)


def _step(db: Database, eid: int, token: str, cursor: Cursor | None) -> tuple[list[str], Cursor] | None:
    """One poll in its own read transaction; None when the login is gone (logged out or expired)."""
    with db.read() as session:
        found = auth.resolve(session, token)
        if found is None:
            return None
        ctx = exercises.context(session, eid, found[0])
        if cursor is None:
            start = start_cursor(ctx, None)
            return [format_event("exercise", exercise_state(ctx), start)], start
        events, after = poll(ctx, cursor)
        return [format_event(name, data, after) for name, data in events], after


async def _stream(request: Request, db: Database, eid: int, token: str, since: Cursor | None,
                  max_seconds: float) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    cursor = since
    deadline = time.monotonic() + max_seconds
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and not await request.is_disconnected():
        try:
            step = await run_in_threadpool(_step, db, eid, token, cursor)
        except ExerciseError:
            step = None
        if step is None:
            yield format_event("end", {"reason": "login expired or seat gone; reload the page"})
            return
        frames, cursor = step
        for frame in frames:
            yield frame
        if frames:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()
        await asyncio.sleep(POLL_SECONDS)
    yield format_event("end", {"reason": "stream time is up; the browser reconnects"})


@router.get("/exercises/{eid}/events", tags=["messages"], include_in_schema=False)
async def exercise_events(
    eid: ExerciseId, request: Request, who: Who, db: Db,
    since: Annotated[str | None, Query(max_length=24, description="cursor `message.seq` to resume from")] = None,
    max_seconds: Annotated[float, Query(ge=0.5, le=3600)] = 300,
) -> StreamingResponse:
    """Server-sent events for your seat: new and changed messages you may see, situation and clock.

    Resumes from `Last-Event-ID` (a reconnecting browser), else from `since` (the cursor the page
    was rendered at), else from now.
    """
    token, _ = token_of(request)
    await run_in_threadpool(_require_seat, db, eid, who)  # 404 before the stream starts
    cursor = Cursor.parse(request.headers.get("last-event-id")) or Cursor.parse(since)
    return StreamingResponse(
        _stream(request, db, eid, token or "", cursor, max_seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
