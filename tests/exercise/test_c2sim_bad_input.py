"""Bad input on the C2SIM interface: each refused with the spec's C2SimError (4xx, never a 500) naming what
is wrong, nothing stored, and the signed record still verifies afterwards (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from alliance_c2.interop import organization_uuid

DATA = Path(__file__).resolve().parents[1] / "interop" / "data"
NS = "http://www.sisostds.org/schemas/C2SIM/2.0.0-cwix2026"
XML = {"Content-Type": "application/xml"}
FLEET = organization_uuid("2024-proposal", "jpn-sdf-fleet")


def _header() -> str:
    return (f"<C2SIMHeader><ConversationID>{uuid.uuid4()}</ConversationID><FromSendingSystem>T</FromSendingSystem>"
            f"<MessageID>{uuid.uuid4()}</MessageID><Protocol>SISO-STD-C2SIM</Protocol><ProtocolVersion>1.0.2"
            "</ProtocolVersion></C2SIMHeader>")


def system(kind: str) -> str:
    return f'<Message xmlns="{NS}">{_header()}<MessageBody><SystemMessageBody><{kind}/></SystemMessageBody></MessageBody></Message>'


def order(performer: str) -> str:
    return (f'<Message xmlns="{NS}">{_header()}<MessageBody><DomainMessageBody><OrderBody><FromSender>{uuid.uuid4()}'
            f"</FromSender><IssuedTime><IsoDateTime>2026-01-01T00:00:00Z</IsoDateTime></IssuedTime><OrderID>{uuid.uuid4()}"
            f"</OrderID><Task><ManeuverWarfareTask><UUID>{uuid.uuid4()}</UUID><PerformingEntity>{performer}</PerformingEntity>"
            "<StartTime><DateTime><IsoDateTime>2026-01-01T00:00:00Z</IsoDateTime></DateTime></StartTime>"
            "<TaskActionCode>INTCEP</TaskActionCode></ManeuverWarfareTask></Task></OrderBody></DomainMessageBody>"
            "</MessageBody></Message>")


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;'
                  '&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  f'<Message xmlns="{NS}">&lol3;</Message>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<Message xmlns="{NS}">&xxe;</Message>')


@pytest.fixture
def running(world):
    """The world's exercise as a RUNNING session, control (CTRL001) and JJOC (JJOC001) joined."""
    session = f"exercise-{world.eid}"
    for user, client in (("control", "CTRL001"), ("jjoc", "JJOC001")):
        r = world.client.post(f"/api/c2sim/session/{session}/join", headers={**world.h(user), "clientId": client},
                              json={"clientIdDisplayName": user})
        assert r.status_code == 200, r.text
    steps = [system("SubmitInitialization"), (DATA / "C2SIMInitialization_small.xml").read_text(),
             system("ShareScenario"), system("StartScenario")]
    for step in steps:
        r = world.client.post(f"/api/c2sim/session/{session}/send", content=step.encode(),
                              headers={**world.h("control"), "clientId": "CTRL001", **XML})
        assert r.status_code == 200, r.text
    return world, session


def _send(world, session, user, client, body: bytes, headers=None):
    return world.client.post(f"/api/c2sim/session/{session}/send", content=body,
                             headers={**world.h(user), "clientId": client, **XML, **(headers or {})})


def _stored(world) -> int:
    r = world.get("control", world.ex("/messages"), params={"limit": 500})
    assert r.status_code == 200
    return len(r.json())


def _refused(response, code: str) -> dict:
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) >= {"code", "message"} and body["code"] == code, body
    return body


@pytest.mark.parametrize(("what", "body", "code"), [
    ("malformed XML", f'<Message xmlns="{NS}"><C2SIMHeader>'.encode(), "C2SimError_XML"),
    ("schema-invalid", (DATA / "C2SIMInitialization_error01.xml").read_bytes(), "C2SimError_XSD"),
    ("billion laughs", BILLION_LAUGHS.encode(), "C2SimError_XML"),
    ("external entity", EXTERNAL.encode(), "C2SimError_XML"),
    ("unknown unit", order(str(uuid.uuid4())).encode(), "C2SimError_Task"),
    ("another edition", system("StartScenario").replace("2.0.0-cwix2026", "1.1").encode(), "C2SimError_Schema"),
])
def test_bad_documents_are_refused_and_nothing_is_stored(running, what, body, code):
    world, session = running
    before = _stored(world)
    found = _refused(_send(world, session, "jjoc", "JJOC001", body), code)
    assert found["message"], what
    assert _stored(world) == before
    assert world.get("control", world.ex("/log/verify")).json()["ok"]


def test_a_50_mb_body_is_refused_before_it_is_read(running):
    world, session = running
    before = _stored(world)
    found = _refused(_send(world, session, "jjoc", "JJOC001", b"<" + b"x" * (50 * 1024 * 1024)), "C2SimError_TooLarge")
    assert found["details"]["limit"] < 50 * 1024 * 1024
    assert _stored(world) == before and world.get("control", world.ex("/log/verify")).json()["ok"]


@pytest.mark.parametrize("name", ["bad id", "sess/ion", "ünïcode", "x" * 201])
def test_session_ids_outside_the_pattern(running, name):
    world, _ = running
    r = world.client.get(f"/api/c2sim/session/{name}/info", headers={**world.h("jjoc"), "clientId": "JJOC001"})
    assert r.status_code in (400, 404) and r.json()["code"].startswith("C2SimError_"), r.text


def test_send_before_join_and_while_paused(running):
    world, session = running
    before = _stored(world)
    fleet = order(FLEET).encode()
    _refused(_send(world, session, "pm", "PMSYS01", fleet), "C2SimError_NotJoined")
    _refused(_send(world, session, "outsider", "OUTS001", fleet), "C2SimError_UnknownSession")
    anonymous = world.client.post(f"/api/c2sim/session/{session}/send", content=fleet, headers={"clientId": "ANON001", **XML})
    _refused(anonymous, "C2SimError_Auth")
    assert _send(world, session, "control", "CTRL001", system("PauseScenario").encode()).status_code == 200
    found = _refused(_send(world, session, "jjoc", "JJOC001", fleet), "C2SimError_State")
    assert found["details"]["state"] == "PAUSED"
    _refused(_send(world, session, "jjoc", "JJOC001", system("ResumeScenario").encode()), "C2SimError_Forbidden")
    _refused(_send(world, session, "control", "CTRL001", system("StartScenario").encode()), "C2SimError_State")
    assert _stored(world) == before and world.get("control", world.ex("/log/verify")).json()["ok"]


def test_the_client_id_is_not_a_credential(running):
    world, session = running
    stolen = _send(world, session, "fleet", "JJOC001", order(FLEET).encode())  # JJOC's client id
    _refused(stolen, "C2SimError_ClientId")
    taken = world.client.post(f"/api/c2sim/session/{session}/join", headers={**world.h("fleet"), "clientId": "JJOC001"},
                              json={"clientIdDisplayName": "impostor"})
    _refused(taken, "C2SimError_ClientId")
    _refused(world.client.get(f"/api/c2sim/session/{session}/info", headers=world.h("jjoc")), "C2SimError_ClientId")
