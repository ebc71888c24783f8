import numpy as np

from alliance_c2.model import load_architecture
from alliance_c2.model.scenario import load_scenario
from alliance_c2.sim import load_parameters
from alliance_c2.sim.collector import M
from alliance_c2.sim.compiled import FaultEvent
from alliance_c2.sim.compiler import compile_model
from alliance_c2.sim.process import run_once


def _mean(arch, scenario, metric, runs=60, faults=(), params=None):
    model = compile_model(load_architecture(arch), load_scenario(scenario), params or load_parameters(), faults)
    return float(np.nanmean([run_once(model, 7, i)[-1, M[metric]] for i in range(runs)]))


def test_same_seed_same_run():
    model = compile_model(load_architecture("2015-guidelines"), load_scenario("taiwan-strait"), load_parameters())
    assert np.array_equal(run_once(model, 3, 5), run_once(model, 3, 5), equal_nan=True)
    assert not np.array_equal(run_once(model, 3, 5), run_once(model, 3, 6), equal_nan=True)


def test_losing_the_combined_hq_degrades_the_2024_proposal():
    intact = _mean("2024-proposal", "compound-contingency", "response_time")
    lost = _mean("2024-proposal", "compound-contingency", "response_time", faults=(FaultEvent("jpn-jjoc", 10.0),))
    assert lost > intact


def test_refused_orders_are_counted_not_executed():
    model = compile_model(load_architecture("2024-proposal"), load_scenario("compound-contingency"), load_parameters())
    refused = sum(r.refused for ci in model.injects for r in ci.responses)
    assert refused > 0
    assert run_once(model, 1, 0)[-1, M["refused"]] == refused


def test_standing_order_is_what_makes_the_bmd_window():
    params = load_parameters()
    without = params.with_values({"standing-orders": 0})
    model_on = compile_model(load_architecture("2015-guidelines"), load_scenario("bmd-salvo"), params)
    model_off = compile_model(load_architecture("2015-guidelines"), load_scenario("bmd-salvo"), without)
    on = np.mean([run_once(model_on, 1, i)[0, M["response_time"]] for i in range(40)])
    off = np.mean([run_once(model_off, 1, i)[0, M["response_time"]] for i in range(40)])
    assert on < off
