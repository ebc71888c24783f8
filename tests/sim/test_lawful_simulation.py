"""A simulation that obeys the law: levels as lawful, recognition once per nation and situation, dated law, traces."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date

import numpy as np
import pytest

from alliance_c2.model import load_architecture
from alliance_c2.model.scenario import load_scenario
from alliance_c2.sim import METRICS, load_parameters, simulate, trace_run
from alliance_c2.sim.compiler import compile_model

OPCON_ACT = "opcon-transfer-act"
LEVEL_METRICS = [m for m in METRICS if m.startswith("executed_")]


def _compiled(arch: str, scenario: str, reforms: tuple[str, ...] = (), as_of: date | None = None):  # type: ignore[no-untyped-def]
    loaded = load_architecture(arch)
    return compile_model(loaded, load_scenario(scenario), load_parameters(), (), reforms, as_of or loaded.law_as_of)


@pytest.mark.parametrize("scenario", ["bmd-salvo", "compound-contingency", "taiwan-strait"])
def test_refused_orders_never_run_under_the_combined_commander(scenario: str) -> None:
    model = _compiled("2024-proposal", scenario)
    refused = [r for ci in model.injects for r in ci.responses if r.refused]
    assert refused, "without the OPCON transfer act some orders through the combined chain are refused"
    assert all(r.level != "unified" for ci in model.injects for r in ci.responses)
    result = simulate(scenario, "2024-proposal", runs=20, seed=3, executor="inline").to_dict()
    by_level = result["arrangements"]["2024-proposal"]["executed_by_level"]
    assert by_level["unified"]["max"] == 0


def test_with_the_transfer_act_the_same_orders_run_unified() -> None:
    result = simulate("compound-contingency", "2024-proposal", runs=20, seed=3, reforms=[OPCON_ACT],
                      executor="inline").to_dict()
    arrangement = result["arrangements"]["2024-proposal"]
    assert arrangement["executed_by_level"]["unified"]["min"] > 0
    assert arrangement["overall"]["refused"]["mean"] == 0


def test_executed_by_level_counts_every_executed_order_once() -> None:
    result = simulate("taiwan-strait", "2024-proposal", runs=10, seed=1, reforms=[OPCON_ACT], executor="inline")
    block = result.data["2024-proposal"]
    per_level = sum(block[:, -1, METRICS.index(m)] for m in LEVEL_METRICS)
    executed_orders = np.nansum(
        block[:, :-1, METRICS.index("executed")] * [len(i.responses) for i in load_scenario("taiwan-strait").injects],
        axis=1)
    assert np.allclose(per_level, executed_orders)


def test_the_diet_approves_each_situation_at_most_once() -> None:
    events = trace_run("2024-proposal", "taiwan-strait", seed=1, run_index=0, reforms=[OPCON_ACT])
    decided = Counter((e.situation, e.approval) for e in events if e.kind == "approval-given" and e.order is None)
    diet = {k: n for k, n in decided.items() if k[1] and k[1].startswith("diet")}
    assert diet and all(n == 1 for n in diet.values()), diet
    # U.S. units under the combined commander wait for Japan's decisions instead of taking them again.
    received = [e for e in events if e.kind == "approval-received" and e.nation == "JPN" and e.unit
                and e.unit.startswith("usa-")]
    assert received
    asked_for_us = [e for e in events if e.kind == "approval-asked" and e.unit and e.unit.startswith("usa-")
                    and e.approval in {"nsc-deliberation", "cabinet-decision", "diet-approval", "diet-prior-approval"}]
    assert asked_for_us == []


def test_each_arrangement_runs_under_the_law_of_its_date() -> None:
    old = _compiled("1978-guidelines", "bmd-salvo")
    assert old.law_as_of == "1980-01-01"
    peacetime_jpn = [r for ci in old.injects if ci.situation == "peacetime" for r in ci.responses if r.nation == "JPN"]
    assert peacetime_jpn and all(not r.executed for r in peacetime_jpn)
    assert all("2006-03-27" in r.refusals[0] for r in peacetime_jpn)
    today = _compiled("1978-guidelines", "bmd-salvo", as_of=date(2025, 3, 24))
    assert all(r.executed for ci in today.injects if ci.situation == "peacetime" for r in ci.responses
               if r.nation == "JPN")


def test_standing_orders_skip_only_what_the_law_lets_them_skip() -> None:
    model = _compiled("2015-guidelines", "bmd-salvo")
    first = model.injects[0]
    jpn = next(r for r in first.responses if r.nation == "JPN")
    assert jpn.steps == ()  # Art. 82-3(3): PM approval and the Minister's order given in advance
    fourth = next(ci for ci in model.injects if ci.situation == "armed-attack")
    jpn4 = next(r for r in fourth.responses if r.nation == "JPN")
    assert {s.approval for s in jpn4.steps} >= {"nsc-deliberation", "cabinet-decision", "pm-order"}
    assert all(s.shared for s in jpn4.steps if s.approval != "diet-approval")


def test_a_trace_is_the_same_run_as_in_the_monte_carlo() -> None:
    result = simulate("bmd-salvo", "2015-guidelines", runs=5, seed=7, executor="inline")
    events = trace_run("2015-guidelines", "bmd-salvo", seed=7, run_index=3)
    engaged = [e for e in events if e.kind == "engaged"]
    injects = load_scenario("bmd-salvo").injects
    last = {}
    for e in engaged:
        inject = e.order.split("/")[0] if e.order else ""
        last[inject] = max(last.get(inject, 0.0), e.t)
    times = result.data["2015-guidelines"][3, :-1, METRICS.index("response_time")]
    for j, inj in enumerate(injects):
        if inj.id in last and not np.isnan(times[j]):
            assert times[j] == pytest.approx(last[inj.id] - inj.time - inj.detection_minutes)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliance_c2.cli", *args], capture_output=True, text=True, timeout=120)


def test_trace_json_lists_events_with_the_named_keys() -> None:
    proc = _cli("simulate", "--scenario", "taiwan-strait", "--arch", "2024-proposal", "--reform", OPCON_ACT,
                "--runs", "5", "--trace", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)
    keys = {"t", "kind", "order", "unit", "approval", "nation", "situation", "level", "reason"}
    assert events and all(keys <= set(e) for e in events)
    assert [e["t"] for e in events] == sorted(e["t"] for e in events)
    assert {"order", "approval-asked", "approval-given", "delivered", "engaged"} <= {e["kind"] for e in events}


@pytest.mark.parametrize(("args", "needle"), [
    (["--runs", "5", "--trace", "5"], "--trace 5"),
    (["--runs", "5", "--trace", "-1"], "--trace -1"),
    (["--as-of", "1900-01-01"], "--as-of"),
])
def test_trace_and_date_bad_input_is_one_line(args: list[str], needle: str) -> None:
    proc = _cli("simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines", *args)
    assert proc.returncode == 2
    assert needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_refusals_appear_in_the_trace_with_the_engines_reason() -> None:
    events = trace_run("2024-proposal", "compound-contingency", seed=0, run_index=0)
    refused = [e for e in events if e.kind == "refused"]
    assert refused and all(e.reason and ("C4" in e.reason or "law" in e.reason) for e in refused)


def test_engagements_under_standing_orders_do_not_wait_for_a_coordination_cycle() -> None:
    """Pre-planned engagements (2015 Guidelines IV.A.1, IV.C.2.c.ii): today's BMD meets the 10-minute window."""
    on = simulate("bmd-salvo", "2015-guidelines", runs=200, seed=5, executor="inline")
    params = load_parameters().with_values({"sync.preplanned-standing-orders": 0})
    off = simulate("bmd-salvo", "2015-guidelines", runs=200, seed=5, params=params, executor="inline")
    first = on.injects.index("missile-1")
    column = METRICS.index("deadline_met")
    assert on.data["2015-guidelines"][:, first, column].mean() > 0.8
    assert off.data["2015-guidelines"][:, first, column].mean() < 0.1  # the 30-minute coordination cycle


def test_losing_the_synchronizing_body_never_removes_synchronization() -> None:
    """A lost combined HQ hands synchronization to the arrangement without it, not to no synchronization."""
    model = _compiled("2024-proposal", "compound-contingency", ("opcon-transfer-act",))
    loaded = load_architecture("2024-proposal")
    from alliance_c2.sim.runner import parse_fault

    lost = compile_model(loaded, load_scenario("compound-contingency"), load_parameters(),
                         (parse_fault("jpn-jjoc@5"),), ("opcon-transfer-act",), loaded.law_as_of)
    first = lost.injects[0]  # compiled before the loss, synchronized after it
    assert model.injects[0].sync_org == lost.orgs.index("jpn-jjoc") == first.sync_org
    level, body = first.fallback
    assert level != "deconflict" and body >= 0 and lost.orgs[body] != "jpn-jjoc"
    base = simulate("compound-contingency", "2024-proposal", runs=200, seed=2, reforms=["opcon-transfer-act"],
                    executor="inline")
    hit = simulate("compound-contingency", "2024-proposal", runs=200, seed=2, reforms=["opcon-transfer-act"],
                   faults=["jpn-jjoc@5"], executor="inline")
    rt = METRICS.index("response_time")
    assert np.nanmean(hit.data["2024-proposal"][:, -1, rt]) > np.nanmean(base.data["2024-proposal"][:, -1, rt])


def test_order_paths_count_what_each_executed_order_carries() -> None:
    # Under the proposal (with the transfer act) U.S. units take orders from JJOC, whose authority rests on
    # Japan's defense operation order: their orders carry Japan's decisions too, which today's do not.
    today = _compiled("2015-guidelines", "compound-contingency").order_paths()
    proposal = _compiled("2024-proposal", "compound-contingency", (OPCON_ACT,)).order_paths()
    assert today["foreign_approvals_per_order"] == 0
    assert proposal["foreign_approvals_per_order"] > 0
    assert proposal["approvals_per_order"] > today["approvals_per_order"]
    model = _compiled("2024-proposal", "compound-contingency", (OPCON_ACT,))
    done = [r for ci in model.injects for r in ci.responses if r.executed]
    assert proposal["orders"] == len(done)
    assert proposal["approvals_per_order"] == round(sum(len(r.steps) for r in done) / len(done), 3)
    result = simulate("compound-contingency", "2024-proposal", runs=5, seed=1, reforms=[OPCON_ACT],
                      executor="inline").to_dict()
    assert result["arrangements"]["2024-proposal"]["order_paths"] == proposal
