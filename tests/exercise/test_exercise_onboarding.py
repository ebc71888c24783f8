"""A first-time user gets in: the first control account, the login hint, account commands, and forms that
offer what an exercise needs (units that take orders, a preview of the order as written, the situation
and reforms at creation)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from test_exercise_crash import _free_port

from alliance_c2.exercise.service.catalog import arrangement
from alliance_c2.exercise.web.i18n import STRINGS
from conftest import PASSWORD, login, wait_until_serving

CLI = str(Path(sys.executable).with_name("alliance-c2"))
FIRST = "alliance-c2 users add NAME --control"


def _serve_first_line(url: str, key: Path) -> str:
    port = _free_port()
    proc = subprocess.Popen([CLI, "serve", "--db", url, "--port", str(port), "--key", str(key)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_serving(proc, port, "serve")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    return out


def test_serve_says_how_to_make_the_first_control_account(sqlite_url, tmp_path, ex_cli):
    out = _serve_first_line(sqlite_url, tmp_path / "key.pem")
    assert FIRST in out and "created the audit log's signing key" in out
    assert (tmp_path / "key.pem").exists() and (tmp_path / "key.pem.pub").exists()
    assert oct((tmp_path / "key.pem").stat().st_mode & 0o777) == "0o600"
    code, _, _ = ex_cli("users", "add", "chief", "--control", "--db", sqlite_url, input=PASSWORD + "\n")
    assert code == 0
    again = _serve_first_line(sqlite_url, tmp_path / "key.pem")
    assert FIRST not in again and "signing key" not in again


def test_login_page_says_how_to_get_an_account(sqlite_url):
    from alliance_c2.exercise.service.accounts import add_user
    from alliance_c2.exercise.web.app import create_app

    app = create_app(sqlite_url)
    client = TestClient(app)
    for lang, index in (("en", 0), ("ja", 1)):
        page = client.get(f"/login?lang={lang}").text
        assert STRINGS["no_accounts"][index] in page and STRINGS["login_hint"][index] in page
    add_user(app.state.db, "chief", PASSWORD, control=True)
    page = client.get("/login?lang=en").text
    assert STRINGS["no_accounts"][0] not in page and STRINGS["login_hint"][0] in page
    client.close()
    app.state.writer.close()
    app.state.db.dispose()


def test_users_list_passwd_and_remove(ex_cli, sqlite_world):
    url = sqlite_world.app.state.db.url
    code, out, _ = ex_cli("users", "list", "--db", url, "--json")
    accounts = {a["name"]: a for a in json.loads(out)}
    assert code == 0 and accounts["control"]["control"] is True and accounts["jjoc"]["control"] is False
    assert accounts["jjoc"]["seats"] == 1 and accounts["outsider"]["seats"] == 0
    code, out, _ = ex_cli("users", "list", "--db", url)
    assert code == 0 and re.search(r"^control\tcontrol\tseats: 1", out, re.M)

    client = sqlite_world.client
    old = sqlite_world.h("pm")
    code, _, _ = ex_cli("users", "passwd", "pm", "--db", url, input="a-new-password\n")
    assert code == 0
    assert client.get("/api/me", headers=old).status_code == 401  # the old login ended
    assert client.post("/api/auth/login", json={"name": "pm", "password": PASSWORD}).status_code == 401
    assert client.post("/api/auth/login", json={"name": "pm", "password": "a-new-password"}).status_code == 200

    code, out, _ = ex_cli("users", "remove", "outsider", "--db", url)  # never seated: deleted
    assert code == 0 and "removed" in out
    code, out, _ = ex_cli("users", "remove", "twn", "--db", url)  # seated: kept for the record, disabled
    assert code == 0 and "disabled" in out
    assert client.get("/api/me", headers=sqlite_world.h("twn")).status_code == 401
    assert client.post("/api/auth/login", json={"name": "twn", "password": PASSWORD}).status_code == 401
    code, out, _ = ex_cli("users", "list", "--db", url, "--json")
    names = {a["name"]: a for a in json.loads(out)}
    assert "outsider" not in names and names["twn"]["active"] is False
    assert sqlite_world.get("control", sqlite_world.ex("/log/verify")).json()["ok"] is True
    code, _, err = ex_cli("users", "remove", "nobody", "--db", url)
    assert code == 2 and "does not exist" in err


def test_only_control_accounts_create_exercises(sqlite_world):
    r = sqlite_world.post("jjoc", "/api/exercises", {"name": "mine", "arrangement": "2024-proposal"})
    assert r.status_code == 403 and "users add NAME --control" in r.json()["detail"]
    home = sqlite_world.client.get("/", headers=sqlite_world.h("jjoc")).text
    assert 'id="create-exercise"' not in home and STRINGS["not_control"][0] in home


def test_the_unit_picker_offers_only_what_takes_orders(sqlite_world):
    html = sqlite_world.client.get(f"/exercises/{sqlite_world.eid}", headers=sqlite_world.h("jjoc")).text
    picker = html.split('<select name="unit"')[1].split("</select>")[0]
    offered = set(re.findall(r'<option value="([^"]+)"', picker))
    arch = arrangement("2024-proposal")
    assert offered == {o.id for o in arch.military()}
    assert {"jpn-diet", "usa-president", "scc"}.isdisjoint(offered)
    r = sqlite_world.order("jjoc", "isr", "jpn-diet", ["JPN"])
    assert r.status_code == 422
    assert "does not receive orders" in r.json()["detail"] and "jpn-sdf-fleet" in r.json()["detail"]


def test_the_preview_takes_the_order_as_the_form_sends_it(sqlite_world):
    body = {"action": "isr", "unit": "jpn-sdf-fleet", "subject": "look", "body": "", "classification": "SECRET",
            "rel_to": ["JPN"]}
    r = sqlite_world.post("jjoc", sqlite_world.ex("/orders/preview"), body)
    assert r.status_code == 200 and r.json()["allowed"] is True
    assert sqlite_world.get("control", sqlite_world.ex("/messages")).json() == []


def test_the_create_form_offers_situation_reforms_and_the_clock_switches(sqlite_world):
    for lang, index in (("en", 0), ("ja", 1)):
        home = sqlite_world.client.get(f"/?lang={lang}", headers=sqlite_world.h("control")).text
        form = home.split('id="create-exercise"')[1].split("</form>")[0]
        assert '<select name="situation">' in form and 'value="armed-attack"' in form
        assert 'name="reforms" value="opcon-transfer-act"' in form and STRINGS["reforms"][index] in form
        assert 'name="auto_injects"' in form and 'name="auto_approvals"' in form
    r = sqlite_world.post("control", "/api/exercises", {"name": "reformed", "arrangement": "2024-proposal",
                                                         "scenario": "bmd-salvo", "situation": "armed-attack",
                                                         "reforms": ["opcon-transfer-act"], "auto_approvals": True})
    assert r.status_code == 201
    created = r.json()
    assert (created["situation"], created["reforms"], created["auto_approvals"]) == (
        "armed-attack", ["opcon-transfer-act"], True)
    from alliance_c2.law import default_catalog

    seat = sqlite_world.client.get(f"/exercises/{created['id']}?lang=ja", headers=sqlite_world.h("control")).text
    assert default_catalog().reforms["opcon-transfer-act"].name("ja") in seat.split('id="reforms"')[1]


def test_a_new_control_account_logs_in_and_creates_an_exercise(sqlite_url, ex_cli):
    """The first-time path end to end: the account the serve line names, a login, an exercise."""
    from alliance_c2.exercise.web.app import create_app

    assert ex_cli("users", "add", "chief", "--control", "--db", sqlite_url, input=PASSWORD + "\n")[0] == 0
    app = create_app(sqlite_url)
    client = TestClient(app)
    headers = login(client, "chief")
    r = client.post("/api/exercises", json={"name": "first", "arrangement": "2024-proposal"}, headers=headers)
    assert r.status_code == 201 and r.json()["seat"]["role"] == "control"
    client.close()
    app.state.writer.close()
    app.state.db.dispose()
