"""What routes depend on: the database and writer, the caller's login, the client's address, and
the write that runs an act as the caller's seat (optionally answering a retried request again).

Browsers log in with a cookie and must echo the session's CSRF token on unsafe requests; API clients
send `Authorization: Bearer <token>`. A write checks its login inside its own transaction; a read
before it (`LoginGate`) refuses made-up tokens so they never queue for the write lock.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Path, Request
from sqlalchemy.orm import Session

from ..db.database import Database
from ..db.idempotency import RETRY_HINT
from ..db.rows import UserRecord
from ..db.users import TOKEN_HINT, Found, SessionPolicy
from ..db.writer import Writer
from ..service import exercises, idempotency, logins
from ..service.errors import ExerciseError
from ..service.exercises import Seated
from ..service.idempotency import RETENTION_HOURS
from ..service.limits import WriteLimit
from ..service.watch import Watch

T = TypeVar("T")

SESSION_COOKIE = "ac2_session"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

ExerciseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Exercise id")]
MessageId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Message id")]
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[!-~]+$",
    description="a key of your choosing: a retry with the same key and body gets the first answer, stored once",
)]


@dataclass(frozen=True, slots=True)
class Caller:
    user: UserRecord
    csrf: str
    via_cookie: bool


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request presents, before the database is asked: its login token and CSRF header."""

    token: str
    via_cookie: bool
    unsafe: bool
    csrf_given: str | None

    def admit(self, found: Found | None) -> Caller:
        """The caller behind a looked-up login; 401 when unknown, expired or idle too long, 403 on a cookie
        without CSRF."""
        if found is None:
            raise ExerciseError(401, "the login token is unknown or expired; log in again")
        if self.via_cookie and self.unsafe and not csrf_matches(found.csrf, self.csrf_given):
            raise ExerciseError(403, f"missing or wrong CSRF token (send the {CSRF_HEADER} header)")
        return Caller(found.user, found.csrf, self.via_cookie)


@dataclass(frozen=True, slots=True)
class Guards:
    """What every act passes: the record's watch (frozen exercises), the write limit, how long logins last,
    and how long answers to retried requests are kept."""

    watch: Watch
    writes: WriteLimit = field(default_factory=WriteLimit)
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    retention_hours: float = RETENTION_HOURS


def guards_of(request: Request) -> Guards:
    found: Guards = request.app.state.guards
    return found


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


async def database(request: Request) -> Database:
    """Async (as is `exercise_writer`): FastAPI runs sync dependencies in its thread pool."""
    db: Database = request.app.state.db
    return db


async def exercise_writer(request: Request) -> Writer:
    writer: Writer = request.app.state.writer
    return writer


def token_of(request: Request) -> tuple[str | None, bool]:
    """The login token from `Authorization: Bearer` or, failing that, the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


async def presented(request: Request) -> Credentials:
    """The request's login token (401 without one) and CSRF header, not yet looked up."""
    token, via_cookie = token_of(request)
    if not token:
        raise ExerciseError(401, "log in first: send 'Authorization: Bearer <token>' (POST /api/auth/login)")
    return Credentials(token, via_cookie, request.method in _UNSAFE, request.headers.get(CSRF_HEADER))


async def credentials(request: Request, creds: Annotated[Credentials, Depends(presented)]) -> Credentials:
    """For writes: 401 for a token no login has, by a read before the write queue; the login is checked
    again, with the CSRF token, inside the write's transaction."""
    gate: LoginGate = request.app.state.login_gate
    if not await gate.known(creds.token, guards_of(request).sessions):
        raise ExerciseError(401, "the login token is unknown or expired; log in again")
    return creds


class LoginGate:
    """Tokens seen to belong to a login in the last `ttl` seconds (per process, bounded), so that a request
    with a made-up token is refused by a read instead of queueing for a write transaction.

    Only a filter: every write checks its login again inside its own transaction, so a logout takes
    effect at once; a token forgotten here costs one read.
    """

    def __init__(self, db: Database, ttl: float = 30.0, size: int = 10_000) -> None:
        self._db = db
        self._ttl = ttl
        self._size = size
        self._seen: dict[str, float] = {}

    async def known(self, token: str, policy: SessionPolicy) -> bool:
        now = time.monotonic()
        if self._seen.get(token, 0.0) > now:
            return True
        if await asyncio.to_thread(logins.login_of, self._db, token, policy) is None:
            return False
        if len(self._seen) >= self._size:
            self._seen = {t: until for t, until in self._seen.items() if until > now}
            while len(self._seen) >= self._size:
                self._seen.pop(next(iter(self._seen)))
        self._seen[token] = now + self._ttl
        return True


def caller(request: Request, creds: Annotated[Credentials, Depends(presented)],
           db: Annotated[Database, Depends(database)]) -> Caller:
    """The logged-in user; 401 without a live token, 403 when a cookie request lacks its CSRF token. A login
    last used more than a minute ago has this use recorded (by the writer, not waited for)."""
    return creds.admit(live_login(request, db, creds.token))


def live_login(request: Request, db: Database, token: str) -> Found | None:
    """The live login behind `token`, its use recorded when stale (for reads: pages and the API)."""
    found = logins.login_of(db, token, guards_of(request).sessions)
    if found is not None and found.stale:
        writer: Writer = request.app.state.writer
        writer.submit(logins.LOGINS, lambda session: logins.touch(session, [found.token_hash]))
    return found


Db = Annotated[Database, Depends(database)]
Who = Annotated[Caller, Depends(caller)]
Creds = Annotated[Credentials, Depends(credentials)]
Wr = Annotated[Writer, Depends(exercise_writer)]


class TrustedProxies:
    """The addresses whose `X-Forwarded-For` is believed (none unless configured)."""

    def __init__(self, networks: Iterable[str] = ()) -> None:
        self._networks = [ipaddress.ip_network(n, strict=False) for n in networks]

    def client(self, request: Request) -> str:
        """The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
        `X-Forwarded-For` that is not one."""
        peer = request.client.host if request.client else "unknown"
        if not self._networks or not self._trusted(peer):
            return peer
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if not self._trusted(hop):
                return hop if _is_address(hop) else peer
        return peer

    def _trusted(self, address: str) -> bool:
        try:
            found = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(found in network for network in self._networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_address(request: Request) -> str:
    proxies: TrustedProxies = request.app.state.trusted_proxies
    return proxies.client(request)


@dataclass(frozen=True, slots=True)
class Retry:
    """A request's `Idempotency-Key`, with the digest of the request it came with and the oldest moment
    whose stored answers count."""

    key: str
    digest: str
    not_before: datetime


@dataclass(frozen=True, slots=True)
class EarlierAnswer:
    """The answer a retried request gets: what its first attempt made, as the seat sees it now."""

    body: dict[str, Any]


def retry_of(key: str | None, route: str, exercise_id: int, body: Any, guards: Guards) -> Retry | None:
    if key is None:
        return None
    return Retry(key, idempotency.request_digest(route, exercise_id, body.model_dump(mode="json")),
                 idempotency.kept_since(guards.retention_hours))


def hints(creds: Credentials, retry: Retry | None = None) -> dict[str, str]:
    """What a write will look up, for the writer to look up with its group's (`db.writer.Writer.submit`)."""
    found = {TOKEN_HINT: creds.token}
    if retry is not None:
        found[RETRY_HINT] = retry.key
    return found


def seated_write(eid: int, creds: Credentials, work: Callable[[Session, Seated], T],
                 guards: Guards) -> Callable[[Session], T]:
    """A write for the exercise writer: log-in check, the write limit, the caller's seat (exercise row
    locked, refused when the exercise is frozen), then `work`.

    The login is looked up inside the write's own transaction, so the request needs no other, and
    remembered for the other writes of that transaction (a logout is seen by the next one).
    """

    def job(session: Session) -> T:
        user = _writer(session, eid, creds, guards)
        return work(session, _seat(session, eid, user))

    return job


def seated_write_once(eid: int, creds: Credentials, work: Callable[[Session, Seated], T], retry: Retry,
                      guards: Guards, made: Callable[[T], int],
                      again: Callable[[Session, Seated, int], dict[str, Any]]) -> Callable[[Session], T | EarlierAnswer]:
    """`seated_write` for a request with an `Idempotency-Key`: a request seen before gets what its first
    attempt made (`again` of the message id stored, as the seat sees it now); a new one stores a reference
    to what it makes (`made` of the result: the message id) with its changes."""

    def job(session: Session) -> T | EarlierAnswer:
        user = _writer(session, eid, creds, guards)
        earlier = idempotency.earlier_answer(session, user.id, retry.key, retry.digest, retry.not_before)
        who = _seat(session, eid, user)
        if earlier is not None:
            return EarlierAnswer(_answered(session, who, json.loads(earlier), again))
        result = work(session, who)
        idempotency.remember(session, who.user.id, retry.key, eid, retry.digest,
                             json.dumps({"message": made(result)}))
        return result

    return job


def _answered(session: Session, who: Seated, stored: Any, again: Callable[[Session, Seated, int], dict[str, Any]]
              ) -> dict[str, Any]:
    """The answer to a retry: the message a reference names, or a whole answer stored before references."""
    if isinstance(stored, dict) and set(stored) == {"message"} and isinstance(stored["message"], int):
        return again(session, who, stored["message"])
    return stored if isinstance(stored, dict) else {}


def _writer(session: Session, eid: int, creds: Credentials, guards: Guards) -> UserRecord:
    """The user behind the write's login, within the write limit, for an exercise that is not frozen."""
    user = creds.admit(logins.login_in(session, creds.token, guards.sessions)).user
    guards.writes.take(session, user.id)
    guards.watch.admit_write(eid)
    return user


def _seat(session: Session, eid: int, user: UserRecord) -> Seated:
    return exercises.seated(session, eid, user, lock=True)
