"""C2SIM export + schema validation of synthetic arrangements (1k and 10k organizations).

Run: .venv/bin/python benchmarks/bench_c2sim.py
The last line is `c2sim_export_validate_10k_seconds: S` (target: under 5 s).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alliance_c2.interop import compiled_schema, export_c2sim, parse_xml, schema_problems
from synthetic import make_arrangement


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


def main() -> None:
    compiled_schema("2.0.0")
    total = 0.0
    for n in (1_000, 10_000):
        export_s, validate_s, total, size = _time_export_validate(n)
        print(
            f"{n:>6} orgs: export {export_s:.3f} s, parse+validate {validate_s:.3f} s, total {total:.3f} s, {size / 1e6:.1f} MB"
        )
    print(f"c2sim_export_validate_10k_seconds: {total:.3f}")


if __name__ == "__main__":
    main()
