"""Regressions from the hostile-user review (issue 13, items 1-4 and 6-8), each through the HTTP surface.

1 one bad exercise stopped the clock loop for all; 2 password hashing held the write path; 3 the login
limit checked before it recorded; 4 a NUL character gave PostgreSQL a 500; 6 SSE cursors gave 500 or
cut the stream; 7 the seat page carried control's inject timeline; 8 chunked bodies, caching and
framing headers, and orders stored twice when retried.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from fastapi.testclient import TestClient

from conftest import PASSWORD

# --- 1: a bad exercise never affects another ---------------------------------------------------------


def test_create_refuses_an_unknown_scenario_even_with_a_situation(world):
    r = world.post("control", "/api/exercises", {"name": "bad", "arrangement": "2024-proposal",
                                                 "scenario": "no-such-scenario", "situation": "peacetime"})
    assert r.status_code == 422 and "no-such-scenario" in r.json()["detail"]


def test_one_broken_exercise_does_not_stop_the_clock_for_others(sqlite_world, caplog):
    """An exercise whose stored scenario no longer exists (edited database, removed catalog file) fails alone:
    the clock loop still releases another exercise's injects, and says so once, not at every poll."""
    from sqlalchemy import text

    world = sqlite_world
    bad = world.post("control", "/api/exercises", {"name": "broken", "arrangement": "2024-proposal",
                                                   "scenario": "bmd-salvo", "auto_injects": True}).json()["id"]
    assert world.post("control", f"/api/exercises/{bad}/clock", {"action": "start"}).status_code == 200
    with world.app.state.db.engine.begin() as conn:
        conn.execute(text("UPDATE ac2_exercises SET scenario = 'vanished' WHERE id = :id"), {"id": bad})
    assert world.post("control", world.ex("/injects/auto"), {"enabled": True}).status_code == 200
    caplog.set_level(logging.WARNING)
    with TestClient(world.app) as running:  # runs the app's lifespan, and so its clock loop
        r = running.post(world.ex("/clock"), json={"action": "start"}, headers=world.h("control"))
        assert r.status_code == 200, r.text
        released = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not released:
            released = running.get(world.ex("/messages"), params={"kind": "inject"}, headers=world.h("control")).json()
            time.sleep(0.1)
        assert released, "the healthy exercise got no inject while another one was broken"
        time.sleep(1.6)  # three more polls of the loop
    about_bad = [r for r in caplog.records if f"exercise {bad}" in r.getMessage()]
    assert len(about_bad) == 1, [r.getMessage() for r in about_bad]
    assert "vanished" in about_bad[0].getMessage()
    listed = world.get("control", "/api/exercises")  # the broken one is listed with the others
    assert listed.status_code == 200 and {e["id"] for e in listed.json()} >= {bad, world.eid}
    assert world.client.get("/", headers=world.h("control")).status_code == 200


# --- 2: password hashing never holds the write path -----------------------------------------------


@pytest.fixture
def slow_hashing():
    """Argon2 at a cost of about a second here, for this test only (the suite uses a cheap one)."""
    from argon2 import PasswordHasher

    from alliance_c2.exercise.service import accounts

    previous = accounts.current_hasher()
    accounts.use_hasher(PasswordHasher(time_cost=12, memory_cost=65536, parallelism=1))
    yield
    accounts.use_hasher(previous)


def test_a_login_being_hashed_does_not_hold_up_an_order(world, slow_hashing):
    done = threading.Event()

    def flood() -> None:
        world.client.post("/api/auth/login", json={"name": "made-up-name", "password": "whatever-it-is"})
        done.set()

    started = time.monotonic()
    attacker = threading.Thread(target=flood)
    attacker.start()
    time.sleep(0.2)  # the login is hashing now
    r = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"])
    answered = time.monotonic() - started
    assert r.status_code == 201, r.text
    assert not done.is_set(), f"the order waited for the login's hash ({answered:.2f} s)"
    attacker.join(30)


# --- 3: the login limit is atomic, per name and per address -------------------------------------------


def test_parallel_wrong_passwords_for_one_name_get_at_most_the_limit(sqlite_url):
    from alliance_c2.exercise.web.app import create_app

    app = create_app(sqlite_url, login_limit=5)
    from alliance_c2.exercise.service.accounts import add_user

    add_user(app.state.db, "alice", PASSWORD)
    client = TestClient(app)
    codes: list[int] = []
    lock = threading.Lock()

    def attempt() -> None:
        code = client.post("/api/auth/login", json={"name": "alice", "password": "wrong-password"}).status_code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(set(codes)) == [401, 429]
    assert codes.count(401) <= 5, codes
    client.close()
    app.state.writer.close()
    app.state.db.dispose()


def test_many_made_up_names_from_one_address_are_limited(sqlite_url):
    from alliance_c2.exercise.web.app import create_app

    app = create_app(sqlite_url)
    with TestClient(app) as client:
        codes = [client.post("/api/auth/login", json={"name": f"guess{i}", "password": "x" * 8}).status_code
                 for i in range(30)]
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}  # 20 a minute from one address


# --- 4: text fields refuse NUL and other control characters ------------------------------------------


@pytest.mark.parametrize("text", ["nul\u0000here", "bell\u0007", "escape\u001b[31m"])
def test_control_characters_are_422_on_both_databases(world, text):
    r = world.client.post("/api/auth/login", json={"name": text, "password": "whatever-it-is"})
    assert r.status_code == 422, r.text
    r = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], subject=text)
    assert r.status_code == 422 and "subject" in r.json()["detail"]
    r = world.post("fleet", world.ex("/messages"), {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s",
                                                    "body": text, "rel_to": ["JPN"]})
    assert r.status_code == 422 and "body" in r.json()["detail"]


def test_tab_and_newline_stay_allowed(world):
    r = world.post("fleet", world.ex("/messages"), {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s",
                                                    "body": "line one\n\tline two\r\n", "rel_to": ["JPN"]})
    assert r.status_code == 201 and r.json()["body"] == "line one\n\tline two"


# --- 6: the event stream's cursor and its cap -------------------------------------------------------


@pytest.mark.parametrize("since", ["\u00b2.1", "99999999999999999999.1", "1.99999999999999999999", "-1.0"])
def test_a_bad_stream_cursor_is_a_422(sqlite_world, since):
    r = sqlite_world.get("jjoc", sqlite_world.ex("/events"), params={"since": since, "max_seconds": 0.5})
    assert r.status_code == 422 and "since" in r.json()["detail"]


def test_a_bad_last_event_id_is_ignored(sqlite_world):
    world = sqlite_world
    r = world.client.get(world.ex("/events"), params={"max_seconds": 0.5},
                         headers={**world.h("jjoc"), "Last-Event-ID": "99999999999999999999.1"})
    assert r.status_code == 200 and "event: exercise" in r.text and "event: end" in r.text


# --- 7: a seat page carries no inject it was not given ----------------------------------------------


def test_seat_pages_carry_only_the_injects_released_to_the_seat(world):
    from alliance_c2.model.scenario import load_scenario

    injects = load_scenario("bmd-salvo").injects
    names = {i.id: (i.name_en, i.name_ja) for i in injects}
    for user in ("twn", "jjoc", "pm"):
        for lang in ("en", "ja"):
            html = world.client.get(f"/exercises/{world.eid}?lang={lang}", headers=world.h(user)).text
            leaked = [n for pair in names.values() for n in pair if n and n in html]
            assert leaked == [], (user, lang, leaked)
    first = injects[0]
    assert world.post("control", world.ex("/injects"), {"inject_id": first.id}).status_code == 201
    jjoc = world.client.get(f"/exercises/{world.eid}?lang=ja", headers=world.h("jjoc")).text
    assert names[first.id][1] in jjoc
    assert all(n not in jjoc for i, pair in names.items() if i != first.id for n in pair if n)
    twn = world.client.get(f"/exercises/{world.eid}", headers=world.h("twn")).text
    assert all(n not in twn for pair in names.values() for n in pair if n)
    control = world.client.get(f"/exercises/{world.eid}/control?lang=en", headers=world.h("control")).text
    assert all(pair[0] in control for pair in names.values())  # control keeps its timeline


# --- 8: body size, caching, framing, retries ---------------------------------------------------------


def test_a_large_chunked_body_is_413(sqlite_world):
    def chunks():
        for _ in range(160):
            yield b"x" * 65536

    r = sqlite_world.client.post(sqlite_world.ex("/messages"), content=chunks(),
                                 headers={**sqlite_world.h("fleet"), "content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]


def test_classified_answers_are_not_cached_and_pages_are_not_framed(world):
    world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"], classification="SECRET")
    for path in (world.ex("/messages"), f"/exercises/{world.eid}", f"/exercises/{world.eid}/control", "/login"):
        r = world.client.get(path, headers=world.h("control"))
        assert r.status_code == 200, path
        assert "no-store" in r.headers.get("cache-control", ""), path
        assert r.headers.get("x-frame-options") == "DENY", path
        assert "frame-ancestors 'none'" in r.headers.get("content-security-policy", ""), path


def test_an_order_retried_with_its_idempotency_key_is_stored_once(world):
    body = {"action": "isr", "unit": "jpn-sdf-fleet", "subject": "retried", "rel_to": ["JPN"]}
    headers = {**world.h("jjoc"), "Idempotency-Key": "order-7f3a"}
    first = world.client.post(world.ex("/orders"), json=body, headers=headers)
    again = world.client.post(world.ex("/orders"), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    stored = [m for m in world.get("control", world.ex("/messages"), params={"kind": "order"}).json()
              if m["subject"] == "retried"]
    assert len(stored) == 1
    other = world.client.post(world.ex("/orders"), json={**body, "subject": "another"}, headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]


def test_a_message_retried_with_its_idempotency_key_is_stored_once(world):
    body = {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "once", "rel_to": ["JPN"]}
    headers = {**world.h("fleet"), "Idempotency-Key": "report-1"}
    answers = [world.client.post(world.ex("/messages"), json=body, headers=headers) for _ in range(3)]
    assert {a.status_code for a in answers} == {201} and len({a.json()["id"] for a in answers}) == 1
    assert [m["subject"] for m in world.get("jjoc", world.ex("/messages")).json()].count("once") == 1


def test_an_account_holds_a_bounded_number_of_live_streams(db_url):
    """A fifth stream of one account is refused (429) while four are open; closing one frees its place."""
    from contextlib import ExitStack

    import httpx
    from test_exercise_crash import _free_port, _start

    from alliance_c2.exercise.web.stream import MAX_STREAMS_PER_USER
    from conftest import one_player_exercise

    eid, jjoc, _ = one_player_exercise(db_url)
    port = _free_port()
    server = _start(db_url, port)
    url = f"http://127.0.0.1:{port}/api/exercises/{eid}/events"
    try:
        with httpx.Client(timeout=10) as client, ExitStack() as streams:
            opened = [streams.enter_context(client.stream("GET", url, headers=jjoc)) for _ in range(MAX_STREAMS_PER_USER)]
            assert [s.status_code for s in opened] == [200] * MAX_STREAMS_PER_USER
            with client.stream("GET", url, headers=jjoc) as refused:
                assert refused.status_code == 429
                assert "streams per account" in json.loads(refused.read())["detail"]
            opened[0].close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with client.stream("GET", url, headers=jjoc, params={"max_seconds": 0.5}) as again:
                    if again.status_code == 200:
                        break
                time.sleep(0.2)
            assert again.status_code == 200, "closing a stream did not free its place"
    finally:
        server.terminate()
        server.wait(10)


def test_x_forwarded_for_counts_only_from_a_trusted_proxy(sqlite_url):
    """Behind a configured proxy the limit applies to the address it forwards; from anyone else the header
    is ignored (else a client could name a new address for every guess)."""
    from alliance_c2.exercise.web.app import create_app

    app = create_app(sqlite_url, trusted_proxies=["10.0.0.0/8"], address_limit=3)

    def codes(client_host: str, forwarded: str) -> list[int]:
        with TestClient(app, client=(client_host, 40000)) as client:
            return [client.post("/api/auth/login", json={"name": f"guess{i}", "password": "x" * 8},
                                headers={"X-Forwarded-For": f"{forwarded}, 10.1.2.3"}).status_code for i in range(4)]

    assert codes("10.0.0.1", "203.0.113.5") == [401, 401, 401, 429]  # the forwarded address is limited ...
    assert codes("10.0.0.1", "203.0.113.6") == [401, 401, 401, 429]  # ... each on its own
    assert codes("192.0.2.9", "203.0.113.7") == [401, 401, 401, 429]  # not a proxy: its own address counts
    assert codes("192.0.2.9", "203.0.113.8") == [429] * 4  # and naming another one changes nothing


def test_an_order_in_a_format_the_service_does_not_read_is_415(sqlite_world):
    r = sqlite_world.client.post(sqlite_world.ex("/orders"), content=b"action=use-of-force",
                                 headers={**sqlite_world.h("jjoc"), "content-type": "application/x-www-form-urlencoded"})
    detail = r.json()["detail"]
    assert r.status_code == 415 and "application/json" in detail and "application/xml" in detail


def test_an_unknown_name_is_checked_at_the_cost_of_a_real_password(slow_hashing):
    from argon2 import extract_parameters

    from alliance_c2.exercise.service import accounts

    real = accounts.current_hasher().hash("a-real-password")
    assert extract_parameters(accounts.dummy_hash()) == extract_parameters(real)


def test_password_checks_run_a_bounded_number_at_a_time(world, monkeypatch):
    """However many logins arrive together, at most `HASH_WORKERS` passwords are checked at once (each
    holds Argon2's memory); the rest wait their turn."""
    from alliance_c2.exercise.service import accounts

    running = 0
    most = 0
    lock = threading.Lock()
    real = accounts.check_password

    def counted(stored_hash, password):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        try:
            return real(stored_hash, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(accounts, "check_password", counted)
    threads = [threading.Thread(target=lambda i=i: world.client.post(
        "/api/auth/login", json={"name": f"someone{i}", "password": "not-the-password"})) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert 1 <= most <= accounts.HASH_WORKERS


def test_password_checks_beyond_the_queue_are_refused_with_503(monkeypatch):
    import asyncio

    from alliance_c2.exercise.service import accounts
    from alliance_c2.exercise.service.errors import ExerciseError

    monkeypatch.setattr(accounts, "check_password", lambda stored, password: time.sleep(0.2) or False)
    hashing = accounts.Hashing(workers=1, queue=1)

    async def many() -> list[object]:
        return await asyncio.gather(*(hashing.check(None, "x") for _ in range(4)), return_exceptions=True)

    outcomes = asyncio.run(many())
    hashing.close()
    assert outcomes.count(False) == 2
    refused = [o for o in outcomes if isinstance(o, ExerciseError)]
    assert len(refused) == 2 and all(o.status == 503 for o in refused)
