"""Logging in: the login limits, the password check off the write path, and the new login token.

The limits are kept in the database, so every server process and worker shares them, and an attempt is
counted when it starts, in a transaction that counts one attempt after another (so parallel attempts
cannot slip past it). Within `window` seconds an address may fail `per_address` times for any names,
and a name may fail `per_name` times from one address; the owner of a name someone else is guessing
therefore still logs in from their own address. Against guesses spread over many addresses, a name
that failed `per_account` times within `account_window` seconds is refused from every address it has
not logged in from before (within `known_days`) until its oldest failure leaves that window; the
account's control can lift this with `alliance-c2 users unlock NAME`. A successful attempt takes its
own count back and makes its address known.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from ..db import limits, users
from ..db.database import Database
from ..db.rows import UserRecord
from ..db.users import Found, Login, SessionPolicy
from ..db.writer import Writer
from .accounts import Hashing
from .errors import ExerciseError

SESSION_HOURS = users.SESSION_HOURS
LOGINS = ("logins",)  # the writer's key for login accounting
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Attempt:
    """A counted attempt: its row, the name and the address it came from."""

    failure_id: int
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class LoginLimiter:
    """The login limits (see the module docstring); counts are read from and kept in the database."""

    per_name: int = 5
    per_address: int = 20
    window: float = 60.0
    per_account: int = 20
    account_window: float = 900.0
    known_days: float = 30.0

    def begin(self, session: Session, name: str, address: str, now: float | None = None) -> Attempt:
        """Count an attempt, or raise 429 (with the wait) when one of the limits is used up."""
        moment = time.time() if now is None else now
        key = name.lower()
        source = address[:64]
        limits.serialize_logins(session)
        counts = limits.failures(session, key, source, moment - self.window, moment - self.account_window)
        waits = [self._wait(counts.source, self.per_address, self.window, moment),
                 self._wait(counts.name_and_source, self.per_name, self.window, moment)]
        if counts.name.n >= self.per_account and not limits.known_source(session, key, source,
                                                                           moment - self.known_days * 86400):
            waits.append(self._wait(counts.name, self.per_account, self.account_window, moment))
        wait = max(waits)
        if wait > 0:
            raise ExerciseError(429, f"too many failed logins; try again in {math.ceil(wait)} s", retry_after=wait)
        return Attempt(limits.add_failure(session, key, source, moment), key, source)

    def succeeded(self, session: Session, attempt: Attempt, now: float | None = None) -> None:
        """A successful login is not a failure: take its count back, and know its address from now on."""
        limits.forget_failure(session, attempt.failure_id)
        limits.note_source(session, attempt.name, attempt.source, time.time() if now is None else now)

    def prune(self, session: Session, now: float | None = None) -> None:
        moment = time.time() if now is None else now
        limits.prune(session, moment - max(self.window, self.account_window), moment - self.known_days * 86400)

    @staticmethod
    def _wait(count: limits.Count, limit: int, window: float, now: float) -> float:
        if count.n < limit or count.oldest is None:
            return 0.0
        return max(0.001, count.oldest + window - now)


async def log_in(db: Database, writer: Writer, hashing: Hashing, limiter: LoginLimiter, name: str, password: str,
                 address: str, policy: SessionPolicy | None = None) -> tuple[Login, UserRecord]:
    """Check a name and password under the limits; a new login for the user (401 when wrong)."""
    hashing.require_room()
    attempt = await _accounted(db, writer, lambda session: limiter.begin(session, name, address))
    found = await asyncio.to_thread(_account, db, name)
    user = found[0] if found is not None and found[0].active else None
    matches = await hashing.check(found[1] if user is not None and found is not None else None, password)
    if user is None or not matches:
        raise ExerciseError(401, "wrong user name or password")

    def open_login(session: Session) -> Login:
        limiter.succeeded(session, attempt)
        return users.open_login(session, user.id, policy)

    return await _accounted(db, writer, open_login), user


async def _accounted(db: Database, writer: Writer, work: Callable[[Session], T]) -> T:
    """Login accounting in a write transaction: on SQLite through the exercise writer (grouped with the
    others, one fsync for all); on PostgreSQL in a transaction of its own, so that a flood of logins never
    holds up the writer's orders (the advisory lock orders the logins among themselves)."""
    if db.is_sqlite:
        return await writer.run(LOGINS, work)
    return await asyncio.to_thread(_in_transaction, db, work)


def _in_transaction(db: Database, work: Callable[[Session], T]) -> T:
    with db.write() as session:
        return work(session)


def unlock(db: Database, name: str) -> int:
    """Lift the login back-off of a name (the failed attempts counted against it are forgotten)."""
    with db.write() as session:
        limits.serialize_logins(session)
        return limits.unlock(session, name.lower())


def _account(db: Database, name: str) -> tuple[UserRecord, str] | None:
    with db.read() as session:
        return users.by_name(session, name)


def login_of(db: Database, token: str, policy: SessionPolicy | None = None) -> Found | None:
    """The user behind a live login token and the login's CSRF token, by one query (no transaction)."""
    with db.engine.connect() as conn:
        return users.login_of(conn, token, policy)


def login_in(session: Session, token: str, policy: SessionPolicy | None = None) -> Found | None:
    """`login_of` inside a write transaction, looked up once per transaction (a logout is seen by the next)."""
    return users.login_in(session, token, policy)


def prune(session: Session, policy: SessionPolicy) -> None:
    """Delete the logins that have ended (expired, or unused for longer than the idle limit)."""
    users.close_ended(session, policy)


def touch(session: Session, token_hashes: list[str]) -> None:
    """Record the use of logins found stale by a read (the idle limit counts from now)."""
    users.touch(session, token_hashes)


def any_account(session: Session) -> bool:
    """Whether anyone can log in yet (the first account is made on the server: `users add NAME --control`)."""
    return users.any_user(session)


def log_out(session: Session, token: str) -> None:
    users.close_login(session, token)
