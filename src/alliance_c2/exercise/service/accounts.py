"""Accounts: creation, listing, password changes and removal, and checking passwords off the write path.

Passwords are hashed with Argon2id (the library's default cost, about 64 MiB and a fifth of a second
of one core). Checking one never happens inside a database transaction: `Hashing` runs checks in a
few worker threads of their own, at a lower CPU priority than the threads that serve requests, and
refuses new ones (503) when too many wait, so a flood of logins costs bounded memory and leaves
orders their share of the machine. An unknown name is checked against a hash made with the same
parameters as real ones, so the answer takes as long either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from ..db import users
from ..db.database import Database
from ..db.users import Account
from .errors import ExerciseError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256
HASH_WORKERS = 2  # at most this many hashes at once: each takes Argon2's memory (64 MiB by default)
HASH_QUEUE = 32  # checks waiting beyond this many are refused with 503
_NICE = 19  # hashing threads yield the CPU to request threads (Linux: per-thread priority)

_state: dict[str, PasswordHasher | str] = {"hasher": PasswordHasher()}
_lock = threading.Lock()


class AuthError(ValueError):
    """Bad account input (name taken, password too short, no such user ...)."""


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and check with `hasher` from now on (existing hashes keep the parameters they carry)."""
    with _lock:
        _state.clear()
        _state["hasher"] = hasher


def current_hasher() -> PasswordHasher:
    hasher = _state["hasher"]
    assert isinstance(hasher, PasswordHasher)
    return hasher


def dummy_hash() -> str:
    """A hash of nothing anyone knows, with the current parameters: what an unknown name is checked against."""
    with _lock:
        if "dummy" not in _state:
            _state["dummy"] = current_hasher().hash(os.urandom(16).hex())
        dummy = _state["dummy"]
    assert isinstance(dummy, str)
    return dummy


def check_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash` (None: an unknown name, checked at the same cost)."""
    try:
        return current_hasher().verify(stored_hash or dummy_hash(), password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


class Hashing:
    """Password checks in `workers` threads of low priority, at most `queue` waiting."""

    def __init__(self, workers: int = HASH_WORKERS, queue: int = HASH_QUEUE) -> None:
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None  # started by the first check, again after `close`
        self._limit = workers + queue
        self._pending = 0
        self._count = threading.Lock()

    def require_room(self) -> None:
        """503 before anything is counted or stored when the checks waiting are already at the limit."""
        with self._count:
            if self._pending >= self._limit:
                raise ExerciseError(503, "too many logins are being checked; try again in a few seconds")

    async def check(self, stored_hash: str | None, password: str) -> bool:
        with self._count:
            if self._pending >= self._limit:
                raise ExerciseError(503, "too many logins are being checked; try again in a few seconds")
            self._pending += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="ac2-hash",
                                                initializer=_lower_priority)
            pool = self._pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, check_password, stored_hash, password)
        finally:
            with self._count:
                self._pending -= 1

    def close(self) -> None:
        with self._count:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICE)


def check_new(name: str, password: str) -> None:
    """AuthError for a name or password an account cannot have."""
    if not NAME_PATTERN.match(name):
        raise AuthError(f"user name {name!r}: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def add_user(db: Database, name: str, password: str, control: bool = False) -> int:
    """Create an account (`control`: may create exercises); AuthError on a bad or taken name or a weak password."""
    check_new(name, password)
    digest = current_hasher().hash(password)
    try:
        with db.write() as session:
            return users.add(session, name, digest, control)
    except IntegrityError:
        raise AuthError(f"user {name!r} already exists") from None


def list_users(db: Database) -> list[Account]:
    with db.read() as session:
        return users.accounts(session)


def set_password(db: Database, name: str, password: str) -> None:
    """A new password; the user's logins end."""
    check_new(name, password)
    digest = current_hasher().hash(password)
    with db.write() as session:
        found = users.by_name(session, name)
        if found is None or not found[0].active:
            raise AuthError(f"user {name!r} does not exist")
        users.set_password(session, found[0].id, digest)


def remove_user(db: Database, name: str) -> bool:
    """Remove an account (True), or, if an exercise's record names it, disable it for good (False)."""
    with db.write() as session:
        found = users.by_name(session, name)
        if found is None or not found[0].active:
            raise AuthError(f"user {name!r} does not exist")
        return users.remove(session, found[0].id)
