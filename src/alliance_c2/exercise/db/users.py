"""Accounts and logins as stored: users with their password hashes, and login tokens (hashed).

A login is a random token: only its SHA-256 is stored, with the session's CSRF token, an expiry (the
absolute limit) and its last use (the idle limit: a login unused for longer ends). The last use is
recorded at most once a minute per login, so that reading it costs no write per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from . import tx
from .rows import UserRecord
from .tables import AuthToken, Exercise, Seat, User, table_of, utcnow

SESSION_HOURS = 12
IDLE_MINUTES = 60
TOUCH_SECONDS = 60.0  # a login's last use is recorded when older than this


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long a login lasts: `hours` at most, and `idle_minutes` without use."""

    hours: float = SESSION_HOURS
    idle_minutes: float = IDLE_MINUTES


@dataclass(frozen=True, slots=True)
class Found:
    """The user behind a live login, the login's CSRF token, and whether its last use is worth recording."""

    user: UserRecord
    csrf: str
    token_hash: str
    stale: bool


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


def close_ended(session: Session, policy: SessionPolicy) -> None:
    """Delete logins that expired or were unused for longer than the idle limit."""
    now = utcnow()
    tx.state(session).note_direct_write()
    session.execute(delete(AuthToken).where(or_(AuthToken.expires_at < now,
                                                AuthToken.last_seen_at < now - timedelta(minutes=policy.idle_minutes))))


def open_login(session: Session, user_id: int, policy: SessionPolicy | None = None) -> Login:
    """A new token (and CSRF token) for the user; ended logins are cleared on the way."""
    rules = policy or SessionPolicy()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = utcnow()
    close_ended(session, rules)
    session.execute(insert(table_of(AuthToken)), {"token_hash": digest(token), "user_id": user_id, "csrf": csrf,
                                                  "created_at": now, "last_seen_at": now,
                                                  "expires_at": now + timedelta(hours=rules.hours)})
    return Login(token, csrf, user_id)


def touch(session: Session, token_hashes: list[str]) -> None:
    """Record that these logins were used now (the idle limit counts from here)."""
    if token_hashes:
        session.execute(update(AuthToken).where(AuthToken.token_hash.in_(sorted(token_hashes)))
                        .values(last_seen_at=utcnow()))


def close_login(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == digest(token)))


def login_of(conn: Connection | Session, token: str, policy: SessionPolicy | None = None) -> Found | None:
    """The active user behind a live token, and the login's CSRF token (one query)."""
    row = conn.execute(_TOKEN_QUERY.where(AuthToken.token_hash == digest(token))).first()
    return None if row is None else _login(row, policy or SessionPolicy())


def login_in(session: Session, token: str, policy: SessionPolicy | None = None) -> Found | None:
    """`login_of` inside a write transaction: looked up once per transaction (a logout is seen by the
    next), together with the tokens of the group's other writes (the writer's hint `TOKEN_HINT`); a login
    whose last use is stale has it recorded when the transaction commits."""
    state = tx.state(session)
    if token not in state.logins:
        rules = policy or SessionPolicy()
        hinted = state.hints.get(TOKEN_HINT, frozenset()) | {token}
        wanted = {digest(t): t for t in hinted if t not in state.logins}
        found = {r.token_hash: _login(r, rules) for r in session.execute(
            _TOKEN_QUERY.where(AuthToken.token_hash.in_(sorted(wanted))))}
        state.logins.update({t: found.get(d) for d, t in wanted.items()})
        stale = [f.token_hash for f in found.values() if f is not None and f.stale]
        for token_hash in stale:
            tx.queue_update(session, _TOUCH, {"th": token_hash, "now": utcnow()})
    found_login = state.logins[token]
    assert found_login is None or isinstance(found_login, Found)
    return found_login


def _login(row: Any, policy: SessionPolicy) -> Found | None:
    now = utcnow()
    last = _aware(row.last_seen_at or row.created_at)
    if _aware(row.expires_at) < now or last < now - timedelta(minutes=policy.idle_minutes):
        return None
    return Found(UserRecord(row.id, row.name, bool(row.control), True), row.csrf, row.token_hash,
                 (now - last).total_seconds() > TOUCH_SECONDS)


_TOKEN_QUERY = (
    select(User.id, User.name, User.control, AuthToken.token_hash, AuthToken.csrf, AuthToken.expires_at,
           AuthToken.created_at, AuthToken.last_seen_at)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(User.active.is_(True))
)
TOKEN_HINT = "token"  # the writer's hint naming a write's login token
_TOUCH = (update(table_of(AuthToken)).where(table_of(AuthToken).c.token_hash == bindparam("th"))
          .values(last_seen_at=bindparam("now")))


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; they are stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
