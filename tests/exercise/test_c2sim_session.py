"""A client written from the C2SIM server interface alone plays a whole session against `alliance-c2 serve`.

Only the spec's operations (`c2sim-server-spec.yaml`: create, join, stream-endpoints and the WebSocket it
names, send, info, list, initialization, resign), plain httpx, the `websockets` client and the standard
library's XML reader; the exercise's own API only to log in (the bearer token) and, as its control cell, to
seat the two systems' accounts and check the record at the end. Two systems join (a Japanese C2 system
seated at JJOC and a U.S. simulation seated at the Seventh Fleet) and control's system; the session is
initialized from the shared sample, reset, initialized again from the workbench's own export, started;
the Japanese system sends a lawful and an unlawful order and receives the refusal; the simulation reports
the fleet's position to JJOC; the session pauses (a send is refused) and resumes; both resign. Then the
signed record verifies and JJOC's map shows the fleet where the report put it. SQLite and PostgreSQL.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_exercise_crash import _free_port
from websockets.sync.client import connect

from conftest import PASSWORD, wait_until_serving

CLI = str(Path(sys.executable).with_name("alliance-c2"))
DATA = Path(__file__).resolve().parents[1] / "interop" / "data"
NS = "http://www.sisostds.org/schemas/C2SIM/2.0.0-cwix2026"
WAIT = 10.0
ACCOUNTS = {"control": ("exercise-control", True), "jjoc": ("jpn-jjoc", False), "ussim": ("usa-7th-fleet", False)}


@pytest.fixture
def served(db_url: str) -> Iterator[str]:
    from alliance_c2.exercise.db.database import open_database
    from alliance_c2.exercise.service.accounts import add_user

    db = open_database(db_url)
    for name, (_, control) in ACCOUNTS.items():
        add_user(db, name, PASSWORD, control=control)
    db.dispose()
    port = _free_port()
    proc = subprocess.Popen([CLI, "serve", "--db", db_url, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    wait_until_serving(proc, port, "serve")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


class Client:
    """One C2SIM client as the spec describes it: a clientId, a bearer token, a stream."""

    def __init__(self, base: str, client_id: str, token: str, session: str) -> None:
        self.id = client_id
        self.session = session
        self.http = httpx.Client(base_url=base + "/api", timeout=30,
                                 headers={"clientId": client_id, "Authorization": f"Bearer {token}"})
        self.token = token
        self.frames: queue.Queue[str] = queue.Queue()
        self._socket: Any = None

    def path(self, op: str) -> str:
        return f"/c2sim/session/{self.session}/{op}"

    def open_stream(self) -> None:
        answer = self.http.get(self.path("stream-endpoints"))
        assert answer.status_code == 200, answer.text
        url = answer.json()["websocket"]["url"]
        self._socket = connect(url, additional_headers={"Authorization": f"Bearer {self.token}"})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for frame in self._socket:
                self.frames.put(frame if isinstance(frame, str) else frame.decode())
        except Exception:  # the connection closed: nothing more will come
            return

    def join(self, display: str) -> dict[str, Any]:
        answer = self.http.post(self.path("join"), json={"clientIdDisplayName": display, "systemName": display})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def send(self, document: str) -> httpx.Response:
        return self.http.post(self.path("send"), content=document.encode(),
                              headers={"Content-Type": "application/xml"})

    def expect(self, needle: str, seconds: float = WAIT) -> ET.Element:
        """The next pushed document containing `needle` (earlier ones are passed over)."""
        deadline = threading.Event()
        timer = threading.Timer(seconds, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                try:
                    frame = self.frames.get(timeout=0.2)
                except queue.Empty:
                    continue
                if needle in frame:
                    return ET.fromstring(frame)
        finally:
            timer.cancel()
        raise AssertionError(f"client {self.id} received no document with {needle!r} within {seconds} s")

    def drained(self) -> list[str]:
        out = []
        while not self.frames.empty():
            out.append(self.frames.get_nowait())
        return out

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self.http.close()


def _login(base: str, name: str) -> str:
    answer = httpx.post(f"{base}/api/auth/login", json={"name": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def header(system: str) -> str:
    return (f"<C2SIMHeader><ConversationID>{uuid.uuid4()}</ConversationID><FromSendingSystem>{system}"
            f"</FromSendingSystem><MessageID>{uuid.uuid4()}</MessageID><Protocol>SISO-STD-C2SIM</Protocol>"
            "<ProtocolVersion>1.0.2</ProtocolVersion></C2SIMHeader>")


def system_message(kind: str) -> str:
    return f'<Message xmlns="{NS}">{header("EXCON")}<MessageBody><SystemMessageBody><{kind}/></SystemMessageBody></MessageBody></Message>'


def order(sender: str, tasks: list[tuple[str, str, str]]) -> tuple[str, str]:
    """An order document with (performer UUID, TaskActionCode, name) tasks, and its MessageID."""
    body = "".join(
        f"<Task><ManeuverWarfareTask><Name>{name}</Name><UUID>{uuid.uuid4()}</UUID>"
        f"<PerformingEntity>{performer}</PerformingEntity><StartTime><DateTime><IsoDateTime>2026-01-01T00:00:00Z"
        f"</IsoDateTime></DateTime></StartTime><TaskActionCode>{code}</TaskActionCode></ManeuverWarfareTask></Task>"
        for performer, code, name in tasks)
    head = header("JPN-C2")
    message_id = head.split("<MessageID>")[1].split("<")[0]
    document = (f'<Message xmlns="{NS}">{head}<MessageBody><DomainMessageBody><OrderBody><FromSender>{sender}'
                f"</FromSender><ToReceiver>{tasks[0][0]}</ToReceiver><IssuedTime><IsoDateTime>2026-01-01T00:00:00Z"
                f"</IsoDateTime></IssuedTime><OrderID>{uuid.uuid4()}</OrderID>{body}</OrderBody></DomainMessageBody>"
                "</MessageBody></Message>")
    return document, message_id


def position_report(sender: str, receiver: str, subject: str, lat: float, lon: float) -> str:
    return (f'<Message xmlns="{NS}">{header("USA-SIM")}<MessageBody><DomainMessageBody><ReportBody>'
            f"<FromSender>{sender}</FromSender><ToReceiver>{receiver}</ToReceiver><ReportContent>"
            "<PositionReportContent><TimeOfObservation><DateTime><IsoDateTime>2026-01-01T00:05:00Z</IsoDateTime>"
            f"</DateTime></TimeOfObservation><Location><GeodeticCoordinate><Latitude>{lat}</Latitude><Longitude>{lon}"
            f"</Longitude></GeodeticCoordinate></Location><SubjectEntity>{subject}</SubjectEntity>"
            f"</PositionReportContent></ReportContent><ReportID>{uuid.uuid4()}</ReportID><ReportingEntity>{subject}"
            "</ReportingEntity></ReportBody></DomainMessageBody></MessageBody></Message>")


def units_by_name(initialization: str) -> dict[str, str]:
    """Unit name -> UUID, read from an initialization as any C2SIM client would."""
    root = ET.fromstring(initialization)
    found = {}
    for unit in root.iter(f"{{{NS}}}Unit"):
        name, ident = unit.findtext(f"{{{NS}}}Name"), unit.findtext(f"{{{NS}}}UUID")
        if name and ident:
            found[name] = ident
    return found


def _state(client: Client) -> str:
    answer = client.http.get(client.path("info"))
    assert answer.status_code == 200, answer.text
    return str(answer.json()["state"])


def _export(tmp: Path) -> str:
    out = tmp / "proposal.xml"
    done = subprocess.run([CLI, "export", "2024-proposal", "--format", "c2sim", "-o", str(out)], capture_output=True)
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def test_a_spec_only_client_plays_a_whole_session(served, tmp_path):
    base = served
    tokens = {name: _login(base, name) for name in ACCOUNTS}
    name = f"cwix-{uuid.uuid4().hex[:8]}"
    control = Client(base, "EXCON01", tokens["control"], name)
    created = control.http.put(control.path("create"), json={"data": {
        "c2simSchemaVersion": "2.0.0-cwix2026", "displayName": "Alliance CWIX", "description": "spec-only client test",
        "scenario": "bmd-salvo"}})
    assert created.status_code == 200, created.text
    assert created.json()["creation"] == "CREATED" and created.json()["session"]["state"] == "UNINITIALIZED"
    eid = next(e["id"] for e in httpx.get(f"{base}/api/exercises", headers={"Authorization": f"Bearer {tokens['control']}"}).json()
               if e["name"] == "Alliance CWIX")
    for user in ("jjoc", "ussim"):  # control seats the two systems' accounts (the exercise's API)
        seated = httpx.post(f"{base}/api/exercises/{eid}/seats", headers={"Authorization": f"Bearer {tokens['control']}"},
                            json={"user": user, "organization": ACCOUNTS[user][0], "role": "player", "clearance": "SECRET"})
        assert seated.status_code == 201, seated.text
    japan = Client(base, "JPNC2SYS", tokens["jjoc"], name)
    usa = Client(base, "USSIM01", tokens["ussim"], name)
    clients = (control, japan, usa)
    try:
        for client, display in zip(clients, ("EXCON", "JPN-C2", "USA-SIM"), strict=True):
            client.open_stream()
            assert client.join(display)["session"]["sessionName"] == name
        listed = japan.http.get("/c2sim/session/list")
        assert listed.status_code == 200 and name in [s["sessionName"] for s in listed.json()]

        # The shared sample initialization, then a reset, then the workbench's own export.
        sample = (DATA / "MessageWithC2SimInit.xml").read_text(encoding="utf-8")
        assert control.send(system_message("SubmitInitialization")).status_code == 200
        assert _state(japan) == "INITIALIZING"
        assert control.send(sample).status_code == 200
        assert control.send(system_message("ShareScenario")).status_code == 200
        assert _state(usa) == "INITIALIZED"
        shared = usa.expect("C2SIMInitializationBody")
        assert len(units_by_name(ET.tostring(shared, encoding="unicode"))) == 35  # the sample's 35 units
        assert "RedParent" in japan.http.get(japan.path("initialization")).text
        assert control.send(system_message("ResetScenario")).status_code == 200
        assert _state(japan) == "UNINITIALIZED"
        assert control.send(system_message("SubmitInitialization")).status_code == 200
        assert control.send(_export(tmp_path)).status_code == 200
        assert control.send(system_message("ShareScenario")).status_code == 200
        units = units_by_name(ET.tostring(japan.expect("Japan Joint Operations Command"), encoding="unicode"))
        assert control.send(system_message("StartScenario")).status_code == 200
        japan.expect("StartScenario")
        usa.expect("StartScenario")
        assert _state(japan) == "RUNNING"

        jjoc, fleet, seventh = (units[n] for n in ("Japan Joint Operations Command (JJOC), combined headquarters",
                                                     "Self-Defense Fleet",
                                                     "U.S. Seventh Fleet"))
        lawful, _ = order(jjoc, [(fleet, "INTCEP", "intercept the salvo")])
        answer = japan.send(lawful)
        assert answer.status_code == 200, answer.text
        assert answer.json()["trackingId"].startswith(name + "/")

        unlawful, unlawful_id = order(jjoc, [(seventh, "INTCEP", "seventh fleet intercept")])
        refused = japan.send(unlawful)
        assert refused.status_code == 400
        error = refused.json()
        assert error["code"] == "C2SimError_Law"
        task = error["details"]["refused"][0]
        assert task["unit"] == "usa-7th-fleet" and task["name"] == "seventh fleet intercept"
        assert task["reasons"] and all(r["reason"] and r["article"] for r in task["reasons"])
        ack = japan.expect(unlawful_id)
        assert ack.findtext(f".//{{{NS}}}AcknowledgeTypeCode") == "ACKREQDEN"
        assert ack.findtext(f".//{{{NS}}}InReplyToMessageID") == unlawful_id

        report = position_report(seventh, jjoc, seventh, 26.5, 128.9)
        assert usa.send(report).status_code == 200
        relayed = japan.expect("PositionReportContent")
        assert relayed.findtext(f".//{{{NS}}}Latitude") == "26.5"
        assert not any("seventh fleet intercept" in f for f in usa.drained())  # the refused task was not relayed

        assert control.send(system_message("PauseScenario")).status_code == 200
        japan.expect("PauseScenario")
        paused = japan.send(order(jjoc, [(fleet, "INTCEP", "while paused")])[0])
        assert paused.status_code == 400 and paused.json()["code"] == "C2SimError_State"
        assert control.send(system_message("ResumeScenario")).status_code == 200
        usa.expect("ResumeScenario")
        assert _state(usa) == "RUNNING"

        for client in (japan, usa):
            resigned = client.http.post(client.path("resign"), json={"reason": "end of exercise"})
            assert resigned.status_code == 200 and resigned.json()["msg"]
        after = japan.send(lawful)
        assert after.status_code == 400 and after.json()["code"] == "C2SimError_NotJoined"
    finally:
        for client in clients:
            client.close()

    check = httpx.get(f"{base}/api/exercises/{eid}/log/verify", headers={"Authorization": f"Bearer {tokens['control']}"})
    assert check.status_code == 200 and check.json()["ok"], check.json()
    seat_map = httpx.get(f"{base}/exercises/{eid}/map.svg", headers={"Authorization": f"Bearer {tokens['jjoc']}"})
    assert seat_map.status_code == 200
    svg = ET.fromstring(seat_map.text)
    placed = {g.get("data-org"): g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("data-org")}
    assert {"jpn-jjoc", "jpn-sdf-fleet", "usa-7th-fleet"} <= set(placed)
    assert placed["usa-7th-fleet"].get("data-lat") == "26.5"  # where the simulation's report put it
