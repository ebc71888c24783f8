"""C2SIM session throughput: 20 clients joined to one session, each sending C2SIM messages for a bounded
time; orders (about 10 tasks each) checked by the law engine task by task and relayed; the time from
`send` to the WebSocket push at every receiver; and a count of pushes that never came (must be 0).

A real server (`alliance-c2 serve` as uvicorn, 127.0.0.1 only) on a fresh SQLite file (and on PostgreSQL
with --pg URL or $ALLIANCE_C2_TEST_PG_URL, in a throwaway schema), a signing key in a temporary
directory; the clients run in this process (asyncio: httpx for the REST operations, `websockets` for the
streams), logged in with bearer tokens, joined as the seats below. Session `bmd-salvo` in peacetime on
2024-proposal: the C2 systems' orders are bmd-intercept tasks to their units (lawful; the scenario's
standing order gives the approvals in advance, so they are delivered at once); the simulations send
position reports to their commanders. Each pushed document is matched to its send by the task's name
or the report's id; after the load the bench waits for stragglers and counts what is missing.

Run: .venv/bin/python benchmarks/bench_c2sim_session.py [--seconds 15] [--tasks 10] [--pg URL]
Last lines per store: orders_per_second, tasks_per_second, reports_per_second, push_p50_ms, push_p99_ms,
pushes, lost, errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "exercise"))

from pgschema import scratch_schema

from alliance_c2 import check
from alliance_c2.exercise.service import catalog, orders
from alliance_c2.interop import OrderRecord, entity_uuid, order_message
from served import start_server

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
PASSWORD = "bench-password-123"
ARCH = "2024-proposal"
NS = "http://www.sisostds.org/schemas/C2SIM/2.0.0-cwix2026"
# C2 systems (they send orders) and the units they order; simulations (they report to their commander).
COMMANDERS = {"jpn-jjoc": ["jpn-adc", "jpn-gcc", "jpn-cyber-defense-command"],
              "jpn-joint-staff": ["jpn-adc", "jpn-gcc"],
              "jpn-gcc": ["jpn-gsdf-western-army", "jpn-gsdf-ardb"],
              "jpn-gsdf-western-army": ["jpn-gsdf-8th-division", "jpn-gsdf-15th-brigade"],
              "usa-indopacom": ["usa-7th-fleet", "usa-5th-af", "usa-army-japan", "usa-iii-mef"]}
SIMULATIONS = {"jpn-adc": "jpn-jjoc", "jpn-cyber-defense-command": "jpn-jjoc", "jpn-gsdf-8th-division":
               "jpn-gsdf-western-army", "jpn-gsdf-15th-brigade": "jpn-gsdf-western-army", "jpn-gsdf-ardb": "jpn-gcc",
               "usa-7th-fleet": "usa-indopacom", "usa-5th-af": "usa-indopacom", "usa-army-japan": "usa-indopacom",
               "usa-iii-mef": "usa-indopacom", "jpn-asdf-2nd-air-wing": "jpn-adc"}
C2_CLIENTS = ("jpn-jjoc", "jpn-jjoc", "jpn-joint-staff", "jpn-gcc", "jpn-gsdf-western-army", "jpn-gsdf-western-army",
              "usa-indopacom", "usa-indopacom", "usa-indopacom", "jpn-joint-staff")
NAME = re.compile(r"<Name>(b[0-9]+-[0-9]+-[0-9]+)</Name>")
REPORT = re.compile(r"<ReportID>([0-9a-f-]{36})</ReportID>")


@dataclass
class Client:
    index: int
    organization: str
    token: str = ""
    client_id: str = ""
    sent: int = 0
    errors: dict[int, int] = field(default_factory=dict)
    arrived: dict[str, float] = field(default_factory=dict)


def _prepare(url: str, clients: list[Client]) -> None:
    from argon2 import PasswordHasher

    from alliance_c2.exercise.db.database import open_database
    from alliance_c2.exercise.service.accounts import add_user, use_hasher

    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))  # logins are not what is measured
    db = open_database(url)
    add_user(db, "control", PASSWORD, control=True)
    for c in clients:
        add_user(db, f"u{c.index}", PASSWORD)
    db.dispose()


def _start(url: str, key: Path) -> tuple[subprocess.Popen[bytes], str]:
    return start_server({"ALLIANCE_C2_DB": url, "ALLIANCE_C2_KEY": str(key)})


def _system(kind: str) -> str:
    return (f'<Message xmlns="{NS}"><C2SIMHeader><ConversationID>{uuid.uuid4()}</ConversationID><FromSendingSystem>'
            f"EXCON</FromSendingSystem><MessageID>{uuid.uuid4()}</MessageID><Protocol>SISO-STD-C2SIM</Protocol>"
            f"<ProtocolVersion>1.0.2</ProtocolVersion></C2SIMHeader><MessageBody><SystemMessageBody><{kind}/>"
            "</SystemMessageBody></MessageBody></Message>")


def _setup(base: str, clients: list[Client]) -> str:
    """The session, seats, logins and joins (control drives the state machine to RUNNING)."""
    name = "bench"
    with httpx.Client(base_url=base, timeout=60) as http:
        def login(user: str) -> str:
            r = http.post("/api/auth/login", json={"name": user, "password": PASSWORD})
            r.raise_for_status()
            return str(r.json()["token"])

        control = {"Authorization": f"Bearer {login('control')}", "clientId": "EXCON01"}
        r = http.put(f"/api/c2sim/session/{name}/create", headers=control, json={"data": {
            "c2simSchemaVersion": "2.0.0-cwix2026", "displayName": "bench", "description": "", "scenario": "bmd-salvo"}})
        r.raise_for_status()
        eid = next(e["id"] for e in http.get("/api/exercises", headers=control).json() if e["name"] == "bench")
        for c in clients:
            r = http.post(f"/api/exercises/{eid}/seats", headers=control, json={
                "user": f"u{c.index}", "organization": c.organization, "role": "player", "clearance": "SECRET"})
            r.raise_for_status()
            c.token, c.client_id = login(f"u{c.index}"), f"CL{c.index:04d}"
        http.post(f"/api/c2sim/session/{name}/join", headers=control, json={"clientIdDisplayName": "excon"}).raise_for_status()
        for c in clients:
            http.post(f"/api/c2sim/session/{name}/join", headers={"Authorization": f"Bearer {c.token}",
                      "clientId": c.client_id}, json={"clientIdDisplayName": c.organization}).raise_for_status()
        small = (Path(__file__).resolve().parents[1] / "tests/interop/data/C2SIMInitialization_small.xml").read_bytes()
        for document in (_system("SubmitInitialization").encode(), small, _system("ShareScenario").encode(),
                         _system("StartScenario").encode()):
            http.post(f"/api/c2sim/session/{name}/send", headers={**control, "Content-Type": "application/xml"},
                      content=document).raise_for_status()
    return name


def _order_template(sender: str, tasks: int) -> tuple[str, list[str]]:
    """A real C2SIM order of `tasks` tasks written by the workbench (names left as NAME0..), and its units."""
    arch = catalog.arrangement(ARCH)
    units = [COMMANDERS[sender][i % len(COMMANDERS[sender])] for i in range(tasks)]
    records = [OrderRecord(sender, u, "bmd-intercept", timedelta(0), f"NAME{i}") for i, u in enumerate(units)]
    return order_message(arch, records).decode(), units


def _report(sender: str, report_id: str) -> str:
    arch = catalog.arrangement(ARCH)
    me, boss = entity_uuid(arch, sender), entity_uuid(arch, SIMULATIONS[sender])
    return (f'<Message xmlns="{NS}"><C2SIMHeader><ConversationID>{uuid.uuid4()}</ConversationID><FromSendingSystem>'
            f"SIM</FromSendingSystem><MessageID>{uuid.uuid4()}</MessageID><Protocol>SISO-STD-C2SIM</Protocol>"
            "<ProtocolVersion>1.0.2</ProtocolVersion></C2SIMHeader><MessageBody><DomainMessageBody><ReportBody>"
            f"<FromSender>{me}</FromSender><ToReceiver>{boss}</ToReceiver><ReportContent><PositionReportContent>"
            "<TimeOfObservation><DateTime><IsoDateTime>2026-01-01T00:00:00Z</IsoDateTime></DateTime></TimeOfObservation>"
            "<Location><GeodeticCoordinate><Latitude>30.5</Latitude><Longitude>131.25</Longitude></GeodeticCoordinate>"
            f"</Location><SubjectEntity>{me}</SubjectEntity></PositionReportContent></ReportContent><ReportID>{report_id}"
            f"</ReportID><ReportingEntity>{me}</ReportingEntity></ReportBody></DomainMessageBody></MessageBody></Message>")


async def _listen(base: str, session: str, client: Client, stop: asyncio.Event) -> None:
    url = base.replace("http://", "ws://") + f"/api/c2sim/session/{session}/stream?clientId={client.client_id}"
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {client.token}"},
                                  max_size=None) as socket_:
        while not stop.is_set():
            try:
                frame = await asyncio.wait_for(socket_.recv(), 0.5)
            except TimeoutError:
                continue
            now = time.perf_counter()
            text = frame if isinstance(frame, str) else frame.decode()
            for key in NAME.findall(text) or REPORT.findall(text):
                client.arrived.setdefault(key, now)


async def _send_loop(base: str, session: str, client: Client, until: float, tasks: int,
                     sent_at: dict[str, tuple[float, Client]], expected: dict[str, set[int]],
                     receivers: dict[str, list[int]]) -> None:
    headers = {"Authorization": f"Bearer {client.token}", "clientId": client.client_id, "Content-Type": "application/xml"}
    is_c2 = client.organization in COMMANDERS
    template, units = _order_template(client.organization, tasks) if is_c2 else ("", [])
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.perf_counter() < until:
            n = client.sent
            if is_c2:
                names = [f"b{client.index}-{n}-{i}" for i in range(tasks)]
                document = template
                for i, task_name in reversed(list(enumerate(names))):
                    document = document.replace(f"<Name>NAME{i}</Name>", f"<Name>{task_name}</Name>")
                keys = list(zip(names, units, strict=True))
            else:
                report_id = str(uuid.uuid4())
                document, keys = _report(client.organization, report_id), [(report_id, SIMULATIONS[client.organization])]
            start = time.perf_counter()
            answer = await http.post(f"/api/c2sim/session/{session}/send", content=document.encode(), headers=headers)
            client.sent += 1
            if answer.status_code != 200:
                client.errors[answer.status_code] = client.errors.get(answer.status_code, 0) + 1
                continue
            for key, unit in keys:
                sent_at[key] = (start, client)
                wanted = receivers[f"{client.organization}>{unit}" if is_c2 else "report:" + unit]
                expected[key] = {i for i in wanted if i != client.index}


def _receivers(clients: list[Client]) -> dict[str, list[int]]:
    """Who must receive what: for a task to `unit`, the clients seated on its delivery chain and at the sender's
    organization (the law engine's own delivery); for a report to an organization, the clients seated there."""
    arch = catalog.arrangement(ARCH)
    scenario = catalog.scenario("bmd-salvo")
    out: dict[str, list[int]] = {}
    for sender, units in COMMANDERS.items():
        for unit in units:
            plan = orders.plan_order(arch, "peacetime", (), "bmd-intercept", unit, sender, check,
                                     scenario.standing_orders)
            assert plan.allowed, (sender, unit, plan.reasons)
            seen = {*plan.deliver_to, sender}
            out[f"{sender}>{unit}"] = [c.index for c in clients if c.organization in seen]
    for boss in set(SIMULATIONS.values()):
        out["report:" + boss] = [c.index for c in clients if c.organization == boss]
    return out


async def _run(base: str, session: str, clients: list[Client], seconds: float, tasks: int) -> dict[str, float]:
    stop = asyncio.Event()
    listeners = [asyncio.create_task(_listen(base, session, c, stop)) for c in clients]
    await asyncio.sleep(1.0)
    sent_at: dict[str, tuple[float, Client]] = {}
    expected: dict[str, set[int]] = {}
    receivers = _receivers(clients)
    begin = time.perf_counter()
    until = begin + seconds
    await asyncio.gather(*(_send_loop(base, session, c, until, tasks, sent_at, expected, receivers) for c in clients))
    elapsed = time.perf_counter() - begin
    by_index = {c.index: c for c in clients}
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(k not in by_index[i].arrived for k, w in expected.items() for i in w):
        await asyncio.sleep(0.2)
    stop.set()
    await asyncio.gather(*listeners, return_exceptions=True)
    latencies, lost = [], 0
    for key, wanted in expected.items():
        start = sent_at[key][0]
        for i in wanted:
            got = by_index[i].arrived.get(key)
            if got is None:
                lost += 1
            else:
                latencies.append((got - start) * 1000)
    orders_sent = sum(1 for k in sent_at if k.startswith("b") and k.endswith("-0"))
    task_count = sum(1 for k in sent_at if k.startswith("b"))
    reports = len(sent_at) - task_count
    errors = sum(sum(c.errors.values()) for c in clients)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    return {"orders_per_second": orders_sent / elapsed, "tasks_per_second": task_count / elapsed,
            "reports_per_second": reports / elapsed, "push_p50_ms": quantiles[49], "push_p99_ms": quantiles[98],
            "pushes": float(len(latencies)), "lost": float(lost), "errors": float(errors)}


def bench(url: str, store: str, seconds: float, tasks: int) -> dict[str, float]:
    clients = [Client(i, org) for i, org in enumerate([*C2_CLIENTS, *SIMULATIONS])]
    _prepare(url, clients)
    with tempfile.TemporaryDirectory() as keys:
        proc, base = _start(url, Path(keys) / "key.pem")
        try:
            session = _setup(base, clients)
            result = asyncio.run(_run(base, session, clients, seconds, tasks))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    for name, value in result.items():
        print(f"{name}_{store}: {value:.1f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--pg", default=os.environ.get(PG_ENV))
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        result = bench(f"sqlite:///{Path(tmp) / 'exercise.db'}", "sqlite", args.seconds, args.tasks)
        failed |= result["lost"] > 0 or result["errors"] > 0
    if args.pg and not args.sqlite_only:
        with scratch_schema(args.pg, "ac2_bench") as url:
            result = bench(url, "postgresql", args.seconds, args.tasks)
            failed |= result["lost"] > 0 or result["errors"] > 0
    if failed:
        raise SystemExit("lost pushes or failed sends (see above)")


if __name__ == "__main__":
    main()
