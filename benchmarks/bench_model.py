"""Load + validate + analyze synthetic arrangements of 1k, 10k and 100k organizations.

Also times `alliance-c2 analyze 2024-proposal` (JSON and terminal) and `alliance-c2 check` as a user
runs them (a fresh process each; best of 5): the start-up budget is 0.3 s.
Run: .venv/bin/python benchmarks/bench_model.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alliance_c2.analysis import analyze
from alliance_c2.model import load_architecture
from synthetic import make_arrangement_yaml


def _time_load_analyze(n: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{n}.yaml"
        path.write_text(make_arrangement_yaml(n, seed=1), encoding="utf-8")
        start = time.perf_counter()
        arch = load_architecture(path)
        loaded = time.perf_counter()
        analyze(arch, "armed-attack")
        done = time.perf_counter()
    return loaded - start, done - start


CHECK = ["check", "--arch", "2024-proposal", "--situation", "peacetime", "--action", "use-of-force",
         "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc"]


def _time_cli(argv: list[str], runs: int = 5) -> float:
    exe = Path(sys.executable).parent / "alliance-c2"
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), *argv], capture_output=True)  # check exits 1: not allowed
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    _time_load_analyze(200)  # warm up: imports and first-use costs are not the arrangement's
    print(f"{'orgs':>8} {'load+validate s':>16} {'load+validate+analyze s':>24} {'us per org':>11}")
    for n in (1_000, 10_000, 100_000):
        load_s, total_s = _time_load_analyze(n)
        print(f"{n:>8} {load_s:>16.3f} {total_s:>24.3f} {total_s / n * 1e6:>11.1f}")
    print(f"cli_analyze_2024_proposal_seconds: {_time_cli(['analyze', '2024-proposal', '--json']):.3f}")
    print(f"cli_analyze_2024_proposal_terminal_seconds: {_time_cli(['analyze', '2024-proposal', '--lang', 'ja']):.3f}")
    print(f"cli_check_seconds: {_time_cli(CHECK):.3f}")


if __name__ == "__main__":
    main()
