"""Retried requests: an order or message posted again with the same `Idempotency-Key` gets the first answer.

The key is per user. The request it came with is remembered by a digest (route and body); the same key
with a different request is refused (422), as is a key reused in another exercise.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session

from ..db import idempotency
from ..db.auditlog import canonical_json
from .errors import invalid


def request_digest(route: str, exercise_id: int, body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"route": route, "exercise": exercise_id, "body": body}).encode()).hexdigest()


def earlier_answer(session: Session, user_id: int, key: str, digest: str) -> str | None:
    """The answer (JSON) given to the request that first carried `key`, or None when there was none."""
    found = idempotency.answer(session, user_id, key)
    if found is None:
        return None
    if found[0] != digest:
        raise invalid("Idempotency-Key: this key was already used for a different request; use a new key")
    return found[1]


def remember(session: Session, user_id: int, key: str, exercise_id: int, digest: str, answer: str) -> None:
    idempotency.remember(session, user_id, key, exercise_id, digest, answer)
