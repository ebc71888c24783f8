"""Each exercise is a C2SIM shared session: its state, schema edition, description and (optional) name,
and the C2SIM clients joined to it.

Exercises already stored start in the state their clock implies (running: RUNNING, paused: PAUSED,
else UNINITIALIZED) and the 2.0.0-cwix2026 edition.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (SQLite copies a table for a batch change, which its foreign keys forbid)
    op.add_column("ac2_exercises", sa.Column("c2sim_session", sa.String(200), nullable=True))
    op.add_column("ac2_exercises", sa.Column("c2sim_state", sa.String(16), nullable=False,
                                             server_default="UNINITIALIZED"))
    op.add_column("ac2_exercises", sa.Column("c2sim_schema", sa.String(16), nullable=False, server_default="2.0.0"))
    op.add_column("ac2_exercises", sa.Column("c2sim_description", sa.String(1000), nullable=False,
                                             server_default=""))
    op.create_index("ix_ac2_exercises_c2sim_session", "ac2_exercises", ["c2sim_session"], unique=True)
    op.execute(sa.text("UPDATE ac2_exercises SET c2sim_state = CASE clock_state WHEN 'running' THEN 'RUNNING' "
                       "WHEN 'paused' THEN 'PAUSED' ELSE 'UNINITIALIZED' END"))
    op.create_table(
        "ac2_c2sim_clients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False),
        sa.Column("client_id", sa.String(10), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ac2_users.id"), nullable=False),
        sa.Column("seat_id", sa.Integer, sa.ForeignKey("ac2_seats.id"), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("system_name", sa.String(200), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("joined_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("exercise_id", "client_id"),
    )


def downgrade() -> None:
    op.drop_table("ac2_c2sim_clients")
    op.drop_index("ix_ac2_exercises_c2sim_session", "ac2_exercises")
    for column in ("c2sim_description", "c2sim_schema", "c2sim_state", "c2sim_session"):
        op.drop_column("ac2_exercises", column)
