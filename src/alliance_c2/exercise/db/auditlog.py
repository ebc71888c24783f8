"""The tamper-evident audit log: every act of an exercise, chained by SHA-256 and sealed by signatures.

Entry n stores `hash_n = SHA-256(hash_{n-1} || canonical JSON of the entry)`, where the entry is
its exercise id, sequence number, wall time, game time, actor, act and data. The exercise row
keeps the count and the newest hash. Appends happen inside a write transaction that holds the
exercise's lock (`queries.lock_exercise`), which serializes them per exercise on SQLite and
PostgreSQL alike; each transaction stores the heads it moved once, with a checkpoint signed by the
notary (`seal`), before it commits.

The checks here work on plain values (`Entry`, `Anchor`), so a record exported to a file is checked
by the same code as one in the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from . import tx
from .canonical import Canonical, canonical_json, json_text
from .notary import Anchor, Notary, Verifier

__all__ = ["GENESIS", "Canonical", "Entry", "append", "canonical_json", "chain_problem", "checkpoints", "entries",
           "entry_hash", "json_text", "seal", "seal_problems", "store_heads"]
from .rows import ExerciseRecord
from .tables import Checkpoint, Exercise, LogEntry, table_of, utcnow

GENESIS = "0" * 64
_ENTRIES = table_of(LogEntry)
_EXERCISES = table_of(Exercise)
_CHECKPOINTS = table_of(Checkpoint)
_STORE_EXERCISE = (
    update(_EXERCISES).where(_EXERCISES.c.id == bindparam("eid"))
    .values(**{c: bindparam(c) for c in ("name", "situation", "reforms", "clock_state", "clock_speed",
                                         "clock_anchor_wall", "clock_anchor_game", "auto_injects", "auto_approvals",
                                         "log_count", "log_head", "c2sim_session", "c2sim_state", "c2sim_schema",
                                         "c2sim_description")})
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit-log entry as stored."""

    seq: int
    at: str
    game_time: float
    actor: str
    act: str
    data: str  # canonical JSON
    prev_hash: str
    hash: str

    def decoded(self) -> dict[str, Any]:
        value = json.loads(self.data)
        return value if isinstance(value, dict) else {}

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at, "game_time": self.game_time, "actor": self.actor, "act": self.act,
                "data": self.data, "prev_hash": self.prev_hash, "hash": self.hash}


def entry_hash(prev_hash: str, content: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def now_text() -> str:
    """The wall time as log entries record it."""
    return utcnow().isoformat(timespec="microseconds")


def _fast_hash(prev_hash: str, exercise_id: int, seq: int, at: str, game_time: float, actor: str, act: str,
               data: str) -> str:
    """`entry_hash` of an entry whose data is already canonical JSON text: the same canonical text of the
    whole entry (keys in sorted order, each value encoded alike) without decoding and encoding the data again."""
    text = (f'{{"act":{_json(act)},"actor":{_json(actor)},"at":{_json(at)},"data":{data},"exercise":{exercise_id},'
            f'"game_time":{_json(game_time)},"seq":{seq}}}')
    return hashlib.sha256((prev_hash + text).encode("utf-8")).hexdigest()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _content(exercise_id: int, seq: int, at: str, game_time: float, actor: str, act: str, data: str) -> dict[str, Any]:
    return {"exercise": exercise_id, "seq": seq, "at": at, "game_time": game_time, "actor": actor, "act": act,
            "data": json.loads(data)}


def append(session: Session, exercise: ExerciseRecord, actor: str, act: str, data: dict[str, Any],
           game_time: float, at: str | None = None) -> ExerciseRecord:
    """Queue one entry after the exercise's newest; the exercise (locked by the caller) with its new head.

    `at`: the wall time (ISO 8601, microseconds; default now). The transaction remembers the new head
    and stores it, with a signed checkpoint, before it commits.
    """
    seq = exercise.log_count + 1
    at = at or now_text()
    text = canonical_json(data)
    digest = _fast_hash(exercise.log_head, exercise.id, seq, at, game_time, actor, act, text)
    tx.queue_insert(session, _ENTRIES, [{"exercise_id": exercise.id, "seq": seq, "at": at, "game_time": game_time,
                                         "actor": actor, "act": act, "data": text, "prev_hash": exercise.log_head,
                                         "hash": digest}])
    moved = replace(exercise, log_count=seq, log_head=digest)
    remember(session, moved)
    return moved


def remember(session: Session, exercise: ExerciseRecord) -> None:
    """The exercise as this transaction has changed it: its row is stored at commit (`store_heads`)."""
    state = tx.state(session)
    state.exercises[exercise.id] = exercise
    state.dirty.add(exercise.id)


def store_heads(session: Session) -> list[ExerciseRecord]:
    """Write the queued rows, then each changed exercise's row once; the exercises changed."""
    tx.flush(session)
    state = tx.state(session)
    moved = [state.exercises[eid] for eid in sorted(state.dirty)]
    if moved:
        session.connection().execute(_STORE_EXERCISE, [{"eid": e.id, **_stored(e)} for e in moved])
    state.dirty.clear()
    return moved


def _stored(exercise: ExerciseRecord) -> dict[str, Any]:
    return {"name": exercise.name, "situation": exercise.situation, "reforms": list(exercise.reforms), "clock_state": exercise.clock_state,
            "clock_speed": exercise.clock_speed, "clock_anchor_wall": exercise.clock_anchor_wall,
            "clock_anchor_game": exercise.clock_anchor_game, "auto_injects": exercise.auto_injects,
            "auto_approvals": exercise.auto_approvals, "log_count": exercise.log_count,
            "log_head": exercise.log_head, "c2sim_session": exercise.c2sim_session,
            "c2sim_state": exercise.c2sim_state, "c2sim_schema": exercise.c2sim_schema,
            "c2sim_description": exercise.c2sim_description}


def seal(session: Session, notary: Notary, database_id: str, exercises: Sequence[ExerciseRecord],
         adopted: bool = False) -> list[Anchor]:
    """Sign each exercise's head and store the checkpoints in this transaction; the signed heads.

    Each checkpoint names the count of the one before it (the exercise's count when this transaction
    locked it; 0 for an adopted log, which had none), so that a checkpoint deleted later breaks the chain."""
    at = utcnow().isoformat(timespec="microseconds")
    before = tx.state(session).signed_from
    signed = [notary.sign(database_id, e.id, e.uid, e.log_count, e.log_head, at,
                          0 if adopted else before.get(e.id, 0), adopted) for e in exercises]
    session.connection().execute(insert(_CHECKPOINTS), [
        {"exercise_id": a.exercise, "seq": a.seq, "head": a.head, "at": a.at, "adopted": a.adopted,
         "key_id": a.key_id, "signature": a.signature, "prev": a.prev} for a in signed
    ])
    return signed


def entries(session: Session, exercise_id: int, after: int = 0, limit: int | None = 1000) -> list[Entry]:
    """Log entries of one exercise in order, after sequence number `after`."""
    stmt = select(*_ENTRY_COLUMNS).where(LogEntry.exercise_id == exercise_id, LogEntry.seq > after).order_by(
        LogEntry.seq, LogEntry.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [Entry(*row) for row in session.execute(stmt)]


_ENTRY_COLUMNS = (LogEntry.seq, LogEntry.at, LogEntry.game_time, LogEntry.actor, LogEntry.act, LogEntry.data,
                  LogEntry.prev_hash, LogEntry.hash)


def checkpoints(session: Session, exercise_id: int) -> list[Anchor]:
    """The exercise's signed checkpoints, oldest first."""
    rows = session.execute(select(Checkpoint).where(Checkpoint.exercise_id == exercise_id)
                           .order_by(Checkpoint.seq, Checkpoint.id)).scalars()
    return [Anchor("", c.exercise_id, c.seq, c.head, c.at, c.adopted, c.key_id, c.signature, "", c.prev)
            for c in rows]


def chain_problem(exercise_id: int, log: Iterable[Entry], count: int, head: str) -> tuple[int | None, str]:
    """The first break in the hash chain, or in its agreement with the recorded `count` and `head`:
    the entry concerned and what is wrong (None and "" when the chain holds)."""
    prev = GENESIS
    seen = 0
    for expected, row in enumerate(log, start=1):
        seen = expected
        problem = _row_problem(exercise_id, expected, prev, row)
        if problem:
            return expected, problem
        prev = row.hash
    if seen != count:
        where = seen + 1 if seen < count else count + 1
        return where, f"the log has {seen} entries but the exercise records {count}"
    if prev != head:
        return seen, "the newest entry does not match the exercise's recorded head"
    return None, ""


def _row_problem(exercise_id: int, expected: int, prev: str, row: Entry) -> str:
    if row.seq != expected:
        return f"entry {expected} missing or reordered (found sequence number {row.seq})"
    if row.prev_hash != prev:
        return f"entry {expected} does not follow entry {expected - 1} (previous hash differs)"
    try:
        content = _content(exercise_id, row.seq, row.at, row.game_time, row.actor, row.act, row.data)
    except ValueError:
        return f"entry {expected} has unreadable data"
    if entry_hash(prev, content) != row.hash:
        return f"entry {expected} was edited (its hash differs)"
    return ""


def seal_problems(database_id: str, exercise_id: int, uid: str, log: Sequence[Entry], signed: Sequence[Anchor],
                  anchor: Anchor | None, verifier: Verifier) -> list[str]:
    """What the signatures say about the log: every checkpoint and the anchor must be signed by the key for
    this database and exercise, name a head the log has, follow each other without a gap, and between them
    cover every entry; the anchor's own checkpoint must still be there."""
    problems: list[str] = []
    hashes = {e.seq: e.hash for e in log}
    covered = 0
    valid: list[Anchor] = []
    for found in signed:
        stamped = replace(found, database=database_id, exercise=exercise_id,
                          uid=uid if found.prev is not None else "")
        if not verifier.valid(stamped):
            problems.append(f"the checkpoint at entry {found.seq} is not signed by this key for this database and "
                            f"exercise (key {found.key_id}, expected {verifier.key_id})")
            continue
        valid.append(found)
        if hashes.get(found.seq) != found.head:
            problems.append(_rewritten(found.seq, hashes, covered))
        else:
            covered = max(covered, found.seq)
    problems += _chain_gaps(valid)
    if anchor is not None:
        if not verifier.valid(anchor) or anchor.database != database_id or anchor.exercise != exercise_id or (
                anchor.prev is not None and anchor.uid != uid):
            problems.append("the anchor kept outside the database is not signed by this key for this exercise")
        elif anchor.seq > len(log):
            problems.append(f"{_span(len(log) + 1, anchor.seq)} missing: the anchor outside the database "
                            f"records {anchor.seq} entries (the log was cut short or wiped)")
        elif hashes.get(anchor.seq) != anchor.head:
            problems.append(_rewritten(anchor.seq, hashes, covered))
        else:
            covered = max(covered, anchor.seq)
            if not any(c.seq == anchor.seq and c.head == anchor.head for c in valid):
                problems.append(f"the checkpoint signed at entry {anchor.seq} (the anchor's) is missing from the "
                                "database: its checkpoints were deleted after signing began")
    if covered < len(log):
        problems.append(f"{_span(covered + 1, len(log))} covered by no signed checkpoint (appended without the key)")
    return problems


def _chain_gaps(signed: Sequence[Anchor]) -> list[str]:
    """Checkpoints that do not follow the one before them (format 2 names it): a deleted checkpoint."""
    problems = []
    before = 0
    for found in sorted(signed, key=lambda c: c.seq):
        if found.prev is not None and found.prev != before:
            if found.prev > before:
                problems.append(f"the checkpoint at entry {found.prev} is missing: the checkpoint at entry "
                                f"{found.seq} was signed after it (checkpoints were deleted)")
            else:
                problems.append(f"the checkpoint at entry {found.seq} does not follow the one at entry {before} "
                                f"(it was signed after entry {found.prev})")
        before = found.seq
    return problems


def _rewritten(seq: int, hashes: dict[int, str], covered: int) -> str:
    if seq not in hashes:
        return f"entry {seq} is missing: a signed checkpoint records it"
    return (f"{_span(covered + 1, seq)} rewritten: entry {seq} no longer has the hash signed for it "
            "(the chain was recomputed)")


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"
