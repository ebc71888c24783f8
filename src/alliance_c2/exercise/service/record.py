"""The exercise's record: checking that it proves itself, exporting it, and checking an export offline.

A record holds the audit log, the signed checkpoints, the newest anchor kept outside the database and
the tables (exercise, seats, messages). It is intact when the hash chain holds and agrees with the
exercise's recorded count and head; when every checkpoint and the anchor are signed by the key, name
heads the log has, and between them cover every entry; and when the tables equal the log replayed.
The same check runs on the database and, offline, on a file written by `export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..db import auditlog, projection, queries
from ..db.auditlog import Entry
from ..db.database import Database
from ..db.notary import Anchor, Notary, NotaryError, Verifier, read_anchor
from ..db.rows import EXERCISE_FIELDS, MESSAGE_FIELDS, SEAT_FIELDS
from ..db.tables import Checkpoint, Exercise, utcnow
from .exercises import Seated, require_control

FORMAT = "alliance-c2-exercise-record"
VERSION = 1


class RecordFileError(ValueError):
    """A file that is not an exported exercise record (the message names the field)."""


@dataclass(frozen=True, slots=True)
class Verification:
    """Whether a record is intact; every problem found, the first entry concerned, and notes."""

    ok: bool
    entries: int
    problems: tuple[str, ...] = ()
    bad_seq: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return self.problems[0] if self.problems else ""

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "bad_seq": self.bad_seq, "reason": self.reason,
                "problems": list(self.problems), "notes": list(self.notes)}


@dataclass(frozen=True, slots=True)
class Record:
    """Everything a verification looks at, read from the database or from an exported file."""

    database: str
    exercise_id: int
    log_count: int
    log_head: str
    log: Sequence[Entry]
    checkpoints: Sequence[Anchor]
    anchor: Anchor | None
    exercise: dict[str, Any]
    seats: dict[int, dict[str, Any]] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)


def check(record: Record, verifier: Verifier) -> Verification:
    """Every problem of the record, in the order: chain, signatures, tables."""
    bad_seq, chain = auditlog.chain_problem(record.exercise_id, record.log, record.log_count, record.log_head)
    problems = [chain] if chain else []
    if record.anchor is None:
        problems.append("no anchor outside the database for this exercise: this key never signed it, so entries "
                        "cut off the end could not be told")
    problems += auditlog.seal_problems(record.database, record.exercise_id, record.log, record.checkpoints,
                                       record.anchor, verifier)
    replayed = projection.replay((e.seq, _decoded(e)) for e in record.log)
    problems += [f"entry {seq} cannot be replayed (its data names no known change)" for seq in replayed.unreadable]
    problems += projection.differences(replayed, record.exercise, record.seats, record.messages)
    adopted = [c for c in record.checkpoints if c.adopted]
    notes = tuple(f"entries 1 to {c.seq} were written before the log was signed; they were signed together when "
                  f"a key was first used" for c in adopted[:1])
    return Verification(not problems, len(record.log), tuple(problems), bad_seq, notes)


def _decoded(entry: Entry) -> dict[str, Any]:
    try:
        return entry.decoded()
    except ValueError:
        return {}


def log(session: Session, who: Seated, after: int = 0, limit: int = 1000) -> list[Entry]:
    """The exercise's audit log in order, after sequence number `after` (control only)."""
    require_control(who)
    return auditlog.entries(session, who.exercise.id, after, limit)


def load(db: Database, exercise_id: int, key_path: Path) -> Record | None:
    """The record in the database (None for an unknown exercise). The anchor is read first, then the
    database in one snapshot, so a write committed meanwhile is in the snapshot, never only in the anchor."""
    anchor = read_anchor(key_path, db.database_id, exercise_id)
    with db.read(snapshot=True) as session:
        found = queries.exercise(session, exercise_id)
        if found is None:
            return None
        log = auditlog.entries(session, exercise_id, limit=None)
        signed = auditlog.checkpoints(session, exercise_id)
        exercise, seats, messages = queries.table_rows(session, exercise_id)
    return Record(db.database_id, exercise_id, found.log_count, found.log_head, log, signed, anchor, exercise,
                  seats, messages)


def verify(db: Database, exercise_id: int, key_path: Path) -> Verification | None:
    """Check an exercise's record in the database with the key at `key_path` (private or `.pub`)."""
    record = load(db, exercise_id, key_path)
    return None if record is None else check(record, Verifier.load(key_path))


def export(db: Database, exercise_id: int, key_path: Path) -> dict[str, Any] | None:
    """The whole record of an exercise as JSON-ready data (None for an unknown exercise)."""
    record = load(db, exercise_id, key_path)
    if record is None:
        return None
    return {
        "format": FORMAT, "version": VERSION, "exported_at": utcnow().isoformat(timespec="seconds"),
        "database": record.database, "key_id": Verifier.load(key_path).key_id,
        "exercise": {"id": exercise_id, **record.exercise, "log_count": record.log_count,
                     "log_head": record.log_head},
        "seats": [{"id": i, **s} for i, s in sorted(record.seats.items())],
        "messages": [{"id": i, **m} for i, m in sorted(record.messages.items())],
        "log": [e.to_dict() for e in record.log],
        "checkpoints": [_checkpoint(c) for c in record.checkpoints],
        "anchor": None if record.anchor is None else record.anchor.to_dict(),
    }


def _checkpoint(found: Anchor) -> dict[str, Any]:
    return {k: v for k, v in found.to_dict().items() if k != "database"}


def from_file(data: Any) -> Record:
    """A record from exported data (RecordFileError naming what is malformed)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordFileError(f"format: not an exported exercise record (expected {FORMAT!r})")
    if data.get("version") != VERSION:
        raise RecordFileError(f"version: {data.get('version')!r} is not a version this program reads ({VERSION})")
    try:
        exercise = data["exercise"]
        database = str(data["database"])
        log = [Entry(int(e["seq"]), str(e["at"]), float(e["game_time"]), str(e["actor"]), str(e["act"]),
                     str(e["data"]), str(e["prev_hash"]), str(e["hash"])) for e in data["log"]]
        signed = [Anchor.from_dict({**c, "database": ""}) for c in data["checkpoints"]]
        anchor = None if data["anchor"] is None else Anchor.from_dict(data["anchor"])
        return Record(
            database, int(exercise["id"]), int(exercise["log_count"]), str(exercise["log_head"]), log, signed, anchor,
            {f: exercise.get(f) for f in EXERCISE_FIELDS},
            {int(s["id"]): {f: s.get(f) for f in SEAT_FIELDS} for s in data["seats"]},
            {int(m["id"]): {**{f: m.get(f) for f in MESSAGE_FIELDS}, "recipients": m.get("recipients"),
                            "rel_to": m.get("rel_to")} for m in data["messages"]},
        )
    except KeyError as exc:
        raise RecordFileError(f"{exc.args[0]}: missing") from None
    except (TypeError, ValueError, NotaryError) as exc:
        raise RecordFileError(f"malformed record: {exc}") from None


def adopt_unsigned(db: Database, notary: Notary) -> list[int]:
    """Sign the heads of exercises logged before checkpoints existed (no checkpoint, never anchored by
    this key); the exercises signed. A log that once had checkpoints is never signed again this way."""
    with db.write() as session:
        unsigned = session.execute(select(Exercise.id).where(
            Exercise.log_count > 0, ~exists().where(Checkpoint.exercise_id == Exercise.id))).scalars().all()
        candidates = [queries.lock_exercise(session, eid) for eid in unsigned
                      if notary.anchored(db.database_id, eid) is None]
        anchors = auditlog.seal(session, notary, db.database_id, [e for e in candidates if e is not None],
                                adopted=True) if candidates else []
    notary.anchor(anchors)
    return [a.exercise for a in anchors]
