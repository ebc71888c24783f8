"""Scratch schemas on a PostgreSQL server, so tests and benchmarks never touch each other's tables.

A test helper (benchmarks import it too, by path): not part of the package.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


def create_schema_url(base: str, prefix: str = "ac2_scratch") -> tuple[str, str]:
    """Create a fresh schema; return a URL whose search_path points at it, and the schema name."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str) -> None:
    """Drop a scratch schema and everything in it."""
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@contextmanager
def scratch_schema(base: str, prefix: str = "ac2_scratch") -> Iterator[str]:
    """`with scratch_schema(base) as url:` a fresh schema for the block, dropped after it."""
    url, schema = create_schema_url(base, prefix)
    try:
        yield url
    finally:
        drop_schema(base, schema)
