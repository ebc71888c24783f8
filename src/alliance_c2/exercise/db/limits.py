"""The limits as stored, shared by every server process on the database: failed logins, the addresses a
user has logged in from, and each user's write allowance.

Login attempts are counted inside a write transaction that, on PostgreSQL, first takes one advisory
lock, so that attempts of every process are counted one after another (SQLite's write lock does the
same). A user's write allowance is a token bucket: the transactions of a group read the allowances of
the group's users once, spend them in memory, and store what they spent at commit as one statement that
adds it to whatever other processes spent meanwhile (so the limit holds across processes, overshot by at
most a group in flight per process).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text
from sqlalchemy.orm import Session

from . import tx
from .tables import LoginFailure, LoginSource, WriteBudget, table_of

_PG_LOGIN_LOCK = 0x0AC2_0002
_FAILURES = table_of(LoginFailure)
_SOURCES = table_of(LoginSource)
_BUDGETS = table_of(WriteBudget)
_LOCKED = "ac2_login_lock"


@dataclass(frozen=True, slots=True)
class Count:
    """How many failures a key has in a window, and when the oldest of them happened."""

    n: int
    oldest: float | None


def serialize_logins(session: Session) -> None:
    """Make this transaction's login accounting wait for other processes' (PostgreSQL; SQLite's write lock
    already does)."""
    if session.get_bind().dialect.name != "sqlite" and not session.info.get(_LOCKED):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOGIN_LOCK})
        session.info[_LOCKED] = True


@dataclass(frozen=True, slots=True)
class Counts:
    """The failures an attempt is measured against: from its address (any name), for its name from its
    address (both since `since`), and for its name from anywhere (since `long_since`)."""

    source: Count
    name_and_source: Count
    name: Count


def failures(session: Session, name: str, source: str, since: float, long_since: float) -> Counts:
    """The three counts, in one query."""
    f = _FAILURES.c
    recent = f.at > since
    by_source = f.source == source
    by_both = and_(recent, by_source, f.name == name)
    by_name = and_(f.name == name, f.at > long_since)
    row = session.execute(select(
        func.count().filter(and_(recent, by_source)), func.min(f.at).filter(and_(recent, by_source)),
        func.count().filter(by_both), func.min(f.at).filter(by_both),
        func.count().filter(by_name), func.min(f.at).filter(by_name),
    ).where(or_(by_source, f.name == name), f.at > min(since, long_since))).one()
    return Counts(*(Count(int(row[i] or 0), None if row[i + 1] is None else float(row[i + 1])) for i in (0, 2, 4)))


def add_failure(session: Session, name: str, source: str, at: float) -> int:
    tx.state(session).note_direct_write()
    return int(session.execute(insert(_FAILURES).returning(_FAILURES.c.id),
                               {"name": name, "source": source, "at": at}).scalar_one())


def forget_failure(session: Session, failure_id: int) -> None:
    session.execute(delete(_FAILURES).where(_FAILURES.c.id == failure_id))


def known_source(session: Session, name: str, source: str, since: float) -> bool:
    """Whether the user logged in from `source` after `since`."""
    found = session.execute(select(_SOURCES.c.at).where(_SOURCES.c.name == name, _SOURCES.c.source == source)).first()
    return found is not None and float(found.at) > since


def note_source(session: Session, name: str, source: str, at: float) -> None:
    session.execute(delete(_SOURCES).where(_SOURCES.c.name == name, _SOURCES.c.source == source))
    session.execute(insert(_SOURCES), {"name": name, "source": source, "at": at})


def unlock(session: Session, name: str) -> int:
    """Forget every failed login of a name (an operator lifting its back-off); how many there were."""
    result: Any = session.execute(delete(_FAILURES).where(_FAILURES.c.name == name))
    return int(result.rowcount or 0)


def prune(session: Session, failures_before: float, sources_before: float) -> None:
    """Drop failures that no window counts any more, and addresses not used for a long time."""
    session.execute(delete(_FAILURES).where(_FAILURES.c.at <= failures_before))
    session.execute(delete(_SOURCES).where(_SOURCES.c.at <= sources_before))


def allowances(session: Session, user_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """user -> (tokens, when) as stored (users without a row have never written)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = session.execute(select(_BUDGETS.c.user_id, _BUDGETS.c.tokens, _BUDGETS.c.at)
                           .where(_BUDGETS.c.user_id.in_(wanted)))
    return {int(r.user_id): (float(r.tokens), float(r.at)) for r in rows}


_SPEND = """
INSERT INTO ac2_write_budget (user_id, tokens, at) VALUES (:user_id, :burst - :spent, :now)
ON CONFLICT (user_id) DO UPDATE SET
    tokens = {least}(:burst, ac2_write_budget.tokens + (:now - ac2_write_budget.at) * :rate) - :spent,
    at = :now
"""


def spend(session: Session, spent: dict[int, int], rate: float, burst: float, now: float) -> None:
    """Add what the transaction's writes spent to each user's stored allowance (refilled up to now)."""
    if not spent:
        return
    least = "min" if session.get_bind().dialect.name == "sqlite" else "LEAST"
    session.execute(text(_SPEND.format(least=least)),
                    [{"user_id": u, "spent": n, "rate": rate, "burst": burst, "now": now}
                     for u, n in sorted(spent.items())])
