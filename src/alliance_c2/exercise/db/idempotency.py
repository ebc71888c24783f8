"""Answers kept for requests that carried an `Idempotency-Key`, per user.

The answer is stored in the transaction that made the change, so a retry finds either nothing (the
first attempt never committed) or the very answer the first attempt would have got. Answers are
read without writing what the transaction has queued (only answers are looked at, and those the
transaction queued itself are in its memory), so the group's rows still go out together.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import tx
from .tables import IdempotentAnswer, table_of, utcnow

_ANSWERS = table_of(IdempotentAnswer)
RETRY_HINT = "retry_key"  # the writer's hint naming a write's Idempotency-Key


def answer(session: Session, user_id: int, key: str) -> tuple[str, str] | None:
    """(request hash, answer as JSON) stored for the user's key, if any.

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
        return state.answers.get((user_id, key))
    return _stored(session, frozenset([key])).get((user_id, key))


def _stored(session: Session, keys: frozenset[str]) -> dict[tuple[int, str], tuple[str, str]]:
    rows = session.execute(select(_ANSWERS.c.user_id, _ANSWERS.c.key, _ANSWERS.c.request_hash, _ANSWERS.c.response)
                           .where(_ANSWERS.c.key.in_(sorted(keys))))
    return {(r.user_id, r.key): (r.request_hash, r.response) for r in rows}


def remember(session: Session, user_id: int, key: str, exercise_id: int, request_hash: str, response: str) -> None:
    tx.queue_insert(session, _ANSWERS, [{"user_id": user_id, "key": key, "exercise_id": exercise_id,
                                         "request_hash": request_hash, "response": response,
                                         "created_at": utcnow()}])
