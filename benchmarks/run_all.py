"""Every benchmark in turn, each in its own process with its defaults (`make bench`).

Prints each benchmark's output as it runs and, at the end, the summary lines (`name: value`) of all
of them. Exits 1 if any benchmark failed. PostgreSQL figures need $ALLIANCE_C2_TEST_PG_URL.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS = ("bench_model.py", "bench_law.py", "bench_c2sim.py", "kernel_vs_simpy.py", "sweep.py",
           "bench_sim_scaling.py", "bench_evaluate.py", "bench_exercise_statements.py", "bench_exercise.py")
SUMMARY = re.compile(r"^[a-z0-9_]+: \S+")


def main() -> int:
    summary: list[str] = []
    failed: list[str] = []
    for script in SCRIPTS:
        print(f"=== {script}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / script)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        print(f"=== {script}: exit {proc.returncode} in {time.perf_counter() - started:.0f} s", flush=True)
        if proc.returncode:
            failed.append(script)
        summary += [f"{script}: {line}" for line in proc.stdout.splitlines() if SUMMARY.match(line)]
    print("\n".join(["", "Summary:", *summary]))
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
