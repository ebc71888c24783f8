"""Who hears that an exercise's log moved: the event streams of this server process.

A stream waits here instead of polling the database; it is woken when the exercise's entry count moves
past the one it has seen, and then reads what changed for its seat. The hub hears of writes three ways:
this process's own commits (at once); on PostgreSQL, the database's `NOTIFY ac2_log` that a trigger on
the exercise table sends at every commit that moves a log, from any server process on any machine
(`LISTEN` on a connection of its own, reconnected if it drops); and a light poll of the entry counts of
the exercises being streamed (every `POLL_SECONDS` on SQLite, where several processes may share a file;
every `SAFETY_POLL_SECONDS` on PostgreSQL, in case a notification was missed while reconnecting).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from ..db.database import Database
from ..db.tables import Exercise

POLL_SECONDS = 0.5
SAFETY_POLL_SECONDS = 5.0
CHANNEL = "ac2_log"
log = logging.getLogger(__name__)


class Hub:
    """The newest entry count known per exercise, and the streams waiting for it to move."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._counts: dict[int, int] = {}
        self._waiting: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.listening = False  # PostgreSQL: LISTEN is in place

    def moved(self, exercise_id: int, count: int) -> None:
        """The exercise's log now has `count` entries (from any thread): wake its streams."""
        with self._lock:
            if count <= self._counts.get(exercise_id, -1):
                return
            self._counts[exercise_id] = count
            waiting = list(self._waiting.get(exercise_id, ()))
        for loop, event in waiting:
            with contextlib.suppress(RuntimeError):  # that stream's loop has closed
                loop.call_soon_threadsafe(event.set)

    def heard(self, moves: Iterable[tuple[int, int]]) -> None:
        for exercise_id, count in moves:
            self.moved(exercise_id, count)

    async def wait(self, exercise_id: int, seen: int, timeout: float) -> bool:
        """Until the exercise's log has more than `seen` entries (True) or `timeout` seconds pass (False)."""
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            if self._counts.get(exercise_id, -1) > seen:
                return True
            self._waiting.setdefault(exercise_id, set()).add(entry)
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                found = self._waiting.get(exercise_id)
                if found is not None:
                    found.discard(entry)
                    if not found:
                        del self._waiting[exercise_id]

    def watched(self) -> list[int]:
        with self._lock:
            return sorted(self._waiting)

    def poll_once(self) -> None:
        """Read the entry counts of the exercises being streamed (one query)."""
        ids = self.watched()
        if not ids:
            return
        with self._db.read() as session:
            rows = session.execute(select(Exercise.id, Exercise.log_count).where(Exercise.id.in_(ids))).all()
        self.heard((int(r.id), int(r.log_count)) for r in rows)

    async def run(self) -> None:
        """Hear other processes' writes until cancelled: LISTEN on PostgreSQL, and the poll."""
        listener = None
        if not self._db.is_sqlite:
            listener = threading.Thread(target=self._listen, name="ac2-listen", daemon=True)
            listener.start()
        try:
            while True:
                await asyncio.sleep(POLL_SECONDS if self._db.is_sqlite or not self.listening else SAFETY_POLL_SECONDS)
                try:
                    await asyncio.to_thread(self.poll_once)
                except Exception as exc:  # the next round tries again
                    log.warning("the event streams could not read the exercises: %s", exc)
        finally:
            self._stop.set()

    def _listen(self) -> None:
        """LISTEN on a connection of its own; every notification of this schema moves an exercise."""
        while not self._stop.is_set():
            try:
                self._listen_once()
            except Exception as exc:
                self.listening = False
                log.warning("LISTEN %s lost (%s); listening again", CHANNEL, exc)
                self._stop.wait(1.0)

    def _listen_once(self) -> None:
        raw = self._db.engine.raw_connection()
        try:
            conn: Any = raw.driver_connection
            conn.autocommit = True
            schema = conn.execute("SELECT current_schema()").fetchone()[0]
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening = True
            while not self._stop.is_set():
                for note in conn.notifies(timeout=1.0, stop_after=256):
                    where, _, rest = note.payload.partition(" ")
                    eid, _, count = rest.partition(" ")
                    if where == schema and eid.isdigit() and count.isdigit():
                        self.moved(int(eid), int(count))
        finally:
            self.listening = False
            with contextlib.suppress(Exception):
                raw.invalidate()  # a LISTENing connection never goes back to the pool
            raw.close()
