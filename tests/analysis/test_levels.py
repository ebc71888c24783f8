"""The derived level: the study's definitions quoted, this project's rules, the proposal as the study draws it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_c2.analysis import interoperability_level, level_of, levels_by_situation
from alliance_c2.api import validate as validate_any
from alliance_c2.model import load_architecture, situation_ids
from alliance_c2.model.levels import LEVELS_FILE, RULES, level_catalog

STUDY_EXCERPTS = Path(__file__).resolve().parents[1] / "data" / "study-level-definitions.md"
SEED_JA = Path(__file__).resolve().parents[3] / "shared" / "domain" / "seed-ja.txt"
SEED_SUMMARY = SEED_JA.with_name("seed-summary.md")

# Two nations, each with a head of government, a headquarters and a unit; the test adds one link.
TWO_NATIONS = """kind: architecture
id: two
name_en: Two
name_ja: 二国
source: test
organizations:
  - {id: jpn-pm, name_en: PM, name_ja: 首相, nation: JPN, kind: political-authority, head_of_government: true, source: test}
  - {id: usa-president, name_en: President, name_ja: 大統領, nation: USA, kind: political-authority, head_of_government: true, source: test}
  - {id: jpn-hq, name_en: Japanese HQ, name_ja: 日本の司令部, nation: JPN, kind: headquarters, source: test}
  - {id: usa-hq, name_en: U.S. HQ, name_ja: 米国の司令部, nation: USA, kind: headquarters, source: test}
  - {id: jpn-unit, name_en: Japanese unit, name_ja: 日本の部隊, nation: JPN, kind: unit, source: test}
  - {id: usa-unit, name_en: U.S. unit, name_ja: 米国の部隊, nation: USA, kind: unit, source: test}
  - {id: body, name_en: Body, name_ja: 機関, nations: [JPN, USA], kind: consultative-body, source: test}
relations:
  - {from: jpn-pm, to: jpn-hq, kind: command, source: test}
  - {from: usa-president, to: usa-hq, kind: command, source: test}
  - {from: jpn-hq, to: jpn-unit, kind: command, source: test}
  - {from: usa-hq, to: usa-unit, kind: command, source: test}
"""


def _two_nations(tmp_path: Path, *links: str):
    path = tmp_path / "two.yaml"
    path.write_text(TWO_NATIONS + "".join(f"  - {{{link}, source: test}}\n" for link in links), encoding="utf-8")
    return load_architecture(path)


def test_consultation_alone_does_not_make_forces_coordinated(tmp_path: Path) -> None:
    arch = _two_nations(tmp_path, "from: jpn-hq, to: body, kind: consultation", "from: usa-hq, to: body, kind: consultation")
    level, evidence = interoperability_level(arch, "peacetime")
    assert level == "deconflict"
    assert any("consultation only" in e for e in evidence)


def test_coordination_of_both_forces_in_one_body_is_coordinated(tmp_path: Path) -> None:
    arch = _two_nations(tmp_path, "from: jpn-hq, to: body, kind: coordination", "from: usa-hq, to: body, kind: coordination")
    result = level_of(arch, "peacetime")
    assert (result.level, result.rule, result.body) == ("coordinated", "coordination-body", "body")


def test_a_single_cross_national_tacon_link_is_integration_not_unification(tmp_path: Path) -> None:
    arch = _two_nations(tmp_path, "from: jpn-hq, to: usa-unit, kind: tacon")
    assert interoperability_level(arch, "armed-attack")[0] == "integrated"
    result = level_of(arch, "armed-attack")
    assert (result.rule, result.body) == ("cross-national-tacon", "jpn-hq")


def test_opcon_over_the_other_nations_force_is_unified(tmp_path: Path) -> None:
    arch = _two_nations(tmp_path, "from: jpn-hq, to: usa-unit, kind: opcon")
    result = level_of(arch, "armed-attack")
    assert (result.level, result.rule, result.body) == ("unified", "combined-commander-opcon", "jpn-hq")


def test_liaison_officers_do_not_make_a_combined_staff(tmp_path: Path) -> None:
    text_links = ("from: usa-hq, to: jpn-hq, kind: liaison",)
    arch = _two_nations(tmp_path, *text_links)
    assert level_of(arch, "peacetime").level == "deconflict"


def test_relation_marked_as_interpretation_flags_the_level(tmp_path: Path) -> None:
    arch = _two_nations(
        tmp_path,
        "from: jpn-hq, to: usa-unit, kind: opcon, active_in: [armed-attack, survival-threatening], "
        "interpreted_in: [survival-threatening], note_en: reading",
    )
    assert not level_of(arch, "armed-attack").interpretation
    marked = level_of(arch, "survival-threatening")
    assert marked.level == "unified" and marked.interpretation
    assert any(e.startswith("interpretation:") for e in marked.evidence)


def test_interpreted_in_outside_active_in_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        TWO_NATIONS + "  - {from: jpn-hq, to: usa-unit, kind: opcon, active_in: [armed-attack], "
        "interpreted_in: [peacetime], note_en: reading, source: test}\n",
        encoding="utf-8",
    )
    errors = [str(p) for p in validate_any(path) if p.severity == "error"]
    assert errors and "peacetime not in active_in" in errors[0] and errors[0].startswith(f"{path}:19:")


def test_proposal_is_at_least_integrated_everywhere_and_unified_in_armed_attack() -> None:
    arch = load_architecture("2024-proposal")
    levels = levels_by_situation(arch)
    assert all(levels[s] in ("integrated", "unified") for s in situation_ids()), levels
    assert levels["peacetime"] == "integrated"
    armed = level_of(arch, "armed-attack")
    assert (armed.level, armed.body, armed.interpretation) == ("unified", "jpn-jjoc", False)


def test_proposal_is_unified_in_survival_threatening_only_as_a_marked_interpretation() -> None:
    result = level_of(load_architecture("2024-proposal"), "survival-threatening")
    assert result.level == "unified"
    assert result.interpretation


def test_proposal_combined_staff_is_standing() -> None:
    arch = load_architecture("2024-proposal")
    deputy = next(r for r in arch.relations if (r.from_id, r.to_id, r.kind) == ("usa-usfj", "jpn-jjoc", "support"))
    assert deputy.active_in is None
    result = level_of(arch, "gray-zone")
    assert (result.rule, result.body) == ("combined-staff", "jpn-jjoc")


def test_integrated_alternative_is_integrated_in_every_situation_with_national_opcon() -> None:
    arch = load_architecture("2024-integrated")
    for situation in situation_ids():
        result = level_of(arch, situation)
        assert (result.level, result.rule, result.body) == ("integrated", "combined-staff", "jpn-jjoc"), situation
    crossing = [
        r for r in arch.relations
        if r.kind in ("command", "opcon", "tacon") and arch.organizations[r.from_id].nation != arch.organizations[r.to_id].nation
    ]
    assert crossing == []


@pytest.mark.parametrize(
    ("arch_id", "expected"),
    [
        ("2015-guidelines", {s: "coordinated" for s in situation_ids()}),
        ("us-rok-cfc", {s: ("unified" if s == "armed-attack" else "integrated") for s in situation_ids()}),
    ],
)
def test_other_arrangements_keep_their_levels(arch_id: str, expected: dict[str, str]) -> None:
    assert levels_by_situation(load_architecture(arch_id)) == expected


def test_wrapper_keeps_the_commander_first_in_the_evidence() -> None:
    # The simulation reads the first word of the evidence until it switches to level_of().body.
    arch = load_architecture("us-rok-cfc")
    level, evidence = interoperability_level(arch, "armed-attack")
    assert level == "unified"
    assert evidence[0].split(" ", 1)[0] == level_of(arch, "armed-attack").body == "cfc"


def _study_excerpts() -> tuple[str, str]:
    text = STUDY_EXCERPTS.read_text(encoding="utf-8")
    ja, en = text.split("## ja", 1)[1].split("## en", 1)
    return "".join(ja.split()), en


def test_definitions_are_quoted_from_the_study() -> None:
    ja, en = _study_excerpts()
    for level, definition in level_catalog().levels.items():
        assert definition.definition_ja in ja, level
        assert definition.name_ja in ja and definition.name_en in en, level


def test_excerpts_are_verbatim() -> None:
    """The passages kept in tests/data stand word for word in the study the project was built from."""
    if not SEED_JA.exists():
        pytest.skip(f"the study's text {SEED_JA} is not beside this checkout: excerpts not compared")
    # The text of the study was extracted from a laid-out page: lines break mid-sentence.
    text = "".join(SEED_JA.read_text(encoding="utf-8").split())
    summary = SEED_SUMMARY.read_text(encoding="utf-8")
    _, en = _study_excerpts()
    passages = [p for p in STUDY_EXCERPTS.read_text(encoding="utf-8").split("## ja", 1)[1].split("## en")[0]
                .splitlines() if p.strip()]
    assert passages and all(p.strip() in text for p in passages)
    assert all(line in summary for line in en.splitlines() if line.strip())


def test_every_rule_the_code_applies_is_in_the_catalog_and_marked_as_interpretation() -> None:
    catalog = level_catalog()
    assert set(RULES) == set(catalog.rules)
    assert all(rule.assumption and rule.text_en and rule.text_ja for rule in catalog.rules.values())


def test_levels_catalog_validates_strictly() -> None:
    assert validate_any(LEVELS_FILE, strict=True) == []


def test_levels_catalog_refuses_a_missing_level(tmp_path: Path) -> None:
    text = LEVELS_FILE.read_text(encoding="utf-8")
    start = text.index("  - id: integrated")
    end = text.index("  - id: unified")
    path = tmp_path / "levels.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = [str(p) for p in validate_any(path, strict=True)]
    assert problems and "missing rule(s) combined-staff, cross-national-tacon" in problems[0]


def test_analyze_json_carries_the_studys_definition_beside_the_rule() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_c2.cli", "analyze", "2024-proposal", "--situation", "survival-threatening", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    decision = json.loads(proc.stdout)["level_decision"]
    assert decision["level"] == "unified"
    assert decision["definition"]["text_ja"] == "部隊がシームレスに連携し国家要素間の指揮統制に容易に移行できる。"
    assert decision["definition"]["by"] == "study"
    assert decision["definition"]["text_en"].startswith("Forces link seamlessly")
    assert decision["rule"]["id"] == "combined-commander-opcon"
    assert decision["rule"]["by"] == "this project's interpretation"
    assert decision["interpretation"] is True
    assert decision["body"] == "jpn-jjoc"


def test_analyze_in_japanese_quotes_the_definition_and_labels_the_rule(cli) -> None:
    code, out, _ = cli("analyze", "2024-integrated", "--lang", "ja")
    assert code == 0
    assert "「力を合わせて支えあう。」" in out
    assert "本プロジェクトの解釈" in out


def test_docs_quote_the_four_definitions_and_every_rule() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "levels.md").read_text(encoding="utf-8")
    catalog = level_catalog()
    for definition in catalog.levels.values():
        assert definition.definition_ja in docs and definition.definition_en in docs
    for rule_id in catalog.rules:
        assert f"`{rule_id}`" in docs
