"""How simulation cost grows with injects and with organizations.

Injects: bmd-salvo with its timeline repeated 1x, 10x and 100x. Organizations: 2015-guidelines with
extra units under every component (about 10x and 100x the bundled size), and the 10,000-organization
synthetic arrangement (benchmarks/synthetic.py) with the scenario's forces mapped onto its units.
Each case: compile the process model once and play N runs in this process.

Run: .venv/bin/python benchmarks/bench_sim_scaling.py
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alliance_c2.model import load_architecture
from alliance_c2.model.scenario import SCENARIOS_DIR, load_scenario
from alliance_c2.model.serialize import arrangement_dict
from alliance_c2.sim import Parameters, load_parameters
from alliance_c2.sim.compiler import compile_model
from alliance_c2.sim.process import run_once
from synthetic import make_arrangement

RUNS = 200


def _time(arch, scenario, params: Parameters) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    model = compile_model(arch, scenario, params, (), ())
    compiled = time.perf_counter()
    for i in range(RUNS):
        run_once(model, 1, i)
    done = time.perf_counter()
    return compiled - start, (done - compiled) / RUNS


def _repeated_scenario(tmp: Path, times: int) -> Path:
    data = yaml.safe_load((SCENARIOS_DIR / "bmd-salvo.yaml").read_text(encoding="utf-8"))
    injects = []
    span = 180
    for k in range(times):
        for inject in data["injects"]:
            clone = copy.deepcopy(inject)
            clone["id"] = f"{inject['id']}-{k}"
            clone["time"] = inject["time"] + k * span
            injects.append(clone)
    data["injects"] = injects
    data["id"] = f"bmd-salvo-x{times}"
    path = tmp / f"bmd-salvo-x{times}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _enlarged(tmp: Path, factor: int) -> Path:
    data = arrangement_dict(load_architecture("2015-guidelines"))
    base = len(data["organizations"])
    components = [o for o in data["organizations"] if o["kind"] == "component-command"]
    extra = base * (factor - 1)
    for n in range(extra):
        parent = components[n % len(components)]
        oid = f"{parent['id']}-x{n}"
        data["organizations"].append(
            {"id": oid, "name_en": f"Unit {n}", "name_ja": f"部隊{n}", "nation": parent["nation"], "kind": "unit", "source": "synthetic"}
        )
        data["relations"].append({"from": parent["id"], "to": oid, "kind": "command", "source": "synthetic"})
    data["id"] = f"2015-guidelines-x{factor}"
    path = tmp / f"2015-x{factor}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def main() -> None:
    params = load_parameters(None)
    print(f"{'case':<40} {'orgs':>7} {'injects':>8} {'compile s':>10} {'ms per run':>11}")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        arch = load_architecture("2015-guidelines")
        for times in (1, 10, 100):
            scenario = load_scenario(_repeated_scenario(tmp, times))
            c, r = _time(arch, scenario, params)
            print(f"{'2015-guidelines, bmd-salvo x' + str(times):<40} {len(arch.organizations):>7} {len(scenario.injects):>8} {c:>10.3f} {r * 1e3:>11.2f}")
        scenario = load_scenario("bmd-salvo")
        for factor in (10, 100):
            big = load_architecture(_enlarged(tmp, factor))
            c, r = _time(big, scenario, params)
            print(f"{'2015-guidelines x' + str(factor) + ' orgs, bmd-salvo':<40} {len(big.organizations):>7} {len(scenario.injects):>8} {c:>10.3f} {r * 1e3:>11.2f}")
        synthetic = make_arrangement(10_000, seed=1)
        units = {n: [o.id for o in synthetic.military() if o.nation == n and o.kind == "unit"] for n in ("JPN", "USA")}
        comps = {
            n: {c: (units[n][i % len(units[n])],) for i, c in enumerate(("ground", "maritime", "air", "missile-defense", "cyber", "space", "joint"))}
            for n in units
        }
        mapped = Parameters(params.items, comps)
        c, r = _time(synthetic, scenario, mapped)
        print(f"{'synthetic 10,000 orgs, bmd-salvo':<40} {len(synthetic.organizations):>7} {len(scenario.injects):>8} {c:>10.3f} {r * 1e3:>11.2f}")


if __name__ == "__main__":
    main()
