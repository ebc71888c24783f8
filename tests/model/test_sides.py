"""`sides:` and `c2sim_uuid` in the arrangement format: validated, kept by JSON, shown by `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance_c2.cli import app
from alliance_c2.interop import arrangement_from_json, export_json
from alliance_c2.model import CatalogError, load_architecture

BASE = """kind: architecture
id: two-sides
name_en: Two sides
name_ja: 二勢力
assumption: true
organizations:
  - {id: blue-hq, name_en: Blue HQ, name_ja: 青司令部, nation: NLD, kind: headquarters, assumption: true,
     c2sim_uuid: 00000000-0000-0001-0000-00000000000A}
  - {id: red-hq, name_en: Red HQ, name_ja: 赤司令部, nation: XRD, kind: headquarters, assumption: true}
  - {id: spare, name_en: Spare unit, name_ja: 予備, nation: NLD, kind: unit, assumption: true}
relations:
  - {from: blue-hq, to: red-hq, kind: liaison, assumption: true}
sides:
  - {id: blue, name_en: Blue coalition, name_ja: 青連合, nations: [NLD], hostility: {red: HO}, assumption: true}
  - {id: red, name_en: Red, nations: [XRD], hostility: {blue: HO}, assumption: true}
other_nations:
  - {id: XRD, name_en: Red state (exercise), name_ja: 赤国（演習）, assumption: true}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sides_and_uuids_load(tmp_path: Path) -> None:
    arch = load_architecture(_write(tmp_path, BASE))
    assert [(s.id, s.nations, s.hostility) for s in arch.sides] == [
        ("blue", ("NLD",), (("red", "HO"),)),
        ("red", ("XRD",), (("blue", "HO"),)),
    ]
    assert arch.organizations["blue-hq"].c2sim_uuid == "00000000-0000-0001-0000-00000000000a"
    assert arch.side_of("XRD") is not None and arch.side_of("USA") is None


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("hostility: {red: HO}", "hostility: {green: HO}"), "sides[0].hostility: unknown side 'green'"),
        (("nations: [XRD]", "nations: [NLD]"), "nation NLD is already on side 'blue'"),
        (("hostility: {red: HO}", "hostility: {red: ENEMY}"), "sides.0.hostility.red"),
        (("id: red, name_en: Red", "id: blue, name_en: Red"), "duplicate side 'blue'"),
        (("kind: headquarters, assumption: true}", "kind: headquarters, assumption: true, c2sim_uuid: 00000000-0000-0001-0000-00000000000a}"), "is already used by 'blue-hq'"),
        (("c2sim_uuid: 00000000-0000-0001-0000-00000000000A", "c2sim_uuid: not-a-uuid"), "c2sim_uuid"),
    ],
)
def test_bad_sides_name_the_line(tmp_path: Path, change: tuple[str, str], needle: str) -> None:
    path = _write(tmp_path, BASE.replace(*change))
    with pytest.raises(CatalogError) as exc:
        load_architecture(path)
    lines = [str(p) for p in exc.value.problems]
    assert any(needle in line and line.startswith(f"{path}:") for line in lines), lines


def test_json_keeps_sides_and_uuids(tmp_path: Path) -> None:
    arch = load_architecture(_write(tmp_path, BASE))
    back, _, _ = arrangement_from_json(export_json(arch), "a.json")
    assert back.sides == arch.sides
    assert back.organizations["blue-hq"].c2sim_uuid == arch.organizations["blue-hq"].c2sim_uuid
    assert json.loads(export_json(arch))["sides"][0]["hostility"] == {"red": "HO"}


def test_show_lists_sides_and_separates_unrelated_organizations(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE)
    result = CliRunner().invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Force sides (C2SIM ForceSide)" in text and "hostile (HO)" in text
    unrelated = text.index("Organizations without relations")
    assert text.index("Spare unit") > unrelated
    assert text.index("Coordination, consultation and liaison") < text.index("Blue HQ")
