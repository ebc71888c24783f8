"""Exercise-service throughput: orders per second checked by the law engine and persisted, and p99 latency.

A real server (uvicorn subprocess, `--workers N`, 127.0.0.1 only) on a fresh SQLite file (and on
PostgreSQL when --pg URL or $ALLIANCE_C2_TEST_PG_URL is given, in a throwaway schema); the load
generator runs in a separate process: C concurrent asyncio clients, each on its own keep-alive
connection issuing orders one after another with a bearer token, for a bounded count and time.
`--client raw` (default) writes HTTP/1.1 by hand; `--client httpx` uses httpx.AsyncClient, whose
per-request cost saturates a core near 100 orders/s on a 2-CPU machine and so caps what it can measure.

Run: .venv/bin/python benchmarks/bench_exercise.py [--clients 50] [--orders 6000] [--workers 1] [--pg URL]
     [--client raw|httpx] [--rate 300]
Last lines: orders_per_second_sqlite: N, p99_ms_sqlite: N (and _pg).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from alliance_c2.exercise.pgschema import scratch_schema

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
PASSWORD = "bench-password-123"
HOST = "127.0.0.1"
# (user, organization): the seats that issue orders; every order is checked by the law engine and stored.
SEATS = (("jjoc", "jpn-jjoc"), ("dm", "jpn-defense-minister"), ("fleet", "jpn-sdf-fleet"), ("pm", "jpn-pm"),
         ("indopacom", "usa-indopacom"))
# (action, unit, REL TO): a mix of refused, delivered and routed-for-approval orders.
ORDERS = (("bmd-intercept", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "jpn-sdf-fleet", ["JPN"]),
          ("isr", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "usa-7th-fleet", ["JPN", "USA"]),
          ("asset-protection", "jpn-adc", ["JPN"]))


@dataclass(frozen=True)
class Result:
    orders: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _seed(url: str) -> None:
    """Users (real Argon2 cost) and nothing else; the exercise is created over HTTP."""
    from alliance_c2.exercise.auth import add_user
    from alliance_c2.exercise.store import open_database

    db = open_database(url)
    for name in ("control", *(u for u, _ in SEATS)):
        add_user(db, name, PASSWORD)
    db.dispose()


def _start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "ALLIANCE_C2_DB": url}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "alliance_c2.exercise.app:create_app", "--host", HOST,
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not come up within 60 s")


def _setup_exercise(base: str) -> tuple[int, list[str]]:
    with httpx.Client(base_url=base, timeout=30) as c:
        tokens = {}
        for name in ("control", *(u for u, _ in SEATS)):
            r = c.post("/api/auth/login", json={"name": name, "password": PASSWORD})
            r.raise_for_status()
            tokens[name] = r.json()["token"]
        control = {"Authorization": f"Bearer {tokens['control']}"}
        r = c.post("/api/exercises", json={"name": "bench", "arrangement": "2024-proposal", "scenario": "bmd-salvo",
                                           "situation": "armed-attack"}, headers=control)
        r.raise_for_status()
        eid = int(r.json()["id"])
        for user, org in SEATS:
            c.post(f"/api/exercises/{eid}/seats", json={"user": user, "organization": org, "role": "player",
                                                         "clearance": "SECRET"}, headers=control).raise_for_status()
        c.post(f"/api/exercises/{eid}/clock", json={"action": "start"}, headers=control).raise_for_status()
    return eid, [tokens[u] for u, _ in SEATS]


async def _client(c: httpx.AsyncClient, eid: int, token: str, n: int, start: int, deadline: float,
                  out: list[float], errors: list[int]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(n):
        if time.monotonic() > deadline:
            return
        body = _order_body(start + i)
        t0 = time.perf_counter()
        r = await c.post(f"/api/exercises/{eid}/orders", json=body, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 201:
            errors.append(r.status_code)


def _order_body(k: int) -> dict[str, Any]:
    action, unit, rel_to = ORDERS[k % len(ORDERS)]
    return {"action": action, "unit": unit, "subject": f"bench {k}", "rel_to": rel_to}


async def _raw_client(base: str, eid: int, token: str, n: int, start: int, deadline: float,
                      out: list[float], errors: list[int], interval: float = 0.0, offset: float = 0.0) -> None:
    """One keep-alive HTTP/1.1 connection written by hand: far cheaper per request than httpx's pool.

    With `interval` > 0 the client sends on a fixed schedule (first at `offset`, then every `interval`
    seconds) and measures each latency from the scheduled moment, so a slow answer that delays the
    next request is counted against the server (no coordinated omission).
    """
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = (f"POST /api/exercises/{eid}/orders HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\n")
    begin = time.perf_counter() + offset
    try:
        for i in range(n):
            if time.monotonic() > deadline:
                return
            payload = json.dumps(_order_body(start + i)).encode()
            t0 = time.perf_counter()
            if interval > 0:
                scheduled = begin + i * interval
                if scheduled > t0:
                    await asyncio.sleep(scheduled - t0)
                t0 = scheduled
            writer.write(f"{head}Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
            status = await _read_response(reader)
            out.append((time.perf_counter() - t0) * 1000)
            if status != 201:
                errors.append(status)
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Status code of one response; its body (Content-Length framed) is read and dropped."""
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    length = next((int(v) for k, _, v in (line.partition(":") for line in lines[1:])
                   if k.strip().lower() == "content-length"), 0)
    if length:
        await reader.readexactly(length)
    return int(lines[0].split()[1])


async def _load(base: str, eid: int, tokens: list[str], clients: int, orders: int, max_seconds: float,
                kind: str = "raw", rate: float = 0.0) -> Result:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors: list[int] = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as c:
        await c.get("/healthz")
        per_client = orders // clients
        deadline = time.monotonic() + max_seconds
        t0 = time.perf_counter()
        interval = clients / rate if rate > 0 else 0.0  # each client's share of the offered rate
        await asyncio.gather(*(
            _raw_client(base, eid, tokens[k % len(tokens)], per_client, k * per_client, deadline, latencies, errors,
                        interval, k * interval / clients)
            if kind == "raw" else
            _client(c, eid, tokens[k % len(tokens)], per_client, k * per_client, deadline, latencies, errors)
            for k in range(clients)
        ))
        seconds = time.perf_counter() - t0
    return Result(len(latencies) - len(errors), len(errors), seconds, latencies)


def _load_process(base: str, eid: int, tokens: list[str], clients: int, orders: int, max_seconds: float,
                  kind: str, rate: float, queue: Any) -> None:
    queue.put(asyncio.run(_load(base, eid, tokens, clients, orders, max_seconds, kind, rate)))


def run(url: str, workers: int, clients: int, orders: int, max_seconds: float, kind: str = "raw",
        rate: float = 0.0) -> Result:
    """Seed, start the server, drive it from a separate process, stop it."""
    _seed(url)
    proc, base = _start_server(url, workers)
    try:
        eid, tokens = _setup_exercise(base)
        queue: Any = multiprocessing.get_context("spawn").Queue()
        loader = multiprocessing.get_context("spawn").Process(
            target=_load_process, args=(base, eid, tokens, clients, orders, max_seconds, kind, rate, queue))
        loader.start()
        result: Result = queue.get(timeout=max_seconds + 120)
        loader.join(timeout=30)
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _report(tag: str, result: Result, workers: int, clients: int, kind: str, rate: float) -> tuple[str, str]:
    lat = result.latencies_ms
    offered = f"offered={rate:g}/s (open loop)" if rate > 0 else "offered=as fast as answered (closed loop)"
    print(f"[{tag}] workers={workers} clients={clients} client={kind} {offered} orders={result.orders} "
          f"errors={result.errors} seconds={result.seconds:.2f}")
    if lat:
        print(f"[{tag}] latency ms: p50={result.percentile(0.50):.1f} p90={result.percentile(0.90):.1f} "
              f"p99={result.percentile(0.99):.1f} max={max(lat):.1f} mean={statistics.fmean(lat):.1f}")
    return (f"orders_per_second_{tag}: {result.per_second:.0f}", f"p99_ms_{tag}: {result.percentile(0.99):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--orders", type=int, default=6000, help="total orders per database (bounded)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop issuing after this long")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="offered orders per second, spread over the clients on a fixed schedule, latency "
                             "measured from each scheduled moment (default 0: each client sends as soon as "
                             "answered, which measures the ceiling)")
    parser.add_argument("--pg", default=os.environ.get(PG_ENV), help=f"PostgreSQL URL (default: ${PG_ENV})")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="load generator: hand-written HTTP/1.1 (default) or httpx.AsyncClient, which "
                             "needs about a CPU core for ~100 requests/s and so caps the measurement")
    args = parser.parse_args()
    if args.rate and args.client != "raw":
        parser.error("--rate needs --client raw")
    lines: list[str] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.workers, args.clients, args.orders,
                         args.max_seconds, args.client, args.rate)
            lines += _report("sqlite", result, args.workers, args.clients, args.client, args.rate)
    if args.pg:
        with scratch_schema(args.pg, "ac2_bench") as url:
            result = run(url, args.workers, args.clients, args.orders, args.max_seconds, args.client, args.rate)
            lines += _report("pg", result, args.workers, args.clients, args.client, args.rate)
    else:
        print(f"PostgreSQL skipped: give --pg URL or set {PG_ENV}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
