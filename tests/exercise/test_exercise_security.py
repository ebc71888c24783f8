"""Logins, cookies and CSRF, the login rate limit, exercise isolation, size limits and clear 4xx errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from alliance_c2.exercise.service.accounts import AuthError, add_user
from alliance_c2.exercise.service.errors import ExerciseError
from alliance_c2.exercise.service.logins import LoginLimiter
from alliance_c2.exercise.web.app import create_app
from conftest import PASSWORD, build_world, close_world


def test_bad_password_is_401_and_no_token(sqlite_world):
    r = sqlite_world.client.post("/api/auth/login", json={"name": "pm", "password": "wrong-password"})
    assert r.status_code == 401 and r.json()["detail"] == "wrong user name or password"


def test_api_needs_a_token(sqlite_world):
    r = sqlite_world.client.get(sqlite_world.ex())
    assert r.status_code == 401 and "log in" in r.json()["detail"]
    r = sqlite_world.client.get(sqlite_world.ex(), headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401


def test_login_rate_limit(sqlite_url):
    app = create_app(sqlite_url, login_limit=3)
    add_user(app.state.db, "alice", PASSWORD)
    client = TestClient(app)
    codes = [client.post("/api/auth/login", json={"name": "alice", "password": "bad-bad-bad"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    r = client.post("/api/auth/login", json={"name": "alice", "password": PASSWORD})
    assert r.status_code == 429 and "Retry-After" in r.headers
    app.state.db.dispose()


@pytest.fixture
def limited(sqlite_url):
    """`begin(name, address, now)` counts an attempt under a LoginLimiter(per_name=2, per_address=3,
    window=10, per_account=4, account_window=100) kept in a SQLite database; `succeed(attempt, now)`."""
    from alliance_c2.exercise.db.database import open_database

    db = open_database(sqlite_url)
    limiter = LoginLimiter(per_name=2, per_address=3, window=10, per_account=4, account_window=100)

    class Limited:
        @staticmethod
        def begin(name, address, now):
            with db.write() as session:
                return limiter.begin(session, name, address, now=now)

        @staticmethod
        def succeed(attempt, now):
            with db.write() as session:
                limiter.succeeded(session, attempt, now=now)

    yield Limited
    db.dispose()


def test_login_limiter_window_expires_and_success_takes_its_count_back(limited):
    limited.begin("alice", "10.0.0.1", now=0)
    limited.succeed(limited.begin("alice", "10.0.0.1", now=1), now=1)
    limited.begin("alice", "10.0.0.1", now=2)
    with pytest.raises(ExerciseError, match="try again in 8 s") as refused:
        limited.begin("alice", "10.0.0.1", now=2)
    assert refused.value.status == 429 and refused.value.retry_after == pytest.approx(8)
    limited.begin("alice", "10.0.0.2", now=2)  # the name from another address has a count of its own
    limited.begin("alice", "10.0.0.1", now=10.5)  # the first failure left the window


def test_login_limiter_counts_each_address_over_every_name(limited):
    for name in ("a", "b", "c"):
        limited.begin(name, "10.0.0.1", now=0)
    with pytest.raises(ExerciseError) as refused:
        limited.begin("d", "10.0.0.1", now=1)
    assert refused.value.status == 429
    limited.begin("d", "10.0.0.2", now=1)


def test_login_limiter_slows_a_name_guessed_from_many_addresses_but_not_from_its_own(limited):
    """Four failures from four addresses: a fifth address waits out the longer window, the address the
    owner logged in from before does not."""
    limited.succeed(limited.begin("alice", "10.9.9.9", now=0), now=0)
    for k in range(4):
        limited.begin("alice", f"10.0.0.{k}", now=1 + k)
    with pytest.raises(ExerciseError, match="try again in 96 s"):
        limited.begin("alice", "10.0.1.1", now=5)
    limited.begin("alice", "10.9.9.9", now=5)  # the owner's own address
    limited.begin("alice", "10.0.1.1", now=102.5)  # the two oldest failures left the long window


def test_duplicate_and_bad_user_names(sqlite_world):
    db = sqlite_world.app.state.db
    with pytest.raises(AuthError, match="already exists"):
        add_user(db, "pm", PASSWORD)
    with pytest.raises(AuthError, match="user name"):
        add_user(db, "bad name!", PASSWORD)
    with pytest.raises(AuthError, match="password"):
        add_user(db, "shorty", "short")


def test_cookie_login_sets_httponly_samesite_and_needs_csrf(sqlite_world):
    client = TestClient(sqlite_world.app)
    form = client.get("/login")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/login", data={"name": "jjoc", "password": PASSWORD, "csrf": "forged"}).status_code == 403
    r = client.post("/login", data={"name": "jjoc", "password": PASSWORD, "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get(sqlite_world.ex()).status_code == 200
    body = {"kind": "report", "recipients": ["jpn-sdf-fleet"], "subject": "s", "rel_to": ["JPN"]}
    assert client.post(sqlite_world.ex("/messages"), json=body).status_code == 403
    page = client.get(f"/exercises/{sqlite_world.eid}").text
    session_csrf = page.split('name="csrf" value="')[1].split('"')[0]
    r = client.post(sqlite_world.ex("/messages"), json=body, headers={"X-CSRF-Token": session_csrf})
    assert r.status_code == 201
    order = {"csrf": "forged", "action": "isr", "unit": "jpn-sdf-fleet", "subject": "s",
             "classification": "UNCLASSIFIED", "rel_to": "JPN"}
    assert client.post(f"/exercises/{sqlite_world.eid}/orders", data=order).status_code == 403
    r = client.post(f"/exercises/{sqlite_world.eid}/orders", data={**order, "csrf": session_csrf},
                    follow_redirects=False)
    assert r.status_code == 303 and "Order" in r.headers["location"]


def test_seat_page_highlights_the_seat(sqlite_world):
    html = sqlite_world.client.get(f"/exercises/{sqlite_world.eid}", headers=sqlite_world.h("jjoc")).text
    assert '<g class="node seat-highlight" data-org="jpn-jjoc"' in html
    assert html.count("seat-highlight") == 1


def test_pages_redirect_to_login_without_a_session(sqlite_world):
    client = TestClient(sqlite_world.app)
    for path in ("/", f"/exercises/{sqlite_world.eid}", f"/exercises/{sqlite_world.eid}/control"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"


def test_logout_ends_the_token(sqlite_world):
    headers = sqlite_world.h("pm")
    assert sqlite_world.client.post("/api/auth/logout", headers=headers).status_code == 204
    assert sqlite_world.client.get("/api/me", headers=headers).status_code == 401


def test_large_bodies_are_refused_with_413(sqlite_world):
    body = {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s", "rel_to": ["JPN"], "body": "x" * 70_000}
    r = sqlite_world.post("fleet", sqlite_world.ex("/messages"), body)
    assert r.status_code == 413 and "larger than" in r.json()["detail"]


@pytest.mark.parametrize(("path", "body", "fragment"), [
    ("/orders", {"action": "isr"}, "body.unit: Field required"),
    ("/orders", {"action": "isr", "unit": "jpn-sdf-fleet", "subject": "s", "rel_to": []}, "rel_to"),
    ("/messages", {"kind": "order", "recipients": ["x"], "subject": "s", "rel_to": ["JPN"]}, "body.kind"),
    ("/messages", {"kind": "report", "recipients": ["nobody"], "subject": "s", "rel_to": ["JPN"]}, "nobody"),
    ("/messages", {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s", "rel_to": ["XX"]}, "XX"),
    ("/approvals/1", {"decision": "maybe"}, "body.decision"),
])
def test_bad_input_gets_a_clear_422(sqlite_world, path, body, fragment):
    r = sqlite_world.post("jjoc", sqlite_world.ex(path), body)
    assert r.status_code == 422
    assert fragment in r.json()["detail"]


def test_malformed_json_is_a_4xx(sqlite_world):
    r = sqlite_world.client.post(sqlite_world.ex("/orders"), content=b"{not json",
                                 headers={**sqlite_world.h("jjoc"), "content-type": "application/json"})
    assert r.status_code == 422


def test_huge_ids_are_422_not_500(sqlite_world):
    assert sqlite_world.get("jjoc", "/api/exercises/99999999999999999999").status_code == 422
    assert sqlite_world.get("jjoc", sqlite_world.ex("/messages/99999999999")).status_code == 422


# Every route that carries an exercise or message id, tried with another exercise's ids.
ROUTES = [
    ("get", "/api/exercises/{eid}", None),
    ("get", "/api/exercises/{eid}/seats", None),
    ("post", "/api/exercises/{eid}/seats", {"user": "pm", "organization": "jpn-pm"}),
    ("post", "/api/exercises/{eid}/clock", {"action": "start"}),
    ("post", "/api/exercises/{eid}/situation", {"situation": "armed-attack", "basis": "cabinet-decision"}),
    ("get", "/api/exercises/{eid}/messages", None),
    ("get", "/api/exercises/{eid}/messages/{mid}", None),
    ("post", "/api/exercises/{eid}/messages", {"kind": "report", "recipients": ["jpn-jjoc"], "subject": "s",
                                               "rel_to": ["JPN"]}),
    ("post", "/api/exercises/{eid}/orders", {"action": "isr", "unit": "jpn-sdf-fleet", "subject": "s",
                                             "rel_to": ["JPN"]}),
    ("post", "/api/exercises/{eid}/orders/preview", {"action": "isr", "unit": "jpn-sdf-fleet"}),
    ("get", "/api/exercises/{eid}/approvals", None),
    ("post", "/api/exercises/{eid}/approvals/{mid}", {"decision": "grant"}),
    ("post", "/api/exercises/{eid}/approvals/grant-unseated", {"note": ""}),
    ("post", "/api/exercises/{eid}/injects/auto", {"enabled": True}),
    ("post", "/api/exercises/{eid}/approvals/auto", {"enabled": True}),
    ("get", "/api/exercises/{eid}/injects", None),
    ("post", "/api/exercises/{eid}/injects", {"subject": "s", "recipients": ["jpn-jjoc"]}),
    ("get", "/api/exercises/{eid}/log", None),
    ("get", "/api/exercises/{eid}/log/verify", None),
    ("get", "/api/exercises/{eid}/aar", None),
    ("get", "/api/exercises/{eid}/events", None),
    ("get", "/exercises/{eid}", None),
    ("get", "/exercises/{eid}/control", None),
    ("get", "/exercises/{eid}/aar", None),
    ("get", "/exercises/{eid}/diagram.svg", None),
]


def test_route_list_covers_every_id_bearing_route(sqlite_world):
    paths = {(m.lower(), r.path) for r in sqlite_world.app.routes if "{eid}" in getattr(r, "path", "")
             for m in getattr(r, "methods", ()) if m != "HEAD"}
    covered = {(m, p.replace("{mid}", "{mid}")) for m, p, _ in ROUTES}
    assert paths - covered <= {("post", "/exercises/{eid}/orders")}


def test_no_route_reaches_another_exercise(db_url):
    world = build_world(db_url)
    # a second exercise run by "outsider", with an approval task in it
    r = world.post("outsider", "/api/exercises", {"name": "other", "arrangement": "2024-proposal"})
    other = r.json()["id"]
    world.post("outsider", f"/api/exercises/{other}/seats", {"user": "control", "organization": "jpn-pm"})
    order = world.post("outsider", f"/api/exercises/{other}/orders",
                       {"action": "bmd-intercept", "unit": "jpn-sdf-fleet", "subject": "s", "rel_to": ["JPN"],
                        "as_organization": "jpn-jjoc"}).json()
    foreign_task = world.get("outsider", f"/api/exercises/{other}/approvals").json()[0]["id"]
    for method, template, body in ROUTES:
        # own exercise, foreign message id: never found
        if "{mid}" in template:
            path = template.format(eid=world.eid, mid=foreign_task)
            r = getattr(world.client, method)(path, headers=world.h("control"),
                                              **({"json": body} if body else {}))
            assert r.status_code == 404, (method, path, r.status_code)
        # foreign exercise id, for a user seated only in the first exercise: 404 everywhere
        path = template.format(eid=other, mid=order["id"])
        r = getattr(world.client, method)(path, headers=world.h("jjoc"), **({"json": body} if body else {}))
        assert r.status_code == 404, (method, path, r.status_code)
    close_world(world)


def test_a_made_up_token_is_refused_without_a_write(sqlite_world, monkeypatch):
    """Unknown tokens stop at a read: they never queue for the write lock (a cheap way to stall writers)."""
    world = sqlite_world
    calls = []
    monkeypatch.setattr(world.app.state.writer, "submit", lambda *a, **k: calls.append(a) or 1 / 0)
    r = world.client.post(world.ex("/orders"), headers={"Authorization": "Bearer made-up"},
                          json={"action": "isr", "unit": "jpn-sdf-fleet", "subject": "s", "rel_to": ["JPN"]})
    assert r.status_code == 401 and calls == []
    # a real login still reaches the writer (here the stand-in, which fails)
    with pytest.raises(ZeroDivisionError):
        world.client.post(world.ex("/orders"), headers=world.h("jjoc"),
                          json={"action": "isr", "unit": "jpn-sdf-fleet", "subject": "s", "rel_to": ["JPN"]})
    assert len(calls) == 1
