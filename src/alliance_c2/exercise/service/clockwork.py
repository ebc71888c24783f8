"""What the exercise clock does by itself: a loop in each server process.

Every `POLL_SECONDS` the loop reads which exercises with a running clock have work due: with
`auto_injects`, a scenario inject whose minute has come and that is not released yet; with
`auto_approvals`, an approval no seat holds whose typical duration (law catalog) has passed since it
was routed. For each such exercise it hands one write to the exercise writer, which checks again
under the exercise lock and does what is still due, as the clock (`clock@exercise-control` in the
audit log). Several server processes sharing one database may all run the loop: the check under the
lock does each thing once.

A frozen exercise (its record failed its check, see `watch`) is left alone. Each exercise is checked
and written on its own: one that fails (a scenario its row names but the
catalog no longer has, say) is logged once, with its reason, and the others go on; it is logged again
only when its reason changes, and once more when it works again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from ..db import queries
from ..db.database import Database
from ..db.rows import ExerciseRecord
from ..db.writer import Writer
from . import approvals, exercises, injects
from .watch import Watch

POLL_SECONDS = 0.5
CLOCK_ACTOR = "clock@exercise-control"
log = logging.getLogger(__name__)


def has_work(session: Session, exercise: ExerciseRecord) -> bool:
    """Whether the clock has an inject to release or an unseated approval to grant in the exercise now."""
    return bool((exercise.auto_injects and injects.waiting(session, exercise))
                or approvals.due_approvals(session, exercise))


def release_job(exercise_id: int) -> Callable[[Session], list[int]]:
    """The write that, under the exercise's lock, releases its due injects and grants its due unseated
    approvals (ids of the messages released or granted)."""

    def job(session: Session) -> list[int]:
        who = exercises.as_control(session, exercise_id, CLOCK_ACTOR)
        if who is None:
            return []
        released = injects.release_due(session, who) if who.exercise.auto_injects else []
        return [m.id for m in released] + [m.id for m in approvals.grant_due(session, who)]

    return job


class Clockwork:
    """The loop of one server process over every exercise with a running clock."""

    def __init__(self, db: Database, writer: Writer, watch: Watch | None = None, poll: float = POLL_SECONDS) -> None:
        self._db = db
        self._writer = writer
        self._watch = watch
        self._poll = poll
        self._failing: dict[int, str] = {}  # exercise id -> the reason last logged

    async def run(self) -> None:
        """Do what is due until cancelled."""
        while True:
            await self.round()
            await asyncio.sleep(self._poll)

    async def round(self) -> None:
        """One pass: read what is due, then write each exercise's due work on its own."""
        try:
            running = await asyncio.to_thread(self._running)
        except Exception as exc:
            self._failed(0, exc)
            return
        self._recovered(0)
        for exercise in running:
            if self._watch is not None and self._watch.frozen(exercise.id):
                continue
            try:
                due = await asyncio.to_thread(self._due, exercise)
                if due:
                    await self._writer.run(exercise.id, release_job(exercise.id))
            except Exception as exc:
                self._failed(exercise.id, exc)
            else:
                self._recovered(exercise.id)

    def _running(self) -> list[ExerciseRecord]:
        with self._db.read() as session:
            return queries.running_with_clockwork(session)

    def _due(self, exercise: ExerciseRecord) -> bool:
        with self._db.read() as session:
            return has_work(session, exercise)

    def _failed(self, exercise_id: int, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        if self._failing.get(exercise_id) != reason:
            where = f"exercise {exercise_id}" if exercise_id else "reading the running exercises"
            log.warning("%s: the clock cannot release injects or grant approvals: %s", where, reason)
            self._failing[exercise_id] = reason

    def _recovered(self, exercise_id: int) -> None:
        if self._failing.pop(exercise_id, None) is not None:
            where = f"exercise {exercise_id}" if exercise_id else "reading the running exercises"
            log.warning("%s: the clock works again", where)
