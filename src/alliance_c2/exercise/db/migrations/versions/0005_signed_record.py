"""The record proves itself: signed checkpoints, answers kept for retried requests, control accounts,
and every exercise's tables written into its log.

From this revision on the log is the record and the tables its projection (`db/projection.py`).
Exercises logged before it get, at the end of their log, one `record.adopted` entry per row (the
exercise, each seat, each message) stating the tables as they stand, so that the log can be replayed
and compared with the tables from then on; their checkpoints are signed when a server first runs
with a key (`service/record.adopt_unsigned`). Accounts that existed keep what they could do: each
may create exercises (`control`).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from alliance_c2.exercise.db.auditlog import GENESIS, canonical_json, entry_hash

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ACTOR = "migration@exercise-control"
_EXERCISE_FIELDS = ("name", "arrangement", "scenario", "situation", "reforms", "created_by", "clock_state",
                    "clock_speed", "clock_anchor_wall", "clock_anchor_game", "auto_injects", "auto_approvals")
_SEAT_FIELDS = ("user_id", "nation", "organization", "role", "clearance")
_MESSAGE_FIELDS = ("kind", "status", "sender_seat_id", "sender_org", "classification", "subject", "body", "action",
                   "unit", "approval", "parent_id", "inject_id", "verdict", "situation", "game_time", "decided_at_game")


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (SQLite copies a table for a batch change, which its foreign keys forbid)
    op.add_column("ac2_users", sa.Column("control", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("ac2_users", sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()))
    op.execute(sa.text("UPDATE ac2_users SET control = :yes").bindparams(yes=True))
    op.create_table(
        "ac2_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )
    op.create_table(
        "ac2_checkpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("adopted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
    )
    op.create_index("ix_ac2_checkpoints_exercise_seq", "ac2_checkpoints", ["exercise_id", "seq"])
    op.create_table(
        "ac2_idempotency",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ac2_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("ac2_exercises.id", ondelete="CASCADE"), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("key", "user_id"),
    )
    conn = op.get_bind()
    for exercise in conn.execute(sa.select(_EXERCISES).order_by(_EXERCISES.c.id)).mappings().all():
        _adopt(conn, dict(exercise))


def downgrade() -> None:
    op.drop_table("ac2_idempotency")
    op.drop_index("ix_ac2_checkpoints_exercise_seq", "ac2_checkpoints")
    op.drop_table("ac2_checkpoints")
    op.drop_table("ac2_meta")
    op.drop_column("ac2_users", "active")
    op.drop_column("ac2_users", "control")


_TYPED = {"reforms": sa.JSON, "auto_injects": sa.Boolean, "auto_approvals": sa.Boolean, "clock_speed": sa.Float,
          "clock_anchor_wall": sa.Float, "clock_anchor_game": sa.Float}
_EXERCISES = sa.table(
    "ac2_exercises", sa.column("id", sa.Integer), *(sa.column(f, _TYPED.get(f)) for f in _EXERCISE_FIELDS),
    sa.column("log_count", sa.Integer), sa.column("log_head", sa.String),
)
_SEATS = sa.table("ac2_seats", sa.column("id", sa.Integer), sa.column("exercise_id", sa.Integer),
                  *(sa.column(f) for f in _SEAT_FIELDS))
_MESSAGES = sa.table("ac2_messages", sa.column("id", sa.Integer), sa.column("exercise_id", sa.Integer),
                     sa.column("verdict", sa.JSON), *(sa.column(f) for f in _MESSAGE_FIELDS if f != "verdict"))
_LABELS = {"recipients": ("ac2_message_recipients", "organization"), "rel_to": ("ac2_message_releases", "nation")}
_LOG = sa.table("ac2_log", *(sa.column(c) for c in ("exercise_id", "seq", "at", "game_time", "actor", "act", "data",
                                                     "prev_hash", "hash")))


def _adopt(conn: Any, exercise: dict[str, Any]) -> None:
    """Append the exercise's tables to its log as `record.adopted` entries."""
    eid = exercise["id"]
    rows: list[dict[str, Any]] = [{"new": {f: exercise[f] for f in _EXERCISE_FIELDS}}]
    names = dict(conn.execute(sa.text("SELECT id, name FROM ac2_users")).all())
    for seat in conn.execute(sa.select(_SEATS).where(_SEATS.c.exercise_id == eid).order_by(_SEATS.c.id)).mappings():
        rows.append({"seat": seat["id"], "user": names.get(seat["user_id"]), "new": {f: seat[f] for f in _SEAT_FIELDS}})
    labels = {part: _labels(conn, eid, table, column) for part, (table, column) in _LABELS.items()}
    for message in conn.execute(sa.select(_MESSAGES).where(_MESSAGES.c.exercise_id == eid)
                                .order_by(_MESSAGES.c.id)).mappings():
        new = {f: message[f] for f in _MESSAGE_FIELDS}
        new.update({part: sorted(found.get(message["id"], [])) for part, found in labels.items()})
        rows.append({"message": message["id"], "new": new})
    game_time = _game_seconds(exercise)
    seq, head = exercise["log_count"], exercise["log_head"] or GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    entries = []
    for data in rows:
        seq += 1
        text = canonical_json(data)
        content = {"exercise": eid, "seq": seq, "at": at, "game_time": game_time, "actor": ACTOR,
                   "act": "record.adopted", "data": data}
        digest = entry_hash(head, content)
        entries.append({"exercise_id": eid, "seq": seq, "at": at, "game_time": game_time, "actor": ACTOR,
                        "act": "record.adopted", "data": text, "prev_hash": head, "hash": digest})
        head = digest
    conn.execute(_LOG.insert(), entries)
    conn.execute(sa.update(_EXERCISES).where(_EXERCISES.c.id == eid).values(log_count=seq, log_head=head))


def _labels(conn: Any, eid: int, table: str, column: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = conn.execute(sa.text(f"SELECT l.message_id, l.{column} FROM {table} l JOIN ac2_messages m "
                                f"ON m.id = l.message_id WHERE m.exercise_id = :eid"), {"eid": eid})
    for mid, value in rows:
        found.setdefault(mid, []).append(value)
    return found


def _game_seconds(exercise: dict[str, Any]) -> float:
    if exercise["clock_state"] != "running":
        return float(exercise["clock_anchor_game"])
    elapsed = max(0.0, time.time() - float(exercise["clock_anchor_wall"]))
    return float(exercise["clock_anchor_game"]) + elapsed * float(exercise["clock_speed"])
