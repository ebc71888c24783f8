"""The exercise's record: checking that it proves itself, exporting it, checking an export offline, and
adopting a log written before it was signed.

A record holds the audit log, the signed checkpoints, the newest anchor kept outside the database and
the tables (exercise, seats, messages). It is intact when the hash chain holds and agrees with the
exercise's recorded count and head; when every checkpoint and the anchor are signed by the key for this
database and exercise, name heads the log has, follow each other without a gap, and between them cover
every entry; and when the tables equal the log replayed. The same check runs on the database and,
offline, on a file written by `export`, which is also signed as a whole.

Beyond one exercise, every anchor the key keeps for a database must be accounted for: an anchored
exercise that is gone from the database, or a database whose id changed while this key had anchors
under its old one, is a problem of the database (`Verification.elsewhere`).

Nothing signs what it did not see written: `adopt` signs a log that has no checkpoint only when an
operator asks, and never in a database (or for an exercise) this key has anchored before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import auditlog, projection, queries
from ..db.auditlog import Entry, canonical_json
from ..db.database import Database
from ..db.notary import (
    Anchor,
    Notary,
    NotaryError,
    Verifier,
    anchor_files,
    anchored_elsewhere,
    databases_at,
    read_anchor,
)
from ..db.rows import EXERCISE_FIELDS, MESSAGE_FIELDS, SEAT_FIELDS
from ..db.tables import Checkpoint, Exercise, utcnow
from .exercises import Seated, require_control

FORMAT = "alliance-c2-exercise-record"
VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1: written before exports were signed (verified, and said so)
ADOPT_HINT = "alliance-c2 exercise adopt"


class RecordFileError(ValueError):
    """A file that is not an exported exercise record (the message names the field)."""


class AdoptError(ValueError):
    """An exercise that may not be adopted (the message says why)."""


@dataclass(frozen=True, slots=True)
class Verification:
    """Whether a record is intact; every problem found, the first entry concerned, and notes."""

    ok: bool
    entries: int
    problems: tuple[str, ...] = ()
    bad_seq: int | None = None
    notes: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()  # problems of the database beyond this exercise (see module docstring)

    @property
    def reason(self) -> str:
        return (self.problems or self.elsewhere or ("",))[0]

    @property
    def intact(self) -> bool:
        """This exercise's own record holds (whatever else the database lost)."""
        return not self.problems

    def with_elsewhere(self, found: Sequence[str]) -> Verification:
        return Verification(self.ok and not found, self.entries, self.problems, self.bad_seq, self.notes,
                            tuple(found))

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "bad_seq": self.bad_seq, "reason": self.reason,
                "problems": list(self.problems), "notes": list(self.notes),
                "database_problems": list(self.elsewhere)}


@dataclass(frozen=True, slots=True)
class Document:
    """An export's signature over its whole content, as the file carries it (None: the file has none)."""

    payload: bytes
    key_id: str | None
    signature: str | None


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
    uid: str = ""
    anchored_under: tuple[str, ...] = ()  # other database ids this key anchored the exercise under
    document: Document | None = None  # an export's own signature (None for a record read from the database)


def check(record: Record, verifier: Verifier) -> Verification:
    """Every problem of the record, in the order: the export's own signature, chain, signatures, tables."""
    problems = _document_problems(record.document, verifier) if record.document is not None else []
    bad_seq, chain = auditlog.chain_problem(record.exercise_id, record.log, record.log_count, record.log_head)
    problems += [chain] if chain else []
    problems += _unanchored(record)
    problems += auditlog.seal_problems(record.database, record.exercise_id, record.uid, record.log,
                                       record.checkpoints, record.anchor, verifier)
    replayed = projection.replay((e.seq, _decoded(e)) for e in record.log)
    problems += [f"entry {seq} cannot be replayed (its data names no known change)" for seq in replayed.unreadable]
    problems += projection.differences(replayed, record.exercise, record.seats, record.messages)
    adopted = [c for c in record.checkpoints if c.adopted]
    notes = tuple(f"entries 1 to {c.seq} were written before the log was signed; an operator vouched for them "
                  f"(adopted)" for c in adopted[:1])
    return Verification(not problems, len(record.log), tuple(problems), bad_seq, notes)


def _unanchored(record: Record) -> list[str]:
    """What it means that the key keeps no anchor for the exercise."""
    if record.anchor is not None:
        return []
    if record.anchored_under:
        return [f"this key anchored the exercise (uid {record.uid}) under database id "
                f"{', '.join(record.anchored_under)}, but this database says it is {record.database}: the "
                "database's id was changed (or the exercise was copied from another database)"]
    if not record.checkpoints and record.log:
        return [f"this key never signed the exercise: no checkpoint in the database and no anchor beside the key "
                f"(written without the key; a log kept before the record was signed is vouched for only by an "
                f"operator, `{ADOPT_HINT} {record.exercise_id}`)"]
    return ["no anchor outside the database for this exercise: this key never anchored it, so entries cut off the "
            "end could not be told"]


def _document_problems(document: Document, verifier: Verifier) -> list[str]:
    if document.signature is None:
        return ["the export carries no signature over its whole content (written before exports were signed, or "
                "the signature was removed): a cut, reordered or edited file could not be told"]
    if document.key_id != verifier.key_id or not verifier.valid_document(document.payload, document.signature):
        return ["the export's signature does not match its content: the file was cut, reordered or edited after "
                "it was exported (or signed by another key)"]
    return []


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
    with db.read() as session:
        identity = session.execute(select(Exercise.uid, Exercise.legacy_anchor)
                                   .where(Exercise.id == exercise_id)).first()
    if identity is None:
        return None
    uid, legacy = str(identity.uid or ""), bool(identity.legacy_anchor)
    anchor = read_anchor(key_path, db.database_id, exercise_id, uid, legacy)
    elsewhere = tuple(anchored_elsewhere(key_path, db.database_id, uid)) if anchor is None else ()
    with db.read(snapshot=True) as session:
        found = queries.exercise(session, exercise_id)
        if found is None:
            return None
        log = auditlog.entries(session, exercise_id, limit=None)
        signed = auditlog.checkpoints(session, exercise_id)
        exercise, seats, messages = queries.table_rows(session, exercise_id)
    return Record(db.database_id, exercise_id, found.log_count, found.log_head, log, signed, anchor, exercise,
                  seats, messages, found.uid, elsewhere)


def verify(db: Database, exercise_id: int, key_path: Path) -> Verification | None:
    """Check an exercise's record in the database with the key at `key_path` (private or `.pub`), and the
    database's account of the key's other anchors."""
    record = load(db, exercise_id, key_path)
    if record is None:
        return None
    return check(record, Verifier.load(key_path)).with_elsewhere(database_problems(db, key_path))


@dataclass(frozen=True, slots=True)
class Gone:
    """An exercise this key anchored that the database no longer holds."""

    exercise: int
    uid: str
    seq: int

    def problem(self) -> str:
        who = f"exercise {self.exercise}" + (f" (uid {self.uid})" if self.uid else "")
        return (f"{who} is gone from the database: this key anchored its log at entry {self.seq} (the exercise "
                "was deleted or wiped)")


def gone(db: Database, key_path: Path) -> list[Gone]:
    """The exercises this key anchored in the database that it no longer holds."""
    files = anchor_files(key_path, db.database_id)
    if not files:
        return []
    with db.read() as session:
        rows = session.execute(select(Exercise.id, Exercise.uid, Exercise.legacy_anchor)).all()
    uids = {r.uid for r in rows}
    legacy = {r.id for r in rows if r.legacy_anchor}
    return [Gone(f.exercise, f.uid, f.newest.seq if f.newest is not None else 0) for f in files
            if (f.uid and f.uid not in uids) or (not f.uid and f.exercise not in legacy)]


def database_problems(db: Database, key_path: Path) -> list[str]:
    """Anchors of this key that the database does not account for: exercises gone, an id changed."""
    problems = [g.problem() for g in gone(db, key_path)]
    for earlier in sorted(databases_at(key_path, db.location) - {db.database_id}):
        count = len(anchor_files(key_path, earlier))
        if count:
            problems.append(f"this database was {earlier} when this key last signed it here ({count} exercise(s) "
                            f"anchored); it now says it is {db.database_id}: its id was changed, or the database "
                            "was replaced")
    return problems


def export(db: Database, exercise_id: int, notary: Notary) -> dict[str, Any] | None:
    """The whole record of an exercise as JSON-ready data, signed as a whole with the notary's key: the time
    of export and the anchor as it stood then included (None for an unknown exercise)."""
    record = load(db, exercise_id, notary.key_path)
    if record is None:
        return None
    data: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "exported_at": utcnow().isoformat(timespec="microseconds"),
        "database": record.database, "key_id": notary.key_id,
        "exercise": {"id": exercise_id, **record.exercise, "log_count": record.log_count,
                     "log_head": record.log_head},
        "seats": [{"id": i, **s} for i, s in sorted(record.seats.items())],
        "messages": [{"id": i, **m} for i, m in sorted(record.messages.items())],
        "log": [e.to_dict() for e in record.log],
        "checkpoints": [_checkpoint(c) for c in record.checkpoints],
        "anchor": None if record.anchor is None else record.anchor.to_dict(),
    }
    data["signature"] = notary.sign_document(_signed_part(data))
    return data


def _signed_part(data: dict[str, Any]) -> bytes:
    """What an export's signature covers: everything in it but the signature."""
    return canonical_json({k: v for k, v in data.items() if k != "signature"}).encode()


def _checkpoint(found: Anchor) -> dict[str, Any]:
    return {k: v for k, v in found.to_dict().items() if k != "database"}


def from_file(data: Any) -> Record:
    """A record from exported data (RecordFileError naming what is malformed)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordFileError(f"format: not an exported exercise record (expected {FORMAT!r})")
    if data.get("version") not in READABLE_VERSIONS:
        raise RecordFileError(f"version: {data.get('version')!r} is not a version this program reads "
                              f"({', '.join(map(str, READABLE_VERSIONS))})")
    try:
        exercise = data["exercise"]
        database = str(data["database"])
        log = [Entry(int(e["seq"]), str(e["at"]), float(e["game_time"]), str(e["actor"]), str(e["act"]),
                     str(e["data"]), str(e["prev_hash"]), str(e["hash"])) for e in data["log"]]
        signed = [Anchor.from_dict({**c, "database": ""}) for c in data["checkpoints"]]
        anchor = None if data["anchor"] is None else Anchor.from_dict(data["anchor"])
        signature = data.get("signature")
        document = Document(_signed_part(data), str(data.get("key_id")),
                            signature if isinstance(signature, str) else None)
        return Record(
            database, int(exercise["id"]), int(exercise["log_count"]), str(exercise["log_head"]), log, signed, anchor,
            {f: exercise.get(f) for f in EXERCISE_FIELDS},
            {int(s["id"]): {f: s.get(f) for f in SEAT_FIELDS} for s in data["seats"]},
            {int(m["id"]): {**{f: m.get(f) for f in MESSAGE_FIELDS}, "recipients": m.get("recipients"),
                            "rel_to": m.get("rel_to")} for m in data["messages"]},
            str(exercise.get("uid") or ""), (), document,
        )
    except KeyError as exc:
        raise RecordFileError(f"{exc.args[0]}: missing") from None
    except (TypeError, ValueError, NotaryError) as exc:
        raise RecordFileError(f"malformed record: {exc}") from None


@dataclass(frozen=True, slots=True)
class Adopted:
    """What an operator vouched for: an exercise's log as it stood, signed as adopted."""

    exercise: int
    name: str
    arrangement: str
    entries: int
    head: str
    seats: int
    messages: int


def adopt(db: Database, notary: Notary, exercise_ids: Iterable[int]) -> list[Adopted]:
    """Sign, as adopted, the heads of exercises whose logs have no checkpoint (kept before the record was
    signed), at an operator's word. Refused (AdoptError) for an exercise with a checkpoint or an anchor, and
    for every exercise of a database this key has anchored anything in: there, an unsigned log was written
    without the key."""
    wanted = sorted(set(exercise_ids))
    earlier = anchor_files(notary.key_path, db.database_id)
    if earlier:
        raise AdoptError(f"this key has anchored {len(earlier)} exercise(s) in this database already: a log without "
                         "checkpoints here was written without the key, and adopting it would vouch for what the "
                         "service never saw")
    moved = sorted(databases_at(notary.key_path, db.location) - {db.database_id})
    if moved:
        raise AdoptError(f"this key signed a database at this place before (id {', '.join(moved)}), and this one "
                         f"says it is {db.database_id}: its id was changed, so nothing in it is adopted")
    with db.write() as session:
        chosen = [_adoptable(session, notary, db.database_id, eid) for eid in wanted]
        adopted = [_described(session, e) for e in chosen]
        anchors = auditlog.seal(session, notary, db.database_id, chosen, adopted=True) if chosen else []
    notary.anchor(anchors, db.location)
    return adopted


def _adoptable(session: Session, notary: Notary, database_id: str, exercise_id: int) -> Any:
    found = queries.lock_exercise(session, exercise_id)
    if found is None:
        raise AdoptError(f"exercise {exercise_id}: not found")
    if found.log_count == 0:
        raise AdoptError(f"exercise {exercise_id}: its log is empty; there is nothing to vouch for")
    signed = session.execute(select(Checkpoint.id).where(Checkpoint.exercise_id == exercise_id).limit(1)).first()
    if signed is not None:
        raise AdoptError(f"exercise {exercise_id}: its log has signed checkpoints; only a log kept before the record "
                         "was signed can be adopted")
    if read_anchor(notary.key_path, database_id, exercise_id, found.uid, found.legacy_anchor) is not None or (
            anchored_elsewhere(notary.key_path, database_id, found.uid)):
        raise AdoptError(f"exercise {exercise_id}: this key has anchored it before; its checkpoints were deleted")
    return found


def _described(session: Session, exercise: Any) -> Adopted:
    _, seats, messages = queries.table_rows(session, exercise.id)
    return Adopted(exercise.id, exercise.name, exercise.arrangement, exercise.log_count, exercise.log_head,
                   len(seats), len(messages))


def unsigned(db: Database) -> list[int]:
    """Exercises with log entries and no checkpoint: written without the key, or kept before signing existed."""
    with db.read() as session:
        return list(session.execute(select(Exercise.id).where(
            Exercise.log_count > 0, ~select(Checkpoint.id).where(Checkpoint.exercise_id == Exercise.id).exists(),
        ).order_by(Exercise.id)).scalars())
