"""The exercise tables (SQLAlchemy). The schema itself is created by the Alembic migrations.

The audit log (`ac2_log`) is the record; the message, seat and exercise tables are its projection
(`projection.py`), kept in the same transaction. Checkpoints sign the log's head with a key kept
outside the database (`notary.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The exercise tables."""


class Meta(Base):
    """Facts about the database itself: `database_id`, a random id that checkpoints are signed with."""

    __tablename__ = "ac2_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "ac2_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    control: Mapped[bool] = mapped_column(Boolean, default=False)  # may create exercises
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: removed, kept for the record


class AuthToken(Base):
    """A login: the SHA-256 of the secret token (cookie or bearer) and the session's CSRF token."""

    __tablename__ = "ac2_auth_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # idle timeout


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
    uid: Mapped[str] = mapped_column(String(32), index=True, unique=True)  # random; names the exercise in signatures and anchors
    legacy_anchor: Mapped[bool] = mapped_column(Boolean, default=False)  # anchored by id before it had a uid
    # The exercise as a C2SIM shared session (`exercise-<id>`, or the name it was created under).
    c2sim_session: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    c2sim_state: Mapped[str] = mapped_column(String(16), default="UNINITIALIZED")
    c2sim_schema: Mapped[str] = mapped_column(String(16), default="2.0.0")
    c2sim_description: Mapped[str] = mapped_column(String(1000), default="")


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


class C2simClient(Base):
    """A C2SIM client joined to an exercise's shared session: its `clientId`, for one user's seat."""

    __tablename__ = "ac2_c2sim_clients"
    __table_args__ = (UniqueConstraint("exercise_id", "client_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id"))
    seat_id: Mapped[int] = mapped_column(ForeignKey("ac2_seats.id"))
    display_name: Mapped[str] = mapped_column(String(200))
    system_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    joined_at: Mapped[str] = mapped_column(String(40))


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
    verdict: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
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


class Checkpoint(Base):
    """A signature over an exercise's log head (count and hash), written in the transaction that moved it."""

    __tablename__ = "ac2_checkpoints"
    __table_args__ = (Index("ix_ac2_checkpoints_exercise_seq", "exercise_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)  # signed after the fact (see notary)
    prev: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the checkpoint before (NULL: signed before 0006)
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))


class IdempotentAnswer(Base):
    """The answer given to a request that carried an `Idempotency-Key`, so that a retry gets it again."""

    __tablename__ = "ac2_idempotency"
    __table_args__ = (UniqueConstraint("key", "user_id"),)  # key first: a group's keys are looked up together
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("ac2_exercises.id", ondelete="CASCADE"))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class LoginFailure(Base):
    """A login attempt counted against its name and its source until it succeeds (see service/logins)."""

    __tablename__ = "ac2_login_failures"
    __table_args__ = (Index("ix_ac2_login_failures_name_at", "name", "at"),
                      Index("ix_ac2_login_failures_source_at", "source", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Float)  # seconds since the epoch


class LoginSource(Base):
    """An address a user has logged in from: the account's back-off does not apply to it."""

    __tablename__ = "ac2_login_sources"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[float] = mapped_column(Float)


class WriteBudget(Base):
    """A user's write allowance: `tokens` left at `at` (seconds since the epoch), refilled at the write rate."""

    __tablename__ = "ac2_write_budget"
    user_id: Mapped[int] = mapped_column(ForeignKey("ac2_users.id", ondelete="CASCADE"), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    at: Mapped[float] = mapped_column(Float)


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class, for statements that skip the ORM unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
