"""What the exercise clock does by itself: a loop in each server process.

Every `POLL_SECONDS` the loop reads which exercises with a running clock have work due: with
`auto_injects`, a scenario inject whose minute has come and that is not released yet; with
`auto_approvals`, an approval no seat holds whose typical duration (law catalog) has passed since it
was routed. For each such exercise it hands one write to the exercise writer, which checks again
under the exercise lock and does what is still due, as the clock (`clock@exercise-control` in the
audit log). Several server processes sharing one database may all run the loop: the check under the
lock does each thing once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import exercises, messages
from .store import Database, Exercise
from .writer import Writer

POLL_SECONDS = 0.5
CLOCK_ACTOR = "clock@exercise-control"
log = logging.getLogger(__name__)


def exercises_with_due_work(db: Database) -> list[int]:
    """Exercises (ids) with an inject or an unseated approval due, by a read without locks."""
    with db.read() as session:
        candidates = session.execute(
            select(Exercise).where(or_(Exercise.auto_injects.is_(True), Exercise.auto_approvals.is_(True)),
                                   Exercise.clock_state == "running")
        ).scalars().all()
        return [e.id for e in candidates
                if (e.auto_injects and messages.waiting_injects(session, e)) or messages.due_approvals(session, e)]


def release_job(exercise_id: int) -> Callable[[Session], list[int]]:
    """The write that, under the exercise's lock, releases its due injects and grants its due unseated
    approvals (ids of the messages released or granted)."""

    def job(session: Session) -> list[int]:
        ctx = exercises.control_context(session, exercise_id, CLOCK_ACTOR)
        if ctx is None:
            return []
        released = messages.release_due(ctx) if ctx.exercise.auto_injects else []
        return [m.id for m in released] + [m.id for m in messages.grant_due_approvals(ctx)]

    return job


async def run(db: Database, writer: Writer, poll: float = POLL_SECONDS) -> None:
    """Do what is due until cancelled; a failing exercise is logged and tried again at the next round,
    without holding up the others."""
    while True:
        try:
            due = await asyncio.to_thread(exercises_with_due_work, db)
        except Exception:
            log.exception("reading what the exercise clocks have due failed; trying again")
            due = []
        for eid in due:
            try:
                await writer.run(eid, release_job(eid))
            except Exception:
                log.exception("exercise %s: releasing injects or granting approvals on the clock failed", eid)
        await asyncio.sleep(poll)
