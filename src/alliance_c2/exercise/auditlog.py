"""The tamper-evident audit log: every act of an exercise, chained by SHA-256.

Entry n stores `hash_n = SHA-256(hash_{n-1} || canonical JSON of the entry)`, where the entry is
its exercise id, sequence number, wall time, game time, actor, act and data. The exercise row
keeps the count and the newest hash, so removing entries at the end is detected as well.
Appends happen inside the caller's write transaction after `store.lock_exercise` (or
`store.load_seated` with `lock`), which serializes them per exercise on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .store import Exercise, LogEntry, defer_insert, flush_inserts, table_of, utcnow

GENESIS = "0" * 64
_PENDING_HEADS = "ac2_log_heads"  # Session.info key: exercise id -> (count, head) not yet written


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def _content(exercise_id: int, seq: int, at: str, game_time: float, actor: str, act: str, data: str) -> dict[str, Any]:
    return {
        "exercise": exercise_id,
        "seq": seq,
        "at": at,
        "game_time": game_time,
        "actor": actor,
        "act": act,
        "data": json.loads(data),
    }


_ENTRIES = table_of(LogEntry)
_ADVANCE_HEAD = (
    update(table_of(Exercise))
    .where(table_of(Exercise).c.id == bindparam("eid"))
    .values(log_count=bindparam("count"), log_head=bindparam("head"))
)


def append(session: Session, exercise: Exercise, actor: str, act: str, data: dict[str, Any], game_time: float) -> LogEntry:
    """Add one entry after the exercise's newest; the caller holds the exercise lock.

    The entry is queued (`store.defer_insert`) and the exercise object takes the new count and head as
    if loaded with them; `flush` writes the queued entries and the exercise row's count and head before
    the transaction commits, still under the exercise lock. (The exercise row is updated once per
    transaction: on PostgreSQL every further update of it in one transaction lengthens the chain of row
    versions that each foreign-key check on it walks.)
    """
    seq = exercise.log_count + 1
    at = utcnow().isoformat(timespec="microseconds")
    text = canonical_json(data)
    digest = entry_hash(exercise.log_head, _content(exercise.id, seq, at, game_time, actor, act, text))
    row = {"exercise_id": exercise.id, "seq": seq, "at": at, "game_time": game_time, "actor": actor, "act": act,
           "data": text, "prev_hash": exercise.log_head, "hash": digest}
    defer_insert(session, _ENTRIES, [row])
    set_committed_value(exercise, "log_count", seq)
    set_committed_value(exercise, "log_head", digest)
    session.info.setdefault(_PENDING_HEADS, {})[exercise.id] = (seq, digest)
    return LogEntry(**row)


def flush(session: Session) -> None:
    """Write what is queued (messages' recipients and REL TO, log entries), then each exercise's newest
    count and head (those appended since the last call)."""
    flush_inserts(session)
    heads: dict[int, tuple[int, str]] = session.info.pop(_PENDING_HEADS, None) or {}
    if heads:
        session.connection().execute(
            _ADVANCE_HEAD, [{"eid": eid, "count": seq, "head": head} for eid, (seq, head) in heads.items()]
        )


def pending_heads(session: Session) -> dict[int, tuple[int, str]]:
    """A copy of the heads appended in this transaction but not yet stored (see `restore_heads`)."""
    return dict(session.info.get(_PENDING_HEADS) or {})


def restore_heads(session: Session, heads: dict[int, tuple[int, str]]) -> None:
    """After a rolled-back write (a SAVEPOINT): the heads as they were before it, in the session and on
    the exercise objects, which the rollback may have expired back to the row's stored values."""
    session.info[_PENDING_HEADS] = dict(heads)
    for eid, (seq, head) in heads.items():
        exercise = session.get(Exercise, eid)
        if exercise is not None:
            set_committed_value(exercise, "log_count", seq)
            set_committed_value(exercise, "log_head", head)


@event.listens_for(Session, "before_commit")
def _flush_before_commit(session: Session) -> None:
    """Entries and heads reach the database before the transaction commits (not at each SAVEPOINT's
    release, for which SQLAlchemy fires this event too)."""
    if not session.in_nested_transaction():
        flush(session)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """Nothing queued outlives a rolled-back transaction."""
    session.info.clear()


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    entries: int
    bad_seq: int | None = None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "bad_seq": self.bad_seq, "reason": self.reason}


def verify(session: Session, exercise: Exercise, attempts: int = 3) -> Verification:
    """Walk the chain; the first edited, missing or reordered entry is named by its position.

    Where each statement sees the newest commits (PostgreSQL's READ COMMITTED), an exercise that is
    being played may commit entries between reading its head and reading its entries; a count or head
    that differs only in that way is read again (up to `attempts` times) before it is reported.
    """
    result, at_head = _walk(session, exercise)
    for _ in range(attempts - 1):
        if not at_head:
            return result  # intact, or an entry inside the chain is wrong: not a matter of timing
        session.refresh(exercise)
        result, at_head = _walk(session, exercise)
    return result


def _walk(session: Session, exercise: Exercise) -> tuple[Verification, bool]:
    """The verification, and whether it failed only where the entries meet the exercise's recorded head."""
    rows = session.execute(
        select(LogEntry).where(LogEntry.exercise_id == exercise.id).order_by(LogEntry.seq, LogEntry.id)
    ).scalars()
    prev = GENESIS
    count = 0
    for expected, row in enumerate(rows, start=1):
        count = expected
        problem = _check_row(exercise.id, expected, prev, row)
        if problem:
            return Verification(False, count, expected, problem), False
        prev = row.hash
    if count != exercise.log_count:
        missing = f"entry {count + 1} missing: the exercise records {exercise.log_count}"
        return Verification(False, count, count + 1, missing), True
    if prev != exercise.log_head:
        return Verification(False, count, count, "the newest entry does not match the exercise's recorded head"), True
    return Verification(True, count), False


def _check_row(exercise_id: int, expected: int, prev: str, row: LogEntry) -> str:
    if row.seq != expected:
        return f"entry {expected} missing or reordered (found sequence number {row.seq})"
    if row.prev_hash != prev:
        return f"entry {expected} does not follow entry {expected - 1} (previous hash differs)"
    try:
        content = _content(exercise_id, row.seq, row.at, row.game_time, row.actor, row.act, row.data)
    except ValueError:
        return f"entry {expected} has unreadable data"
    if entry_hash(prev, content) != row.hash:
        return f"entry {expected} was edited (hash differs)"
    return ""


def entries(session: Session, exercise_id: int, after: int = 0, limit: int = 1000) -> list[LogEntry]:
    """Log entries of one exercise in order, after sequence number `after`."""
    stmt = (
        select(LogEntry)
        .where(LogEntry.exercise_id == exercise_id, LogEntry.seq > after)
        .order_by(LogEntry.seq)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())
