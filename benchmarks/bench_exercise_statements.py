"""Exercise writes in process, no HTTP: milliseconds and SQL statements per order, and the time per statement.

Orders go through the exercise writer (group commit) in groups of 50, as the API's write routes do,
with the same order mix as bench_exercise.py (and, unless --no-keys, an Idempotency-Key each), on
SQLite (a temporary file) and on PostgreSQL (a throwaway schema) when --pg URL or
$ALLIANCE_C2_TEST_PG_URL is given. Statement times are measured around the driver's execute
(SQLAlchemy's before/after_cursor_execute events), so they include the round trip to the server but
not SQLAlchemy's own work before and after.

Run: .venv/bin/python benchmarks/bench_exercise_statements.py [--orders 2000] [--pg URL] [--no-keys]
Last lines: ms_per_order_<store>: N, statements_per_order_<store>: N.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import event

from alliance_c2.exercise.db import users
from alliance_c2.exercise.db.database import open_database
from alliance_c2.exercise.db.notary import Notary
from alliance_c2.exercise.db.writer import Writer
from alliance_c2.exercise.service import accounts, exercises, idempotency, messages, orders
from alliance_c2.exercise.service.limits import WriteLimit
from alliance_c2.exercise.service.watch import Watch
from alliance_c2.exercise.web.deps import Credentials, Guards, Retry, hints, seated_write, seated_write_once

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "exercise"))

from pgschema import scratch_schema

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
GROUP = 50
ORDERS = (("bmd-intercept", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "jpn-sdf-fleet", ["JPN"]),
          ("isr", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "usa-7th-fleet", ["JPN", "USA"]),
          ("asset-protection", "jpn-adc", ["JPN"]))


def _exercise(db: Any) -> tuple[int, str]:
    """An exercise (2024-proposal, bmd-salvo, armed attack) with a JJOC player; its id and the player's token."""
    accounts.add_user(db, "control", "bench-password-1", control=True)
    accounts.add_user(db, "jjoc", "bench-password-1")
    with db.write() as session:
        control = users.by_name(session, "control")[0]
        eid = exercises.create_exercise(session, control, "bench", "2024-proposal", "bmd-salvo", "armed-attack",
                                        []).exercise.id
    with db.write() as session:
        who = exercises.seated(session, eid, control, lock=True)
        exercises.add_seat(session, who, "jjoc", "jpn-jjoc", "player", "SECRET")
        return eid, users.open_login(session, users.by_name(session, "jjoc")[0].id).token


def measure(url: str, count: int, key_dir: Path, keys: bool) -> dict[str, Any]:
    accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    db = open_database(url, Notary.load(key_dir / "key.pem", create=True))
    eid, token = _exercise(db)
    creds = Credentials(token, via_cookie=False, unsafe=True, csrf_given=None)
    checker = orders.default_checker()
    writer = Writer(db)
    guards = Guards(Watch(db, key_dir / "key.pem"), WriteLimit(1e6, 1e6))  # the limit is kept, not reached
    since = idempotency.kept_since()

    def again(session: Any, who: exercises.Seated, message_id: int) -> dict[str, Any]:
        return messages.view(who, messages.visible_one(session, who, message_id)).to_dict()

    def order(k: int) -> Any:
        action, unit, rel_to = ORDERS[k % len(ORDERS)]

        def work(session: Any, who: exercises.Seated) -> messages.MessageView:
            label = messages.label_for(who, "UNCLASSIFIED", rel_to)
            return messages.view(who, orders.issue_order(session, who, action, unit, f"bench {k}", "", label, None,
                                                         None, checker))

        if keys:
            return seated_write_once(eid, creds, work, Retry(f"key-{k}", f"{k:064x}", since), guards,
                                     lambda view: view.id, again)
        return seated_write(eid, creds, work, guards)

    def run(first: int, n: int) -> None:
        for start in range(first, first + n, GROUP):
            futures = [writer.submit(eid, order(k), hints(creds, Retry(f"key-{k}", "", since)) if keys else hints(creds))
                       for k in range(start, min(start + GROUP, first + n))]
            for f in futures:
                f.result()

    run(0, 200)  # warm-up: catalogs, compiled statements
    seconds: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()

    @event.listens_for(db.engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, _statement: str, _params: Any, _context: Any, _many: bool) -> None:
        conn.info["ac2_bench_t0"] = time.perf_counter()

    @event.listens_for(db.engine, "after_cursor_execute")
    def _after(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        words = statement.split()
        kind = " ".join(words[:3]) if not words[0].upper().startswith(("SAVEPOINT", "RELEASE")) else words[0]
        key = kind + (" (executemany)" if many else "")
        seconds[key] += time.perf_counter() - conn.info.pop("ac2_bench_t0", time.perf_counter())
        counts[key] += 1

    t0 = time.perf_counter()
    run(1000, count)
    elapsed = time.perf_counter() - t0
    writer.close()
    db.dispose()
    return {"ms_per_order": elapsed / count * 1000, "statements_per_order": sum(counts.values()) / count,
            "by_statement": [(k, counts[k] / count, seconds[k] / counts[k] * 1e6) for k, _ in seconds.most_common(10)]}


def report(tag: str, result: dict[str, Any]) -> list[str]:
    print(f"[{tag}] per order: {result['ms_per_order']:.2f} ms, {result['statements_per_order']:.2f} statements")
    for key, per_order, micros in result["by_statement"]:
        print(f"[{tag}]   {per_order:5.2f}/order  {micros:7.1f} µs each  {key}")
    return [f"ms_per_order_{tag}: {result['ms_per_order']:.2f}",
            f"statements_per_order_{tag}: {result['statements_per_order']:.2f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--pg", default=os.environ.get(PG_ENV), help=f"PostgreSQL URL (default: ${PG_ENV})")
    parser.add_argument("--no-keys", action="store_true", help="orders without an Idempotency-Key")
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        lines += report("sqlite", measure(f"sqlite:///{Path(tmp) / 'bench.db'}", args.orders, Path(tmp),
                                          not args.no_keys))
    if args.pg:
        with scratch_schema(args.pg, "ac2_bench") as url, tempfile.TemporaryDirectory() as tmp:
            lines += report("pg", measure(url, args.orders, Path(tmp), not args.no_keys))
    else:
        print(f"PostgreSQL skipped: give --pg URL or set {PG_ENV}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
