"""Alembic environment: runs on the connection handed over by `db.database.Database.migrate`."""

from __future__ import annotations

from alembic import context

from alliance_c2.exercise.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
