"""Accounts, logins and the login rate limit.

Passwords are hashed with Argon2id. A login is a random token: the browser keeps it in an
HttpOnly, SameSite=Lax cookie (and must echo the session's CSRF token on every unsafe request),
API clients send it as `Authorization: Bearer <token>`. Only the token's SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .store import AuthToken, Database, User, utcnow

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256
SESSION_HOURS = 12

# Argon2id with the library's default cost; tests may swap in a cheaper one (use_hasher).
_state: dict[str, PasswordHasher | str] = {"hasher": PasswordHasher()}


class AuthError(ValueError):
    """Bad account input (name taken, password too short ...)."""


@dataclass(frozen=True, slots=True)
class Login:
    token: str
    csrf: str
    user_id: int


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash new passwords with `hasher` (existing hashes keep the parameters they carry)."""
    _state.clear()
    _state["hasher"] = hasher


def _hasher() -> PasswordHasher:
    hasher = _state["hasher"]
    assert isinstance(hasher, PasswordHasher)
    return hasher


def _dummy_hash() -> str:
    """A fixed hash to verify against for unknown names, so both failures take the same time."""
    if "dummy" not in _state:
        _state["dummy"] = _hasher().hash("not-a-real-password")
    dummy = _state["dummy"]
    assert isinstance(dummy, str)
    return dummy


def add_user(db: Database, name: str, password: str) -> int:
    """Create an account; AuthError on a bad or taken name or a weak password."""
    if not NAME_PATTERN.match(name):
        raise AuthError(f"user name {name!r}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    try:
        with db.write() as session:
            user = User(name=name, password_hash=_hasher().hash(password))
            session.add(user)
            session.flush()
            return user.id
    except IntegrityError:
        raise AuthError(f"user {name!r} already exists") from None


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when the password matches, else None (same cost for unknown names)."""
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    try:
        _hasher().verify(user.password_hash if user else _dummy_hash(), password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    return user


def open_login(session: Session, user: User) -> Login:
    """A new token (and CSRF token) for `user`; stored hashed."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = utcnow()
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    session.add(
        AuthToken(
            token_hash=_digest(token), user_id=user.id, csrf=csrf, created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    return Login(token, csrf, user.id)


def resolve(session: Session, token: str) -> tuple[User, AuthToken] | None:
    """The user and login behind a token, if it exists and has not expired."""
    found = session.execute(
        select(User, AuthToken).join(AuthToken, AuthToken.user_id == User.id).where(AuthToken.token_hash == _digest(token))
    ).first()
    if found is None or _aware(found[1].expires_at) < utcnow():
        return None
    return found[0], found[1]


def resolve_token(db: Database, token: str) -> tuple[User, str] | None:
    """Like `resolve`, for the API's hot path: one Core query on a pooled connection, no ORM session.

    Gives the user (id and name only, not attached to a session) and the login's CSRF token.
    """
    with db.engine.connect() as conn:
        return _lookup(conn, token)


def resolve_in(session: Session, token: str) -> tuple[User, str] | None:
    """`resolve_token` inside a transaction already open (a write's own, see `writer`)."""
    return _lookup(session.connection(), token)


def _lookup(conn: Connection, token: str) -> tuple[User, str] | None:
    row = conn.execute(_TOKEN_QUERY, {"digest": _digest(token)}).first()
    if row is None or _aware(row.expires_at) < utcnow():
        return None
    return User(id=row.id, name=row.name), row.csrf


_TOKEN_QUERY = (
    select(User.id, User.name, AuthToken.csrf, AuthToken.expires_at)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(AuthToken.token_hash == bindparam("digest"))
)


def close_login(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == _digest(token)))


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; they are stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class RateLimiter:
    """At most `limit` failed logins per key within `window` seconds (per server process)."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str, now: float | None = None) -> float:
        """Seconds until `key` may try again (0 when not blocked)."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(key, moment)
            if len(recent) < self.limit:
                return 0.0
            return max(0.0, recent[0] + self.window - moment)

    def failed(self, key: str, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, moment).append(moment)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        return recent
