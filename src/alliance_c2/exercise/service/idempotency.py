"""Retried requests: an order or message posted again with the same `Idempotency-Key` gets the first answer.

The key is per user. The request it came with is remembered by a digest (route and body); the same key
with a different request is refused (422), as is a key reused in another exercise. What is kept is a
reference to the message the request made (`{"message": id}`), and a retry gets that message as the
seat sees it now; answers are kept for `retention_hours` (default 24) and then pruned.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..db import idempotency
from ..db.auditlog import canonical_json
from ..db.tables import utcnow
from .errors import invalid

RETENTION_HOURS = 24.0


def request_digest(route: str, exercise_id: int, body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"route": route, "exercise": exercise_id, "body": body}).encode()).hexdigest()


def kept_since(retention_hours: float = RETENTION_HOURS) -> datetime:
    """The oldest moment whose answers still count."""
    return utcnow() - timedelta(hours=retention_hours)


def earlier_answer(session: Session, user_id: int, key: str, digest: str, not_before: datetime) -> str | None:
    """The answer (JSON) given to the request that first carried `key` since `not_before`, or None."""
    found = idempotency.answer(session, user_id, key, not_before)
    if found is None:
        return None
    if found[0] != digest:
        raise invalid("Idempotency-Key: this key was already used for a different request; use a new key")
    return found[1]


def remember(session: Session, user_id: int, key: str, exercise_id: int, digest: str, answer: str) -> None:
    idempotency.remember(session, user_id, key, exercise_id, digest, answer)


def prune(session: Session, retention_hours: float = RETENTION_HOURS) -> int:
    """Forget the answers older than the retention; how many."""
    return idempotency.prune(session, kept_since(retention_hours))
