"""The full sweep: 5 arrangements x 6 scenarios x 1,000 runs on local processes.

Run: .venv/bin/python benchmarks/sweep.py [RUNS]. Last line: `sweep_seconds: S`.
"""

from __future__ import annotations

import resource
import sys
import time

from alliance_c2.model import bundled_architectures
from alliance_c2.model.scenario import scenario_ids
from alliance_c2.sim import load_parameters
from alliance_c2.sim.runner import Request, simulate_many


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    params = load_parameters()
    archs = bundled_architectures()
    scenarios = scenario_ids()
    t0 = time.perf_counter()
    # One batch on one pool (as `evaluate` runs it), so every core stays busy across every (arrangement, scenario).
    requests = [Request(s, (a,), runs, 0, params=params) for a in archs for s in scenarios]
    results = simulate_many(requests, executor="local")
    elapsed = time.perf_counter() - t0
    total = sum(r.runs * len(r.arrangements) for r in results)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{len(archs)} arrangements x {len(scenarios)} scenarios x {runs} runs = {total} runs")
    print(f"runs/s: {total / elapsed:,.0f}")
    print(f"peak RSS: parent {peak_self:.0f} MiB, largest worker {peak_children:.0f} MiB")
    print(f"sweep_seconds: {elapsed:.1f}")


if __name__ == "__main__":
    main()
