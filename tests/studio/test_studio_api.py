"""The studio's API without a browser: edits validated with validate's messages at the field, bad uploads refused
with those messages (never a 500), tabs that do not share state, undo/redo, and a YAML download that round-trips."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from alliance_c2.model.load import architecture_from_document
from alliance_c2.model.serialize import arrangement_dict
from alliance_c2.model.yamlsource import parse_yaml
from alliance_c2.studio.app import create_app
from alliance_c2.studio.compute import Engine

JJOC_OPCON = {"op": "add-relation", "relation": {"from": "jpn-jjoc", "to": "usa-7th-fleet", "kind": "opcon",
                                                 "active_in": ["armed-attack"], "assumption": True}}


class _SmallEngine(Engine):
    """Two scenarios and an inline pool are enough to test the API's behaviour; the browser test and the
    benchmark use the real engine."""

    def __init__(self) -> None:
        super().__init__(workers=1)
        self.scenarios = ["bmd-salvo", "gray-zone-senkaku"]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(_SmallEngine())) as c:
        yield c


def _open(client: TestClient, arch: str = "2015-guidelines") -> dict[str, Any]:
    r = client.post("/studio/api/drafts", json={"bundled": arch})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_page_is_bilingual_and_self_contained(client: TestClient) -> None:
    en = client.get("/studio").text
    ja = client.get("/studio?lang=ja").text
    assert "Alliance C2 studio" in en and "同盟指揮統制スタジオ" in ja
    for page in (en, ja):
        assert "http://" not in page and "https://" not in page  # every asset from this server


def test_an_edit_with_an_unknown_organization_gets_validates_message_at_the_field(client: TestClient) -> None:
    key = _open(client)["draft"]
    bad = {"op": "add-relation", "relation": {**JJOC_OPCON["relation"], "from": "jpn-jjocc"}}
    r = client.post(f"/studio/api/drafts/{key}/edit", json=bad)
    assert r.status_code == 422
    (problem,) = [p for p in r.json()["problems"] if p.get("at") == "edit"]
    assert problem["key"] == "from" and "unknown organization 'jpn-jjocc'" in problem["message"]
    assert "did you mean 'jpn-jjoc'" in problem["message"]
    # Nothing was changed by the refused edit.
    assert client.get(f"/studio/api/drafts/{key}").json()["position"] == 0


def test_edit_changes_level_and_says_orders_are_refused_without_the_law(client: TestClient) -> None:
    view = _open(client)
    key = view["draft"]
    r = client.post(f"/studio/api/drafts/{key}/edit", json=JJOC_OPCON)
    assert r.status_code == 200
    after = r.json()
    level = next(x for x in after["outcome"]["levels"] if x["situation"] == "armed-attack")
    assert level["level"] == "unified" and level["body"] == "jpn-jjoc"
    assert {"situation": "armed-attack", "before": "coordinated", "after": "unified"} in after["changes"]["previous"]["levels"]
    assert after["outcome"]["refused_and_reissued"] and after["outcome"]["reforms_that_would_lift"] == ["opcon-transfer-act"]
    assert after["outcome"]["bottom_line_en"].startswith("Is ") and "better than today?" in after["outcome"]["bottom_line_en"]
    assert "現行より優れているか" in after["outcome"]["bottom_line_ja"]
    # The sentence itself says the orders as drawn are refused (not only "needs no new law").
    assert "its orders are refused and re-issued through the national chains in " in after["outcome"]["bottom_line_en"]
    assert "その命令が拒否され、各国の指揮系統で出し直される" in after["outcome"]["bottom_line_ja"]
    undone = client.post(f"/studio/api/drafts/{key}/undo").json()
    assert undone["position"] == 0 and undone["can_redo"]
    assert "refused" not in undone["outcome"]["bottom_line_en"]
    assert next(x for x in undone["outcome"]["levels"] if x["situation"] == "armed-attack")["level"] == "coordinated"
    redone = client.post(f"/studio/api/drafts/{key}/redo").json()
    assert redone["position"] == 1


def test_removing_the_component_coordination_center_is_absorbed_by_another_body(client: TestClient) -> None:
    key = _open(client)["draft"]
    r = client.post(f"/studio/api/drafts/{key}/edit", json={"op": "remove-organization", "id": "ccc"})
    assert r.status_code == 200
    changes = r.json()["changes"]
    moved = {x["situation"]: (x["before"], x["after"]) for x in changes["previous"]["bodies"]}
    assert moved and all(before == "ccc" and after not in (None, "ccc") for before, after in moved.values())
    assert changes["previous"]["levels"] == []
    assert changes["absorbed"] is (changes["previous"]["verdicts"] == [])


def test_two_tabs_do_not_share_state(client: TestClient) -> None:
    first, second = _open(client)["draft"], _open(client)["draft"]
    client.post(f"/studio/api/drafts/{first}/edit", json={"op": "set-combined", "id": "jpn-jjoc", "combined": True})
    a = client.get(f"/studio/api/drafts/{first}").json()
    b = client.get(f"/studio/api/drafts/{second}").json()
    jjoc = lambda v: next(o for o in v["data"]["organizations"] if o["id"] == "jpn-jjoc")  # noqa: E731
    assert jjoc(a).get("combined") is True and "combined" not in jjoc(b)
    assert a["position"] == 1 and b["position"] == 0


def test_download_round_trips_and_validates(client: TestClient) -> None:
    key = _open(client, "2024-proposal")["draft"]
    client.post(f"/studio/api/drafts/{key}/edit", json={"op": "remove-relation", "index": 0})
    text = client.get(f"/studio/api/drafts/{key}/arrangement.yaml").text
    arch, problems = architecture_from_document(parse_yaml(text, "download.yaml"))
    assert arch is not None and not [p for p in problems if p.severity == "error"]
    assert arrangement_dict(arch) == yaml.safe_load(text) == client.get(f"/studio/api/drafts/{key}").json()["data"]
    assert arch.id == "2024-proposal-edited" and "edited" in arch.short_name("en")


@pytest.mark.parametrize(("body", "needle"), [
    ({"yaml": "kind: scenario\nid: x\n", "name": "scenario.yaml"}, "scenario.yaml:1: kind"),
    ({"yaml": "kind: architecture\nid: [unclosed\n", "name": "broken.yaml"}, "broken.yaml:"),
    ({"yaml": "x" * (2 * 1024 * 1024 + 1), "name": "big.yaml"}, "too large"),
    ({"yaml": "", "name": "empty.yaml"}, "empty.yaml:1: file is empty"),
])
def test_bad_uploads_get_validates_message_not_a_500(client: TestClient, body: dict[str, str], needle: str) -> None:
    r = client.post("/studio/api/drafts", json=body)
    assert r.status_code == 422
    texts = [p.get("text") or p["message"] for p in r.json()["problems"]]
    assert any(needle in t for t in texts), texts


def test_a_forgotten_draft_is_a_clear_404(client: TestClient) -> None:
    r = client.post("/studio/api/drafts/nope/undo")
    assert r.status_code == 404 and "no longer open" in r.json()["problems"][0]["message"]
