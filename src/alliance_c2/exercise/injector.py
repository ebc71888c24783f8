"""Scenario injects released on the clock: a loop in each server process.

Every `POLL_SECONDS` the loop reads which exercises have `auto_injects` on, a scenario and a running
clock, and whether any of their injects is due (its minute reached, not yet released). For each such
exercise it hands one write to the exercise writer, which checks again under the exercise lock and
releases what is still due, as the clock (`clock@exercise-control` in the audit log). Several server
processes sharing one database may all run the loop: the check under the lock releases each inject once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import exercises, messages
from .store import Database, Exercise
from .writer import Writer

POLL_SECONDS = 0.5
CLOCK_ACTOR = "clock@exercise-control"
log = logging.getLogger(__name__)


def exercises_with_due_injects(db: Database) -> list[int]:
    """Exercises (ids) whose clock has reached an inject not yet released, by a read without locks."""
    with db.read() as session:
        candidates = session.execute(
            select(Exercise).where(Exercise.auto_injects.is_(True), Exercise.clock_state == "running",
                                   Exercise.scenario.is_not(None))
        ).scalars().all()
        return [e.id for e in candidates if messages.due_injects(session, e)]


def release_job(exercise_id: int) -> Callable[[Session], list[int]]:
    """The write that releases the exercise's due injects under its lock (ids of the injects released)."""

    def job(session: Session) -> list[int]:
        ctx = exercises.control_context(session, exercise_id, CLOCK_ACTOR)
        if ctx is None or not ctx.exercise.auto_injects:
            return []
        return [m.id for m in messages.release_due(ctx)]

    return job


async def run(db: Database, writer: Writer, poll: float = POLL_SECONDS) -> None:
    """Release due injects until cancelled; a failing round is logged and the next one tried."""
    while True:
        try:
            due = await asyncio.to_thread(exercises_with_due_injects, db)
            for eid in due:
                await writer.run(eid, release_job(eid))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("releasing scenario injects on the clock failed; trying again")
        await asyncio.sleep(poll)
