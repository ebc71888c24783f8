"""Logging in: the login limit, the password check off the write path, and the new login token.

The limit counts an attempt when it starts, under one lock, so parallel attempts cannot slip past it:
at most `per_name` failed attempts for a name (from any address) and `per_address` from a client
address (for any names) within `window` seconds; a successful attempt takes its own count back.
It is kept per server process (with `serve --workers N`, N times the limits).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..db import users
from ..db.database import Database
from ..db.rows import UserRecord
from ..db.users import Login
from ..db.writer import Writer
from .accounts import Hashing
from .errors import ExerciseError

SESSION_HOURS = users.SESSION_HOURS
_PRUNE_EVERY = 1024  # attempts between sweeps of keys with nothing left in their window


@dataclass(frozen=True, slots=True)
class Attempt:
    keys: tuple[str, str]
    moment: float


class LoginLimiter:
    """Failed logins per name and per client address within a sliding window (per server process)."""

    def __init__(self, per_name: int = 5, per_address: int = 20, window: float = 60.0) -> None:
        self.per_name = per_name
        self.per_address = per_address
        self.window = window
        self._recent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._since_prune = 0

    def begin(self, name: str, address: str, now: float | None = None) -> Attempt:
        """Count an attempt, or raise 429 when the name or the address has used up its window."""
        moment = time.monotonic() if now is None else now
        keys = (f"name|{name.lower()}", f"addr|{address}")
        with self._lock:
            self._maybe_prune(moment)
            waits = [self._wait(key, limit, moment) for key, limit in zip(keys, (self.per_name, self.per_address),
                                                                              strict=True)]
            if max(waits) > 0:
                raise ExerciseError(429, f"too many failed logins; try again in {math.ceil(max(waits))} s")
            for key in keys:
                self._recent.setdefault(key, deque()).append(moment)
        return Attempt(keys, moment)

    def succeeded(self, attempt: Attempt) -> None:
        """A successful login is not a failure: take its count back."""
        with self._lock:
            for key in attempt.keys:
                found = self._recent.get(key)
                if found is not None and attempt.moment in found:
                    found.remove(attempt.moment)

    def _wait(self, key: str, limit: int, now: float) -> float:
        recent = self._recent.get(key)
        if not recent:
            return 0.0
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) < limit:
            return 0.0
        return max(0.001, recent[0] + self.window - now)

    def _maybe_prune(self, now: float) -> None:
        self._since_prune += 1
        if self._since_prune < _PRUNE_EVERY:
            return
        self._since_prune = 0
        self._recent = {k: v for k, v in self._recent.items() if v and v[-1] > now - self.window}


async def log_in(db: Database, writer: Writer, hashing: Hashing, limiter: LoginLimiter, name: str, password: str,
                 address: str) -> tuple[Login, UserRecord]:
    """Check a name and password under the limit; a new login for the user (401 when wrong)."""
    attempt = limiter.begin(name, address)
    found = await asyncio.to_thread(_account, db, name)
    user = found[0] if found is not None and found[0].active else None
    matches = await hashing.check(found[1] if user is not None and found is not None else None, password)
    if user is None or not matches:
        raise ExerciseError(401, "wrong user name or password")
    login = await writer.run(("logins",), lambda session: users.open_login(session, user.id))
    limiter.succeeded(attempt)
    return login, user


def _account(db: Database, name: str) -> tuple[UserRecord, str] | None:
    with db.read() as session:
        return users.by_name(session, name)


def login_of(db: Database, token: str) -> tuple[UserRecord, str] | None:
    """The user behind an unexpired login token and the login's CSRF token, by one query (no transaction)."""
    with db.engine.connect() as conn:
        return users.login_of(conn, token)


def login_in(session: Session, token: str) -> tuple[UserRecord, str] | None:
    """`login_of` inside a write transaction, looked up once per transaction (a logout is seen by the next)."""
    return users.login_in(session, token)


def any_account(session: Session) -> bool:
    """Whether anyone can log in yet (the first account is made on the server: `users add NAME --control`)."""
    return users.any_user(session)


def log_out(session: Session, token: str) -> None:
    users.close_login(session, token)
