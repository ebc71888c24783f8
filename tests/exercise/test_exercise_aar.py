"""The after-action report: outcomes of orders, delays by approvals, time from inject to action."""

from __future__ import annotations


def _play(world):
    """A refused order; a BMD intercept answering the inject, delivered at once under the scenario's standing
    order; ISR waiting for the Defense Minister's order, which control (nobody sits there) then gives."""
    world.post("control", world.ex("/clock"), {"action": "start", "speed": 600})
    inject = world.post("control", world.ex("/injects"), {"inject_id": "missile-1"}).json()
    world.order("jjoc", "use-of-force", "usa-7th-fleet", ["JPN", "USA"])  # refused
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"], reply_to=inject["id"]).json()
    isr = world.order("jjoc", "isr", "jpn-sdf-fleet", ["JPN"]).json()
    assert isr["status"] == "awaiting-approval"
    task = next(t for t in world.get("control", world.ex("/approvals")).json() if t["parent_id"] == isr["id"])
    world.post("control", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    return inject, order, isr


def test_aar_data_counts_outcomes_and_delays(world):
    _, order, isr = _play(world)
    data = world.get("control", world.ex("/aar")).json()
    assert data["totals"]["refused"] == 1 and data["totals"]["delivered"] == 2
    assert data["totals"]["delayed_by_approvals"] == 1
    row = next(o for o in data["orders"] if o["id"] == order["id"])
    assert [(a["approval"], a["status"]) for a in row["approvals"]] == [
        ("pm-approval", "granted"), ("defense-minister-order", "granted"), ("diet-report", "pending")]
    assert row["approval_delay_min"] is None  # the standing order gave both in advance
    assert row["inject"] == "missile-1" and row["inject_to_action_min"] >= 0
    delayed = next(o for o in data["orders"] if o["id"] == isr["id"])
    assert delayed["approval_delay_min"] > 0
    jjoc = next(s for s in data["seats"] if s["organization"] == "jpn-jjoc" and s["role"] == "player")
    assert (jjoc["orders"], jjoc["refused"], jjoc["delivered"]) == (3, 1, 2)
    assert jjoc["inject_to_action_mean_min"] is not None
    assert data["timeline"][0]["act"] == "exercise.created"


def test_aar_html_page(world):
    _play(world)
    html = world.client.get(f"/exercises/{world.eid}/aar", headers=world.h("control")).text
    assert "After-action report" in html and "事後検討報告" in html
    assert "bmd-intercept" in html and "refused" in html


def test_aar_html_page_in_japanese(world):
    from markupsafe import escape

    from alliance_c2.exercise.service.catalog import arrangement
    from alliance_c2.exercise.web.i18n import STRINGS, catalog_names, name_ids
    from alliance_c2.law import default_catalog

    _play(world)
    data = world.get("control", world.ex("/aar")).json()
    refused = next(o for o in data["orders"] if o["status"] == "refused")
    html = world.client.get(f"/exercises/{world.eid}/aar", params={"lang": "ja"}, headers=world.h("control")).text
    catalog = default_catalog()
    assert catalog.actions["bmd-intercept"].name("ja") in html
    assert catalog.approvals["pm-approval"].name("ja") in html
    assert STRINGS["status_refused"][1] in html and STRINGS["act_order.issued"][1] in html
    arch = arrangement("2024-proposal")
    reason_ja = name_ids(refused["reasons_ja"][0], catalog_names("ja", arch)["org"])
    reason_en = name_ids(refused["reasons"][0], catalog_names("en", arch)["org"])
    orgs = arch.organizations
    assert not [o for o in orgs if o in reason_ja]  # organizations named, not given by id
    assert any(orgs[o].name("ja") in reason_ja for o in orgs)
    assert str(escape(reason_ja)) in html
    assert str(escape(reason_en)) not in html  # the English reason is not shown on the Japanese page
    english = world.client.get(f"/exercises/{world.eid}/aar", params={"lang": "en"}, headers=world.h("control")).text
    assert str(escape(reason_en)) in english


def test_aar_is_control_only(world):
    assert world.get("jjoc", world.ex("/aar")).status_code == 403
    assert world.client.get(f"/exercises/{world.eid}/aar", headers=world.h("jjoc")).status_code == 403
