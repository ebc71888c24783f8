"""The hash-chained audit log: intact after acts, and any edit, deletion or reordering is named."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import delete, select, update

from alliance_c2.exercise import auditlog
from alliance_c2.exercise.store import Exercise, LogEntry


def _acts(world):
    world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"])
    world.post("control", world.ex("/clock"), {"action": "start"})
    world.post("control", world.ex("/situation"), {"situation": "gray-zone", "basis": "cabinet-decision"})


def _verify(world):
    with world.app.state.db.read() as session:
        return auditlog.verify(session, session.get(Exercise, world.eid))


def _tamper(world, stmt):
    with world.app.state.db.write() as session:
        session.execute(stmt)


def test_every_act_is_logged_and_the_chain_holds(world):
    _acts(world)
    log = world.get("control", world.ex("/log")).json()
    assert [e["act"] for e in log][:2] == ["exercise.created", "seat.added"]
    assert {"order.issued", "clock.start", "situation.changed"} <= {e["act"] for e in log}
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(log))
    assert world.get("control", world.ex("/log/verify")).json()["ok"] is True


def test_edited_entry_is_named(world):
    _acts(world)
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 5)
            .values(data='{"forged":true}'))
    result = _verify(world)
    assert (result.ok, result.bad_seq) == (False, 5)
    assert "edited" in result.reason


def test_deleted_entry_is_named(world):
    _acts(world)
    _tamper(world, delete(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 4))
    assert (_verify(world).ok, _verify(world).bad_seq) == (False, 4)


def test_deleted_last_entry_is_detected(world):
    _acts(world)
    with world.app.state.db.read() as session:
        last = session.get(Exercise, world.eid).log_count
    _tamper(world, delete(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == last))
    result = _verify(world)
    assert not result.ok and result.bad_seq == last


def test_reordered_entries_are_named(world):
    _acts(world)
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 3).values(seq=-3))
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 4).values(seq=3))
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == -3).values(seq=4))
    result = _verify(world)
    assert not result.ok and result.bad_seq == 3


def test_verify_log_cli_exit_codes(world, ex_cli):
    _acts(world)
    url = world.app.state.db.url
    code, out, _ = ex_cli("exercise", "verify-log", str(world.eid), "--db", url)
    assert code == 0 and "intact" in out
    _tamper(world, update(LogEntry).where(LogEntry.exercise_id == world.eid, LogEntry.seq == 2).values(actor="x"))
    code, _, err = ex_cli("exercise", "verify-log", str(world.eid), "--db", url)
    assert code == 2
    assert "entry 2" in err and err.count("\n") == 1
    code, _, err = ex_cli("exercise", "verify-log", "999", "--db", url)
    assert code == 2 and "not found" in err


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
    result = _verify(world)
    assert result.ok
    with world.app.state.db.read() as session:
        seqs = list(session.execute(select(LogEntry.seq).where(LogEntry.exercise_id == world.eid)
                                    .order_by(LogEntry.seq)).scalars())
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.parametrize("value", [{"b": 1, "a": [1, 2]}, {"a": [1, 2], "b": 1}])
def test_canonical_json_ignores_key_order(value):
    assert auditlog.canonical_json(value) == '{"a":[1,2],"b":1}'


def test_verify_while_the_exercise_is_being_played(world):
    """Entries committed between reading the exercise's head and reading the entries (PostgreSQL reads the
    newest commits statement by statement) are not reported as tampering."""
    with world.app.state.db.read() as session:
        exercise = session.get(Exercise, world.eid)
        before = exercise.log_count
        assert world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).status_code == 201  # commits meanwhile
        result = auditlog.verify(session, exercise)
    assert result.ok, result.reason
    assert result.entries >= before


def test_verify_still_names_a_deleted_last_entry_after_reading_again(world):
    _acts(world)
    with world.app.state.db.read() as session:
        last = session.execute(select(LogEntry).where(LogEntry.exercise_id == world.eid)
                               .order_by(LogEntry.seq.desc())).scalars().first()
    _tamper(world, delete(LogEntry).where(LogEntry.id == last.id))
    result = _verify(world)
    assert not result.ok and result.bad_seq == last.seq and "missing" in result.reason
