"""What a simulation request may ask for, checked before any run starts: runs, seed and memory.

An unbounded `--runs` once ran for 87 s and was killed by the kernel at 23.7 GB; a negative seed
failed deep inside NumPy. Both are refused up front, with a message naming the option.
"""

from __future__ import annotations

import os
from pathlib import Path

from .collector import METRICS

MAX_RUNS = 1_000_000
# Per-run metrics are float64. The parent process holds the chunks returned by the workers and
# their concatenation at once, and the summaries take further copies of single metrics. Measured
# (compound-contingency, 3 arrangements, 100,000 runs: 130 MB of metrics) at 250 MB above the
# interpreter's own 100 MB; 3 copies keeps a margin.
_ARRAY_COPIES = 3
# One row of `to_frame()` (arch, scenario, run, inject and the metrics) while it is built and
# written as CSV: measured at 240 bytes (pandas 3, pyarrow strings; same run as above).
_FRAME_ROW_BYTES = 300
# Leave room for the interpreter, the catalogs and whatever else runs on the machine.
_HEADROOM = 0.8


class SimulationLimitError(ValueError):
    """A simulation request that cannot or should not run; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")


def check_runs(runs: int, field: str = "runs") -> None:
    """Refuse fewer than 1 or more than MAX_RUNS runs."""
    if runs < 1:
        raise SimulationLimitError(field, f"must be at least 1, got {runs}")
    if runs > MAX_RUNS:
        raise SimulationLimitError(field, f"at most {MAX_RUNS:,} runs per arrangement, got {runs:,}")


def check_seed(seed: int, field: str = "seed") -> None:
    """Refuse a seed NumPy's SeedSequence cannot take (a negative number)."""
    if seed < 0:
        raise SimulationLimitError(field, f"must be a whole number 0 or greater, got {seed}")


def max_workers() -> int:
    """Worker processes allowed on this machine: 4 per core (each holds about 50 MiB and a process slot)."""
    return 4 * (os.cpu_count() or 1)


def check_workers(workers: int | None, field: str = "workers") -> None:
    """Refuse fewer than 1 worker, or more than this machine can run (a worker is a process)."""
    if workers is None:
        return
    if workers < 1:
        raise SimulationLimitError(field, f"must be at least 1, got {workers}")
    if workers > max_workers():
        raise SimulationLimitError(field, f"at most {max_workers()} on this machine (4 per core), got {workers:,}")


def estimated_bytes(runs: int, arrangements: int, injects: int, *, frame: bool = False) -> int:
    """Peak memory of `runs` runs in each of `arrangements` (plus a per-run table when `frame`)."""
    rows = runs * arrangements * (injects + 1)
    total = rows * len(METRICS) * 8 * _ARRAY_COPIES
    if frame:
        total += rows * _FRAME_ROW_BYTES
    return total


def available_bytes() -> int | None:
    """Memory the system can give without swapping (Linux MemAvailable), or None when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def check_request(
    runs: int,
    seed: int,
    arrangements: int,
    injects: int,
    *,
    frame: bool = False,
    available: int | None = None,
    fields: tuple[str, str] = ("runs", "seed"),
) -> None:
    """Refuse a request whose runs, seed or estimated memory cannot work, before running it.

    Args:
        runs: Monte Carlo runs per arrangement.
        seed: the random seed.
        arrangements: how many arrangements are simulated together.
        injects: the scenario's number of injects.
        frame: whether the per-run table (`to_frame()`, CSV, Parquet, plots) will be built too.
        available: bytes of memory to allow for (default: what the system has available).
        fields: how the caller names runs and seed in messages (e.g. "--runs", "--seed").
    """
    check_runs(runs, fields[0])
    check_seed(seed, fields[1])
    need = estimated_bytes(runs, arrangements, injects, frame=frame)
    have = available if available is not None else available_bytes()
    if have is not None and need > have * _HEADROOM:
        raise SimulationLimitError(
            fields[0],
            f"{runs:,} runs × {arrangements} arrangement(s) need about {_gib(need)} of memory, "
            f"{_gib(have)} is available; use fewer runs (about {_runs_that_fit(have, arrangements, injects, frame):,} fit)",
        )


def _runs_that_fit(have: int, arrangements: int, injects: int, frame: bool) -> int:
    per_run = estimated_bytes(1, arrangements, injects, frame=frame)
    return max(1, int(have * _HEADROOM) // per_run)


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"
