"""Schema migrations on a database that already holds an exercise: upgrading keeps the data and brings it
to the rules of the newest revision (orders addressed to their chain only once delivered)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from alliance_c2.exercise.db.database import MIGRATIONS_DIR, open_database


def _upgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()


def test_upgrade_from_0003_unaddresses_undelivered_orders(sqlite_url):
    _upgrade(sqlite_url, "0003")
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ac2_users (id, name, password_hash, created_at) VALUES (1, 'u', 'x', '2026-01-01')"))
        conn.execute(text(
            "INSERT INTO ac2_exercises (id, name, arrangement, situation, reforms, created_by, created_at, clock_state,"
            " clock_speed, clock_anchor_wall, clock_anchor_game, log_count, log_head) VALUES (1, 'old', '2024-proposal',"
            " 'peacetime', '[]', 1, '2026-01-01', 'ready', 1, 0, 0, 0, :genesis)"), {"genesis": "0" * 64})
        for mid, status in ((1, "awaiting-approval"), (2, "delivered"), (3, "refused")):
            conn.execute(text(
                "INSERT INTO ac2_messages (id, exercise_id, kind, status, sender_org, classification, subject, body,"
                " situation, game_time, created_at) VALUES (:id, 1, 'order', :status, 'jpn-jjoc', 0, 's', '',"
                " 'peacetime', 0, '2026-01-01')"), {"id": mid, "status": status})
            conn.execute(text("INSERT INTO ac2_message_recipients (message_id, organization) VALUES (:id, 'jpn-sdf-fleet')"),
                         {"id": mid})
    engine.dispose()
    db = open_database(sqlite_url)  # migrates to the newest revision
    with db.read() as session:
        kept = session.execute(text("SELECT message_id FROM ac2_message_recipients ORDER BY message_id")).scalars().all()
        orders = session.execute(text("SELECT count(*) FROM ac2_messages")).scalar()
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.dispose()
    assert kept == [2] and orders == 3
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert version == ScriptDirectory.from_config(config).get_current_head()
