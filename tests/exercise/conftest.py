"""Fixtures for the exercise service: a database per test (SQLite always, PostgreSQL when
ALLIANCE_C2_TEST_PG_URL is set, each test in its own schema), the app, users and a seated exercise.

Every test session signs with a key of its own in a temporary directory ($ALLIANCE_C2_KEY, which the
server processes that tests start inherit), never the user's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pgschema import create_schema_url, drop_schema

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
PASSWORD = "correct-horse-battery"
SEATS = {
    # user: (organization, role, clearance)
    "pm": ("jpn-pm", "player", "SECRET"),
    "jjoc": ("jpn-jjoc", "player", "SECRET"),
    "fleet": ("jpn-sdf-fleet", "player", "CONFIDENTIAL"),
    "indopacom": ("usa-indopacom", "player", "SECRET"),
    "twn": ("lno-taiwan", "player", "SECRET"),
    "unc": ("lno-unc", "player", "SECRET"),
    "watcher": ("jpn-jjoc", "observer", "UNCLASSIFIED"),
}


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> None:
    """Argon2 at its default cost takes ~0.2 s per hash here; the tests need many logins."""
    from argon2 import PasswordHasher

    from alliance_c2.exercise.service.accounts import use_hasher

    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True, scope="session")
def _writes_unlimited_unless_a_test_says() -> Iterator[None]:
    """The write limit (10 a second per user by default) would stop the tests that drive load through one
    login; the tests of the limit set their own (and the servers tests start inherit this)."""
    names = ("ALLIANCE_C2_WRITE_RATE", "ALLIANCE_C2_WRITE_BURST")
    previous = {n: os.environ.get(n) for n in names}
    os.environ.update({"ALLIANCE_C2_WRITE_RATE": "100000", "ALLIANCE_C2_WRITE_BURST": "100000"})
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True, scope="session")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The session's audit-log signing key (created by the first app), in a temporary directory."""
    from alliance_c2.exercise.db.notary import KEY_ENV

    path = tmp_path_factory.mktemp("key") / "exercise-signing-key.pem"
    previous = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = str(path)
    yield path
    if previous is None:
        os.environ.pop(KEY_ENV, None)
    else:
        os.environ[KEY_ENV] = previous


def pg_schema_url(base: str) -> tuple[str, str]:
    """A fresh schema on the test PostgreSQL server and a URL whose search_path points at it."""
    return create_schema_url(base, "ac2_test")


def drop_pg_schema(base: str, schema: str) -> None:
    drop_schema(base, schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'exercise.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    url, schema = pg_schema_url(base)
    try:
        yield url
    finally:
        drop_pg_schema(base, schema)


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'exercise.db'}"


@dataclass
class World:
    """An app with users, logins and one exercise (2024-proposal, bmd-salvo) with every seat in SEATS."""

    app: Any
    client: Any
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    eid: int = 0

    def h(self, user: str) -> dict[str, str]:
        return self.headers[user]

    def get(self, user: str, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.h(user), **kw)

    def post(self, user: str, path: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(path, headers=self.h(user), json=json, **kw)

    def ex(self, suffix: str = "") -> str:
        return f"/api/exercises/{self.eid}{suffix}"

    def order(self, user: str, action: str, unit: str, rel_to: list[str], classification: str = "UNCLASSIFIED",
              **extra: Any) -> Any:
        body = {"action": action, "unit": unit, "subject": f"{action} {unit}", "rel_to": rel_to,
                "classification": classification, **extra}
        return self.post(user, self.ex("/orders"), body)


def login(client: Any, name: str) -> dict[str, str]:
    r = client.post("/api/auth/login", json={"name": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def build_world(url: str, users: dict[str, tuple[str, str, str]] | None = None, scenario: str | None = "bmd-salvo",
                arrangement: str = "2024-proposal") -> World:
    from fastapi.testclient import TestClient

    from alliance_c2.exercise.service.accounts import add_user
    from alliance_c2.exercise.web.app import create_app

    app = create_app(url, login_limit=1000, address_limit=1000)
    seats = SEATS if users is None else users
    for name in ("control", "outsider", *seats):
        add_user(app.state.db, name, PASSWORD, control=name in ("control", "outsider"))
    client = TestClient(app)
    world = World(app, client)
    for name in ("control", "outsider", *seats):
        world.headers[name] = login(client, name)
    return _new_exercise(world, {"name": "test", "arrangement": arrangement, "scenario": scenario}, seats)


def _new_exercise(world: World, body: dict[str, Any], seats: dict[str, tuple[str, str, str]]) -> World:
    """Control creates the exercise `body` describes and seats `seats`; the world moves to it."""
    r = world.post("control", "/api/exercises", {k: v for k, v in body.items() if v is not None})
    assert r.status_code == 201, r.text
    world.eid = r.json()["id"]
    seat_all(world, seats)
    return world


def seat_all(world: World, seats: dict[str, tuple[str, str, str]]) -> None:
    """Control seats each user at (organization, role, clearance) in the world's exercise."""
    for name, (org, role, clearance) in seats.items():
        r = world.post("control", world.ex("/seats"), {"user": name, "organization": org, "role": role,
                                                       "clearance": clearance})
        assert r.status_code == 201, r.text


def without_scenario(world: World, situation: str = "peacetime") -> World:
    """The world moved to a new exercise with no scenario (so no standing orders), the same users seated.

    For tests of approval routing: the bundled scenarios' standing order for `bmd-intercept`
    (SDF Act Art. 82-3(3)) would give its approvals in advance.
    """
    return another_exercise(world, None, situation)


def another_exercise(world: World, scenario: str | None, situation: str | None = None) -> World:
    """The world moved to a new exercise (2024-proposal) with `scenario`, the users of SEATS seated."""
    body = {"name": scenario or "plain", "arrangement": "2024-proposal", "scenario": scenario, "situation": situation}
    return _new_exercise(world, body, SEATS)


def one_player_exercise(db_url: str) -> tuple[int, dict[str, str], dict[str, str]]:
    """An exercise with one JJOC player, set up and closed again, for tests that start their own server:
    its id and the JJOC and control headers."""
    world = build_world(db_url, users={"jjoc": ("jpn-jjoc", "player", "SECRET")}, scenario=None)
    close_world(world)
    return world.eid, world.h("jjoc"), world.h("control")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory, _cheap_password_hashing: None,
                     signing_key: Any) -> Template:
    """One seeded SQLite world, built once; each test gets a copy of its file."""
    path = tmp_path_factory.mktemp("template") / "exercise.db"
    w = build_world(f"sqlite:///{path}")
    close_world(w)
    return Template(path, w.headers, w.eid)


@dataclass(frozen=True)
class Template:
    path: Any
    headers: dict[str, dict[str, str]]
    eid: int


def _copy_world(template: Template, directory: Any, key: Any) -> World:
    """A copy of the template's database, with a copy of the key and its anchors (the copies share the
    template's database id, so each needs anchors of its own)."""
    import shutil

    from fastapi.testclient import TestClient

    from alliance_c2.exercise.db.notary import anchors_dir, public_key_path
    from alliance_c2.exercise.web.app import create_app

    target = directory / "exercise.db"
    shutil.copyfile(template.path, target)
    own_key = directory / "key" / key.name
    own_key.parent.mkdir()
    shutil.copyfile(key, own_key)
    shutil.copyfile(public_key_path(key), public_key_path(own_key))
    shutil.copytree(anchors_dir(key), anchors_dir(own_key))
    app = create_app(f"sqlite:///{target}", login_limit=1000, address_limit=1000, key=own_key)
    return World(app, TestClient(app), dict(template.headers), template.eid)


@pytest.fixture
def world(db_url: str, _sqlite_template: Template, tmp_path: Any, signing_key: Any) -> Iterator[World]:
    w = _copy_world(_sqlite_template, tmp_path, signing_key) if db_url.startswith("sqlite") else build_world(db_url)
    yield w
    close_world(w)


@pytest.fixture
def sqlite_world(_sqlite_template: Template, tmp_path: Any, signing_key: Any) -> Iterator[World]:
    w = _copy_world(_sqlite_template, tmp_path, signing_key)
    yield w
    close_world(w)


def close_world(w: World) -> None:
    """Close the client, stop the app's write thread, release the database."""
    w.client.close()
    w.app.state.writer.close()
    w.app.state.db.dispose()


@pytest.fixture
def ex_cli():
    """The exercise commands on their own Typer app (cli.py registers the same functions)."""
    import typer
    from typer.testing import CliRunner

    from alliance_c2.cli import exercise as cli_exercise

    app = typer.Typer()
    cli_exercise.register(app)
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), input=input)
        return result.exit_code, result.stdout, result.stderr

    return run


def wait_until_serving(proc: Any, port: int, what: str, seconds: float = 30) -> None:
    """Return once the server process answers /healthz on 127.0.0.1:`port`; fail if it exits or is late."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"{what} did not come up within {seconds:g} s")
