"""The attacks of issue 22, each as its attacker would try it: someone who can write the database (or an
exported file) but not read the signing key, and someone who can only reach the server over HTTP.

Record: the adoption forgery, a fabricated exercise, a cut export, deleted checkpoints, a wiped exercise
whose id is used again, a changed database id, a widened release row (frozen within the watch interval).
Limits and text: login limits across two processes, the lock-out of a known account, a flood of keyed
messages, direction overrides and made-up markings.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text, update
from test_exercise_auditlog import _acts, _entries, _rechained, _tamper
from test_exercise_crash import _free_port, _start

from alliance_c2.exercise.db import auditlog, projection
from alliance_c2.exercise.db.tables import Checkpoint, Exercise, Meta
from alliance_c2.exercise.service import record
from alliance_c2.exercise.service.accounts import add_user
from alliance_c2.exercise.web.app import create_app
from conftest import PASSWORD, build_world, close_world, login, one_player_exercise

# --- helpers --------------------------------------------------------------------------------------


def _key(world):
    return world.app.state.notary.key_path


def _restarted(world):
    """A new server process on the same database and key (as `serve` starts), with the world's logins."""
    app = create_app(world.app.state.db.url, key=_key(world), login_limit=1000, address_limit=1000)
    return app


def _verify(app, eid, key):
    found = record.verify(app.state.db, eid, key)
    assert found is not None
    return found


def _rows(conn, table, where, **params):
    return [dict(r) for r in conn.execute(text(f"SELECT * FROM {table} WHERE {where}"), params).mappings()]


def _insert(conn, table, row):
    columns = ", ".join(row)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in row)})"), row)


def _fabricate(world, new_id):
    """A new exercise `new_id` made up from the world's: its row, its seats (new ids) and the entries that
    created them, chained for it, as someone who knows SHA-256 and the schema would write them; no
    checkpoint, nothing signed. Table and log agree."""
    engine = world.app.state.db.engine
    with engine.begin() as conn:
        exercise = _rows(conn, "ac2_exercises", "id = :e", e=world.eid)[0]
        exercise["id"] = new_id
        if "uid" in exercise:
            exercise["uid"] = uuid.uuid4().hex
        seats = {s["id"]: {**s, "id": s["id"] + 1000, "exercise_id": new_id}
                 for s in _rows(conn, "ac2_seats", "exercise_id = :e", e=world.eid)}
        log = []
        head = auditlog.GENESIS
        for entry in _rows(conn, "ac2_log", "exercise_id = :e ORDER BY seq", e=world.eid):
            data = json.loads(entry["data"])
            if entry["act"] not in ("exercise.created", "seat.added"):
                continue
            if "seat" in data:
                data["seat"] = seats[data["seat"]]["id"]
            seq = len(log) + 1
            content = {"exercise": new_id, "seq": seq, "at": entry["at"], "game_time": entry["game_time"],
                       "actor": entry["actor"], "act": entry["act"], "data": data}
            digest = auditlog.entry_hash(head, content)
            log.append({**{k: v for k, v in entry.items() if k != "id"}, "exercise_id": new_id, "seq": seq,
                        "data": auditlog.canonical_json(data), "prev_hash": head, "hash": digest})
            head = digest
        exercise.update(log_count=len(log), log_head=head)
        _insert(conn, "ac2_exercises", exercise)
        for seat in seats.values():
            _insert(conn, "ac2_seats", seat)
        for entry in log:
            _insert(conn, "ac2_log", entry)


# --- the record -------------------------------------------------------------------------------------


def test_the_adoption_forgery_is_named_after_a_restart(world):
    """Edit an entry and recompute every later hash and the head, delete the checkpoints, change the
    database's id, restart the server: the record is still broken, and says why."""
    _acts(world)
    entries = _entries(world)
    last = entries[-1]
    forged = json.loads(last.data) | {"note": "no decision was taken"}
    entries[-1] = auditlog.Entry(last.seq, last.at, last.game_time, last.actor, last.act,
                                 auditlog.canonical_json(forged), last.prev_hash, last.hash)
    statements, head = _rechained(world, entries, last.seq)
    _tamper(world, *statements, update(Exercise).where(Exercise.id == world.eid).values(log_head=head),
            delete(Checkpoint).where(Checkpoint.exercise_id == world.eid),
            update(Meta).where(Meta.key == "database_id").values(value=uuid.uuid4().hex))
    app = _restarted(world)
    try:
        found = _verify(app, world.eid, _key(world))
        assert not found.ok
        problems = " | ".join(found.problems)
        assert "database's id was changed" in problems, problems
        with app.state.db.read() as session:
            assert session.execute(select(Checkpoint.id)).first() is None  # nothing was signed at start-up
    finally:
        app.state.writer.close()
        app.state.db.dispose()


def test_a_fabricated_exercise_is_neither_signed_nor_adoptable(world, ex_cli):
    new_id = world.eid + 50
    _fabricate(world, new_id)
    app = _restarted(world)
    try:
        found = _verify(app, new_id, _key(world))
        assert not found.ok and "never signed" in found.reason, found.problems
    finally:
        app.state.writer.close()
        app.state.db.dispose()
    code, _, err = ex_cli("exercise", "adopt", str(new_id), "--db", world.app.state.db.url, "--key", str(_key(world)))
    assert code == 2 and "anchored" in err and err.count("\n") == 1


def _orders(world, n):
    """`n` orders, each its own write (so each has its own checkpoint)."""
    for k in range(n):
        assert world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject=f"order {k}").status_code == 201


def test_a_cut_export_is_named(world, ex_cli, tmp_path):
    """Keep the log up to an earlier checkpoint, make that checkpoint the anchor, rebuild the tables with
    the package's own replay: the file no longer verifies."""
    _acts(world)
    _orders(world, 4)
    url, key = world.app.state.db.url, str(_key(world))
    out = tmp_path / "record.json"
    assert ex_cli("exercise", "export", str(world.eid), "-o", str(out), "--db", url, "--key", key)[0] == 0
    data = json.loads(out.read_text())
    cut = sorted(data["checkpoints"], key=lambda c: c["seq"])[len(data["checkpoints"]) // 2]
    log = [e for e in data["log"] if e["seq"] <= cut["seq"]]
    replayed = projection.replay((e["seq"], json.loads(e["data"])) for e in log)
    data.update(
        log=log, checkpoints=[c for c in data["checkpoints"] if c["seq"] <= cut["seq"]],
        anchor={**cut, "database": data["database"], "uid": cut.get("uid") or data["exercise"].get("uid", "")},
        exercise={"id": world.eid, **replayed.exercise, "log_count": cut["seq"], "log_head": log[-1]["hash"]},
        seats=[{"id": i, **s} for i, s in replayed.seats.items()],
        messages=[{"id": i, **m} for i, m in replayed.messages.items()],
    )
    (tmp_path / "cut.json").write_text(json.dumps(data))
    code, _, err = ex_cli("exercise", "verify-log", str(world.eid), "--file", str(tmp_path / "cut.json"),
                          "--key", key + ".pub")
    assert code == 2 and "signature" in err, err


def test_deleted_checkpoints_are_named(world):
    _acts(world)
    _orders(world, 4)
    with world.app.state.db.read() as session:
        seqs = sorted(session.execute(select(Checkpoint.seq).where(Checkpoint.exercise_id == world.eid)).scalars())
    middle = seqs[len(seqs) // 2]
    _tamper(world, delete(Checkpoint).where(Checkpoint.exercise_id == world.eid, Checkpoint.seq == middle))
    found = _verify(world.app, world.eid, _key(world))
    assert not found.ok and f"the checkpoint at entry {middle} is missing" in found.reason, found.problems
    _tamper(world, delete(Checkpoint).where(Checkpoint.exercise_id == world.eid))
    found = _verify(world.app, world.eid, _key(world))
    assert not found.ok and "checkpoints were deleted" in " ".join(found.problems), found.problems


def test_a_wiped_exercise_is_named_and_its_reused_id_starts_clean(sqlite_world, ex_cli):
    world = sqlite_world
    _acts(world)
    url, key = world.app.state.db.url, str(_key(world))
    with world.app.state.db.engine.begin() as conn:  # everything of the exercise, as a database writer would
        for statement in ("DELETE FROM ac2_message_recipients WHERE message_id IN (SELECT id FROM ac2_messages "
                          "WHERE exercise_id = :e)",
                          "DELETE FROM ac2_message_releases WHERE message_id IN (SELECT id FROM ac2_messages "
                          "WHERE exercise_id = :e)",
                          "DELETE FROM ac2_idempotency WHERE exercise_id = :e",
                          "UPDATE ac2_messages SET parent_id = NULL WHERE exercise_id = :e",
                          "DELETE FROM ac2_messages WHERE exercise_id = :e", "DELETE FROM ac2_log WHERE exercise_id = :e",
                          "DELETE FROM ac2_checkpoints WHERE exercise_id = :e",
                          "DELETE FROM ac2_seats WHERE exercise_id = :e", "DELETE FROM ac2_exercises WHERE id = :e"):
            conn.execute(text(statement), {"e": world.eid})
    code, said, err = ex_cli("exercise", "verify-log", str(world.eid), "--db", url, "--key", key)
    assert code == 2 and "gone from the database" in err and "anchored" in err, (said, err)
    again = world.post("control", "/api/exercises", {"name": "next", "arrangement": "2024-proposal"}).json()
    assert again["id"] == world.eid  # SQLite gives the id again
    found = _verify(world.app, world.eid, _key(world))
    assert found.problems == (), found.problems  # the new exercise inherits no anchor
    assert any("gone from the database" in p for p in found.elsewhere)  # the lost one is still accounted for
    code, _, err = ex_cli("exercise", "verify-log", str(world.eid), "--db", url, "--key", key)
    assert code == 2 and "gone from the database" in err


def test_a_changed_database_id_is_named(world):
    _acts(world)
    _tamper(world, update(Meta).where(Meta.key == "database_id").values(value=uuid.uuid4().hex))
    app = _restarted(world)
    try:
        found = _verify(app, world.eid, _key(world))
        assert not found.ok and "database's id was changed" in " ".join(found.problems), found.problems
    finally:
        app.state.writer.close()
        app.state.db.dispose()


def test_a_widened_release_row_freezes_the_exercise_within_the_watch_interval(db_url, monkeypatch):
    """A release row and a recipient row added by a database writer show a JAPAN-only order to INDOPACOM;
    within the watch interval the exercise is frozen: players get 423, control sees why."""
    monkeypatch.setenv("ALLIANCE_C2_WATCH_SECONDS", "0.3")
    world = build_world(db_url)
    try:
        order = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).json()
        assert order["id"] not in {m["id"] for m in world.get("indopacom", world.ex("/messages")).json()}
        with world.app.state.db.engine.begin() as conn:
            conn.execute(text("INSERT INTO ac2_message_releases (message_id, nation) VALUES (:m, 'USA')"),
                         {"m": order["id"]})
            conn.execute(text("INSERT INTO ac2_message_recipients (message_id, organization) VALUES (:m, "
                              "'usa-indopacom')"), {"m": order["id"]})
        with TestClient(world.app) as running:  # the server's lifespan: its watch runs
            deadline = time.monotonic() + 10
            answer = running.get(world.ex("/messages"), headers=world.h("indopacom"))
            while answer.status_code == 200 and time.monotonic() < deadline:
                time.sleep(0.1)
                answer = running.get(world.ex("/messages"), headers=world.h("indopacom"))
            assert answer.status_code == 423, answer.text
            assert running.get(world.ex(f"/messages/{order['id']}"), headers=world.h("indopacom")).status_code == 423
            refused = running.post(world.ex("/orders"), headers=world.h("jjoc"), json={
                "action": "isr", "unit": "jpn-sdf-fleet", "subject": "more", "rel_to": ["JPN"]})
            assert refused.status_code == 423
            page = running.get(f"/exercises/{world.eid}/control", headers=world.h("control"))
            assert page.status_code == 200 and "usa-indopacom" in page.text and 'id="frozen"' in page.text
    finally:
        close_world(world)


# --- limits -------------------------------------------------------------------------------------------


def test_login_limits_hold_across_two_server_processes(db_url):
    """Eight wrong passwords to each of two servers on one database: five are answered, then 429."""
    one_player_exercise(db_url)  # the accounts (jjoc among them)
    ports = [_free_port(), _free_port()]
    servers = [_start(db_url, port) for port in ports]
    try:
        codes = [httpx.post(f"http://127.0.0.1:{port}/api/auth/login", timeout=10,
                            json={"name": "jjoc", "password": "wrong-password"}).status_code
                 for port in ports for _ in range(8)]
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)
    assert codes.count(401) == 5 and codes.count(429) == 11, codes


def test_strangers_guessing_a_known_account_do_not_lock_its_owner_out(sqlite_url, ex_cli):
    app = create_app(sqlite_url, trusted_proxies=["10.0.0.0/8"])
    add_user(app.state.db, "alice", PASSWORD)

    def attempt(client, source, password):
        return client.post("/api/auth/login", json={"name": "alice", "password": password},
                           headers={"X-Forwarded-For": source}).status_code

    with TestClient(app, client=("10.0.0.1", 40000)) as client:
        assert attempt(client, "198.51.100.7", PASSWORD) == 200  # alice logs in from her usual address
        assert [attempt(client, "203.0.113.5", "guessing-again") for _ in range(6)] == [401] * 5 + [429]
        assert attempt(client, "198.51.100.7", PASSWORD) == 200  # not locked out by the guesser
        assert attempt(client, "198.51.100.8", PASSWORD) == 200  # nor from a new address
        spread = [attempt(client, f"203.0.113.{20 + k}", "guessing-again") for k in range(25)]
        assert spread[:15] == [401] * 15 and spread[15:] == [429] * 10  # 20 failures: the account slows down
        assert attempt(client, "192.0.2.44", PASSWORD) == 429  # a new address waits ...
        assert attempt(client, "198.51.100.7", PASSWORD) == 200  # ... an address she used does not
        code, out, _ = ex_cli("users", "unlock", "alice", "--db", sqlite_url)
        assert code == 0 and "forgotten" in out
        assert attempt(client, "192.0.2.44", PASSWORD) == 200  # control lifted the back-off
    app.state.db.dispose()


def test_a_flood_of_keyed_messages_is_bounded(db_url, monkeypatch):
    """One player posting 4 KB messages with a new Idempotency-Key each, as fast as answered: beyond the
    burst they are refused with 429 and Retry-After, and each stored answer is a reference, not a copy."""
    monkeypatch.setenv("ALLIANCE_C2_WRITE_RATE", "0.5")
    monkeypatch.setenv("ALLIANCE_C2_WRITE_BURST", "40")
    world = build_world(db_url)
    try:
        body = {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "flood", "rel_to": ["JPN"],
                "body": "x" * 4096}
        started = time.monotonic()
        answers = [world.client.post(world.ex("/messages"), json=body,
                                     headers={**world.h("fleet"), "Idempotency-Key": f"flood-{k}"})
                   for k in range(150)]
        refilled = 0.5 * (time.monotonic() - started)  # what the allowance grew back meanwhile
        codes = [a.status_code for a in answers]
        assert 40 <= codes.count(201) <= 40 + refilled + 1 and set(codes) == {201, 429}, codes
        refused = next(a for a in answers if a.status_code == 429)
        assert int(refused.headers["Retry-After"]) >= 1
        with world.app.state.db.read() as session:
            stored = session.execute(text("SELECT count(*), sum(length(response)) FROM ac2_idempotency")).one()
        assert stored[0] == codes.count(201) and stored[1] < 40 * stored[0]
        first = next(k for k, a in enumerate(answers) if a.status_code == 201)
        again = world.client.post(world.ex("/messages"), json=body,
                                  headers={**world.h("pm"), "Idempotency-Key": f"flood-{first}"})
        assert again.status_code == 201 and again.json()["id"] != answers[first].json()["id"]  # keys are per user
    finally:
        close_world(world)


# --- text --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text_in", ["\u202eSECRET\u2028x", "order \u2066reversed\u2069", "zero\u200bwidth",
                                     "tag\U000e0041", "line\u2029paragraph", "c1\u0085control"])
def test_direction_overrides_and_invisible_characters_are_refused(world, text_in):
    r = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject=text_in)
    assert r.status_code == 422 and "subject" in r.json()["detail"], r.text
    r = world.post("fleet", world.ex("/messages"), {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s",
                                                    "body": text_in, "rel_to": ["JPN"]})
    assert r.status_code == 422 and "body" in r.json()["detail"], r.text


@pytest.mark.parametrize("text_in", ["SECRET // REL TO JPN, USA", "ＳＥＣＲＥＴ／／ＮＯＦＯＲＮ", "notes\nTOP SECRET // x",
                                     "release: REL TO USA", "【秘】配備計画"])
def test_markings_come_only_from_the_classification_field(world, text_in):
    r = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject=text_in)
    assert r.status_code == 422 and "classification" in r.json()["detail"], r.text
    ok = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject="secret route planning (秘匿経路)")
    assert ok.status_code == 201


# --- the log's entries and the stream, across processes -----------------------------------------------


def test_a_second_server_process_streams_what_the_first_one_writes(db_url):
    """A seat's event stream on one server process carries an order written through another one."""
    eid, jjoc, _ = one_player_exercise(db_url)
    ports = [_free_port(), _free_port()]
    servers = [_start(db_url, port) for port in ports]
    try:
        with httpx.Client(timeout=15) as client, client.stream(
                "GET", f"http://127.0.0.1:{ports[0]}/api/exercises/{eid}/events",
                params={"max_seconds": 8}, headers=jjoc) as events:
            lines = events.iter_lines()
            assert any(line.startswith("event: exercise") for line in lines)  # the stream stands
            sent = time.monotonic()
            order = client.post(f"http://127.0.0.1:{ports[1]}/api/exercises/{eid}/orders", headers=jjoc, json={
                "action": "isr", "unit": "jpn-sdf-fleet", "subject": "via the other", "rel_to": ["JPN"]}).json()
            for line in lines:
                if line.startswith("data: ") and f'"id":{order["id"]},' in line:
                    break
            else:
                pytest.fail("the stream ended without the order written through the other process")
            assert time.monotonic() - sent < 3
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)


def test_an_idle_login_ends_and_a_used_one_lasts(sqlite_url):
    app = create_app(sqlite_url, idle_minutes=1)
    add_user(app.state.db, "alice", PASSWORD)
    add_user(app.state.db, "bob", PASSWORD)
    client = TestClient(app)
    alice, bob = login(client, "alice"), login(client, "bob")
    assert client.get("/api/me", headers=alice).status_code == 200
    with app.state.db.engine.begin() as conn:  # alice's login was last used two minutes ago, bob's just now
        conn.execute(text("UPDATE ac2_auth_tokens SET last_seen_at = :t WHERE user_id = "
                          "(SELECT id FROM ac2_users WHERE name = 'alice')"),
                     {"t": (auditlog.utcnow() - timedelta(minutes=2))})
    assert client.get("/api/me", headers=alice).status_code == 401
    assert client.get("/api/me", headers=bob).status_code == 200
    client.close()
    app.state.writer.close()
    app.state.db.dispose()


def test_answers_to_retried_requests_are_pruned_after_the_retention(sqlite_world):
    from alliance_c2.exercise.service import idempotency

    world = sqlite_world
    body = {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "kept", "rel_to": ["JPN"]}
    headers = {**world.h("fleet"), "Idempotency-Key": "kept-1"}
    first = world.client.post(world.ex("/messages"), json=body, headers=headers).json()
    with world.app.state.db.engine.begin() as conn:
        conn.execute(text("UPDATE ac2_idempotency SET created_at = :t"),
                     {"t": auditlog.utcnow() - timedelta(hours=25)})
    again = world.client.post(world.ex("/messages"), json=body, headers=headers).json()
    assert again["id"] != first["id"]  # older than the 24 h retention: a new request
    with world.app.state.db.engine.begin() as conn:
        conn.execute(text("UPDATE ac2_idempotency SET created_at = :t"),
                     {"t": auditlog.utcnow() - timedelta(hours=25)})
    with world.app.state.db.write() as session:
        assert idempotency.prune(session) == 1
    with world.app.state.db.read() as session:
        assert session.execute(text("SELECT count(*) FROM ac2_idempotency")).scalar() == 0
