"""Orders through the law engine: refused with reasons, routed for approval, delivered down the chain."""

from __future__ import annotations

from datetime import timedelta

from conftest import without_scenario


def _pending(world, user):
    r = world.get(user, world.ex("/approvals"))
    assert r.status_code == 200, r.text
    return r.json()


def test_unlawful_order_is_refused_with_reasons(world):
    r = world.order("jjoc", "use-of-force", "usa-7th-fleet", ["JPN", "USA"])
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "refused"
    assert any("no command" in reason or "OPCON" in reason for reason in body["verdict"]["reasons"])


def test_order_needing_approvals_waits_for_the_holders_in_order(world):
    without_scenario(world)
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "awaiting-approval"
    tasks = _pending(world, "pm")
    assert [(t["approval"], t["recipients"]) for t in tasks] == [("pm-approval", ["jpn-pm"])]
    assert _pending(world, "jjoc") == []
    r = world.post("pm", world.ex(f"/approvals/{tasks[0]['id']}"), {"decision": "grant"})
    assert r.json()["status"] == "granted"
    # defense-minister-order: nobody sits in jpn-defense-minister, so control plays it
    control_tasks = _pending(world, "control")
    assert [t["approval"] for t in control_tasks] == ["defense-minister-order"]
    world.post("control", world.ex(f"/approvals/{control_tasks[0]['id']}"), {"decision": "grant"})
    delivered = world.get("jjoc", world.ex(f"/messages/{order['id']}")).json()
    assert delivered["status"] == "delivered"
    assert "jpn-sdf-fleet" in delivered["recipients"]


def test_after_action_approvals_do_not_hold_the_order(world):
    without_scenario(world)
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    for user in ("pm", "control"):
        task = _pending(world, user)[0]
        world.post(user, world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    assert world.get("jjoc", world.ex(f"/messages/{order['id']}")).json()["status"] == "delivered"
    assert [t["approval"] for t in _pending(world, "control")] == ["diet-report"]


def test_denied_approval_denies_the_order(world):
    without_scenario(world)
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    task = _pending(world, "pm")[0]
    world.post("pm", world.ex(f"/approvals/{task['id']}"), {"decision": "deny", "note": "not now"})
    assert world.get("jjoc", world.ex(f"/messages/{order['id']}")).json()["status"] == "denied"
    assert _pending(world, "control") == []


def test_only_the_holder_or_control_decides(world):
    without_scenario(world)
    world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"])
    task = _pending(world, "pm")[0]
    r = world.post("jjoc", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    assert r.status_code == 403  # the sender sees its order's tasks but does not hold them
    r = world.post("pm", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    assert r.status_code == 200
    r = world.post("pm", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    assert r.status_code == 409


def test_approvals_held_by_the_sender_count_as_given(world):
    without_scenario(world)
    order = world.order("pm", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert [t["approval"] for t in _pending(world, "pm")] == []
    assert [t["approval"] for t in _pending(world, "control")] == ["defense-minister-order"]
    assert order["status"] == "awaiting-approval"


def test_preview_returns_the_verdict_without_storing(world):
    r = world.post("jjoc", world.ex("/orders/preview"), {"action": "bmd-intercept", "unit": "jpn-sdf-fleet"})
    assert r.status_code == 200
    plan = r.json()
    assert plan["allowed"] is True
    assert [a["approval"] for a in plan["approvals"]] == ["pm-approval", "defense-minister-order", "diet-report"]
    assert plan["approvals"][0]["holders"] == ["jpn-pm"]
    assert world.get("control", world.ex("/messages")).json() == []


def test_situation_change_by_control_changes_the_verdict(world):
    assert world.order("jjoc", "use-of-force", "jpn-gcc", ["JPN"]).json()["status"] == "refused"
    r = world.post("control", world.ex("/situation"), {"situation": "armed-attack", "basis": "cabinet-decision"})
    assert r.json()["situation"] == "armed-attack"
    preview = world.post("jjoc", world.ex("/orders/preview"), {"action": "use-of-force", "unit": "jpn-gcc"})
    assert preview.json()["allowed"] is True
    log = world.get("control", world.ex("/log")).json()
    changed = [e for e in log if e["act"] == "situation.changed"]
    assert changed[0]["data"] == {"from": "peacetime", "to": "armed-attack", "basis": "cabinet-decision", "note": "",
                                  "set": {"situation": "armed-attack"}}


def test_players_cannot_change_the_situation_or_clock(world):
    assert world.post("jjoc", world.ex("/situation"), {"situation": "armed-attack",
                                                       "basis": "diet-approval"}).status_code == 403
    assert world.post("jjoc", world.ex("/clock"), {"action": "start"}).status_code == 403


def test_observers_cannot_send(world):
    assert world.order("watcher", "isr", "jpn-sdf-fleet", ["JPN"]).status_code == 403


def test_order_to_a_unit_its_label_excludes_is_rejected(world):
    r = world.order("jjoc", "isr", "usa-7th-fleet", ["JPN"])
    assert r.status_code == 422
    assert "not releasable to recipient(s) usa-7th-fleet (USA)" in r.json()["detail"]


def test_unknown_action_or_unit_is_a_clear_422(world):
    r = world.order("jjoc", "teleport", "jpn-sdf-fleet", ["JPN"])
    assert r.status_code == 422 and "teleport" in r.json()["detail"]
    r = world.order("jjoc", "isr", "no-such-unit", ["JPN"])
    assert r.status_code == 422 and "no-such-unit" in r.json()["detail"]


def test_control_releases_scripted_injects_and_sees_the_timeline(world):
    timeline = world.get("control", world.ex("/injects")).json()
    assert timeline[0]["id"] == "missile-1" and timeline[0]["released_as"] is None
    r = world.post("control", world.ex("/injects"), {"inject_id": "missile-1"})
    assert r.status_code == 201
    inject = r.json()
    assert set(inject["recipients"]) >= {"jpn-jjoc", "usa-indopacom"}
    assert world.get("control", world.ex("/injects")).json()[0]["released_as"] == inject["id"]
    assert world.get("jjoc", world.ex("/injects")).status_code == 403


def test_control_writes_an_inject(world):
    r = world.post("control", world.ex("/injects"), {"subject": "Typhoon", "recipients": ["jpn-jjoc"],
                                                     "classification": "UNCLASSIFIED", "rel_to": ["JPN"]})
    assert r.status_code == 201
    assert r.json()["marking"] == "UNCLASSIFIED // REL TO JPN"


def test_clock_runs_pauses_and_resumes(world):
    assert world.post("control", world.ex("/clock"), {"action": "pause"}).status_code == 409
    r = world.post("control", world.ex("/clock"), {"action": "start", "speed": 60})
    assert r.json()["state"] == "running"
    paused = world.post("control", world.ex("/clock"), {"action": "pause"}).json()
    again = world.get("control", world.ex()).json()["clock"]
    assert again["state"] == "paused" and again["game_seconds"] == paused["game_seconds"]
    assert world.post("control", world.ex("/clock"), {"action": "resume"}).json()["state"] == "running"


def test_requests_and_reports_are_delivered(world):
    r = world.post("fleet", world.ex("/messages"), {"kind": "report", "recipients": ["jpn-jjoc"],
                                                    "subject": "on station", "rel_to": ["JPN"]})
    assert r.status_code == 201 and r.json()["status"] == "delivered"
    assert [m["subject"] for m in world.get("jjoc", world.ex("/messages")).json()] == ["on station"]


def test_scenario_standing_order_gives_pre_delegable_approvals_in_advance(world):
    """bmd-salvo has a standing order for bmd-intercept (SDF Act Art. 82-3(3)): the PM's approval and the
    Defense Minister's order count as given, the order is delivered at once, the Diet report still follows."""
    preview = world.post("jjoc", world.ex("/orders/preview"), {"action": "bmd-intercept", "unit": "jpn-sdf-fleet"}).json()
    assert [(a["approval"], a["standing"]) for a in preview["approvals"]] == [
        ("pm-approval", True), ("defense-minister-order", True), ("diet-report", False)]
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "delivered"
    tasks = [m for m in world.get("control", world.ex("/messages"), params={"kind": "approval"}).json()
             if m["parent_id"] == order["id"]]
    assert [(t["approval"], t["status"]) for t in tasks] == [
        ("pm-approval", "granted"), ("defense-minister-order", "granted"), ("diet-report", "pending")]
    assert "standing order" in tasks[0]["body"]
    # an action without a standing order still waits for its approvals
    isr = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).json()
    assert isr["status"] == "awaiting-approval"


def test_refusal_reasons_come_in_both_languages(world):
    order = world.order("jjoc", "use-of-force", "usa-7th-fleet", ["JPN", "USA"]).json()
    assert order["status"] == "refused"
    verdict = order["verdict"]
    assert len(verdict["reasons"]) == len(verdict["reasons_ja"]) >= 1
    assert verdict["reasons_ja"] != verdict["reasons"]
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in verdict["reasons_ja"][0])


def test_an_order_reaches_its_chain_only_once_delivered(world):
    without_scenario(world)
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "awaiting-approval" and order["recipients"] == []
    assert world.get("fleet", world.ex(f"/messages/{order['id']}")).status_code == 404
    for user in ("pm", "control"):
        task = _pending(world, user)[0]
        world.post(user, world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    delivered = world.get("fleet", world.ex(f"/messages/{order['id']}"))
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    assert "jpn-sdf-fleet" in delivered.json()["recipients"]


def test_a_refused_order_stays_with_its_sender(world):
    order = world.order("jjoc", "use-of-force", "jpn-sdf-fleet", ["JPN"]).json()
    assert order["status"] == "refused" and order["recipients"] == []
    assert world.get("fleet", world.ex(f"/messages/{order['id']}")).status_code == 404
    assert world.get("jjoc", world.ex(f"/messages/{order['id']}")).status_code == 200


def _c2sim(world, action: str, unit: str, issuer: str = "jpn-jjoc", schema: str = "2.0.0") -> bytes:
    from alliance_c2.exercise.service.catalog import arrangement
    from alliance_c2.interop import OrderRecord, order_message

    arch = arrangement("2024-proposal")
    return order_message(arch, [OrderRecord(issuer, unit, action, timedelta(0))], schema=schema)


def _post_xml(world, user: str, xml: bytes, media: str = "application/xml", rel_to: str | None = "JPN"):
    return world.client.post(world.ex("/orders"), content=xml, params={"rel_to": rel_to} if rel_to else {},
                             headers={**world.h(user), "content-type": media})


def test_a_c2sim_order_is_checked_like_the_same_order_in_json(world):
    without_scenario(world)
    as_json = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    r = _post_xml(world, "jjoc", _c2sim(world, "bmd-intercept", "jpn-sdf-fleet"))
    assert r.status_code == 201, r.text
    as_xml = r.json()
    assert as_xml["unit"] == "jpn-sdf-fleet"  # the partner's UUID mapped onto the exercise's organization
    assert as_xml["action"] == "bmd-intercept"
    assert as_xml["status"] == as_json["status"] == "awaiting-approval"
    assert as_xml["verdict"]["approvals"] == as_json["verdict"]["approvals"]
    refused = _post_xml(world, "jjoc", _c2sim(world, "use-of-force", "usa-7th-fleet"), "text/xml", "JPN,USA").json()
    assert refused["status"] == "refused" and refused["verdict"]["reasons"]


def test_a_c2sim_order_of_an_older_edition_is_read_too(world):
    without_scenario(world)
    r = _post_xml(world, "jjoc", _c2sim(world, "bmd-intercept", "jpn-sdf-fleet", schema="1.0.0"))
    assert r.status_code == 201, r.text
    assert r.json()["unit"] == "jpn-sdf-fleet"


def test_a_c2sim_order_the_service_cannot_take_is_one_clear_422(world):
    from alliance_c2.exercise.service.catalog import arrangement
    from alliance_c2.interop import OrderRecord, order_message

    arch = arrangement("2024-proposal")
    two = order_message(arch, [OrderRecord("jpn-jjoc", "jpn-sdf-fleet", "bmd-intercept", timedelta(0)),
                               OrderRecord("jpn-jjoc", "jpn-gcc", "disaster-relief", timedelta(0))])
    cases = [
        (two, "one task"),
        (b"<not-xml", "order.xml"),
    ]
    for body, needle in cases:
        r = _post_xml(world, "jjoc", body)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert needle in str(detail) and "Traceback" not in str(detail)
    r = _post_xml(world, "jjoc", _c2sim(world, "bmd-intercept", "jpn-sdf-fleet"), rel_to=None)
    assert r.status_code == 422 and "rel_to" in str(r.json()["detail"])
    before = len(world.get("jjoc", world.ex("/messages"), params={"kind": "order"}).json())
    unknown = _c2sim(world, "bmd-intercept", "jpn-sdf-fleet").replace(b"TaskActionCode>", b"TaskActionCode>ZZZ", 1)
    r = _post_xml(world, "jjoc", unknown)
    assert r.status_code == 422 and "ZZZ" in str(r.json()["detail"])
    assert len(world.get("jjoc", world.ex("/messages"), params={"kind": "order"}).json()) == before


def test_an_exercise_in_an_older_arrangement_plays_under_the_law_of_its_date():
    from alliance_c2.exercise.service.orders import plan_order
    from alliance_c2.law import check
    from alliance_c2.model import load_architecture

    old = load_architecture("1978-guidelines")
    plan = plan_order(old, "peacetime", (), "bmd-intercept", "jpn-sdf-fleet", "jpn-jda-director-general", check)
    assert not plan.allowed
    assert any("1980-01-01" in r and "82-3" in r for r in plan.reasons), plan.reasons
    today = load_architecture("2015-guidelines")
    assert plan_order(today, "peacetime", (), "bmd-intercept", "jpn-sdf-fleet", "jpn-defense-minister", check).allowed
