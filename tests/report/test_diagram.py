"""The SVG briefing diagram: well-formed, complete, faded where inactive, boxes apart, CLI writes it."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from alliance_c2.cli import app
from alliance_c2.labels import relation_kind_name
from alliance_c2.model import Architecture, bundled_architectures, load_architecture
from alliance_c2.model.load import architecture_from_document
from alliance_c2.model.yamlsource import parse_yaml
from alliance_c2.report.diagram import A4_LANDSCAPE_PX, architecture_svg

SVG = "{http://www.w3.org/2000/svg}"

ARRANGEMENT = """\
kind: architecture
id: t-small
name_en: Small test arrangement
name_ja: 小さな試験体制
assumption: true
organizations:
  - {id: jpn-pm, name_en: Prime Minister, name_ja: 内閣総理大臣, nation: JPN, kind: political-authority,
     head_of_government: true, assumption: true}
  - {id: jpn-defense-minister, name_en: Minister of Defense, name_ja: 防衛大臣, nation: JPN,
     kind: political-authority, assumption: true}
  - {id: jpn-jjoc, name_en: Japan Joint Operations Command, name_ja: 統合作戦司令部, nation: JPN,
     kind: headquarters, combined: true, sidc: SFGPUH---------,
     roles: [{id: jfc, name_en: Combined Commander, name_ja: 連合指揮官}], assumption: true}
  - {id: jpn-adc, name_en: Air Defense Command, name_ja: 航空総隊, nation: JPN, kind: component-command,
     sidc: SFAPMF---------, assumption: true}
  - {id: scc, name_en: Security Consultative Committee, name_ja: 日米安全保障協議委員会, nation: JPN,
     kind: consultative-body, assumption: true}
  - {id: usa-president, name_en: President, name_ja: 大統領, nation: USA, kind: political-authority,
     head_of_government: true, assumption: true}
  - {id: usa-secdef, name_en: Secretary of Defense, name_ja: 国防長官, nation: USA, kind: political-authority,
     assumption: true}
  - {id: usa-usfj, name_en: U.S. Forces Japan, name_ja: 在日米軍, nation: USA, kind: headquarters,
     assumption: true}
  - {id: usa-5th-af, name_en: Fifth Air Force, name_ja: 第5空軍, nation: USA, kind: component-command,
     assumption: true}
  - {id: lno-taiwan, name_en: Taiwan liaison cell, name_ja: 台湾連絡班, nation: TWN, kind: liaison-cell,
     assumption: true}
relations:
  - {from: jpn-pm, to: jpn-defense-minister, kind: political-direction, assumption: true}
  - {from: jpn-defense-minister, to: jpn-jjoc, kind: command, assumption: true}
  - {from: jpn-jjoc, to: jpn-adc, kind: command, assumption: true}
  - {from: usa-president, to: usa-secdef, kind: political-direction, assumption: true}
  - {from: usa-secdef, to: usa-usfj, kind: command, assumption: true}
  - {from: usa-usfj, to: usa-5th-af, kind: command, assumption: true}
  - {from: usa-usfj, to: usa-5th-af, kind: adcon, assumption: true}
  - {from: jpn-adc, to: usa-5th-af, kind: tacon, active_in: [armed-attack], assumption: true}
  - {from: jpn-jjoc, to: usa-usfj, kind: opcon, active_in: [armed-attack], assumption: true}
  - {from: jpn-jjoc, to: usa-usfj, kind: coordination, active_in: [peacetime], assumption: true}
  - {from: jpn-defense-minister, to: scc, kind: consultation, assumption: true}
  - {from: usa-secdef, to: scc, kind: consultation, assumption: true}
  - {from: jpn-jjoc, to: scc, kind: support, assumption: true}
  - {from: lno-taiwan, to: jpn-jjoc, kind: liaison, assumption: true}
"""


@pytest.fixture(scope="module")
def arch() -> Architecture:
    built, problems = architecture_from_document(parse_yaml(ARRANGEMENT, "t.yaml"))
    assert built is not None, problems
    return built


def _tree(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))


def _joined(element: etree._Element) -> str:
    return "".join(element.itertext())


def _node_names(root: etree._Element) -> dict[str, str]:
    names: dict[str, str] = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            lines = [t.text or "" for t in group.iter(f"{SVG}text") if t.get("class") == "name"]
            names[group.get("data-org", "")] = "".join(lines)
    return names


def _boxes(root: etree._Element) -> list[tuple[float, float, float, float]]:
    return [
        (float(r.get("x", 0)), float(r.get("y", 0)), float(r.get("width", 0)), float(r.get("height", 0)))
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "node-box"
    ]


def _legend_text(root: etree._Element) -> str:
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    return _joined(legend)


def test_svg_parses_with_size_and_viewbox(arch: Architecture) -> None:
    root = _tree(architecture_svg(arch))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_organization_is_named_in_the_chosen_language(arch: Architecture, lang: str) -> None:
    names = _node_names(_tree(architecture_svg(arch, lang=lang)))
    expected = {
        o.id: (o.name_ja if lang == "ja" else o.name_en).replace(" ", "") for o in arch.organizations.values()
    }
    assert {k: v.replace(" ", "") for k, v in names.items()} == expected


def test_legend_lists_every_relation_kind_present_in_both_languages(arch: Architecture) -> None:
    legend = _legend_text(_tree(architecture_svg(arch)))
    for kind in {r.kind for r in arch.relations}:
        assert relation_kind_name(kind, "ja") in legend
    assert "OPCON / 作戦統制" in legend
    assert "political direction / 政治的指示" in legend


def test_relations_inactive_in_the_situation_are_faded(arch: Architecture) -> None:
    root = _tree(architecture_svg(arch, situation="peacetime"))
    edges = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("edge ")]
    faded = {(g.get("data-from"), g.get("data-to"), g.get("data-kind")) for g in edges if g.get("opacity")}
    assert faded == {("jpn-adc", "usa-5th-af", "tacon"), ("jpn-jjoc", "usa-usfj", "opcon")}
    assert "inactive in peacetime" in _legend_text(root)


def test_no_inactive_legend_entry_when_everything_is_active() -> None:
    text = re.sub(r", active_in: \[[^\]]*\]", "", ARRANGEMENT)
    always, _ = architecture_from_document(parse_yaml(text, "t.yaml"))
    assert always is not None
    root = _tree(architecture_svg(always, situation="gray-zone"))
    assert "inactive in" not in _legend_text(root)
    assert not [g for g in root.iter(f"{SVG}g") if g.get("opacity")]


def test_node_boxes_do_not_overlap(arch: Architecture) -> None:
    boxes = _boxes(_tree(architecture_svg(arch)))
    assert len(boxes) == len(arch.organizations)
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in combinations(boxes, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


def test_host_nation_left_united_states_right(arch: Architecture) -> None:
    root = _tree(architecture_svg(arch))
    centre = {
        g.get("data-org"): float(r.get("x", 0)) + float(r.get("width", 0)) / 2
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
        for r in g.iter(f"{SVG}rect")
        if r.get("class") == "node-box"
    }
    assert centre["jpn-pm"] < centre["usa-president"]
    assert centre["jpn-adc"] < centre["usa-5th-af"]


def test_output_is_deterministic(arch: Architecture) -> None:
    assert architecture_svg(arch, lang="ja") == architecture_svg(arch, lang="ja")


def test_text_is_at_least_11px_at_a4_landscape_width(arch: Architecture) -> None:
    root = _tree(architecture_svg(arch))
    scale = A4_LANDSCAPE_PX / float(root.get("width", 1))
    sizes = [float(t.get("font-size", 0)) for t in root.iter(f"{SVG}text")]
    assert min(sizes) * min(scale, 1.0) >= 11


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_bundled_arrangements_fit_a4_width_without_overlaps(arch_id: str) -> None:
    root = _tree(architecture_svg(load_architecture(arch_id), lang="ja"))
    assert float(root.get("width", 0)) <= A4_LANDSCAPE_PX
    boxes = _boxes(root)
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in combinations(boxes, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


def test_cli_writes_the_diagram(tmp_path: Path) -> None:
    source = tmp_path / "t.yaml"
    source.write_text(ARRANGEMENT, encoding="utf-8")
    out = tmp_path / "t.svg"
    result = CliRunner().invoke(app, ["diagram", str(source), "-o", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    assert "統合作戦司令部" in _joined(_tree(out.read_text(encoding="utf-8")))


def test_bilateral_bodies_are_drawn_in_both_nations_colours_with_a_legend_entry() -> None:
    arch = load_architecture("2024-proposal")
    for lang, label in (("en", "bilateral body"), ("ja", "二国間機関")):
        root = _tree(architecture_svg(arch, lang=lang))
        drawn = {
            g.get("data-org")
            for g in root.iter(f"{SVG}g")
            if g.get("class") == "node" and any(b.get("class") == "bilateral" for b in g.iter(f"{SVG}g"))
        }
        assert drawn == {o.id for o in arch.organizations.values() if o.bilateral}
        split = next(b for b in root.iter(f"{SVG}g") if b.get("class") == "bilateral")
        assert split.get("data-nations") == "JPN USA"
        assert len([p for p in split.iter(f"{SVG}path")]) == 2  # one band per nation
        assert label in _legend_text(root)


def test_no_bilateral_legend_entry_without_a_bilateral_body(arch: Architecture) -> None:
    assert "bilateral" not in _legend_text(_tree(architecture_svg(arch)))
