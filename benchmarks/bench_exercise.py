"""Exercise-service throughput: orders per second checked by the law engine and persisted, p50/p99 latency,
errors, and a check that every acknowledged order is stored; optionally under a flood of logins.

A real server (uvicorn subprocess, `--workers N`, 127.0.0.1 only) on a fresh SQLite file (and on
PostgreSQL when --pg URL or $ALLIANCE_C2_TEST_PG_URL is given, in a throwaway schema), with a signing
key in a temporary directory; the load generator runs in a separate process: C concurrent asyncio
clients, each on its own keep-alive connection written by hand (HTTP/1.1), issuing orders one after
another with a bearer token and an `Idempotency-Key` (as the pages do; `--no-keys` to leave it out),
for a bounded count and time. After the load every acknowledged order id is looked up: the run
fails if one is missing.

`--flood F` adds F clients that post logins with made-up names as fast as they are answered, each
attempt from another loopback address (127.x.y.z), so that no per-address limit stops them: the
password hashing itself is under load. Use it with a moderate order load (`--clients 10 --rate 100`).
The server's resident memory (all its processes) is sampled during the run.

Run: .venv/bin/python benchmarks/bench_exercise.py [--clients 50] [--orders 6000] [--workers 1] [--pg URL]
     [--rate R] [--flood F] [--no-keys]
Last lines: orders_per_second_<store>: N, p50_ms_<store>: N, p99_ms_<store>: N, errors_<store>: N,
peak_rss_mb_<store>: N (and login_attempts_per_second_<store> with --flood).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "exercise"))

from pgschema import scratch_schema

from served import start_server

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
PASSWORD = "bench-password-123"
# (user, organization): the seats that issue orders; every order is checked by the law engine and stored.
SEATS = (("jjoc", "jpn-jjoc"), ("dm", "jpn-defense-minister"), ("fleet", "jpn-sdf-fleet"), ("pm", "jpn-pm"),
         ("indopacom", "usa-indopacom"))
# (action, unit, REL TO): a mix of refused, delivered and routed-for-approval orders.
ORDERS = (("bmd-intercept", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "jpn-sdf-fleet", ["JPN"]),
          ("isr", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "usa-7th-fleet", ["JPN", "USA"]),
          ("asset-protection", "jpn-adc", ["JPN"]))


@dataclass
class Result:
    orders: int = 0
    errors: dict[int, int] = field(default_factory=dict)  # status (0: connection error) -> count
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    acked: list[int] = field(default_factory=list)
    logins: dict[int, int] = field(default_factory=dict)  # the flood's answers by status
    peak_rss_mb: float = 0.0
    missing: int = -1  # acknowledged orders not found afterwards (-1: not checked)

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _seed(url: str) -> None:
    """Users (real Argon2 cost) and nothing else; the exercise is created over HTTP."""
    from alliance_c2.exercise.db.database import open_database
    from alliance_c2.exercise.service.accounts import add_user

    db = open_database(url)
    for name in ("control", *(u for u, _ in SEATS)):
        add_user(db, name, PASSWORD, control=name == "control")
    db.dispose()


def _start_server(url: str, workers: int, key: Path, write_rate: float) -> tuple[subprocess.Popen[bytes], str]:
    # Five player logins carry the whole load, far beyond a person's write limit (10 a second): the limit is
    # raised (it is still kept, in the database, for every write) unless --write-rate says otherwise.
    env = {"ALLIANCE_C2_DB": url, "ALLIANCE_C2_KEY": str(key),
           "ALLIANCE_C2_WRITE_RATE": repr(write_rate), "ALLIANCE_C2_WRITE_BURST": repr(max(write_rate, 1.0))}
    return start_server(env, ["--workers", str(workers), "--no-proxy-headers"])


def _setup_exercise(base: str) -> tuple[int, list[str], str]:
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
    return eid, [tokens[u] for u, _ in SEATS], tokens["control"]


def _order_body(k: int) -> bytes:
    action, unit, rel_to = ORDERS[k % len(ORDERS)]
    return json.dumps({"action": action, "unit": unit, "subject": f"bench {k}", "rel_to": rel_to}).encode()


async def _order_client(base: str, eid: int, token: str, n: int, start: int, deadline: float, out: Result,
                        keys: bool, interval: float = 0.0, offset: float = 0.0) -> None:
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
            payload = _order_body(start + i)
            key = f"Idempotency-Key: bench-{start + i}-{secrets.token_hex(4)}\r\n" if keys else ""
            t0 = time.perf_counter()
            if interval > 0:
                scheduled = begin + i * interval
                if scheduled > t0:
                    await asyncio.sleep(scheduled - t0)
                t0 = scheduled
            writer.write(f"{head}{key}Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
            status, body = await _read_response(reader)
            out.latencies_ms.append((time.perf_counter() - t0) * 1000)
            if status == 201:
                out.orders += 1
                out.acked.append(int(json.loads(body)["id"]))
            else:
                out.errors[status] = out.errors.get(status, 0) + 1
    except (OSError, asyncio.IncompleteReadError):
        out.errors[0] = out.errors.get(0, 0) + 1
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Status code and body of one response (Content-Length framed)."""
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    length = next((int(v) for k, _, v in (line.partition(":") for line in lines[1:])
                   if k.strip().lower() == "content-length"), 0)
    body = await reader.readexactly(length) if length else b""
    return int(lines[0].split()[1]), body


async def _flooder(base: str, k: int, deadline: float, out: Result) -> None:
    """Logins with made-up names, each from another loopback address, until the deadline."""
    host, port = base.removeprefix("http://").split(":")
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        n = k * 100_000 + attempt
        local = f"127.{(n >> 16) % 250 + 1}.{(n >> 8) % 256}.{n % 256 or 1}"
        payload = json.dumps({"name": f"nobody-{k}-{attempt}", "password": "guessing-again"}).encode()
        try:
            reader, writer = await asyncio.open_connection(host, int(port), local_addr=(local, 0))
            writer.write(f"POST /api/auth/login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode() + payload)
            status, _ = await _read_response(reader)
            writer.close()
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        out.logins[status] = out.logins.get(status, 0) + 1


async def _load(base: str, eid: int, tokens: list[str], clients: int, orders: int, max_seconds: float, rate: float,
                flood: int, keys: bool) -> Result:
    out = Result()
    per_client = orders // clients
    deadline = time.monotonic() + max_seconds
    interval = clients / rate if rate > 0 else 0.0  # each client's share of the offered rate
    flooding = [asyncio.create_task(_flooder(base, k, deadline, out)) for k in range(flood)]
    if flood:
        await asyncio.sleep(1.0)  # the flood is on before the first order
    t0 = time.perf_counter()
    await asyncio.gather(*(
        _order_client(base, eid, tokens[k % len(tokens)], per_client, k * per_client, deadline, out, keys, interval,
                      k * interval / clients)
        for k in range(clients)
    ))
    out.seconds = time.perf_counter() - t0
    for task in flooding:
        task.cancel()
    await asyncio.gather(*flooding, return_exceptions=True)
    return out


def _load_process(base: str, eid: int, tokens: list[str], clients: int, orders: int, max_seconds: float,
                  rate: float, flood: int, keys: bool, queue: Any) -> None:
    queue.put(asyncio.run(_load(base, eid, tokens, clients, orders, max_seconds, rate, flood, keys)))


def _missing(base: str, eid: int, control: str, acked: list[int]) -> int:
    """How many acknowledged orders are not stored."""
    stored: set[int] = set()
    after = 0
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {control}"}) as c:
        while True:
            page = c.get(f"/api/exercises/{eid}/messages", params={"kind": "order", "after": after, "limit": 500})
            page.raise_for_status()
            found = page.json()
            if not found:
                break
            stored.update(m["id"] for m in found)
            after = found[-1]["id"]
    return len(set(acked) - stored)


class _RssSampler(threading.Thread):
    """Peak resident memory of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [pid, *(int(p) for p in out.split())]


def _rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("VmRSS:")), 0)


def run(url: str, workers: int, clients: int, orders: int, max_seconds: float, rate: float = 0.0, flood: int = 0,
        keys: bool = True, write_rate: float = 1e6) -> Result:
    """Seed, start the server, drive it from a separate process, check what was acknowledged, stop it."""
    _seed(url)
    with tempfile.TemporaryDirectory() as keys_dir:
        proc, base = _start_server(url, workers, Path(keys_dir) / "key.pem", write_rate)
        sampler = _RssSampler(proc.pid)
        try:
            eid, tokens, control = _setup_exercise(base)
            sampler.start()
            queue: Any = multiprocessing.get_context("spawn").Queue()
            loader = multiprocessing.get_context("spawn").Process(
                target=_load_process, args=(base, eid, tokens, clients, orders, max_seconds, rate, flood, keys, queue))
            loader.start()
            result: Result = queue.get(timeout=max_seconds + 120)
            loader.join(timeout=30)
            sampler.stop.set()
            result.peak_rss_mb = sampler.peak_kb / 1024
            result.missing = _missing(base, eid, control, result.acked)
            return result
        finally:
            sampler.stop.set()
            proc.terminate()
            proc.wait(timeout=30)


def _report(tag: str, result: Result, args: argparse.Namespace) -> list[str]:
    lat = result.latencies_ms
    offered = f"offered={args.rate:g}/s (open loop)" if args.rate > 0 else "offered=as fast as answered (closed loop)"
    errors = sum(result.errors.values())
    print(f"[{tag}] workers={args.workers} clients={args.clients} {offered} keys={not args.no_keys} "
          f"flood={args.flood} orders={result.orders} errors={errors} {dict(sorted(result.errors.items()))} "
          f"seconds={result.seconds:.2f}")
    if lat:
        print(f"[{tag}] latency ms: p50={result.percentile(0.50):.1f} p90={result.percentile(0.90):.1f} "
              f"p99={result.percentile(0.99):.1f} max={max(lat):.1f} mean={statistics.fmean(lat):.1f}")
    print(f"[{tag}] acknowledged={len(result.acked)} missing afterwards={result.missing} "
          f"server peak RSS={result.peak_rss_mb:.0f} MB")
    lines = [f"orders_per_second_{tag}: {result.per_second:.0f}", f"p50_ms_{tag}: {result.percentile(0.5):.1f}",
             f"p99_ms_{tag}: {result.percentile(0.99):.1f}", f"errors_{tag}: {errors}",
             f"peak_rss_mb_{tag}: {result.peak_rss_mb:.0f}"]
    if args.flood:
        attempts = sum(result.logins.values())
        print(f"[{tag}] login flood answers: {dict(sorted(result.logins.items()))}")
        lines.append(f"login_attempts_per_second_{tag}: {attempts / max(result.seconds, 1e-9):.1f}")
    if result.missing:
        print(f"[{tag}] FAILED: {result.missing} acknowledged orders are not stored")
    return lines


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
    parser.add_argument("--flood", type=int, default=0, help="clients posting logins with made-up names meanwhile")
    parser.add_argument("--no-keys", action="store_true", help="send orders without an Idempotency-Key")
    parser.add_argument("--write-rate", type=float, default=1e6,
                        help="the server's write limit per user and second (default: high enough not to refuse)")
    parser.add_argument("--pg", default=os.environ.get(PG_ENV), help=f"PostgreSQL URL (default: ${PG_ENV})")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    lines: list[str] = []
    failed = False
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.workers, args.clients, args.orders,
                         args.max_seconds, args.rate, args.flood, not args.no_keys, args.write_rate)
            lines += _report("sqlite", result, args)
            failed |= result.missing != 0
    if args.pg:
        with scratch_schema(args.pg, "ac2_bench") as url:
            result = run(url, args.workers, args.clients, args.orders, args.max_seconds, args.rate, args.flood,
                         not args.no_keys, args.write_rate)
            lines += _report("pg", result, args)
            failed |= result.missing != 0
    else:
        print(f"PostgreSQL skipped: give --pg URL or set {PG_ENV}")
    for line in lines:
        print(line)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
