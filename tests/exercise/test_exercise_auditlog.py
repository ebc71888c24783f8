"""The record proves itself: the hash chain, signed checkpoints, the anchor kept outside the database,
and tables that must equal the log replayed. Each kind of tampering by someone who can write the
database but not read the key is named by `verify-log`, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import threading

import pytest
from sqlalchemy import delete, select, update

from alliance_c2.exercise.db import auditlog
from alliance_c2.exercise.db.tables import Checkpoint, Exercise, LogEntry, Message, Seat
from alliance_c2.exercise.service import record


def _acts(world):
    """An order delivered at once (a BMD intercept under the standing order), the clock started, the
    situation changed: the last entry is the situation change."""
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "delivered"
    assert world.post("control", world.ex("/clock"), {"action": "start"}).status_code == 200
    r = world.post("control", world.ex("/situation"), {"situation": "gray-zone", "basis": "cabinet-decision",
                                                       "note": "as decided"})
    assert r.status_code == 200
    return order


def _verify(world):
    found = record.verify(world.app.state.db, world.eid, world.app.state.notary.key_path)
    assert found is not None
    return found


def _tamper(world, *statements):
    with world.app.state.db.write() as session:
        for stmt in statements:
            session.execute(stmt)


def _entries(world):
    with world.app.state.db.read() as session:
        return auditlog.entries(session, world.eid, limit=None)


def _rechained(world, entries, first_seq):
    """Hashes recomputed from `first_seq` on, as an attacker who knows SHA-256 would; the new head."""
    prev = entries[first_seq - 2].hash if first_seq > 1 else auditlog.GENESIS
    statements = []
    for e in entries[first_seq - 1:]:
        content = {"exercise": world.eid, "seq": e.seq, "at": e.at, "game_time": e.game_time, "actor": e.actor,
                   "act": e.act, "data": json.loads(e.data)}
        digest = auditlog.entry_hash(prev, content)
        statements.append(update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == e.seq)
                          .values(data=e.data, prev_hash=prev, hash=digest))
        prev = digest
    return statements, prev


def _problems(result):
    assert not result.ok
    return " | ".join(result.problems)


def test_every_act_is_logged_and_the_record_holds(world):
    _acts(world)
    log = world.get("control", world.ex("/log")).json()
    assert [e["act"] for e in log][:2] == ["exercise.created", "seat.added"]
    assert {"order.issued", "order.delivered", "clock.start", "situation.changed"} <= {e["act"] for e in log}
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(log))
    verdict = world.get("control", world.ex("/log/verify")).json()
    assert verdict["ok"] is True and verdict["problems"] == []


def test_every_change_of_a_message_is_an_entry(world):
    """created, routed, granted, delivered: each a log entry naming the message and what changed."""
    order = _acts(world)
    log = world.get("control", world.ex("/log")).json()
    about = [e for e in log if e["data"].get("message") == order["id"]]
    assert [(e["act"], "new" in e["data"], e["data"].get("set", {}).get("status")) for e in about] == [
        ("order.issued", True, None), ("order.delivered", False, "delivered")]
    tasks = [e for e in log if e["data"].get("new", {}).get("parent_id") == order["id"]]
    assert [(e["act"], e["data"]["new"]["status"]) for e in tasks] == [
        ("approval.granted", "granted"), ("approval.granted", "granted"), ("approval.routed", "pending")]


def test_an_edited_entry_is_named(world):
    _acts(world)
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 5)
            .values(data='{"forged":true}'))
    result = _verify(world)
    assert result.bad_seq == 5 and "entry 5 was edited" in _problems(result)


def test_a_deleted_entry_is_named(world):
    _acts(world)
    _tamper(world, delete(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 4))
    result = _verify(world)
    assert result.bad_seq == 4 and "entry 4 missing" in _problems(result)


def test_swapped_entries_are_named(world):
    _acts(world)
    where = LogEntry.exercise_id == world.eid
    _tamper(world, update(LogEntry).where(where, LogEntry.seq == 3).values(seq=-3),
            update(LogEntry).where(where, LogEntry.seq == 4).values(seq=3),
            update(LogEntry).where(where, LogEntry.seq == -3).values(seq=4))
    result = _verify(world)
    assert result.bad_seq == 3 and "entry 3 does not follow entry 2" in _problems(result)


def test_an_appended_entry_is_named(world):
    """A well-chained entry added at the end, the exercise's count and head moved and the tables changed to
    match: only the signatures can tell, and they do."""
    order = _acts(world)
    entries = _entries(world)
    last = entries[-1]
    data = {"message": order["id"], "set": {"status": "denied"}, "note": "forged"}
    content = {"exercise": world.eid, "seq": last.seq + 1, "at": last.at, "game_time": last.game_time,
               "actor": "control@exercise-control", "act": "order.denied", "data": data}
    digest = auditlog.entry_hash(last.hash, content)
    _tamper(world,
            LogEntry.__table__.insert().values(exercise_id=world.eid, seq=last.seq + 1, at=last.at,
                                               game_time=last.game_time, actor=content["actor"], act="order.denied",
                                               data=auditlog.canonical_json(data), prev_hash=last.hash, hash=digest),
            update(Exercise).where(Exercise.id == world.eid).values(log_count=last.seq + 1, log_head=digest),
            update(Message).where(Message.id == order["id"]).values(status="denied"))
    problems = _problems(_verify(world))
    assert f"entry {last.seq + 1} is covered by no signed checkpoint (appended without the key)" in problems
    assert "message" not in problems  # the tables agree with the forged log: the signature alone tells


def test_a_tail_cut_off_with_the_exercise_row_updated_is_named(world):
    _acts(world)
    entries = _entries(world)
    keep = entries[-2]
    where = LogEntry.exercise_id == world.eid
    _tamper(world, delete(LogEntry).where(where, LogEntry.seq > keep.seq),
            delete(Checkpoint).where(Checkpoint.exercise_id == world.eid, Checkpoint.seq > keep.seq),
            update(Exercise).where(Exercise.id == world.eid).values(log_count=keep.seq, log_head=keep.hash,
                                                                    situation="peacetime"))
    problems = _problems(_verify(world))
    assert f"entry {keep.seq + 1} is missing: the anchor outside the database records {keep.seq + 1}" in problems


def test_an_edited_entry_with_the_chain_recomputed_is_named(world):
    _acts(world)
    entries = _entries(world)
    last = entries[-1]
    assert last.act == "situation.changed"
    forged = json.loads(last.data) | {"note": "no decision was taken"}
    entries[-1] = auditlog.Entry(last.seq, last.at, last.game_time, last.actor, last.act,
                                 auditlog.canonical_json(forged), last.prev_hash, last.hash)
    statements, head = _rechained(world, entries, last.seq)
    _tamper(world, *statements, update(Exercise).where(Exercise.id == world.eid).values(log_head=head))
    result = _verify(world)
    problems = _problems(result)
    assert f"{last.seq} is rewritten" in problems and "the chain was recomputed" in problems
    assert result.bad_seq is None  # the chain itself holds


def test_a_wiped_log_reset_to_genesis_is_named(world):
    _acts(world)
    count = len(_entries(world))
    _tamper(world, delete(LogEntry).where(LogEntry.exercise_id == world.eid),
            delete(Checkpoint).where(Checkpoint.exercise_id == world.eid),
            update(Exercise).where(Exercise.id == world.eid).values(log_count=0, log_head=auditlog.GENESIS))
    problems = _problems(_verify(world))
    assert f"entries 1 to {count} are missing" in problems and "wiped" in problems


def test_an_edited_message_row_is_named_and_the_report_keeps_the_logged_outcome(world):
    order = _acts(world)
    _tamper(world, update(Message).where(Message.id == order["id"]).values(status="refused"))
    problems = _problems(_verify(world))
    assert f"message {order['id']}: status is 'refused' in the table, 'delivered' by the log" in problems
    report = world.get("control", world.ex("/aar")).json()
    assert next(o for o in report["orders"] if o["id"] == order["id"])["status"] == "delivered"


def test_a_seat_moved_to_another_nation_is_named(world):
    """The Taiwanese liaison officer's seat edited to Japan's nation (to read what is released to Japan)."""
    _acts(world)
    seat = next(s for s in world.get("control", world.ex("/seats")).json() if s["organization"] == "lno-taiwan")
    _tamper(world, update(Seat).where(Seat.id == seat["id"]).values(nation="JPN"))
    assert f"seat {seat['id']}: nation is 'JPN' in the table, 'TWN' by the log" in _problems(_verify(world))


def test_verify_log_cli_names_the_problem(world, ex_cli):
    order = _acts(world)
    url, key = world.app.state.db.url, str(world.app.state.notary.key_path)
    code, out, _ = ex_cli("exercise", "verify-log", str(world.eid), "--db", url, "--key", key)
    assert code == 0 and "record intact" in out
    _tamper(world, update(Message).where(Message.id == order["id"]).values(status="refused"))
    code, out, err = ex_cli("exercise", "verify-log", str(world.eid), "--db", url, "--key", key + ".pub")
    assert code == 2 and err.count("\n") == 1 and f"message {order['id']}: status" in err
    code, _, err = ex_cli("exercise", "verify-log", "999", "--db", url, "--key", key)
    assert code == 2 and "not found" in err


def test_export_is_checked_offline_and_edits_of_the_file_are_named(world, ex_cli, tmp_path):
    order = _acts(world)
    url, key = world.app.state.db.url, str(world.app.state.notary.key_path)
    out = tmp_path / "record.json"
    code, said, _ = ex_cli("exercise", "export", str(world.eid), "-o", str(out), "--db", url, "--key", key)
    assert code == 0 and str(out) in said
    code, said, _ = ex_cli("exercise", "verify-log", str(world.eid), "--file", str(out), "--key", key + ".pub")
    assert code == 0 and "record intact" in said
    data = json.loads(out.read_text())
    edited = tmp_path / "edited.json"
    message = next(m for m in data["messages"] if m["id"] == order["id"])
    message["status"] = "refused"
    edited.write_text(json.dumps(data))
    code, said, err = ex_cli("exercise", "verify-log", str(world.eid), "--file", str(edited), "--key", key)
    assert code == 2 and "signature does not match its content" in err and f"message {order['id']}: status" in said
    data = json.loads(out.read_text())
    data["log"] = data["log"][:-1]
    data["exercise"]["log_count"] -= 1
    data["exercise"]["log_head"] = data["log"][-1]["hash"]
    data["checkpoints"] = [c for c in data["checkpoints"] if c["seq"] <= len(data["log"])]
    edited.write_text(json.dumps(data))
    code, said, err = ex_cli("exercise", "verify-log", str(world.eid), "--file", str(edited), "--key", key)
    assert code == 2 and "cut short" in said
    code, _, err = ex_cli("exercise", "verify-log", str(world.eid + 1), "--file", str(out), "--key", key)
    assert code == 2 and f"holds exercise {world.eid}" in err


def test_another_key_does_not_vouch_for_the_record(world, ex_cli, tmp_path):
    from alliance_c2.exercise.db.notary import Notary

    _acts(world)
    stranger = tmp_path / "stranger.pem"
    Notary.load(stranger, create=True)
    found = record.verify(world.app.state.db, world.eid, stranger)
    assert found is not None and not found.ok
    assert "not signed by this key" in " ".join(found.problems) or "never signed" in " ".join(found.problems)


def test_concurrent_writers_keep_one_chain(world):
    errors = []

    def send(i):
        r = world.post("fleet", world.ex("/messages"), {"kind": "report", "recipients": ["jpn-jjoc"],
                                                        "subject": f"r{i}", "rel_to": ["JPN"]})
        if r.status_code != 201:
            errors.append(r.text)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _verify(world).ok
    with world.app.state.db.read() as session:
        seqs = list(session.execute(select(LogEntry.seq).where(LogEntry.exercise_id == world.eid)
                                    .order_by(LogEntry.seq)).scalars())
    assert seqs == list(range(1, len(seqs) + 1))


def test_verify_while_the_exercise_is_being_played(world):
    """Entries committed while the record is read (PostgreSQL reads the newest commits statement by
    statement unless told otherwise) are never reported as tampering: one snapshot, the anchor read first."""
    stop = threading.Event()

    def play():
        while not stop.is_set():
            assert world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).status_code == 201

    player = threading.Thread(target=play)
    player.start()
    try:
        results = [_verify(world) for _ in range(8)]
    finally:
        stop.set()
        player.join(30)
    assert all(r.ok for r in results), [r.problems for r in results if not r.ok]


@pytest.mark.parametrize("value", [{"b": 1, "a": [1, 2]}, {"a": [1, 2], "b": 1}])
def test_canonical_json_ignores_key_order(value):
    assert auditlog.canonical_json(value) == '{"a":[1,2],"b":1}'
