"""Group commit: writes queued together share one transaction, a failing write is undone alone, every
caller hears back only after the commit, and the audit-log chain stays whole."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest
from sqlalchemy import func, select

from alliance_c2.exercise.db import queries, users
from alliance_c2.exercise.db.database import open_database
from alliance_c2.exercise.db.tables import Message
from alliance_c2.exercise.db.writer import Writer, _groups, _Job
from alliance_c2.exercise.service import exercises, messages, orders
from alliance_c2.exercise.service.errors import ExerciseError
from alliance_c2.exercise.service.record import verify


def _user(world, name):
    with world.app.state.db.read() as session:
        found = users.by_name(session, name)
    assert found is not None
    return found[0]


def _verified(world, eid=None):
    found = verify(world.app.state.db, eid or world.eid, world.app.state.notary.key_path)
    assert found is not None
    return found


def _log_count(world, eid=None):
    with world.app.state.db.read() as session:
        return queries.exercise(session, eid or world.eid).log_count


def _order_job(eid, user, k, fail_after_logging=False):
    def work(session):
        who = exercises.seated(session, eid, user, lock=True)
        label = messages.label_for(who, "UNCLASSIFIED", ["JPN"])
        order = orders.issue_order(session, who, "isr", "jpn-sdf-fleet", f"group {k}", "", label, None, None,
                                   orders.default_checker())
        if fail_after_logging:
            raise ExerciseError(409, f"write {k} refused after it had logged")
        return order.id

    return work


def _held(writer: Writer, key) -> tuple[threading.Event, Future]:
    """Occupy the write thread until the event is set, so the writes queued meanwhile form one group."""
    gate = threading.Event()
    started = threading.Event()

    def wait(_session):
        started.set()
        assert gate.wait(30)

    first = writer.submit(("hold", key), wait)
    assert started.wait(30)
    return gate, first


def test_a_failing_write_is_undone_alone_and_the_chain_holds(world):
    writer: Writer = world.app.state.writer
    jjoc = _user(world, "jjoc")
    before = _log_count(world)
    gate, first = _held(writer, world.eid)
    futures = [writer.submit(world.eid, _order_job(world.eid, jjoc, k, fail_after_logging=k % 3 == 1))
               for k in range(12)]
    assert not any(f.done() for f in futures)  # nobody is answered before the group commits
    gate.set()
    first.result(30)
    ok = [f.result(30) for k, f in enumerate(futures) if k % 3 != 1]
    for k, f in enumerate(futures):
        if k % 3 == 1:
            with pytest.raises(ExerciseError, match="refused after it had logged"):
                f.result(30)
    with world.app.state.db.read() as session:
        stored = session.execute(
            select(Message.id, Message.subject).where(Message.kind == "order", Message.subject.like("group %"))
        ).all()
    check = _verified(world)
    assert sorted(i for i, _ in stored) == sorted(ok)
    assert {s for _, s in stored} == {f"group {k}" for k in range(12) if k % 3 != 1}
    assert check.ok, check.problems
    assert _log_count(world) == before + len(ok) * 2  # order.issued and approval.routed each


def test_writes_of_two_exercises_do_not_share_a_transaction(world):
    """A failure in one exercise's group leaves the other exercise's group untouched."""
    r = world.post("control", "/api/exercises", {"name": "second", "arrangement": "2024-proposal"})
    assert r.status_code == 201, r.text
    other = r.json()["id"]
    control = _user(world, "control")
    writer: Writer = world.app.state.writer

    def situation(eid, fail):
        def work(session):
            who = exercises.seated(session, eid, control, lock=True)
            exercises.change_situation(session, who, "gray-zone", "cabinet-decision", "")
            if fail:
                raise ExerciseError(409, "refused")
            return eid
        return work

    gate, first = _held(writer, "both")
    a = writer.submit(world.eid, situation(world.eid, fail=False))
    b = writer.submit(other, situation(other, fail=True))
    gate.set()
    first.result(30)
    assert a.result(30) == world.eid
    with pytest.raises(ExerciseError):
        b.result(30)
    with world.app.state.db.read() as session:
        assert queries.exercise(session, world.eid).situation == "gray-zone"
        assert queries.exercise(session, other).situation != "gray-zone"
    for eid in (world.eid, other):
        assert _verified(world, eid).ok


def test_concurrent_requests_through_the_api_all_land(world):
    """Many threads ordering at once (the HTTP path): every 201 is stored once, the chain verifies."""
    results: list[int] = []
    lock = threading.Lock()

    def client(k):
        for i in range(5):
            r = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject=f"api {k}.{i}")
            assert r.status_code == 201, r.text
            with lock:
                results.append(r.json()["id"])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 40 and len(set(results)) == 40
    with world.app.state.db.read() as session:
        count = session.execute(select(func.count()).select_from(Message).where(Message.subject.like("api %"))).scalar()
        assert count == 40
    assert _verified(world).ok


def test_groups_keep_arrival_order_per_key_and_their_size():
    jobs = [_Job(key, lambda s: None, {}) for key in ("a", "b", "a", "a", "c", "b", "a")]
    groups = _groups(jobs, 2)
    assert [[j.key for j in g] for g in groups] == [["a", "a"], ["a", "a"], ["b", "b"], ["c"]]
    flat = [j for g in groups for j in g]
    assert [j for j in flat if j.key == "a"] == [j for j in jobs if j.key == "a"]


def test_closed_writer_refuses_new_writes(sqlite_url):
    db = open_database(sqlite_url)
    writer = Writer(db)
    assert writer.submit(1, lambda session: 41 + 1).result(10) == 42
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.submit(1, lambda session: None)
    db.dispose()


def test_a_write_that_fails_hard_fails_its_group_and_the_thread_lives_on(sqlite_url):
    db = open_database(sqlite_url)
    writer = Writer(db)
    try:
        def hard(_session):
            raise SystemExit("stop")

        with pytest.raises(SystemExit):
            writer.submit(1, hard).result(10)
        assert writer.submit(1, lambda session: "still writing").result(10) == "still writing"
    finally:
        writer.close()
        db.dispose()
