"""Do the evaluation's sequential looks move a verdict? Every main verdict (each main arrangement, lawful and not
lawful today, against today, in every bundled scenario) from a fixed 500 runs per case and from the looks
(100, 250, then 500 runs, Haybittle-Peto), for each seed given; and the runs each way made.

Run: .venv/bin/python benchmarks/verdicts_with_looks.py 2024 7 11 99 1234
Last line: verdicts compared N moved M (M must be 0)
"""

from __future__ import annotations

import sys

from alliance_c2.model import bundled_architectures, load_architecture
from alliance_c2.model.scenario import scenario_ids
from alliance_c2.report import evaluate as ev
from alliance_c2.report.answer import verdict


def main(seeds: list[int]) -> int:
    loaded = [load_architecture(a) for a in bundled_architectures()]
    scenarios = scenario_ids()
    baseline = ev.BASELINE
    main_ids = [a.id for a in loaded if a.id not in ev.CONTEXT or a.id == baseline]
    reforms = {a.id: tuple(a.presupposes_reforms) for a in loaded}
    moved = total = 0
    for seed in seeds:
        cases = ev._cases(loaded, scenarios, main_ids, reforms, ev.DEFAULT_RUNS, seed)
        fixed, _ = ev.run_sequentially(cases, [], [ev.DEFAULT_RUNS], baseline, main_ids)
        looked, _ = ev.run_sequentially(cases, [], ev.looks(ev.DEFAULT_RUNS), baseline, main_ids)
        for (scen, arch, variant), result in fixed.items():
            if arch == baseline or arch not in main_ids or variant == "hq-loss":
                continue
            at_full = verdict(result, arch, fixed[(scen, baseline, "lawful")], baseline)[0]
            with_looks = verdict(looked[(scen, arch, variant)], arch, looked[(scen, baseline, "lawful")], baseline)[0]
            total += 1
            if at_full != with_looks:
                moved += 1
                print(f"moved: seed {seed} {scen} {arch} {variant}: {at_full} at {ev.DEFAULT_RUNS} runs, {with_looks} "
                      f"at {looked[(scen, arch, variant)].runs}")
        print(f"seed {seed}: runs fixed {sum(r.runs for r in fixed.values())}, with looks "
              f"{sum(r.runs for r in looked.values())}", flush=True)
    print(f"verdicts compared {total} moved {moved}")
    return 1 if moved else 0


if __name__ == "__main__":
    raise SystemExit(main([int(s) for s in sys.argv[1:]] or [ev.DEFAULT_SEED]))
