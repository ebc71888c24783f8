"""C2SIM interchange at scale: export + validation, import of 10,000 organizations, a 100-task order check.

Run: .venv/bin/python benchmarks/bench_c2sim.py
Targets (issue 15): `alliance-c2 import` of a 10,000-organization initialization <= 3 s and <= 300 MB;
`alliance-c2 order check` of a 100-task order <= 1 s. Import and check are timed as whole commands in a
child process (start-up included), peak RSS read from the child's rusage.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alliance_c2.interop import (
    OrderRecord,
    compiled_schema,
    export_c2sim,
    order_message,
    parse_xml,
    schema_problems,
)
from alliance_c2.model import load_architecture
from synthetic import make_arrangement

CLI = str(Path(sys.executable).with_name("alliance-c2"))


def _time_export_validate(n: int) -> tuple[float, float, float, int]:
    """Seconds to export (unvalidated), to parse + validate the document, both together; its size."""
    arch = make_arrangement(n, seed=1)
    start = time.perf_counter()
    result = export_c2sim(arch, validate=False)
    exported = time.perf_counter()
    problems = schema_problems(parse_xml(result.xml, "bench.xml", max_bytes=1 << 30), "2.0.0", "bench.xml")
    validated = time.perf_counter()
    if problems:
        raise SystemExit(f"synthetic export is not schema-valid: {problems[0]}")
    return exported - start, validated - exported, validated - start, len(result.xml)


def _command(args: list[str], ok: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one CLI run in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run([CLI, *args], capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.decode()[-400:]}")
    return seconds


def _order_file(directory: Path) -> Path:
    arch = load_architecture("2024-proposal")
    units = [o.id for o in arch.military()]
    actions = ("bmd-intercept", "isr", "asset-protection", "use-of-force", "logistics-support")
    records = [
        OrderRecord("jpn-jjoc", units[i % len(units)], actions[i % len(actions)], timedelta(minutes=i))
        for i in range(100)
    ]
    path = directory / "order-100.xml"
    path.write_bytes(order_message(arch, records))
    return path


def main() -> None:
    compiled_schema("2.0.0")
    total = 0.0
    for n in (1_000, 10_000):
        export_s, validate_s, total, size = _time_export_validate(n)
        print(
            f"{n:>6} orgs: export {export_s:.3f} s, parse+validate {validate_s:.3f} s, total {total:.3f} s, {size / 1e6:.1f} MB"
        )
    print(f"c2sim_export_validate_10k_seconds: {total:.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        init = directory / "init-10k.xml"
        init.write_bytes(export_c2sim(make_arrangement(10_000, seed=1), validate=False).xml)
        runs = [_command(["import", str(init), "-o", str(directory / "out.yaml")]) for _ in range(3)]
        # The imports are the first and largest children: the children's peak RSS is theirs.
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"import_10k_seconds: {min(runs):.3f} (best of 3; {', '.join(f'{s:.2f}' for s in runs)})")
        print(f"import_10k_peak_rss_mb: {peak_mb:.0f}")
        order = _order_file(directory)
        args = ["order", "check", str(order), "--arch", "2024-proposal", "--situation", "armed-attack"]
        checks = [_command(args, ok=(0, 1)) for _ in range(3)]
        print(f"order_check_100_tasks_seconds: {min(checks):.3f} (best of 3)")


if __name__ == "__main__":
    main()
