"""What one write transaction keeps in memory until it writes: queued rows, locked exercises, new ids.

Rows are queued (`queue_insert`, `queue_update`) and written in one statement per table and kind
when the transaction next reads (`flush`) or commits, in an order that satisfies the foreign keys.
The exercises a transaction has locked are kept here as typed records, changed by each write and
stored once at commit (`dirty`). A `Mark` taken before a write lets the writer drop what that write
queued if it is refused (an in-memory SAVEPOINT); `reset` says when that is no longer possible
because the write's own rows already reached the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import JSON, Table, insert, select, text
from sqlalchemy.orm import Session

from .canonical import json_text
from .rows import ExerciseRecord, SeatRecord
from .tables import (
    C2simClient,
    Exercise,
    IdempotentAnswer,
    LogEntry,
    Message,
    Recipient,
    Release,
    Seat,
    table_of,
)

# Foreign keys point up this list: a table's rows are written after those of the tables before it.
_WRITE_ORDER = tuple(table_of(t) for t in (Exercise, Seat, C2simClient, Message, Recipient, Release, LogEntry, IdempotentAnswer))
_INSERTS = {t: insert(t) for t in _WRITE_ORDER}
# PostgreSQL: a group's many rows of these tables go out by COPY, one command a table, instead of one INSERT a row
_COPIED = frozenset(table_of(t) for t in (Message, Recipient, Release, LogEntry, IdempotentAnswer))
_STATE = "ac2_tx"
_IDS_PER_WRITE = 3  # messages a write makes, about (an order and its approval tasks)
_ID_BLOCK = 200


@dataclass(frozen=True, slots=True)
class Mark:
    inserts: dict[Table, int]
    updates: int
    exercises: dict[int, ExerciseRecord]
    dirty: frozenset[int]
    seats: dict[tuple[int, int], SeatRecord]
    next_ids: dict[str, int]
    id_blocks: dict[str, list[int]]
    seats_read: frozenset[int]


@dataclass(slots=True)
class TxState:
    """One write transaction's memory (kept in `Session.info`)."""

    inserts: dict[Table, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in _WRITE_ORDER})
    written: dict[Table, int] = field(default_factory=lambda: dict.fromkeys(_WRITE_ORDER, 0))
    updates: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    updates_written: int = 0
    exercises: dict[int, ExerciseRecord] = field(default_factory=dict)  # locked in this transaction
    signed_from: dict[int, int] = field(default_factory=dict)  # exercise -> its log count when locked
    dirty: set[int] = field(default_factory=set)  # exercises whose row must be stored at commit
    seats: dict[tuple[int, int], SeatRecord] = field(default_factory=dict)  # (exercise, user) -> seat
    logins: dict[str, Any] = field(default_factory=dict)  # token -> `users.Found` (None: no live login)
    next_ids: dict[str, int] = field(default_factory=dict)  # SQLite: table -> next free id
    id_blocks: dict[str, list[int]] = field(default_factory=dict)  # PostgreSQL: table -> ids taken, not used yet
    writes_left: int = 1  # writes of the group still to run (the writer says): how many ids to take at once
    hints: dict[str, frozenset[str]] = field(default_factory=dict)  # what the group's writes will look up
    answers: dict[tuple[int, str], tuple[str, str, Any]] | None = None  # (user, key) -> (digest, answer, when)
    seats_read: set[int] = field(default_factory=set)  # exercises whose seats are all in `seats`
    write_limit: tuple[float, float] | None = None  # (writes a second, at once) when writes are limited
    allowance: dict[int, float] = field(default_factory=dict)  # user -> writes allowed when the group began
    spent: dict[int, int] = field(default_factory=dict)  # user -> writes taken in this transaction (kept if refused)
    job_mark: Mark | None = None
    job_wrote: bool = False  # rows queued by the current job reached the database

    def mark(self) -> Mark:
        """Where the transaction stands before a write (see `reset`)."""
        self.job_mark = Mark({t: len(rows) for t, rows in self.inserts.items()}, len(self.updates),
                             dict(self.exercises), frozenset(self.dirty), dict(self.seats), dict(self.next_ids),
                             {t: list(ids) for t, ids in self.id_blocks.items()}, frozenset(self.seats_read))
        self.job_wrote = False
        return self.job_mark

    def reset(self, mark: Mark) -> bool:
        """Forget what was queued and cached since `mark`; False when some of it was already written."""
        if self.job_wrote:
            return False
        for table, rows in self.inserts.items():
            del rows[mark.inserts[table]:]
        del self.updates[mark.updates:]
        self.exercises = dict(mark.exercises)
        self.dirty = set(mark.dirty)
        self.seats = dict(mark.seats)
        self.next_ids = dict(mark.next_ids)
        self.id_blocks = {t: list(ids) for t, ids in mark.id_blocks.items()}
        self.seats_read = set(mark.seats_read)
        return True

    def note_direct_write(self) -> None:
        """A write went to the database at once (not queued): it cannot be dropped from memory."""
        self.job_wrote = True


def hold(session: Session, exercise: ExerciseRecord) -> ExerciseRecord:
    """Keep an exercise locked by this transaction in its memory (and the count its next checkpoint follows)."""
    tx = state(session)
    tx.exercises[exercise.id] = exercise
    tx.signed_from.setdefault(exercise.id, exercise.log_count)
    return exercise


def held(session: Session, exercise_id: int) -> ExerciseRecord:
    """The exercise as this transaction, which locked it, has changed it so far."""
    found = state(session).exercises.get(exercise_id)
    assert found is not None, "an exercise is locked (its seat read) before an act changes it"
    return found


def state(session: Session) -> TxState:
    """The transaction's memory (created on first use)."""
    found = session.info.get(_STATE)
    if found is None:
        found = session.info[_STATE] = TxState()
    assert isinstance(found, TxState)
    return found


def queue_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        state(session).inserts[table].extend(rows)


def queue_update(session: Session, statement: Any, params: dict[str, Any]) -> None:
    state(session).updates.append((statement, params))


def flush(session: Session) -> None:
    """Write every queued row (inserts table by table in foreign-key order, then updates in order)."""
    tx = session.info.get(_STATE)
    if tx is None:
        return
    assert isinstance(tx, TxState)
    mark = tx.job_mark
    conn = None
    copy = session.get_bind().dialect.name == "postgresql"
    for table in _WRITE_ORDER:
        rows = tx.inserts[table]
        start = tx.written[table]
        if len(rows) > start:
            conn = conn or session.connection()
            if copy and table in _COPIED:
                _copy(conn, table, rows[start:])
            else:
                conn.execute(_INSERTS[table], rows[start:])
            tx.written[table] = len(rows)
            if mark is not None and len(rows) > mark.inserts[table]:
                tx.job_wrote = True
    if len(tx.updates) > tx.updates_written:
        conn = conn or session.connection()
        for statement, run in groupby(tx.updates[tx.updates_written:], key=lambda u: u[0]):
            conn.execute(statement, [params for _, params in run])
        if mark is not None and len(tx.updates) > mark.updates:
            tx.job_wrote = True
        tx.updates_written = len(tx.updates)


def _copy(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows into a PostgreSQL table by one COPY (JSON columns as their text)."""
    columns = list(rows[0])
    if any(len(r) != len(columns) for r in rows):  # rows of different shapes: one INSERT each, as elsewhere
        conn.execute(_INSERTS[table], rows)
        return
    json_columns = {c for c in columns if isinstance(table.c[c].type, JSON)}
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as out:
        for row in rows:
            out.write_row([json_text(row[c]) if c in json_columns and row[c] is not None else row[c]
                           for c in columns])


def next_id(session: Session, table: Table, many: bool = False) -> int:
    """A new primary key for `table`, taken before the row is written (so log entries can name it).

    SQLite: one above the highest id, counted on in memory; the transaction holds SQLite's write lock,
    so no other writer takes the same id. PostgreSQL: the table's sequence; with `many` (messages), a
    few ids at once for the writes left in the group (one round trip instead of one per message; ids
    the group leaves unused are skipped, as any rolled-back insert's are). The group holds its
    exercise's lock while it takes them, so an exercise's messages are numbered in the order they are
    committed.
    """
    tx = state(session)
    if session.get_bind().dialect.name != "sqlite":
        block = tx.id_blocks.setdefault(table.name, [])
        if not block:
            wanted = max(1, min(_ID_BLOCK, tx.writes_left * _IDS_PER_WRITE)) if many else 1
            block.extend(session.execute(text(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"
            ), {"n": wanted}).scalars())
            block.reverse()
        return int(block.pop())
    found = tx.next_ids.get(table.name)
    if found is None:
        highest = session.execute(select(table.c.id).order_by(table.c.id.desc()).limit(1)).scalar()
        queued = [int(r["id"]) for r in tx.inserts.get(table, []) if "id" in r]
        found = max([highest or 0, *queued]) + 1
    tx.next_ids[table.name] = found + 1
    return found
