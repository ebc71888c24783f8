"""The exercise service: a multi-user web service for tabletop exercises inside an arrangement.

`create_app(db_url)` builds the FastAPI application; `open_database(url)` the migrated store.
Orders are checked by the law engine, items are released by label, and every act is kept in a
hash-chained audit log (`verify_log`). See docs/exercise.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "open_database", "verify_log"]


def create_app(db_url: str | None = None, **options: Any) -> FastAPI:
    """The FastAPI application on the database at `db_url` (see `app.create_app`)."""
    from .app import create_app as _create

    return _create(db_url, **options)


def open_database(url: str | None = None) -> Any:
    from .store import open_database as _open

    return _open(url)


def verify_log(exercise_id: int, url: str | None = None) -> Any:
    """Verify one exercise's audit log; returns `auditlog.Verification` (None for an unknown id)."""
    from . import auditlog
    from .store import Exercise

    db = open_database(url)
    try:
        with db.read() as session:
            exercise = session.get(Exercise, exercise_id)
            return None if exercise is None else auditlog.verify(session, exercise)
    finally:
        db.dispose()
