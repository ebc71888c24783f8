"""Live updates (server-sent events) and the bilingual pages."""

from __future__ import annotations

import json

import pytest

from alliance_c2.exercise.web.i18n import STRINGS
from alliance_c2.exercise.web.stream import Cursor
from conftest import without_scenario


def _events(world, user: str, since: str = "0.0") -> list[tuple[str, dict]]:
    r = world.get(user, world.ex("/events"), params={"max_seconds": 0.5, "since": since})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    frames = []
    for block in r.text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in lines:
            frames.append((lines["event"], json.loads(lines["data"])))
    return frames


def _message_ids(frames) -> set[int]:
    return {data["id"] for name, data in frames if name == "message"}


def test_stream_carries_only_what_the_seat_may_see(world):
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["id"] in _message_ids(_events(world, "jjoc"))
    pm = _message_ids(_events(world, "pm"))
    assert order["id"] not in pm and len(pm) == 1  # the pm-approval task only
    for seat in ("twn", "unc", "indopacom"):
        assert _message_ids(_events(world, seat)) == set()


def test_stream_sends_status_changes_after_the_cursor(world):
    without_scenario(world)
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    task = world.get("pm", world.ex("/approvals")).json()[0]
    r = world.get("jjoc", world.ex("/events"), params={"max_seconds": 0.5, "since": "0.0"})
    resume = [line[4:] for line in r.text.splitlines() if line.startswith("id: ")][-1]
    world.post("pm", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    changed = [d for n, d in _events(world, "jjoc", since=resume) if n == "message"]
    assert any(m["id"] == order["id"] for m in changed)
    assert any(m["id"] == task["id"] and m["status"] == "granted" for m in changed)
    twn = _events(world, "twn", since=resume)
    assert [n for n, _ in twn if n == "message"] == []


def test_stream_is_404_for_a_foreign_exercise(sqlite_world):
    assert sqlite_world.get("outsider", sqlite_world.ex("/events")).status_code == 404


@pytest.mark.parametrize("text,expected", [("12.34", Cursor(12, 34)), ("", None), ("x.1", None), ("1", None)])
def test_cursor_parse(text, expected):
    assert Cursor.parse(text) == expected


def test_every_string_has_both_languages():
    assert all(en and ja and en != "" for en, ja in STRINGS.values())


@pytest.mark.parametrize("path", ["", "/control"])
def test_pages_switch_to_japanese_and_remember_it(sqlite_world, path):
    url = f"/exercises/{sqlite_world.eid}{path}"
    r = sqlite_world.client.get(url + "?lang=ja", headers=sqlite_world.h("control"))
    assert r.status_code == 200 and '<html lang="ja">' in r.text and "事態" in r.text
    assert "ac2_lang=ja" in r.headers["set-cookie"]
    english = sqlite_world.client.get(url + "?lang=en", headers=sqlite_world.h("control")).text
    assert '<html lang="en">' in english and "Situation" in english


def test_seat_page_pickers_come_from_the_catalog(sqlite_world):
    html = sqlite_world.client.get(f"/exercises/{sqlite_world.eid}", headers=sqlite_world.h("jjoc")).text
    assert 'value="bmd-intercept"' in html and 'value="usa-7th-fleet"' in html
    assert 'name="rel_to" value="TWN"' in html and 'id="preview"' in html


def test_diagram_follows_the_situation(world):
    from fastapi.testclient import TestClient

    browser = TestClient(world.app, cookies={"ac2_session": world.h("jjoc")["Authorization"].split()[1]})

    def svg():
        r = browser.get(f"/exercises/{world.eid}/diagram.svg")
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        return r.text

    before = svg()
    assert 'class="node seat-highlight" data-org="jpn-jjoc"' in before
    world.post("control", world.ex("/situation"), {"situation": "armed-attack", "basis": "cabinet-decision"})
    after = svg()
    assert "Situation: armed-attack" in after and "Situation: armed-attack" not in before
    assert world.client.get(f"/exercises/{world.eid}/diagram.svg").status_code == 401


def test_control_stream_carries_the_clock_switches(world):
    world.post("control", world.ex("/approvals/auto"), {"enabled": True})
    control = [d for n, d in _events(world, "control") if n == "exercise"]
    assert control and control[-1]["auto_approvals"] is True and control[-1]["auto_injects"] is False
    player = [d for n, d in _events(world, "jjoc") if n == "exercise"]
    assert player and "auto_approvals" not in player[-1] and "log_count" not in player[-1]
