"""Exercise writes in process, no HTTP: milliseconds and SQL statements per order, and the time per statement.

Orders go through the exercise writer (group commit) in groups of 50, as the API's write routes do,
with the same order mix as bench_exercise.py, on SQLite (a temporary file) and on PostgreSQL (a
throwaway schema) when --pg URL or $ALLIANCE_C2_TEST_PG_URL is given. Statement times are measured
around the driver's execute (SQLAlchemy's before/after_cursor_execute events), so they include the
round trip to the server but not SQLAlchemy's own work before and after.

Run: .venv/bin/python benchmarks/bench_exercise_statements.py [--orders 2000] [--pg URL]
Last lines: ms_per_order_<store>: N, statements_per_order_<store>: N.
"""

from __future__ import annotations

import argparse
import collections
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from alliance_c2.exercise.api import Credentials, seated_write
from alliance_c2.exercise.pgschema import scratch_schema
from alliance_c2.exercise.store import User, open_database
from alliance_c2.exercise.writer import Writer
from argon2 import PasswordHasher
from sqlalchemy import event, select

from alliance_c2.exercise import auth, exercises, messages

PG_ENV = "ALLIANCE_C2_TEST_PG_URL"
GROUP = 50
ORDERS = (("bmd-intercept", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "jpn-sdf-fleet", ["JPN"]),
          ("isr", "jpn-sdf-fleet", ["JPN"]), ("use-of-force", "usa-7th-fleet", ["JPN", "USA"]),
          ("asset-protection", "jpn-adc", ["JPN"]))


def measure(url: str, orders: int) -> dict[str, Any]:
    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    db = open_database(url)
    auth.add_user(db, "control", "bench-password-1")
    auth.add_user(db, "jjoc", "bench-password-1")
    with db.write() as session:
        control = session.execute(select(User).where(User.name == "control")).scalar_one()
        ctx = exercises.create_exercise(session, control, "bench", "2024-proposal", "bmd-salvo", "armed-attack", [])
        eid = ctx.exercise.id
        exercises.add_seat(ctx, "jjoc", "jpn-jjoc", "player", "SECRET")
        jjoc = session.execute(select(User).where(User.name == "jjoc")).scalar_one()
        token = auth.open_login(session, jjoc).token
    creds = Credentials(token, via_cookie=False, unsafe=True, csrf_given=None)
    checker = messages.default_checker()
    writer = Writer(db)

    def order(k: int) -> Any:
        action, unit, rel_to = ORDERS[k % len(ORDERS)]

        def work(ctx: exercises.Context) -> dict[str, Any]:
            label = messages.label_for(ctx, "UNCLASSIFIED", rel_to)
            return messages.view(ctx, messages.issue_order(ctx, action, unit, f"bench {k}", "", label, None, None,
                                                           checker))

        return seated_write(eid, creds, work)

    def run(first: int, count: int) -> None:
        for start in range(first, first + count, GROUP):
            futures = [writer.submit(eid, order(k)) for k in range(start, min(start + GROUP, first + count))]
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
    run(1000, orders)
    elapsed = time.perf_counter() - t0
    writer.close()
    db.dispose()
    return {"ms_per_order": elapsed / orders * 1000, "statements_per_order": sum(counts.values()) / orders,
            "by_statement": [(k, counts[k] / orders, seconds[k] / counts[k] * 1e6) for k, _ in seconds.most_common(8)]}


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
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        lines += report("sqlite", measure(f"sqlite:///{Path(tmp) / 'bench.db'}", args.orders))
    if args.pg:
        with scratch_schema(args.pg, "ac2_bench") as url:
            lines += report("pg", measure(url, args.orders))
    else:
        print(f"PostgreSQL skipped: give --pg URL or set {PG_ENV}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
