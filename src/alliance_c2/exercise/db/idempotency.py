"""Answers kept for requests that carried an `Idempotency-Key`, per user.

The answer is stored in the transaction that made the change, so a retry finds either nothing (the
first attempt never committed) or the very answer the first attempt would have got.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import tx
from .tables import IdempotentAnswer, table_of, utcnow

_ANSWERS = table_of(IdempotentAnswer)


def answer(session: Session, user_id: int, key: str) -> tuple[str, str] | None:
    """(request hash, answer as JSON) stored for the user's key, if any."""
    tx.flush(session)
    row = session.execute(select(_ANSWERS.c.request_hash, _ANSWERS.c.response).where(
        _ANSWERS.c.user_id == user_id, _ANSWERS.c.key == key)).first()
    return None if row is None else (row.request_hash, row.response)


def remember(session: Session, user_id: int, key: str, exercise_id: int, request_hash: str, response: str) -> None:
    tx.queue_insert(session, _ANSWERS, [{"user_id": user_id, "key": key, "exercise_id": exercise_id,
                                         "request_hash": request_hash, "response": response,
                                         "created_at": utcnow()}])
