"""Control's helpers: scenario injects released on the clock, and granting the approvals of unseated holders."""

from __future__ import annotations

import time

from sqlalchemy import select

from alliance_c2.exercise.db import queries
from alliance_c2.exercise.db.tables import LogEntry
from alliance_c2.exercise.service import clockwork
from conftest import without_scenario


def _released(world) -> dict[str, dict]:
    injects = world.get("control", world.ex("/messages"), params={"kind": "inject"}).json()
    return {m["inject_id"]: m for m in injects}


def _advance(world, minutes: float) -> None:
    """Let at least `minutes` of game time pass, as control would: the clock an hour a second for a moment
    (a few game minutes more, depending on the machine's pace), then back to real time."""
    assert world.post("control", world.ex("/clock"), {"action": "speed", "speed": 3600}).status_code == 200
    time.sleep(minutes / 60.0)
    assert world.post("control", world.ex("/clock"), {"action": "speed", "speed": 1}).status_code == 200


def _release_round(world) -> list[int]:
    return world.app.state.writer.submit(world.eid, clockwork.release_job(world.eid)).result(30)


def _due(world) -> list[int]:
    """Exercises the clock would write to now (read as its loop reads them)."""
    with world.app.state.db.read() as session:
        return [e.id for e in queries.running_with_clockwork(session) if clockwork.has_work(session, e)]


def test_injects_are_released_when_the_clock_reaches_them(world):
    r = world.post("control", world.ex("/injects/auto"), {"enabled": True})
    assert r.status_code == 200 and r.json()["auto_injects"] is True
    assert _release_round(world) == []  # the clock has not started
    world.post("control", world.ex("/clock"), {"action": "start"})
    assert _due(world) == [world.eid]
    first = _release_round(world)
    assert list(_released(world)) == ["missile-1"] and len(first) == 1
    assert _release_round(world) == []  # once only
    _advance(world, 10)
    _release_round(world)
    released = _released(world)
    assert sorted(released) == ["missile-1", "missile-2", "missile-3"]  # missile-4 is due at minute 120
    # to the seated organizations of the nations whose sensors detect it (JPN, USA); never the liaison officers
    assert set(released["missile-2"]["recipients"]) == {"jpn-pm", "jpn-jjoc", "jpn-sdf-fleet", "usa-indopacom"}
    assert world.get("jjoc", world.ex(f"/messages/{released['missile-2']['id']}")).status_code == 200
    assert world.get("twn", world.ex(f"/messages/{released['missile-2']['id']}")).status_code == 404
    with world.app.state.db.read() as session:
        acts = session.execute(select(LogEntry.actor, LogEntry.data).where(
            LogEntry.exercise_id == world.eid, LogEntry.act == "inject.released")).all()
    assert {a for a, _ in acts} == {clockwork.CLOCK_ACTOR} and '"scheduled_minute":3' in acts[1][1]
    assert world.get("control", world.ex("/log/verify")).json()["ok"] is True


def test_nothing_is_released_while_paused_or_switched_off(world):
    world.post("control", world.ex("/clock"), {"action": "start"})
    assert _release_round(world) == []  # auto_injects is off by default
    world.post("control", world.ex("/injects/auto"), {"enabled": True})
    _advance(world, 10)
    world.post("control", world.ex("/clock"), {"action": "pause"})
    assert _due(world) == []
    assert _release_round(world) == [] and _released(world) == {}


def test_only_control_switches_it_and_only_with_a_scenario(world):
    assert world.post("jjoc", world.ex("/injects/auto"), {"enabled": True}).status_code == 403
    without_scenario(world)
    r = world.post("control", world.ex("/injects/auto"), {"enabled": True})
    assert r.status_code == 422 and "no scenario" in r.json()["detail"]


def test_the_server_loop_delivers_to_seated_players(sqlite_url):
    """The app's lifespan runs the loop: with a running clock the first inject arrives unreleased by hand."""
    from fastapi.testclient import TestClient

    from alliance_c2.exercise.service.accounts import add_user
    from alliance_c2.exercise.web.app import create_app
    from conftest import PASSWORD, login

    app = create_app(sqlite_url)
    for name in ("control", "jjoc"):
        add_user(app.state.db, name, PASSWORD, control=name == "control")
    with TestClient(app) as client:
        headers = login(client, "control")
        jjoc = login(client, "jjoc")
        eid = client.post("/api/exercises", json={"name": "auto", "arrangement": "2024-proposal",
                                                   "scenario": "bmd-salvo", "auto_injects": True},
                          headers=headers).json()["id"]
        client.post(f"/api/exercises/{eid}/seats", json={"user": "jjoc", "organization": "jpn-jjoc"}, headers=headers)
        client.post(f"/api/exercises/{eid}/clock", json={"action": "start"}, headers=headers)
        deadline = time.monotonic() + 10
        found: list[dict] = []
        while not found and time.monotonic() < deadline:
            time.sleep(0.2)
            found = client.get(f"/api/exercises/{eid}/messages", params={"kind": "inject"}, headers=jjoc).json()
    assert [m["inject_id"] for m in found] == ["missile-1"]
    assert found[0]["recipients"] == ["jpn-jjoc"]
    app.state.db.dispose()


def test_control_grants_what_unseated_holders_hold_until_a_seated_holder_is_next(world):
    without_scenario(world, situation="armed-attack")
    order = world.order("jjoc", "use-of-force", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "awaiting-approval"
    assert world.post("jjoc", world.ex("/approvals/grant-unseated"), {}).status_code == 403
    granted = world.post("control", world.ex("/approvals/grant-unseated"), {"note": "played by control"}).json()
    # NSC, Cabinet and Diet are unseated; the PM sits, so the PM's order waits for the PM
    assert [(t["approval"], t["status"]) for t in granted] == [
        ("nsc-deliberation", "granted"), ("cabinet-decision", "granted"), ("diet-approval", "granted")]
    assert [t["approval"] for t in world.get("pm", world.ex("/approvals")).json()] == ["pm-order"]
    assert world.post("control", world.ex("/approvals/grant-unseated"), {}).json() == []
    assert world.get("jjoc", world.ex(f"/messages/{order['id']}")).json()["status"] == "awaiting-approval"
    assert world.get("control", world.ex("/log/verify")).json()["ok"] is True


def test_an_inject_nobody_of_the_detecting_nations_could_receive_goes_to_every_player(sqlite_url):
    from conftest import build_world, close_world

    world = build_world(sqlite_url, users={"jjoc": ("jpn-jjoc", "player", "SECRET")}, scenario="taiwan-strait")
    try:
        # the blockade is detected by U.S. maritime forces; no U.S. seat is taken
        r = world.post("control", world.ex("/injects"), {"inject_id": "blockade"})
        assert r.status_code == 201, r.text
        assert r.json()["recipients"] == ["jpn-jjoc"]
        assert world.get("jjoc", world.ex(f"/messages/{r.json()['id']}")).status_code == 200
    finally:
        close_world(world)


def test_unseated_approvals_are_granted_on_the_clock_after_their_typical_duration(world):
    """ISR from JJOC needs the Defense Minister's order (nobody sits there; typical 10 min in approvals.yaml);
    a BMD intercept without a standing order needs the PM first (seated: never granted by the clock)."""
    from alliance_c2.exercise.service.catalog import typical_minutes

    without_scenario(world)
    r = world.post("control", world.ex("/approvals/auto"), {"enabled": True})
    assert r.status_code == 200 and r.json()["auto_approvals"] is True
    world.post("control", world.ex("/clock"), {"action": "start"})
    isr = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).json()
    bmd = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    minutes = typical_minutes("defense-minister-order")
    assert minutes == 10
    assert _release_round(world) == []  # not yet: the typical time has not passed
    _advance(world, minutes + 0.5)
    granted = _release_round(world)
    assert len(granted) == 1
    task = world.get("control", world.ex(f"/messages/{granted[0]}")).json()
    assert (task["approval"], task["parent_id"], task["status"]) == ("defense-minister-order", isr["id"], "granted")
    assert "typical 10 min" in task["body"]
    assert world.get("jjoc", world.ex(f"/messages/{isr['id']}")).json()["status"] == "delivered"
    assert world.get("jjoc", world.ex(f"/messages/{bmd['id']}")).json()["status"] == "awaiting-approval"
    assert [t["approval"] for t in world.get("pm", world.ex("/approvals")).json()] == ["pm-approval"]
    with world.app.state.db.read() as session:
        actors = set(session.execute(select(LogEntry.actor).where(
            LogEntry.exercise_id == world.eid, LogEntry.act == "approval.granted")).scalars())
    assert actors == {clockwork.CLOCK_ACTOR}
    assert world.get("control", world.ex("/log/verify")).json()["ok"] is True


def test_unseated_approvals_wait_for_control_when_switched_off(world):
    without_scenario(world)
    world.post("control", world.ex("/clock"), {"action": "start"})
    world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"])
    _advance(world, 20)
    assert _due(world) == []
    assert _release_round(world) == []
    assert world.post("jjoc", world.ex("/approvals/auto"), {"enabled": True}).status_code == 403


def test_a_liaison_officer_is_never_the_fallback_for_an_inject(sqlite_url):
    from conftest import build_world, close_world

    world = build_world(sqlite_url, users={"twn": ("lno-taiwan", "player", "SECRET")}, scenario="taiwan-strait")
    try:
        r = world.post("control", world.ex("/injects"), {"inject_id": "blockade"})
        assert r.status_code == 422 and "name the recipients" in r.json()["detail"]
        world.post("control", world.ex("/injects/auto"), {"enabled": True})
        world.post("control", world.ex("/clock"), {"action": "start"})
        assert _due(world) == []  # it waits, and costs no write
        assert _release_round(world) == [] and world.get("twn", world.ex("/messages")).json() == []
    finally:
        close_world(world)


def test_a_scripted_inject_is_released_once(world):
    assert world.post("control", world.ex("/injects"), {"inject_id": "missile-1"}).status_code == 201
    again = world.post("control", world.ex("/injects"), {"inject_id": "missile-1"})
    assert again.status_code == 409 and "already been released" in again.json()["detail"]
    assert len(_released(world)) == 1


def test_an_approval_held_where_only_an_observer_sits_is_played_by_control(world):
    without_scenario(world)
    r = world.post("control", world.ex("/seats"), {"user": "outsider", "organization": "jpn-defense-minister",
                                                   "role": "observer", "clearance": "SECRET"})
    assert r.status_code == 201, r.text
    order = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).json()
    granted = world.post("control", world.ex("/approvals/grant-unseated"), {}).json()
    assert [(t["approval"], t["parent_id"]) for t in granted] == [("defense-minister-order", order["id"])]
    assert world.get("jjoc", world.ex(f"/messages/{order['id']}")).json()["status"] == "delivered"
