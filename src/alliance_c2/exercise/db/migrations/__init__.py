"""Alembic migrations of the exercise database (run by `database.Database.migrate`)."""
