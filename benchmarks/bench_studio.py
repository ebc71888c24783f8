"""Time the studio's recomputation after one edit: the edited arrangement against today in every bundled scenario.

The edit is the browser test's: "JJOC holds OPCON of the Seventh Fleet in an armed attack", with the OPCON
Transfer Act switched on (its lawful variant). What is timed is what the server does between receiving the edit
and answering: validate the edited arrangement as `alliance-c2 validate` does, simulate it in every scenario
(the evaluation's seed and sequential looks: 100 runs, then 250, at most 500, a scenario stopping as soon as its
verdict is settled at 99.9%) on the studio's two worker processes, and describe levels, law and answer. Today's
runs are made once when the studio starts and are not timed.

Run: .venv/bin/python benchmarks/bench_studio.py   (last line: studio_recompute_seconds: S; goal: 2 or less)
"""

from __future__ import annotations

import statistics
import time

from alliance_c2.model import load_architecture
from alliance_c2.studio.compute import Engine
from alliance_c2.studio.state import Draft, open_data

EDIT = {"op": "add-relation", "relation": {"from": "jpn-jjoc", "to": "usa-7th-fleet", "kind": "opcon",
                                           "active_in": ["armed-attack"], "assumption": True}}
REFORM = {"op": "set-reforms", "reforms": ["opcon-transfer-act"]}


def main(repeats: int = 3) -> None:
    engine = Engine(2)
    try:
        engine.today()
        base = open_data(load_architecture("2015-guidelines"), bundled=True)
        times, runs = [], 0
        for i in range(repeats):
            draft = Draft([base])
            # A new source text each time: a new arrangement for every cache (workers compile it afresh).
            draft.apply({**EDIT, "relation": {**EDIT["relation"], "source": f"benchmark edit {i}"}})
            start = time.perf_counter()
            arch = draft.apply(REFORM)
            outcome = engine.outcome(arch)
            times.append(time.perf_counter() - start)
            runs = outcome["runs_total"]
        print(f"runs per recomputation: {runs} (7 scenarios)")
        print("seconds: " + ", ".join(f"{t:.2f}" for t in times))
        print(f"studio_recompute_seconds: {statistics.median(times):.2f}")
    finally:
        engine.close()


if __name__ == "__main__":
    main()
