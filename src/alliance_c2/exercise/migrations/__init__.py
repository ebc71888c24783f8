"""Alembic migrations of the exercise store (run by `store.Database.migrate`)."""
