"""The seat map in a real browser: a U.S. simulation joined over C2SIM reports two positions, one released to
JJOC and one for U.S. eyes only; the Japanese seat's map (JJOC) and the U.S. seat's map (Seventh Fleet) show
what each may see, side by side, with no request leaving the server (no tile server: offline).

Debian's chromium driven by Playwright against a uvicorn subprocess; the side-by-side screenshot goes to
test-artifacts/seat-maps-jpn-usa.png (and each seat's page beside it).
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_exercise_browser import ARGS, ARTIFACTS, CHROMIUM, WAIT_MS, _login, served

from alliance_c2.interop import organization_uuid
from conftest import PASSWORD

NS = "http://www.sisostds.org/schemas/C2SIM/2.0.0-cwix2026"
USERS = {"control": None, "jjoc": "jpn-jjoc", "ussim": "usa-7th-fleet"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served(tmp_path, USERS) as base:
        yield base


def _document(body: str) -> bytes:
    return (f'<Message xmlns="{NS}"><C2SIMHeader><ConversationID>{uuid.uuid4()}</ConversationID><FromSendingSystem>'
            f"USA-SIM</FromSendingSystem><MessageID>{uuid.uuid4()}</MessageID><Protocol>SISO-STD-C2SIM</Protocol>"
            f"<ProtocolVersion>1.0.2</ProtocolVersion></C2SIMHeader><MessageBody>{body}</MessageBody></Message>").encode()


def _report(subject: str, to: str, lat: float, lon: float) -> bytes:
    me, them = organization_uuid("2024-proposal", subject), organization_uuid("2024-proposal", to)
    return _document(
        f"<DomainMessageBody><ReportBody><FromSender>{me}</FromSender><ToReceiver>{them}</ToReceiver><ReportContent>"
        "<PositionReportContent><TimeOfObservation><DateTime><IsoDateTime>2026-01-01T00:00:00Z</IsoDateTime></DateTime>"
        f"</TimeOfObservation><Location><GeodeticCoordinate><Latitude>{lat}</Latitude><Longitude>{lon}</Longitude>"
        f"</GeodeticCoordinate></Location><SubjectEntity>{me}</SubjectEntity></PositionReportContent></ReportContent>"
        f"<ReportID>{uuid.uuid4()}</ReportID><ReportingEntity>{me}</ReportingEntity></ReportBody></DomainMessageBody>")


def _session(base: str) -> int:
    """The exercise, its seats, the two C2SIM clients joined and the session RUNNING; then the reports."""
    with httpx.Client(base_url=base + "/api", timeout=30) as http:
        tokens = {u: http.post("/auth/login", json={"name": u, "password": PASSWORD}).json()["token"] for u in USERS}
        control = {"Authorization": f"Bearer {tokens['control']}"}
        eid = int(http.post("/exercises", headers=control, json={"name": "map", "arrangement": "2024-proposal",
                                                                   "scenario": "bmd-salvo"}).json()["id"])
        for user, org in USERS.items():
            if org:
                r = http.post(f"/exercises/{eid}/seats", headers=control,
                              json={"user": user, "organization": org, "role": "player", "clearance": "SECRET"})
                assert r.status_code == 201, r.text
        session = f"/c2sim/session/exercise-{eid}"
        sim = {"Authorization": f"Bearer {tokens['ussim']}", "clientId": "USSIM01", "Content-Type": "application/xml"}
        excon = {**control, "clientId": "EXCON01", "Content-Type": "application/xml"}
        for headers in (excon, sim):
            assert http.post(f"{session}/join", headers=headers, json={"clientIdDisplayName": "x"}).status_code == 200
        small = (Path(__file__).resolve().parents[1] / "interop/data/C2SIMInitialization_small.xml").read_bytes()
        for body in (_document("<SystemMessageBody><SubmitInitialization/></SystemMessageBody>"), small,
                     _document("<SystemMessageBody><ShareScenario/></SystemMessageBody>"),
                     _document("<SystemMessageBody><StartScenario/></SystemMessageBody>")):
            assert http.post(f"{session}/send", headers=excon, content=body).status_code == 200
        # The Seventh Fleet at sea south of Okinawa, reported to JJOC (released to Japan); the Fifth Air
        # Force's forward position reported to INDOPACOM only (U.S. eyes).
        assert http.post(f"{session}/send", headers=sim, content=_report("usa-7th-fleet", "jpn-jjoc", 24.8, 128.4)
                         ).status_code == 200
        assert http.post(f"{session}/send", headers=sim, content=_report("usa-5th-af", "usa-indopacom", 38.5, 125.0)
                         ).status_code == 200
    return eid


def _units(page: Any) -> set[str]:
    return set(page.eval_on_selector_all("#cop-map g.unit", "els => els.map(e => e.dataset.org)"))


def test_seat_maps_side_by_side(server: str) -> None:
    if not Path(CHROMIUM).exists():
        print(f"skipped: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    eid = _session(server)
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            shots = []
            seen = {}
            for user, lang in (("jjoc", "ja"), ("ussim", "en")):
                page = _login(browser, server, user)
                page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
                page.goto(f"{server}/exercises/{eid}?lang={lang}")
                page.wait_for_selector("#cop-map svg g.unit", timeout=WAIT_MS)
                seen[user] = _units(page)
                page.screenshot(path=str(ARTIFACTS / f"seat-map-{user}.png"), full_page=True)
                shots.append(page.locator("#cop-map").screenshot())
            composite = browser.new_page(viewport={"width": 1300, "height": 720})
            images = "".join(f'<figure style="margin:4px"><img style="width:640px" src="data:image/png;base64,{base64.b64encode(s).decode()}"><figcaption>{c}'
                             "</figcaption></figure>" for s, c in zip(shots, ("JJOC (JPN) 統合作戦司令部",
                                                                                "U.S. Seventh Fleet (USA)"), strict=True))
            composite.set_content('<html><body style="margin:0;display:flex;gap:8px;font-family:sans-serif">'
                                  f"{images}</body></html>")
            composite.screenshot(path=str(ARTIFACTS / "seat-maps-jpn-usa.png"), full_page=True)
        finally:
            browser.close()
    jpn, usa = seen["jjoc"], seen["ussim"]
    assert {"jpn-jjoc", "jpn-sdf-fleet", "jpn-adc"} <= jpn and "usa-7th-fleet" in jpn  # released to JJOC
    assert "usa-5th-af" not in jpn and "usa-usfj" not in jpn  # U.S. eyes only, and U.S. units unreported
    assert {"usa-7th-fleet", "usa-5th-af", "usa-usfj"} <= usa and not any(o.startswith("jpn-") for o in usa)
    assert outside == []  # coastlines and symbols come from the server itself
