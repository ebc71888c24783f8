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

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from .rows import ExerciseRecord, SeatRecord, UserRecord
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
    dirty: set[int] = field(default_factory=set)  # exercises whose row must be stored at commit
    seats: dict[tuple[int, int], SeatRecord] = field(default_factory=dict)  # (exercise, user) -> seat
    logins: dict[str, tuple[UserRecord, str] | None] = field(default_factory=dict)  # token -> login
    next_ids: dict[str, int] = field(default_factory=dict)  # SQLite: table -> next free id
    id_blocks: dict[str, list[int]] = field(default_factory=dict)  # PostgreSQL: table -> ids taken, not used yet
    writes_left: int = 1  # writes of the group still to run (the writer says): how many ids to take at once
    hints: dict[str, frozenset[str]] = field(default_factory=dict)  # what the group's writes will look up
    answers: dict[tuple[int, str], tuple[str, str]] | None = None  # (user, key) -> (request digest, answer)
    seats_read: set[int] = field(default_factory=set)  # exercises whose seats are all in `seats`
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
    for table in _WRITE_ORDER:
        rows = tx.inserts[table]
        start = tx.written[table]
        if len(rows) > start:
            conn = conn or session.connection()
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
