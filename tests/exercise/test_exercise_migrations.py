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


def _legacy_exercise(url: str) -> None:
    """An exercise as the service kept it before revision 0005: a hash-chained log whose entries do not
    yet state the rows they change, and a delivered order with its recipient and REL TO."""
    from alliance_c2.exercise.db.auditlog import GENESIS, canonical_json, entry_hash

    _upgrade(url, "0004")
    acts = [("chief@exercise-control", "exercise.created", {"name": "old", "arrangement": "2024-proposal"}),
            ("chief@exercise-control", "seat.added", {"seat": 1, "user": "chief"}),
            ("chief@exercise-control", "seat.added", {"seat": 2, "user": "jjoc"}),
            ("jjoc@jpn-jjoc", "order.issued", {"message": 1, "kind": "order", "status": "delivered"})]
    engine = create_engine(url)
    with engine.begin() as conn:
        for uid, name in ((1, "chief"), (2, "jjoc")):
            conn.execute(text("INSERT INTO ac2_users (id, name, password_hash, created_at) VALUES (:i, :n, 'x', "
                              "'2026-01-01')"), {"i": uid, "n": name})
        conn.execute(text(
            "INSERT INTO ac2_exercises (id, name, arrangement, situation, reforms, created_by, created_at, clock_state,"
            " clock_speed, clock_anchor_wall, clock_anchor_game, log_count, log_head, auto_injects, auto_approvals)"
            " VALUES (1, 'old', '2024-proposal', 'armed-attack', '[]', 1, '2026-01-01', 'paused', 1, 0, 600,"
            " 0, :genesis, false, false)"), {"genesis": GENESIS})
        for sid, uid, org, nation, role in ((1, 1, "exercise-control", "CONTROL", "control"),
                                            (2, 2, "jpn-jjoc", "JPN", "player")):
            conn.execute(text("INSERT INTO ac2_seats (id, exercise_id, user_id, nation, organization, role, clearance)"
                              " VALUES (:s, 1, :u, :n, :o, :r, 2)"), {"s": sid, "u": uid, "n": nation, "o": org,
                                                                      "r": role})
        conn.execute(text(
            "INSERT INTO ac2_messages (id, exercise_id, kind, status, sender_seat_id, sender_org, classification,"
            " subject, body, action, unit, verdict, situation, game_time, created_at, decided_at_game) VALUES"
            " (1, 1, 'order', 'delivered', 2, 'jpn-jjoc', 0, 'isr', '', 'isr', 'jpn-sdf-fleet',"
            " '{\"allowed\": true, \"reasons\": []}', 'armed-attack', 60, '2026-01-01', 120)"))
        conn.execute(text("INSERT INTO ac2_message_recipients VALUES (1, 'jpn-sdf-fleet')"))
        conn.execute(text("INSERT INTO ac2_message_releases VALUES (1, 'JPN')"))
        head = GENESIS
        for seq, (actor, act, data) in enumerate(acts, start=1):
            at = f"2026-01-01T00:00:0{seq}.000000+00:00"
            digest = entry_hash(head, {"exercise": 1, "seq": seq, "at": at, "game_time": 60.0, "actor": actor,
                                       "act": act, "data": data})
            conn.execute(text("INSERT INTO ac2_log (exercise_id, seq, at, game_time, actor, act, data, prev_hash, hash)"
                              " VALUES (1, :s, :at, 60, :actor, :act, :data, :prev, :hash)"),
                         {"s": seq, "at": at, "actor": actor, "act": act, "data": canonical_json(data), "prev": head,
                          "hash": digest})
            head = digest
        conn.execute(text("UPDATE ac2_exercises SET log_count = :n, log_head = :h"), {"n": len(acts), "h": head})
    engine.dispose()


def test_an_exercise_logged_before_the_signed_record_is_adopted_only_by_the_operator(sqlite_url, tmp_path, ex_cli):
    from sqlalchemy import update

    from alliance_c2.exercise.db import auditlog
    from alliance_c2.exercise.db.tables import Message, User
    from alliance_c2.exercise.service import record
    from alliance_c2.exercise.service.aar import from_log
    from alliance_c2.exercise.web.app import create_app

    _legacy_exercise(sqlite_url)
    key = tmp_path / "key.pem"
    app = create_app(sqlite_url, key=key)  # migrates; signs nothing it did not see written
    db = app.state.db
    unsigned = record.verify(db, 1, key)
    assert unsigned is not None and not unsigned.ok and "this key never signed the exercise" in unsigned.reason
    with db.read() as session:
        uid, legacy = session.execute(text("SELECT uid, legacy_anchor FROM ac2_exercises WHERE id = 1")).one()
    assert len(uid) == 32 and legacy
    code, out, _ = ex_cli("exercise", "adopt", "1", "--db", sqlite_url, "--key", str(key))
    assert code == 0 and "vouched for entries 1 to 8" in out and "2 seat(s) and 1 message(s)" in out
    with db.read() as session:
        adopted = session.execute(text("SELECT act, actor FROM ac2_log WHERE seq > 4 ORDER BY seq")).all()
        accounts = session.execute(text("SELECT name, control FROM ac2_users ORDER BY name")).all()
    assert [a for a, _ in adopted] == ["record.adopted"] * 4  # the exercise, two seats, one message
    assert {actor for _, actor in adopted} == {"migration@exercise-control"}
    assert [(n, bool(c)) for n, c in accounts] == [("chief", True), ("jjoc", True)]  # nobody loses a right
    found = record.verify(db, 1, key)
    assert found is not None and found.ok, found.problems
    assert found.notes and "before the log was signed" in found.notes[0]
    with db.read() as session:
        report = from_log(1, auditlog.entries(session, 1, limit=None))
    assert [(o["id"], o["status"], o["approval_delay_min"]) for o in report["orders"]] == [(1, "delivered", None)]
    with db.write() as session:  # an edit after the upgrade is seen
        session.execute(update(Message).where(Message.id == 1).values(status="refused"))
        session.execute(update(User).where(User.id == 2).values(control=False))
    broken = record.verify(db, 1, key)
    assert broken is not None and "message 1: status is 'refused' in the table" in " ".join(broken.problems)
    app.state.writer.close()
    db.dispose()
