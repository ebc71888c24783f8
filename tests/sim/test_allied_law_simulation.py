"""The simulation follows both allies' law: the President's OPCON decision and prior consultation sit on the critical
path once per situation, U.S. units answer to their own chain until control passes, and the War Powers Resolution's
60 days bound a long contingency."""

from __future__ import annotations

from alliance_c2 import simulate
from alliance_c2.model import load_architecture
from alliance_c2.model.scenario import load_scenario
from alliance_c2.sim import load_parameters
from alliance_c2.sim.compiler import compile_model
from alliance_c2.sim.process import trace_once

OPCON_ACT, STANDING = "opcon-transfer-act", "us-standing-opcon-authorization"


def _model(arch_id: str, scenario: str, reforms: tuple[str, ...]):
    arch = load_architecture(arch_id)
    return compile_model(arch, load_scenario(scenario), load_parameters(), (), reforms, arch.law_as_of)


def test_the_presidents_opcon_decision_is_one_shared_decision_in_a_chain_of_its_own() -> None:
    model = _model("2024-proposal", "iamd-counterstrike", (OPCON_ACT,))
    chains = {(r.chain, r.situation): [s[0] for s in r.steps] for r in model.recognitions}
    assert chains[("USA", "armed-attack")] == ["us-president-opcon"]
    assert "us-president-opcon" not in chains[("JPN", "armed-attack")]
    us = [r for ci in model.injects for r in ci.responses if r.nation == "USA" and r.executed and r.steps]
    opcon = [st for r in us for st in r.steps if st.approval == "us-president-opcon"]
    assert opcon and all(st.shared and st.chain == "USA" for st in opcon)


def test_until_the_decision_us_units_answer_to_their_own_chain() -> None:
    """Control passes when the President decides: an order issued before runs through the unit's own chain."""
    model = _model("2024-proposal", "iamd-counterstrike", (OPCON_ACT,))
    pending = [r for ci in model.injects for r in ci.responses if r.until_transfer is not None]
    assert pending and all(r.transfer == ("USA", "us-president-opcon") for r in pending)
    assert all("us-president-opcon" not in {s.approval for s in r.until_transfer.steps} for r in pending)
    national = 0
    for run in range(40):
        _, events = trace_once(model, 1, run)
        fell_back = [e for e in events if e.kind == "national-until-transfer"]
        decided = next((e.t for e in events if e.kind == "approval-given" and e.approval == "us-president-opcon"), None)
        for e in fell_back:
            assert decided is None or e.t <= decided  # never after control passed
        national += bool(fell_back)
    assert 0 < national < 40  # sometimes the decision comes first, sometimes the order


def test_with_a_standing_authorization_us_units_are_under_jjoc_from_the_start() -> None:
    model = _model("2024-proposal", "iamd-counterstrike", (OPCON_ACT, STANDING))
    assert not any(r.until_transfer for ci in model.injects for r in ci.responses)
    assert not any(r.chain == "USA" for r in model.recognitions)
    strike = next(r for ci in model.injects for r in ci.responses if r.order_id == "counterstrike/1")
    assert "pm-order" in {s.approval for s in strike.steps}  # under JJOC it waits for Japan's defense operation order


def test_prior_consultation_is_taken_once_per_situation_before_us_strikes_from_japan() -> None:
    model = _model("2015-guidelines", "taiwan-strait", ())
    treaty = [r for r in model.recognitions if r.chain == "japan-us-security-treaty"]
    assert [(r.situation, [s[0] for s in r.steps]) for r in treaty] == \
        [("survival-threatening", ["japan-prior-consultation"])]
    strike = next(r for ci in model.injects if ci.situation == "survival-threatening" for r in ci.responses
                  if r.nation == "USA")
    assert "japan-prior-consultation" in {s.approval for s in strike.steps}
    armed = [r for ci in model.injects if ci.situation == "armed-attack" for r in ci.responses if r.nation == "USA"]
    assert armed and all("japan-prior-consultation" not in {s.approval for s in r.steps} for r in armed)


def test_simulate_says_where_the_war_powers_60_days_end_a_us_commitment() -> None:
    result = simulate("taiwan-strait", ["2015-guidelines"], runs=5, seed=1)
    bound = next(b for b in result.to_dict()["arrangements"]["2015-guidelines"]["war_powers"] if b["rule"] == "wpr-60-day")
    assert (bound["days"], bound["extension_days"], bound["scenario_days"]) == (60, 30, 120)
    assert bound["exceeds"] and bound["exceeds_extension"] and bound["starts"] == 1440.0
    authorized = simulate("taiwan-strait", ["2015-guidelines"], runs=5, seed=1, reforms=["congressional-authorization"])
    lifted = authorized.to_dict()["arrangements"]["2015-guidelines"]["war_powers"][0]
    assert lifted["lifted"] and not lifted["exceeds"]
    short = simulate("bmd-salvo", ["2015-guidelines"], runs=5, seed=1).to_dict()["arrangements"]["2015-guidelines"]
    assert not any(b["exceeds"] for b in short["war_powers"])


def test_the_steps_each_allys_orders_wait_for_are_reported() -> None:
    result = simulate("iamd-counterstrike", ["2015-guidelines", "2024-proposal"], runs=5, seed=1, reforms=[OPCON_ACT])
    waits = result.to_dict()["arrangements"]
    today, proposal = waits["2015-guidelines"]["waits"], waits["2024-proposal"]["waits"]
    assert "us-president-opcon" not in today
    assert proposal["us-president-opcon"]["nation"] == "USA" and proposal["us-president-opcon"]["law"] == "USA"
    assert proposal["us-national-authority"]["until_transfer"] > 0
