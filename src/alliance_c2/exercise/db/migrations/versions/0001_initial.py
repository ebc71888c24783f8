"""The first exercise schema: users, logins, exercises, seats, messages and the audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "ac2_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "ac2_auth_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ac2_users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        _when("created_at"),
        _when("expires_at"),
    )
    op.create_table(
        "ac2_exercises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("arrangement", sa.String(100), nullable=False),
        sa.Column("scenario", sa.String(100), nullable=True),
        sa.Column("situation", sa.String(64), nullable=False),
        sa.Column("reforms", sa.JSON, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("ac2_users.id"), nullable=False),
        _when("created_at"),
        sa.Column("clock_state", sa.String(16), nullable=False),
        sa.Column("clock_speed", sa.Float, nullable=False),
        sa.Column("clock_anchor_wall", sa.Float, nullable=False),
        sa.Column("clock_anchor_game", sa.Float, nullable=False),
        sa.Column("log_count", sa.Integer, nullable=False),
        sa.Column("log_head", sa.String(64), nullable=False),
    )
    op.create_table(
        "ac2_seats",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ac2_users.id"), nullable=False),
        sa.Column("nation", sa.String(8), nullable=False),
        sa.Column("organization", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("clearance", sa.Integer, nullable=False),
        sa.UniqueConstraint("exercise_id", "user_id"),
    )
    op.create_table(
        "ac2_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("sender_seat_id", sa.Integer, sa.ForeignKey("ac2_seats.id"), nullable=True),
        sa.Column("sender_org", sa.String(100), nullable=False),
        sa.Column("classification", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("action", sa.String(64), nullable=True),
        sa.Column("unit", sa.String(100), nullable=True),
        sa.Column("approval", sa.String(64), nullable=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("ac2_messages.id"), nullable=True),
        sa.Column("inject_id", sa.String(100), nullable=True),
        sa.Column("verdict", sa.JSON, nullable=True),
        sa.Column("situation", sa.String(64), nullable=False),
        sa.Column("game_time", sa.Float, nullable=False),
        _when("created_at"),
        sa.Column("decided_at_game", sa.Float, nullable=True),
    )
    op.create_table(
        "ac2_message_recipients",
        sa.Column("message_id", sa.Integer, sa.ForeignKey("ac2_messages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("organization", sa.String(100), primary_key=True),
    )
    op.create_table(
        "ac2_message_releases",
        sa.Column("message_id", sa.Integer, sa.ForeignKey("ac2_messages.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("nation", sa.String(8), primary_key=True),
    )
    op.create_table(
        "ac2_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("game_time", sa.Float, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("act", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("exercise_id", "seq"),
    )


def downgrade() -> None:
    for table in (
        "ac2_log",
        "ac2_message_releases",
        "ac2_message_recipients",
        "ac2_messages",
        "ac2_seats",
        "ac2_exercises",
        "ac2_auth_tokens",
        "ac2_users",
    ):
        op.drop_table(table)
