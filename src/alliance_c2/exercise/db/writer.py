"""Group commit for exercise writes: many requests' changes share one transaction and one fsync.

A request hands its write (a function of a Session) to `Writer.submit` or `Writer.run`, keyed by
its exercise. One thread per server process takes whatever writes are queued, groups them by key
in arrival order, and runs each group in one write transaction (`Database.write`). A write reads
what it needs, checks, and only then queues its rows (`tx`), which reach the database together at
the end of the group; a write that raises (a refused act, a 4xx) has its queued rows and cached
changes dropped from memory (`tx.Mark`) and the others stand. Should a write fail after its rows
reached the database, or the group's COMMIT fail, the transaction is rolled back and each write of
the group runs again in a transaction of its own. Each caller is answered only after the COMMIT
that made its write durable, and after the group's signed heads are anchored (flushed to disk) beside
the key, so an acknowledged write survives a crash just as with one transaction per request, while
BEGIN, the SQLite write lock and the fsyncs are paid once per group. The anchoring is done by a second
thread, so the write thread starts the next group while the last one's anchors reach the disk.

A group holds one exercise's row lock (PostgreSQL) for its whole transaction, and never a second
exercise's, so server processes sharing a database cannot deadlock on each other's groups.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from . import tx
from .database import Database

T = TypeVar("T")
MAX_GROUP = 64  # writes per transaction: bounds the wait of the first write in a group


@dataclass(slots=True)
class _Job:
    key: Hashable
    work: Callable[[Session], Any]
    hints: Mapping[str, str]
    future: Future[Any] = field(default_factory=Future)


class _Undone(Exception):
    """A write failed after its rows reached the database: the group's transaction must be rolled back."""


class Writer:
    """The process's write thread for one database (started on the first write, stopped by `close`)."""

    def __init__(self, db: Database, max_group: int = MAX_GROUP) -> None:
        self._db = db
        self._max_group = max_group
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._closed = False
        self._anchoring: queue.SimpleQueue[tuple[list[Any], Callable[[], None]] | None] = queue.SimpleQueue()
        self._anchorer: threading.Thread | None = None

    def submit(self, key: Hashable, work: Callable[[Session], T], hints: Mapping[str, str] | None = None) -> Future[T]:
        """Queue `work`; the future holds its result (or exception) once its transaction has ended.

        `hints`: what the write will look up (its login token, its Idempotency-Key ...), so that a group's
        lookups of one kind are made in one query (`tx.TxState.hints`).
        """
        job = _Job(key, work, hints or {})
        with self._start:  # one lock with `close`: nothing is queued behind the stop marker
            if self._closed:
                raise RuntimeError("the exercise writer is closed")
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="ac2-exercise-writer", daemon=True)
                self._thread.start()
            if self._anchorer is None or not self._anchorer.is_alive():
                self._anchorer = threading.Thread(target=self._anchor_loop, name="ac2-exercise-anchors", daemon=True)
                self._anchorer.start()
            self._queue.put(job)
        return job.future

    async def run(self, key: Hashable, work: Callable[[Session], T], hints: Mapping[str, str] | None = None) -> T:
        """`submit` for async routes: wait for the commit without holding a thread."""
        result: T = await asyncio.wrap_future(self.submit(key, work, hints))
        return result

    def reopen(self) -> None:
        """Take writes again after `close` (an application started once more)."""
        with self._start:
            self._closed = False

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        with self._start:
            self._closed = True
            thread, anchorer = self._thread, self._anchorer
            if thread is not None:
                self._queue.put(None)
        if thread is not None:
            thread.join()
        if anchorer is not None:
            self._anchoring.put(None)
            anchorer.join()

    def _anchor_loop(self) -> None:
        """Anchor committed groups' heads in commit order, then answer their writers."""
        while True:
            item = self._anchoring.get()
            if item is None:
                return
            anchors, answer = item
            try:
                self._db.anchor(anchors)
            finally:
                answer()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self._max_group * 4:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            for group in _groups(batch, self._max_group):
                self._commit(group)
            if stop:
                return

    def _commit(self, group: list[_Job]) -> None:
        """Run a group in one transaction; answer every caller after it commits (or fails)."""
        jobs = [j for j in group if j.future.set_running_or_notify_cancel()]
        if not jobs:
            return
        anchors: list[Any] = []
        try:
            with self._db.write(anchors) as session:
                state = tx.state(session)
                state.hints = {name: frozenset(j.hints[name] for j in jobs if name in j.hints)
                               for name in {n for j in jobs for n in j.hints}}
                outcomes = []
                for left, job in zip(range(len(jobs), 0, -1), jobs, strict=True):
                    state.writes_left = left
                    outcomes.append((job, *_attempt(session, job.work)))
        except BaseException as exc:
            if len(jobs) > 1 and isinstance(exc, Exception):
                for job in jobs:
                    self._alone(job)
            else:  # a hard failure (not an Exception) fails the whole group, and the thread lives on
                for job in jobs:
                    job.future.set_exception(exc.__cause__ if isinstance(exc, _Undone) and exc.__cause__ else exc)
            return

        def answer() -> None:
            for job, value, error in outcomes:
                if error is None:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(error)

        if anchors:
            self._anchoring.put((anchors, answer))
        else:
            answer()

    def _alone(self, job: _Job) -> None:
        """Run one write in a transaction of its own (after its group had to be rolled back)."""
        try:
            with self._db.write() as session:
                value = job.work(session)
        except Exception as exc:
            job.future.set_exception(exc)
        else:
            job.future.set_result(value)


def _attempt(session: Session, work: Callable[[Session], Any]) -> tuple[Any, Exception | None]:
    """One write; when it raises, what it queued is forgotten (or, if already written, the group undone)."""
    state = tx.state(session)
    mark = state.mark()
    try:
        value = work(session)
    except Exception as exc:
        if not state.reset(mark):
            raise _Undone("a write failed after its rows were written") from exc
        return None, exc
    finally:
        state.job_mark = None
    return value, None


def _groups(batch: list[_Job], size: int) -> list[list[_Job]]:
    """Jobs grouped by key in order of each key's first job, at most `size` to a group."""
    by_key: dict[Hashable, list[list[_Job]]] = {}
    for job in batch:
        chunks = by_key.setdefault(job.key, [[]])
        if len(chunks[-1]) >= size:
            chunks.append([])
        chunks[-1].append(job)
    return [chunk for chunks in by_key.values() for chunk in chunks]
