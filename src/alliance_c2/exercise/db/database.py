"""The exercise database: the engine, read and write transactions, migrations.

SQLite (the default) runs in WAL mode with a busy timeout; a write transaction starts with
`BEGIN IMMEDIATE`, so writers queue instead of failing half-way. On PostgreSQL a write that
touches an exercise locks its row (`SELECT ... FOR UPDATE`, see `queries.lock_exercise`), which
serializes the audit-log chain across server processes.

A write transaction ends by storing what it kept in memory (`tx`): queued rows, the exercises'
new log heads, and a signed checkpoint of each head it moved (`auditlog.seal`); after the COMMIT the
notary anchors those heads outside the database.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the busy timeout alone queues processes
    fcntl = None  # type: ignore[assignment]

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import create_engine, event, insert, make_url, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from . import auditlog, limits, tx
from .canonical import json_text
from .notary import Anchor, Notary, NotaryError
from .tables import Meta, table_of

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DB_ENV = "ALLIANCE_C2_DB"
_SQLITE_BUSY_MS = 10_000
_PG_MIGRATION_LOCK = 0x0AC2_0001
# The server runs sync routes in a thread pool of 40; one connection each avoids queueing for the pool.
_POOL_SIZE = 20
_POOL_OVERFLOW = 30
_PG_POOL_SIZE = 10  # per server process; several workers share PostgreSQL's max_connections
log = logging.getLogger(__name__)


def default_db_url() -> str:
    """$ALLIANCE_C2_DB, or a SQLite file in the user's data directory."""
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
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
    """An engine plus read and write sessions; `write()` takes the SQLite write lock up front.

    `notary` signs the log heads that writes move (required for any write that appends to a log).
    """

    def __init__(self, url: str, notary: Notary | None = None) -> None:
        self.url = url
        self.notary = notary
        self.engine = _engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer: threads of this process queue here instead of in its busy-wait loop,
        # and server processes on the same file queue on an advisory file lock (woken at once on release).
        self._write_lock = FairLock() if self.is_sqlite else None
        self._lock_path = _sqlite_lock_path(self.engine) if self.is_sqlite else None
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._snapshot = sessionmaker(
            self.engine if self.is_sqlite else self.engine.execution_options(isolation_level="REPEATABLE READ"),
            expire_on_commit=False,
        )
        self._writer = sessionmaker(
            self.engine.execution_options(ac2_write=True) if self.is_sqlite else self.engine,
            expire_on_commit=False,
        )
        self._database_id: str | None = None
        self.on_commit: list[Callable[[list[Anchor]], None]] = []  # told of the heads each commit moved

    @property
    def location(self) -> str:
        """Where this database is, as the notary notes it: its URL without a password (a SQLite file's
        absolute path)."""
        url = make_url(self.url)
        if self.is_sqlite and url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            url = url.set(database=os.path.abspath(url.database))
        return url.render_as_string(hide_password=True)

    @property
    def database_id(self) -> str:
        """The random id the migrations gave this database (checkpoints are signed with it)."""
        if self._database_id is None:
            with self.read() as session:
                found = session.execute(select(Meta.value).where(Meta.key == "database_id")).scalar_one_or_none()
            if found is None:
                raise RuntimeError("the exercise database has no id: run its migrations first")
            self._database_id = found
        return self._database_id

    @contextmanager
    def read(self, snapshot: bool = False) -> Iterator[Session]:
        """A read transaction; with `snapshot`, every statement sees the same commits (PostgreSQL
        REPEATABLE READ; a SQLite read transaction always does)."""
        with (self._snapshot if snapshot else self._reader)() as session, session.begin():
            yield session

    @contextmanager
    def write(self, anchored: list[Anchor] | None = None) -> Iterator[Session]:
        """A transaction that commits on success (after `finish`) and rolls back on any exception;
        the heads it moved are anchored outside the database once it has committed, or, when `anchored`
        is given, put there for the caller to `anchor` before it answers anyone."""
        with self._exclusive(), self._writer() as session, session.begin():
            yield session
            anchors = self.finish(session)
        for hook in self.on_commit if anchors else ():
            hook(anchors)
        if anchored is not None:
            anchored.extend(anchors)
        else:
            self.anchor(anchors)

    def anchor(self, anchors: list[Anchor]) -> None:
        """Keep committed heads outside the database (flushed to disk) beside the key."""
        if anchors and self.notary is not None:
            try:
                self.notary.anchor(anchors, self.location)
            except (OSError, NotaryError) as exc:  # committed all the same: the checkpoints still sign it
                log.warning("could not anchor exercise log heads outside the database: %s", exc)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """SQLite's one writer: this process's threads in turn, then other processes by a file lock."""
        if self._write_lock is None:
            yield
            return
        with self._write_lock, _file_lock(self._lock_path):
            yield

    def finish(self, session: Session) -> list[Anchor]:
        """Store what the transaction kept in memory and sign each log head it moved (before COMMIT)."""
        state = tx.state(session)
        if state.spent and state.write_limit is not None:
            limits.spend(session, state.spent, *state.write_limit, time.time())
        moved = auditlog.store_heads(session)
        if not moved:
            return []
        if self.notary is None:
            raise RuntimeError("this database was opened without a signing key; exercise writes need one")
        return auditlog.seal(session, self.notary, self.database_id, moved)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (serialized across processes on PostgreSQL)."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            _upgrade(conn)
            if conn.execute(select(Meta.value).where(Meta.key == "database_id")).first() is None:
                conn.execute(insert(table_of(Meta)).values(key="database_id", value=uuid.uuid4().hex))

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


def open_database(url: str | None = None, notary: Notary | None = None) -> Database:
    """A migrated database at `url` (default: `default_db_url()`)."""
    db = Database(url or default_db_url(), notary)
    db.migrate()
    return db


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_MS / 1000, "check_same_thread": False},
                               pool_size=_POOL_SIZE, max_overflow=_POOL_OVERFLOW, json_serializer=json_text)
        _sqlite_events(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=_PG_POOL_SIZE, max_overflow=_PG_POOL_SIZE,
                           json_serializer=json_text)
    _postgresql_events(engine)
    return engine


def _postgresql_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # a COMMIT returns once its WAL is flushed to disk, whatever the server's default: the checkpoints
        # (and every acknowledged write) are durable before anyone is answered
        with dbapi_conn.cursor() as cur:
            cur.execute("SET synchronous_commit TO on")
        dbapi_conn.commit()


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
