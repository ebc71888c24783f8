"""`alliance-c2 serve --workers 2`: two server processes share one database; concurrent orders through
both land once each and the exercise keeps one intact hash chain (SQLite file and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
from test_exercise_crash import _free_port

from conftest import one_player_exercise, wait_until_serving

CLIENTS = 6
ORDERS_EACH = 15
CLI = str(Path(sys.executable).with_name("alliance-c2"))


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([CLI, "serve", "--db", url, "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_serving(proc, port, "serve --workers 2")
    return proc


def _children(parent: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(parent)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def test_two_workers_share_one_database(db_url):
    eid, jjoc, control = one_player_exercise(db_url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(db_url, port)
    acked: list[int] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        # a new connection per request, so both workers accept some of them
        for i in range(ORDERS_EACH):
            r = httpx.post(f"{base}/api/exercises/{eid}/orders", headers=jjoc, timeout=10,
                           json={"action": "isr", "unit": "jpn-sdf-fleet", "subject": f"w {k}.{i}", "rel_to": ["JPN"]})
            assert r.status_code == 201, r.text
            with lock:
                acked.append(r.json()["id"])

    try:
        assert len(_children(server.pid)) >= 2  # the worker processes (and uvicorn's helper, if any)
        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(acked) == CLIENTS * ORDERS_EACH and len(set(acked)) == len(acked)
        stored = httpx.get(f"{base}/api/exercises/{eid}/messages", params={"kind": "order", "limit": 500},
                           headers=control, timeout=10).json()
        assert sorted(m["id"] for m in stored) == sorted(acked)
        verdict = httpx.get(f"{base}/api/exercises/{eid}/log/verify", headers=control, timeout=10).json()
        assert verdict["ok"], verdict
        assert verdict["entries"] >= 2 * len(acked)  # each order issued, and its approval routed
    finally:
        server.terminate()
        server.wait(20)
