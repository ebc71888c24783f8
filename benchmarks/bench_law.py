"""Authority-engine throughput: verdicts per second in-process (cold and cached) and the CLI's answer time.

Run: .venv/bin/python benchmarks/bench_law.py   (last line: check_verdicts_per_second: N)
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from pathlib import Path

from alliance_c2.law import check, clear_cache, default_catalog
from alliance_c2.model import bundled_architectures, load_architecture


def _orders() -> list[tuple[object, str, str, str, str | None, tuple[str, ...]]]:
    catalog = default_catalog()
    orders = []
    for arch_id in bundled_architectures():
        arch = load_architecture(arch_id)
        units = [o.id for o in arch.military()][:6]
        commanders = [None, *(o.id for o in arch.military() if o.kind != "unit")][:3]
        for situation, action, unit, ordered_by in itertools.product(catalog.situations, catalog.actions, units, commanders):
            orders.append((arch, situation, action, unit, ordered_by, ()))
    return orders


def _rate(orders: list, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for arch, situation, action, unit, ordered_by, reforms in orders:
            check(arch, situation, action, unit, ordered_by, reforms)
    return len(orders) * repeat / (time.perf_counter() - start)


def _cli_seconds(runs: int = 5) -> float:
    exe = Path(sys.executable).parent / "alliance-c2"
    args = [str(exe), "check", "--arch", "2024-proposal", "--situation", "peacetime", "--action", "use-of-force",
            "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc", "--json"]
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, capture_output=True)
        best = min(best, time.perf_counter() - start)
        if done.returncode not in (0, 1):  # 0 allowed, 1 not allowed: both are answers
            return float("nan")
    return best


def main() -> None:
    orders = _orders()
    clear_cache()
    cold = _rate(orders, 1)
    warm = _rate(orders, 5)
    print(f"distinct_orders: {len(orders)}")
    print(f"cold_verdicts_per_second: {cold:,.0f}")
    print(f"cli_check_seconds: {_cli_seconds():.3f}")
    print(f"check_verdicts_per_second: {warm:.0f}")


if __name__ == "__main__":
    main()
