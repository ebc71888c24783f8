"""Crash safety: SIGKILL a real server mid-load; every acknowledged order survives, the record holds, and
orders whose answer was lost, sent again with their Idempotency-Key, are stored once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx

from conftest import one_player_exercise, wait_until_serving

LOAD_SECONDS = 2.0
WRITERS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ALLIANCE_C2_DB": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "alliance_c2.exercise.web.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    wait_until_serving(proc, port, "the server", 20)
    return proc


def _body(subject: str) -> dict[str, object]:
    return {"action": "isr", "unit": "jpn-sdf-fleet", "subject": subject, "rel_to": ["JPN"]}


def _load(base: str, eid: int, headers: dict[str, str], k: int, acked: list[int], unanswered: list[str],
          stop: threading.Event) -> None:
    with httpx.Client(base_url=base, headers=headers, timeout=5) as client:
        i = 0
        while not stop.is_set():
            i += 1
            subject = f"load-{k}-{i}"  # the order's subject, and its Idempotency-Key
            try:
                r = client.post(f"/api/exercises/{eid}/orders", json=_body(subject),
                                headers={"Idempotency-Key": subject})
            except httpx.HTTPError:
                unanswered.append(subject)  # the server is gone: stored or not, nobody knows
                return
            if 200 <= r.status_code < 300:
                acked.append(r.json()["id"])


def _orders(base: str, eid: int, control: dict[str, str]) -> list[dict]:
    found: list[dict] = []
    while True:
        page = httpx.get(f"{base}/api/exercises/{eid}/messages", headers=control, timeout=10,
                         params={"kind": "order", "limit": 500, "after": found[-1]["id"] if found else 0}).json()
        if not page:
            return found
        found += page


def test_acknowledged_orders_survive_sigkill(db_url):
    eid, jjoc, control = one_player_exercise(db_url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(db_url, port)
    acked: list[int] = []
    unanswered: list[str] = []
    stop = threading.Event()
    writers = [threading.Thread(target=_load, args=(base, eid, jjoc, k, acked, unanswered, stop))
               for k in range(WRITERS)]
    try:
        for w in writers:
            w.start()
        time.sleep(LOAD_SECONDS)
        server.send_signal(signal.SIGKILL)  # mid-load: writers are still sending
        server.wait(10)
        stop.set()
        for w in writers:
            w.join(10)
        assert len(acked) >= 5, "the load produced too few acknowledged orders to mean anything"
        server = _start(db_url, port)
        assert unanswered, "the kill answered every request: nothing to retry"
        for subject in unanswered:  # sent again, as a client that lost the answer would
            r = httpx.post(f"{base}/api/exercises/{eid}/orders", json=_body(subject), headers={
                **jjoc, "Idempotency-Key": subject}, timeout=10)
            assert r.status_code == 201 and r.json()["subject"] == subject, r.text
        stored = _orders(base, eid, control)
        assert set(acked) <= {m["id"] for m in stored}
        subjects = [m["subject"] for m in stored]
        assert len(subjects) == len(set(subjects)), "an order was stored twice"
        assert set(unanswered) <= set(subjects)
        verdict = httpx.get(f"{base}/api/exercises/{eid}/log/verify", headers=control, timeout=10).json()
        assert verdict["ok"], verdict
    finally:
        stop.set()
        if server.poll() is None:
            server.terminate()
            server.wait(10)
