"""Time the main job as `make demo` runs it: `alliance-c2 evaluate` with the default runs.

Run: .venv/bin/python benchmarks/bench_evaluate.py   (last line: evaluate_seconds: S; issue 23 asks 6 or less, median of 3, idle 2-core machine)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    exe = Path(sys.executable).parent / "alliance-c2"
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([str(exe), "evaluate", "--out", tmp], check=True, capture_output=True)
        seconds = time.perf_counter() - start
        size = (Path(tmp) / "report.html").stat().st_size
    print(f"report.html: {size / 1e6:.1f} MB")
    print(f"evaluate_seconds: {seconds:.1f}")


if __name__ == "__main__":
    main()
