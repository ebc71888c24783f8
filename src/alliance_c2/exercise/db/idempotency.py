"""Answers kept for requests that carried an `Idempotency-Key`, per user.

The answer is stored in the transaction that made the change, so a retry finds either nothing (the
first attempt never committed) or the answer the first attempt got: a reference to what it made (the
message), rather than a second copy of it. Answers are read without writing what the transaction has
queued (only answers are looked at, and those the transaction queued itself are in its memory), so the
group's rows still go out together. An answer older than the retention counts as none (and is pruned).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import tx
from .tables import IdempotentAnswer, table_of, utcnow

_ANSWERS = table_of(IdempotentAnswer)
RETRY_HINT = "retry_key"  # the writer's hint naming a write's Idempotency-Key


def answer(session: Session, user_id: int, key: str, not_before: datetime) -> tuple[str, str] | None:
    """(request hash, answer as JSON) stored for the user's key since `not_before`, if any (an older one is
    deleted, so that the key can be used again).

    The keys of a group's writes are looked up in one query, the first time one of them is asked for;
    answers the group itself has queued are found in its memory.
    """
    state = tx.state(session)
    for row in reversed(state.inserts[_ANSWERS]):
        if row["user_id"] == user_id and row["key"] == key:
            return row["request_hash"], row["response"]
    hinted = state.hints.get(RETRY_HINT, frozenset())
    if key in hinted:
        if state.answers is None:
            state.answers = _stored(session, hinted)
        found = state.answers.get((user_id, key))
    else:
        found = _stored(session, frozenset([key])).get((user_id, key))
    if found is None:
        return None
    digest, response, created = found
    if _aware(created) >= not_before:
        return digest, response
    tx.state(session).note_direct_write()
    session.execute(delete(_ANSWERS).where(_ANSWERS.c.user_id == user_id, _ANSWERS.c.key == key))
    if state.answers is not None:
        state.answers.pop((user_id, key), None)
    return None


def _stored(session: Session, keys: frozenset[str]) -> dict[tuple[int, str], tuple[str, str, datetime]]:
    rows = session.execute(select(_ANSWERS.c.user_id, _ANSWERS.c.key, _ANSWERS.c.request_hash, _ANSWERS.c.response,
                                  _ANSWERS.c.created_at).where(_ANSWERS.c.key.in_(sorted(keys))))
    return {(r.user_id, r.key): (r.request_hash, r.response, r.created_at) for r in rows}


def prune(session: Session, before: datetime) -> int:
    """Delete the answers stored before `before`; how many."""
    result: Any = session.execute(delete(_ANSWERS).where(_ANSWERS.c.created_at < before))
    return int(result.rowcount or 0)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # SQLite returns naive UTC


def remember(session: Session, user_id: int, key: str, exercise_id: int, request_hash: str, response: str) -> None:
    tx.queue_insert(session, _ANSWERS, [{"user_id": user_id, "key": key, "exercise_id": exercise_id,
                                         "request_hash": request_hash, "response": response,
                                         "created_at": utcnow()}])
