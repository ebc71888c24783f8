"""The exercise store: SQLAlchemy tables, the engine and its sessions, and the migration runner.

SQLite (the default) runs in WAL mode with a busy timeout; a write transaction starts with
`BEGIN IMMEDIATE`, so writers queue instead of failing half-way. On PostgreSQL a write that
touches an exercise locks its row (`SELECT ... FOR UPDATE`, see `lock_exercise`), which
serializes the audit-log chain across server processes.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the busy timeout alone queues processes
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DB_ENV = "ALLIANCE_C2_DB"
_SQLITE_BUSY_MS = 10_000
_PG_MIGRATION_LOCK = 0x0AC2_0001
# The server runs sync routes in a thread pool of 40; one connection each avoids queueing for the pool.
_POOL_SIZE = 20
_POOL_OVERFLOW = 30
_PG_POOL_SIZE = 10  # per server process; several workers share PostgreSQL's max_connections


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The exercise tables; the schema itself is created by the Alembic migrations."""


class User(Base):
    __tablename__ = "ac2_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuthToken(Base):
    """A login: the SHA-256 of the secret token (cookie or bearer) and the session's CSRF token."""

    __tablename__ = "ac2_auth_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Exercise(Base):
    __tablename__ = "ac2_exercises"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    arrangement: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[str | None] = mapped_column(String(100), nullable=True)
    situation: Mapped[str] = mapped_column(String(64))
    reforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[int] = mapped_column(ForeignKey("ac2_users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    clock_state: Mapped[str] = mapped_column(String(16), default="ready")
    clock_speed: Mapped[float] = mapped_column(Float, default=1.0)
    clock_anchor_wall: Mapped[float] = mapped_column(Float, default=0.0)
    clock_anchor_game: Mapped[float] = mapped_column(Float, default=0.0)
    log_count: Mapped[int] = mapped_column(Integer, default=0)
    log_head: Mapped[str] = mapped_column(String(64))
    auto_injects: Mapped[bool] = mapped_column(Boolean, default=False)  # release scenario injects on the clock
    auto_approvals: Mapped[bool] = mapped_column(Boolean, default=False)  # unseated holders decide on the clock


class Seat(Base):
    __tablename__ = "ac2_seats"
    __table_args__ = (UniqueConstraint("exercise_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id"))
    nation: Mapped[str] = mapped_column(String(8))
    organization: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    clearance: Mapped[int] = mapped_column(Integer)


class Message(Base):
    """Orders, requests, reports, injects and approval tasks: one table, one visibility filter."""

    __tablename__ = "ac2_messages"
    __table_args__ = (Index("ix_ac2_messages_exercise_kind_status", "exercise_id", "kind", "status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    sender_seat_id: Mapped[int | None] = mapped_column(ForeignKey("ac2_seats.id"), nullable=True)
    sender_org: Mapped[str] = mapped_column(String(100))
    classification: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str | None] = mapped_column(String(64), nullable=True)
    unit: Mapped[str | None] = mapped_column(String(100), nullable=True)
    approval: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("ac2_messages.id"), nullable=True)
    inject_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    situation: Mapped[str] = mapped_column(String(64))
    game_time: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at_game: Mapped[float | None] = mapped_column(Float, nullable=True)


class Recipient(Base):
    __tablename__ = "ac2_message_recipients"
    message_id: Mapped[int] = mapped_column(ForeignKey("ac2_messages.id", ondelete="CASCADE"), primary_key=True)
    organization: Mapped[str] = mapped_column(String(100), primary_key=True)


class Release(Base):
    __tablename__ = "ac2_message_releases"
    message_id: Mapped[int] = mapped_column(ForeignKey("ac2_messages.id", ondelete="CASCADE"), primary_key=True)
    nation: Mapped[str] = mapped_column(String(8), primary_key=True)


class LogEntry(Base):
    __tablename__ = "ac2_log"
    __table_args__ = (UniqueConstraint("exercise_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(40))
    game_time: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(64))
    act: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for statements that skip the ORM unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


_DEFERRED = "ac2_deferred"  # Session.info key: table -> rows to insert before the next read of them


def defer_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Queue rows for `table`, inserted by `flush_inserts` in one statement per table (fewer round trips).

    Whoever reads such a table inside the same transaction calls `flush_inserts` first; the exercise
    writer flushes at the end of every write, the audit log's `flush` before every commit.
    """
    if rows:
        session.info.setdefault(_DEFERRED, {}).setdefault(table, []).extend(rows)


def flush_inserts(session: Session) -> None:
    """Insert every queued row, table by table in the order the tables were first queued."""
    pending: dict[Table, list[dict[str, Any]]] = session.info.pop(_DEFERRED, None) or {}
    if pending:
        conn = session.connection()
        for table, rows in pending.items():
            conn.execute(_insert_into(table), rows)


@lru_cache(maxsize=16)
def _insert_into(table: Table) -> Any:
    return insert(table)


def default_db_url() -> str:
    """$ALLIANCE_C2_DB, or a SQLite file in the user's data directory."""
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    from platformdirs import user_data_dir

    directory = Path(user_data_dir("alliance-c2", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'exercise.db'}"


class FairLock:
    """A mutex handed to waiting threads in arrival order, so no writer starves behind newcomers."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def __enter__(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by the holder's __exit__: the lock passes straight to us

    def __exit__(self, *_exc: object) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False


class Database:
    """An engine plus read and write sessions; `write()` takes the SQLite write lock up front."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer: threads of this process queue here instead of in its busy-wait loop,
        # and server processes on the same file queue on an advisory file lock (woken at once on release).
        self._write_lock = FairLock() if self.is_sqlite else None
        self._lock_path = _sqlite_lock_path(self.engine) if self.is_sqlite else None
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(ac2_write=True) if self.is_sqlite else self.engine,
            expire_on_commit=False,
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        if self._write_lock is None:
            with self._writer() as session, session.begin():
                yield session
            return
        with self._write_lock, _file_lock(self._lock_path), self._writer() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest revision (serialized across processes on PostgreSQL)."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            _upgrade(conn)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_lock_path(engine: Engine) -> Path | None:
    """`<database file>.writelock` for a file database (None for in-memory ones or without fcntl)."""
    name = engine.url.database
    if fcntl is None or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(f"{name}.writelock")


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    """Hold an exclusive flock on `path` (nothing when None); the kernel queues waiting processes."""
    if path is None or fcntl is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def lock_exercise(session: Session, exercise_id: int) -> Exercise | None:
    """The exercise row, locked for this transaction (FOR UPDATE; SQLite holds the write lock already)."""
    stmt = select(Exercise).where(Exercise.id == exercise_id)
    if session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def load_seated(session: Session, exercise_id: int, user_id: int, lock: bool) -> tuple[Exercise, Seat] | None:
    """The exercise and the user's seat in it, in one query; with `lock` the exercise row is locked as by
    `lock_exercise` (FOR UPDATE OF the exercise on PostgreSQL; SQLite holds the write lock already)."""
    stmt = _SEATED_LOCKED if lock and session.get_bind().dialect.name != "sqlite" else _SEATED
    row = session.execute(stmt, {"eid": exercise_id, "uid": user_id}).first()
    return None if row is None else (row[0], row[1])


_SEATED = (
    select(Exercise, Seat)
    .join(Seat, and_(Seat.exercise_id == Exercise.id, Seat.user_id == bindparam("uid")))
    .where(Exercise.id == bindparam("eid"))
)
_SEATED_LOCKED = _SEATED.with_for_update(of=Exercise)


def open_database(url: str | None = None) -> Database:
    """A migrated database at `url` (default: `default_db_url()`)."""
    db = Database(url or default_db_url())
    db.migrate()
    return db


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_MS / 1000, "check_same_thread": False},
                               pool_size=_POOL_SIZE, max_overflow=_POOL_OVERFLOW)
        _sqlite_events(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=_PG_POOL_SIZE, max_overflow=_PG_POOL_SIZE)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ac2_write") else "BEGIN")


def _upgrade(conn: Any) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
