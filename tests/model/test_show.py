"""`alliance-c2 show` and `architectures`: bilingual views of the bundled arrangements."""

from __future__ import annotations

import json

import alliance_c2


def test_show_in_japanese_names_the_studys_bodies(cli) -> None:
    code, out, _ = cli("show", "2024-proposal", "--lang", "ja")
    assert code == 0
    for name in ("陸上総隊", "自衛艦隊", "航空総隊", "統合作戦司令部", "内閣総理大臣", "日米安全保障協議委員会"):
        assert name in out


def test_show_json_round_trips_the_file_shape(cli) -> None:
    code, out, _ = cli("show", "2015-guidelines", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "architecture" and data["id"] == "2015-guidelines"
    assert {o["id"] for o in data["organizations"]} >= {"jpn-jjoc", "usa-indopacom", "bocc"}


def test_architectures_lists_levels(cli) -> None:
    code, out, _ = cli("architectures", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["2024-proposal"]["level_armed_attack"] == "unified"
    assert rows["2024-proposal"]["level_peacetime"] == "integrated"
    assert rows["2024-integrated"]["level_armed_attack"] == rows["2024-integrated"]["level_peacetime"] == "integrated"
    assert rows["1978-guidelines"]["level_peacetime"] == "deconflict"


def test_show_names_the_plans_and_who_instructs_them(cli) -> None:
    code, out, _ = cli("show", "2024-proposal")
    assert code == 0
    plans = out[out.index("Plans"):]
    assert "joint-target-list ← Japan Joint Operations Command" in plans
    assert plans.count("(on instruction of") == 4
    code, out, _ = cli("show", "2024-proposal", "--lang", "ja")
    assert "（日米安全保障協議委員会の指示）" in out


def test_public_api_is_reexported() -> None:
    arch = alliance_c2.load_architecture("us-rok-cfc")
    assert alliance_c2.analyze(arch, "armed-attack").level == "unified"


def test_user_file_path_works_wherever_an_arrangement_is_taken(cli, tmp_path) -> None:
    code, out, _ = cli("show", "2024-proposal", "--json")
    path = tmp_path / "mine.yaml"
    import yaml

    path.write_text(yaml.safe_dump(json.loads(out), allow_unicode=True), encoding="utf-8")
    code, out, _ = cli("analyze", str(path), "--json")
    assert code == 0
    assert json.loads(out)["level"] == "unified"
