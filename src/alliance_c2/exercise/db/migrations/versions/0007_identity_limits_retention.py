"""An identity per exercise, chained checkpoints, limits kept in the database, retention, idle sessions.

- `ac2_exercises.uid`: a random UUID that names the exercise in its checkpoints and anchors, so an id
  the database reuses never inherits another exercise's anchor. Exercises that existed get one now and
  are marked `legacy_anchor` (their earlier anchors were kept by database and id).
- `ac2_checkpoints.prev`: the entry count of the checkpoint before (signed with it), so a deleted
  checkpoint is named; NULL for checkpoints signed before this revision.
- `ac2_login_failures`, `ac2_login_sources`: the login limits, shared by every server process.
- `ac2_write_budget`: each user's write allowance (a token bucket), shared by every server process.
- `ac2_auth_tokens.last_seen_at`: a login's last use, for the idle timeout.
- `ac2_idempotency.created_at` indexed, so answers older than the retention are pruned cheaply.
- PostgreSQL: a trigger that notifies `ac2_log` whenever an exercise's log moves, so the event streams
  of every server process hear of every write; and the log's data and the orders' verdicts (several KB
  each) compressed with lz4 where the server has it (cheaper than the default pglz at every insert).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NOTIFY_CHANNEL = "ac2_log"
_NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ac2_notify_log() RETURNS trigger AS $$
BEGIN
    IF NEW.log_count IS DISTINCT FROM OLD.log_count THEN
        PERFORM pg_notify('{NOTIFY_CHANNEL}', current_schema() || ' ' || NEW.id || ' ' || NEW.log_count);
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (SQLite copies a table for a batch change, which its foreign keys forbid)
    op.add_column("ac2_exercises", sa.Column("uid", sa.String(32), nullable=False, server_default=""))
    op.add_column("ac2_exercises", sa.Column("legacy_anchor", sa.Boolean, nullable=False, server_default=sa.false()))
    conn = op.get_bind()
    for (eid,) in conn.execute(sa.text("SELECT id FROM ac2_exercises")).all():
        conn.execute(sa.text("UPDATE ac2_exercises SET uid = :uid, legacy_anchor = :yes WHERE id = :id"),
                     {"uid": uuid.uuid4().hex, "yes": True, "id": eid})
    op.create_index("ix_ac2_exercises_uid", "ac2_exercises", ["uid"], unique=True)
    op.add_column("ac2_checkpoints", sa.Column("prev", sa.Integer, nullable=True))
    op.add_column("ac2_auth_tokens", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_ac2_idempotency_created_at", "ac2_idempotency", ["created_at"])
    op.create_table(
        "ac2_login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_ac2_login_failures_name_at", "ac2_login_failures", ["name", "at"])
    op.create_index("ix_ac2_login_failures_source_at", "ac2_login_failures", ["source", "at"])
    op.create_table(
        "ac2_login_sources",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_table(
        "ac2_write_budget",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ac2_users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tokens", sa.Float, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    if conn.dialect.name == "postgresql":
        op.execute(_NOTIFY_FUNCTION)
        op.execute("CREATE TRIGGER ac2_log_moved AFTER UPDATE OF log_count ON ac2_exercises "
                   "FOR EACH ROW EXECUTE FUNCTION ac2_notify_log()")
        lz4 = conn.execute(sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                   "WHERE name = 'default_toast_compression'")).scalar()
        if lz4:
            op.execute("ALTER TABLE ac2_log ALTER COLUMN data SET COMPRESSION lz4")
            op.execute("ALTER TABLE ac2_messages ALTER COLUMN verdict SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ac2_log_moved ON ac2_exercises")
        op.execute("DROP FUNCTION IF EXISTS ac2_notify_log()")
    op.drop_table("ac2_write_budget")
    op.drop_table("ac2_login_sources")
    op.drop_index("ix_ac2_login_failures_source_at", "ac2_login_failures")
    op.drop_index("ix_ac2_login_failures_name_at", "ac2_login_failures")
    op.drop_table("ac2_login_failures")
    op.drop_index("ix_ac2_idempotency_created_at", "ac2_idempotency")
    op.drop_column("ac2_auth_tokens", "last_seen_at")
    op.drop_column("ac2_checkpoints", "prev")
    op.drop_index("ix_ac2_exercises_uid", "ac2_exercises")
    op.drop_column("ac2_exercises", "legacy_anchor")
    op.drop_column("ac2_exercises", "uid")
