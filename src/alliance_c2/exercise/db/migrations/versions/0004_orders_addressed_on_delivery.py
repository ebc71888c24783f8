"""Orders are addressed to their delivery chain only once delivered; an index for the clock's checks.

Orders stored before this revision got their recipients when issued. Those not delivered (refused,
waiting, denied) lose them, as orders issued from now on have none until delivery; a waiting one gets
them again when its last approval is granted.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text(
        "DELETE FROM ac2_message_recipients WHERE message_id IN "
        "(SELECT id FROM ac2_messages WHERE kind = 'order' AND status <> 'delivered')"
    ))
    op.create_index("ix_ac2_messages_exercise_kind_status", "ac2_messages", ["exercise_id", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_ac2_messages_exercise_kind_status", "ac2_messages")
