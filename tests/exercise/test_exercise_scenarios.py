"""Every bundled scenario played end to end through the API, as a control cell and two players would:
control moves the legal situation to each inject's and releases it; JJOC and INDOPACOM order each
expected response of their nation; control grants what unseated organizations hold and the PM
decides what the PM holds; at the end no order is stuck, the log verifies, the after-action report
adds up, and the Taiwanese and UN Command liaison officers have seen nothing."""

from __future__ import annotations

import pytest

from alliance_c2.exercise.service.catalog import arrangement
from alliance_c2.model.scenario import load_scenario, scenario_ids
from alliance_c2.sim.compiler import resolve_force
from alliance_c2.sim.parameters import load_parameters
from conftest import another_exercise

SENDERS = {"JPN": "jjoc", "USA": "indopacom"}
HOLDERS = ("pm", "jjoc", "fleet", "indopacom")  # the seated players who may hold an approval


def _decide_everything(world) -> None:
    """Rounds of: control grants unseated holders' approvals, seated holders grant theirs."""
    for _ in range(12):
        granted = world.post("control", world.ex("/approvals/grant-unseated"), {"note": "played by control"})
        assert granted.status_code == 200, granted.text
        decided = len(granted.json())
        for user in HOLDERS:
            for task in world.get(user, world.ex("/approvals")).json():
                r = world.post(user, world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
                assert r.status_code == 200, r.text
                decided += 1
        if not decided:
            return
    raise AssertionError("approvals still pending after 12 rounds")


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_bundled_scenario_plays_end_to_end(sqlite_world, scenario_id):
    world = another_exercise(sqlite_world, scenario_id)
    arch, params, scenario = arrangement("2024-proposal"), load_parameters(), load_scenario(scenario_id)
    assert world.post("control", world.ex("/clock"), {"action": "start"}).status_code == 200
    orders = []
    for inject in sorted(scenario.injects, key=lambda i: i.time):
        now = world.get("control", world.ex()).json()["situation"]
        if inject.situation != now:
            r = world.post("control", world.ex("/situation"), {"situation": inject.situation,
                                                               "basis": "cabinet-decision"})
            assert r.status_code == 200, r.text
        released = world.post("control", world.ex("/injects"), {"inject_id": inject.id})
        assert released.status_code == 201, released.text
        for response in inject.responses:
            unit = resolve_force(arch, params, response.nation, response.component)
            if unit is None:
                continue
            nations = sorted({response.nation, arch.organizations[unit].nation})
            sender = SENDERS[response.nation]
            inject_id = released.json()["id"]
            # answer the inject where the sender received it (it goes to the nations that detect it)
            seen = world.get(sender, world.ex(f"/messages/{inject_id}")).status_code == 200
            r = world.order(sender, response.action, unit, nations, **({"reply_to": inject_id} if seen else {}))
            assert r.status_code == 201, r.text
            orders.append(r.json()["id"])
        _decide_everything(world)
    assert orders, f"{scenario_id}: no order could be given"
    statuses = {world.get("control", world.ex(f"/messages/{o}")).json()["status"] for o in orders}
    assert statuses <= {"delivered", "refused"}, statuses
    approvals = world.get("control", world.ex("/messages"), params={"kind": "approval", "limit": 500}).json()
    assert approvals and {a["status"] for a in approvals} == {"granted"}  # decided, none forgotten
    timeline = world.get("control", world.ex("/injects")).json()
    assert all(row["released_as"] for row in timeline)
    assert world.get("control", world.ex("/log/verify")).json()["ok"] is True
    report = world.get("control", world.ex("/aar")).json()
    assert report["totals"]["delivered"] + report["totals"]["refused"] == len(orders)
    assert any(o["inject"] is not None for o in report["orders"])
    for liaison in ("twn", "unc"):
        assert world.get(liaison, world.ex("/messages")).json() == []
