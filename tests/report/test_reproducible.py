"""The same seed gives the same results in any process: results.csv and results.json do not depend on the
interpreter's string hashing (PYTHONHASHSEED), which changes the iteration order of sets from one process to
the next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SNIPPET = """
import sys
from alliance_c2.report.evaluate import evaluate
evaluate(runs=8, archs=["1978-guidelines", "2015-guidelines", "2024-proposal"], scenarios=["bmd-salvo"],
         out=sys.argv[1], seed=11, sensitivity_runs=2, workers=1, pdf=False)
"""


def _evaluate(out: Path, hash_seed: str) -> tuple[list[str], dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", SNIPPET, str(out)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in (out / "results.csv").read_text(encoding="utf-8").splitlines()
            if "seconds" not in line]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results["meta"].pop("seconds")
    return rows, results


def test_results_do_not_depend_on_string_hashing(tmp_path: Path) -> None:
    rows_a, json_a = _evaluate(tmp_path / "a", "1")
    rows_b, json_b = _evaluate(tmp_path / "b", "2")
    assert len(rows_a) > 100
    assert any(row.startswith("legal-c6/") for row in rows_a)  # the rows once written in set order
    assert rows_a == rows_b
    assert json_a == json_b
