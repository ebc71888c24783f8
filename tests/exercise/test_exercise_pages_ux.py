"""The pages in the player's language and the control dashboard's helpers, as the server renders them.

Approval tasks are named from their fields (approval, order, action, unit) rather than by their stored
English subject, scripted injects by the scenario's name for them, refused orders by the reasons in the
page's language; control has a button for the approvals of unseated organizations and a switch for
releasing injects on the clock; the order form's script gets each organization's nation for REL TO.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote

from alliance_c2.exercise.service.catalog import arrangement
from alliance_c2.exercise.web.i18n import STRINGS, fill
from alliance_c2.law import default_catalog
from alliance_c2.model.scenario import load_scenario
from conftest import SEATS

EN, JA = 0, 1


class _Items(HTMLParser):
    """The text of every `li.message` by message id, and the attributes of elements with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[int, list[str]] = {}
        self.by_id: dict[str, dict[str, str | None]] = {}
        self._open: list[int | None] = []  # one entry per open <li>: the message id, or None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.by_id[str(a["id"])] = a
        if tag == "li":
            is_message = "message" in (a.get("class") or "").split() and a.get("data-id")
            mid = int(str(a["data-id"])) if is_message else None
            self._open.append(mid)
            if mid is not None:
                self.items.setdefault(mid, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for mid in self._open:
            if mid is not None:
                self.items[mid].append(data)


def _parse(html: str) -> _Items:
    parser = _Items()
    parser.feed(html)
    return parser


def _texts(html: str) -> dict[int, str]:
    return {mid: " ".join("".join(parts).split()) for mid, parts in _parse(html).items.items()}


def _page(world, user: str, path: str = "", lang: str = "ja") -> str:
    r = world.client.get(f"/exercises/{world.eid}{path}?lang={lang}", headers=world.h(user))
    assert r.status_code == 200, r.text
    assert f'<html lang="{lang}">' in r.text
    return r.text


def _live(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="live-data">(.*?)</script>', html, re.S)
    assert found, "the page carries no live data"
    return json.loads(found.group(1))


def _approval_text(task: dict, lang: str) -> str:
    """What a page should say about an approval task, from the catalogs (not from the page code)."""
    index = (EN, JA)[lang == "ja"]
    catalog = default_catalog()
    arch = arrangement("2024-proposal")
    return fill(STRINGS["approval_subject"][index], approval=catalog.approvals[task["approval"]].name(lang),
                order=task["parent_id"], action=catalog.actions[task["action"]].name(lang),
                unit=arch.organizations[task["unit"]].name(lang))


def test_approval_tasks_are_named_in_japanese_from_their_fields(world):
    order = world.order("jjoc", "bmd-intercept", "jpn-sdf-fleet", ["JPN"]).json()
    tasks = [t for t in world.get("control", world.ex("/messages"), params={"kind": "approval"}).json()
             if t["parent_id"] == order["id"]]
    assert tasks, "the order routed no approval task"
    for user, path in (("control", "/control"), ("jjoc", "")):
        japanese, english = _texts(_page(world, user, path)), _texts(_page(world, user, path, "en"))
        for task in tasks:
            assert task["subject"].startswith("Approval ")  # what is stored is English ...
            assert _approval_text(task, "ja") in japanese[task["id"]]  # ... what a Japanese page shows is not
            assert task["subject"] not in japanese[task["id"]] and "for order" not in japanese[task["id"]]
            assert _approval_text(task, "en") in english[task["id"]]


def test_pending_approval_for_the_pm_seat_reads_in_japanese(world):
    r = world.post("control", world.ex("/situation"), {"situation": "armed-attack", "basis": "cabinet-decision"})
    assert r.status_code == 200, r.text
    order = world.order("jjoc", "use-of-force", "jpn-gcc", ["JPN"]).json()
    assert order["status"] == "awaiting-approval"
    pending: list[dict] = []
    for _ in range(10):  # control plays the unseated holders until the order reaches the PM's seat
        pending = world.get("pm", world.ex("/approvals")).json()
        if pending:
            break
        task = world.get("control", world.ex("/approvals")).json()[0]
        world.post("control", world.ex(f"/approvals/{task['id']}"), {"decision": "grant"})
    assert pending, "the order never reached the PM"
    html = _page(world, "pm")
    texts = _texts(html)
    approvals_list = html.split('id="list-approvals"')[1].split("</ul>")[0]
    for task in pending:
        assert f'data-id="{task["id"]}"' in approvals_list
        assert _approval_text(task, "ja") in texts[task["id"]]
        assert "Approval" not in texts[task["id"]] and task["approval"] not in texts[task["id"]]


def test_scripted_inject_shows_the_scenario_name_in_the_page_language(world):
    timeline = world.get("control", world.ex("/injects")).json()
    first = timeline[0]
    assert first["name_ja"] and first["name_ja"] != first["name_en"]
    message = world.post("control", world.ex("/injects"), {"inject_id": first["id"]}).json()
    assert message["subject"] == first["name_en"]
    reader = next(u for u, (org, role, _) in SEATS.items() if org in message["recipients"] and role == "player")
    for user, path in (("control", "/control"), (reader, "")):
        japanese = _texts(_page(world, user, path))[message["id"]]
        assert first["name_ja"] in japanese and first["name_en"] not in japanese
        assert first["name_en"] in _texts(_page(world, user, path, "en"))[message["id"]]
    # the control timeline names the inject in Japanese and shows it released
    control = _page(world, "control", "/control")
    row = control.split(f'<tr data-inject="{first["id"]}">')[1].split("</tr>")[0]
    assert first["name_ja"] in row and f"#{message['id']}" in row


def test_refused_order_shows_its_reasons_in_the_page_language(world):
    order = world.order("jjoc", "use-of-force", "usa-7th-fleet", ["JPN", "USA"]).json()
    assert order["status"] == "refused"
    verdict = order["verdict"]
    assert verdict["reasons"] and len(verdict["reasons_ja"]) == len(verdict["reasons"])
    assert set(verdict["reasons_ja"]).isdisjoint(verdict["reasons"])
    from alliance_c2.exercise.web.i18n import catalog_names, name_ids

    arch = arrangement("2024-proposal")
    org_ja, org_en = catalog_names("ja", arch)["org"], catalog_names("en", arch)["org"]
    assert any("usa-7th-fleet" in r for r in verdict["reasons"])  # the engine names organizations by id
    for user, path in (("jjoc", ""), ("control", "/control")):
        japanese = _texts(_page(world, user, path))[order["id"]]
        english = _texts(_page(world, user, path, "en"))[order["id"]]
        for ja, en in zip(verdict["reasons_ja"], verdict["reasons"], strict=True):
            shown_ja, shown_en = name_ids(ja, org_ja), name_ids(en, org_en)
            assert " ".join(shown_ja.split()) in japanese and " ".join(shown_en.split()) not in japanese
            assert " ".join(shown_en.split()) in english
        reasons_part = english.split(org_en["usa-7th-fleet"], 1)[1]  # after the order's own unit name
        assert "usa-7th-fleet" not in reasons_part


def test_order_form_notice_is_in_the_page_language(sqlite_world):
    w = sqlite_world
    page = _page(w, "jjoc")
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    form = {"csrf": csrf, "action": "isr", "unit": "jpn-sdf-fleet", "subject": "s", "classification": "UNCLASSIFIED",
            "rel_to": "JPN"}
    r = w.client.post(f"/exercises/{w.eid}/orders?lang=ja", data=form, headers=w.h("jjoc"), follow_redirects=False)
    assert r.status_code == 303
    notice = unquote(r.headers["location"].split("notice=")[1])
    order = w.get("jjoc", w.ex("/messages"), params={"kind": "order"}).json()[-1]
    assert notice == f"{STRINGS['order_result'][JA]} #{order['id']}: {STRINGS['status_' + order['status']][JA]}"


def test_control_page_has_the_grant_unseated_button_and_the_auto_inject_switch(world):
    for lang, index in (("en", EN), ("ja", JA)):
        html = _page(world, "control", "/control", lang)
        found = _parse(html).by_id
        assert "grant-unseated" in found and "auto-injects" in found
        assert STRINGS["grant_unseated"][index] in html and STRINGS["auto_injects"][index] in html
        # the button sits in the pending approvals panel
        panel = html.split(STRINGS["pending_approvals"][index])[1].split("</section>")[0]
        assert 'id="grant-unseated"' in panel
    exercise = world.get("control", world.ex()).json()
    switch = _parse(_page(world, "control", "/control")).by_id["auto-injects"]
    assert ("checked" in switch) == exercise["auto_injects"]
    r = world.post("control", world.ex("/injects/auto"), {"enabled": not exercise["auto_injects"]})
    assert r.status_code == 200, r.text
    assert r.json()["auto_injects"] is (not exercise["auto_injects"])
    switch = _parse(_page(world, "control", "/control")).by_id["auto-injects"]
    assert ("checked" in switch) == (not exercise["auto_injects"])


def test_seat_pages_have_no_control_helpers(sqlite_world):
    found = _parse(_page(sqlite_world, "jjoc")).by_id
    assert "grant-unseated" not in found and "auto-injects" not in found


def test_home_page_creates_exercises_releasing_injects_on_the_clock_by_default(sqlite_world):
    for lang, index in (("en", EN), ("ja", JA)):
        r = sqlite_world.client.get(f"/?lang={lang}", headers=sqlite_world.h("control"))
        assert r.status_code == 200
        form = r.text.split('id="create-exercise"')[1].split("</form>")[0]
        box = re.search(r'<input type="checkbox" name="auto_injects"[^>]*>', form)
        assert box and "checked" in box.group(0)
        assert STRINGS["auto_injects"][index] in form


def test_live_data_carries_nations_and_inject_names_for_control_only(sqlite_world):
    """The order form's REL TO needs each organization's nation; the scenario's inject names are control's
    timeline: a seat learns an inject's name from the inject it receives (`subject_ja`)."""
    w = sqlite_world
    arch = arrangement("2024-proposal")
    scenario = load_scenario("bmd-salvo")
    for lang in ("en", "ja"):
        live = _live(_page(w, "jjoc", "", lang))
        assert live["nation"] == arch.organizations["jpn-jjoc"].nation
        assert live["nations"] == {o: org.nation for o, org in arch.organizations.items()}
        assert live["names"]["inject"] == {}
        assert live["strings"]["standing"] == STRINGS["standing"][(EN, JA)[lang == "ja"]]
        control = _live(_page(w, "control", "/control", lang))
        assert control["names"]["inject"] == {i.id: (i.name_ja or i.name_en) if lang == "ja" else i.name_en
                                              for i in scenario.injects}
    first = scenario.injects[0]
    released = w.post("control", w.ex("/injects"), {"inject_id": first.id}).json()
    seen = w.get("jjoc", w.ex(f"/messages/{released['id']}")).json()
    assert (seen["subject"], seen["subject_ja"]) == (first.name_en, first.name_ja)


def test_name_ids_replaces_whole_ids_only():
    from alliance_c2.exercise.web.i18n import name_ids

    names = {"usa-7th-fleet": "U.S. Seventh Fleet", "jpn-sdf-fleet": "Self-Defense Fleet", "jpn-sdf": "SDF"}
    text = "OPCON jpn-sdf-fleet → usa-7th-fleet; jpn-sdf-fleets and xjpn-sdf stay"
    assert name_ids(text, names) == "OPCON Self-Defense Fleet → U.S. Seventh Fleet; jpn-sdf-fleets and xjpn-sdf stay"
    assert name_ids("jpn-sdf-fleet→usa-7th-fleetのOPCON", names) == "Self-Defense Fleet→U.S. Seventh FleetのOPCON"
    assert name_ids("", names) == "" and name_ids("no ids", {}) == "no ids"


def test_control_page_switches_unseated_approvals_on_the_clock(world):
    for lang, index in (("en", EN), ("ja", JA)):
        html = _page(world, "control", "/control", lang)
        assert STRINGS["auto_approvals"][index] in html
        panel = html.split(STRINGS["pending_approvals"][index])[1].split("</section>")[0]
        assert 'id="auto-approvals"' in panel
    assert "checked" not in _parse(_page(world, "control", "/control")).by_id["auto-approvals"]
    r = world.post("control", world.ex("/approvals/auto"), {"enabled": True})
    assert r.status_code == 200 and r.json()["auto_approvals"] is True
    assert "checked" in _parse(_page(world, "control", "/control")).by_id["auto-approvals"]
    assert "auto-approvals" not in _parse(_page(world, "jjoc")).by_id
