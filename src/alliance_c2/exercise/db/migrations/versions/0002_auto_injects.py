"""Exercises may release their scenario's injects on the clock (`auto_injects`).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ac2_exercises") as batch:
        batch.add_column(sa.Column("auto_injects", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("ac2_exercises") as batch:
        batch.drop_column("auto_injects")
