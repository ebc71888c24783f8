"""The server watches its own record: every exercise is verified at start-up, then every `interval`
seconds, and whenever control asks; an exercise whose record is broken is frozen.

A frozen exercise is read-only: nobody writes to it (the clock neither), and seats other than control
are refused everything in it (423), so players are never served rows the log does not vouch for once
the break is found; control keeps reading, and its pages name every problem. The state is this
process's; every server process sharing a database watches it alike, so all of them freeze a broken
exercise within one interval. A check that finds the record intact again (restored) lifts the freeze.
Problems of the database beyond one exercise (an anchored exercise gone, its id changed) are shown to
control on every exercise's page; they freeze nothing on their own.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..db.database import Database
from ..db.tables import Exercise, utcnow
from . import record
from .errors import ExerciseError
from .exercises import Seated
from .record import Verification

WATCH_SECONDS = 180.0
FROZEN = 423
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Freeze:
    """Why an exercise is read-only, and since when (UTC, ISO 8601)."""

    since: str
    problems: tuple[str, ...]

    @property
    def reason(self) -> str:
        return self.problems[0] if self.problems else ""


class Watch:
    """This process's view of which exercises' records hold."""

    def __init__(self, db: Database, key_path: Path, interval: float = WATCH_SECONDS) -> None:
        self._db = db
        self._key = key_path
        self.interval = interval
        self._frozen: dict[int, Freeze] = {}
        self._lock = threading.Lock()
        self.elsewhere: tuple[str, ...] = ()  # the database's problems beyond any one exercise

    def frozen(self, exercise_id: int) -> Freeze | None:
        return self._frozen.get(exercise_id)

    def admit(self, who: Seated, write: bool = False) -> None:
        """423 for anything but control's reading in a frozen exercise."""
        if write:
            self.admit_write(who.exercise.id)
        if who.exercise.id in self._frozen and not who.is_control:
            raise ExerciseError(FROZEN, "this exercise is frozen read-only: its record failed its check, and the "
                                        "exercise control cell has been told why")

    def admit_write(self, exercise_id: int) -> None:
        """423 for any write to a frozen exercise."""
        found = self._frozen.get(exercise_id)
        if found is not None:
            raise ExerciseError(FROZEN, f"this exercise is frozen read-only since {found.since}: its record failed "
                                        f"its check ({found.reason})")

    def check(self, exercise_id: int) -> Verification | None:
        """Verify one exercise now and freeze or release it by the result (None: it does not exist)."""
        found = record.verify(self._db, exercise_id, self._key)
        if found is not None:
            self._settle(exercise_id, found)
            self.elsewhere = found.elsewhere
        return found

    def check_all(self) -> None:
        """Verify every exercise of the database (one that cannot be read is frozen with the reason)."""
        with self._db.read() as session:
            ids = list(session.execute(select(Exercise.id).order_by(Exercise.id)).scalars())
        self.elsewhere = tuple(record.database_problems(self._db, self._key))
        for exercise_id in ids:
            try:
                found = record.verify(self._db, exercise_id, self._key)
            except Exception as exc:  # a record that cannot even be read is no record to serve from
                self._freeze(exercise_id, (f"its record could not be checked: {type(exc).__name__}: {exc}",))
                continue
            if found is not None:
                self._settle(exercise_id, found)

    async def run(self) -> None:
        """Check every exercise every `interval` seconds until cancelled."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await asyncio.to_thread(self.check_all)
            except Exception as exc:
                log.warning("the record's watch could not read the exercises: %s", exc)

    def _settle(self, exercise_id: int, found: Verification) -> None:
        if found.intact:
            with self._lock:
                lifted = self._frozen.pop(exercise_id, None)
            if lifted is not None:
                log.warning("exercise %d: its record holds again; no longer frozen", exercise_id)
        else:
            self._freeze(exercise_id, found.problems)

    def _freeze(self, exercise_id: int, problems: tuple[str, ...]) -> None:
        with self._lock:
            earlier = self._frozen.get(exercise_id)
            if earlier is not None and earlier.problems == problems:
                return
            self._frozen[exercise_id] = Freeze(earlier.since if earlier else utcnow().isoformat(timespec="seconds"),
                                               problems)
        if earlier is None:
            log.warning("exercise %d: record broken, frozen read-only: %s", exercise_id, problems[0] if problems else "")
