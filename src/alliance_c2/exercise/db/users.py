"""Accounts and logins as stored: users with their password hashes, and login tokens (hashed).

A login is a random token: only its SHA-256 is stored, with the session's CSRF token and an expiry.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from . import tx
from .rows import UserRecord
from .tables import AuthToken, Exercise, Seat, User, table_of, utcnow

SESSION_HOURS = 12


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    csrf: str
    user_id: int


@dataclass(frozen=True, slots=True)
class Account:
    """A user as `users list` shows it."""

    name: str
    control: bool
    active: bool
    created_at: datetime
    seats: int


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def any_user(session: Session) -> bool:
    return session.execute(select(exists().where(User.active.is_(True)))).scalar_one()


def by_name(session: Session, name: str) -> tuple[UserRecord, str] | None:
    """The user and their password hash."""
    row = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    return None if row is None else (UserRecord(row.id, row.name, row.control, row.active), row.password_hash)


def add(session: Session, name: str, password_hash: str, control: bool) -> int:
    """Insert a user (IntegrityError when the name is taken)."""
    tx.state(session).note_direct_write()
    return int(session.execute(insert(table_of(User)).returning(table_of(User).c.id), {
        "name": name, "password_hash": password_hash, "control": control, "active": True, "created_at": utcnow(),
    }).scalar_one())


def accounts(session: Session) -> list[Account]:
    seat_count = select(func.count()).where(Seat.user_id == User.id).scalar_subquery()
    rows = session.execute(select(User.name, User.control, User.active, User.created_at, seat_count).order_by(User.name))
    return [Account(n, bool(c), bool(a), _aware(t), int(s)) for n, c, a, t, s in rows]


def set_password(session: Session, user_id: int, password_hash: str) -> None:
    """A new password hash; every login of the user ends."""
    session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))
    session.execute(delete(AuthToken).where(AuthToken.user_id == user_id))


def remove(session: Session, user_id: int) -> bool:
    """Delete the user, or, when an exercise's record refers to them (a seat, an exercise they created),
    keep the row inactive with no usable password; True when deleted. Their logins end either way."""
    session.execute(delete(AuthToken).where(AuthToken.user_id == user_id))
    referred = session.execute(select(or_(exists().where(Seat.user_id == user_id),
                                          exists().where(Exercise.created_by == user_id)))).scalar_one()
    if referred:
        session.execute(update(User).where(User.id == user_id).values(active=False, password_hash="!"))
        return False
    session.execute(delete(User).where(User.id == user_id))
    return True


def open_login(session: Session, user_id: int) -> Login:
    """A new token (and CSRF token) for the user; expired logins are cleared on the way."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = utcnow()
    tx.state(session).note_direct_write()
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    session.execute(insert(table_of(AuthToken)), {"token_hash": digest(token), "user_id": user_id, "csrf": csrf,
                                                  "created_at": now,
                                                  "expires_at": now + timedelta(hours=SESSION_HOURS)})
    return Login(token, csrf, user_id)


def close_login(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == digest(token)))


def login_of(conn: Connection | Session, token: str) -> tuple[UserRecord, str] | None:
    """The active user behind an unexpired token, and the login's CSRF token (one query)."""
    row = conn.execute(_TOKEN_QUERY.where(AuthToken.token_hash == digest(token))).first()
    return None if row is None else _login(row)


def login_in(session: Session, token: str) -> tuple[UserRecord, str] | None:
    """`login_of` inside a write transaction: looked up once per transaction (a logout is seen by the
    next), together with the tokens of the group's other writes (the writer's hint `TOKEN_HINT`)."""
    state = tx.state(session)
    if token not in state.logins:
        hinted = state.hints.get(TOKEN_HINT, frozenset()) | {token}
        wanted = {digest(t): t for t in hinted if t not in state.logins}
        found = {r.token_hash: _login(r) for r in session.execute(
            _TOKEN_QUERY.where(AuthToken.token_hash.in_(sorted(wanted))))}
        state.logins.update({t: found.get(d) for d, t in wanted.items()})
    return state.logins[token]


def _login(row: Any) -> tuple[UserRecord, str] | None:
    if _aware(row.expires_at) < utcnow():
        return None
    return UserRecord(row.id, row.name, bool(row.control), True), row.csrf


_TOKEN_QUERY = (
    select(User.id, User.name, User.control, AuthToken.token_hash, AuthToken.csrf, AuthToken.expires_at)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(User.active.is_(True))
)
TOKEN_HINT = "token"  # the writer's hint naming a write's login token


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; they are stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
