"""The Guidelines history: versions load strictly, show, and diff with the study's changes."""

from __future__ import annotations

import itertools
import json

import pytest

from alliance_c2.api import validate as validate_any
from alliance_c2.model.guidelines import GUIDELINES_DIR, diff_guidelines, guidelines_versions, load_guidelines
from alliance_c2.model.load import bundled_architectures


def test_versions_are_chronological() -> None:
    assert guidelines_versions() == ["1978", "1997", "2015", "2024-proposal"]


@pytest.mark.parametrize("version", ["1978", "1997", "2015", "2024-proposal"])
def test_version_file_validates_strictly(version: str) -> None:
    assert validate_any(GUIDELINES_DIR / f"{version}.yaml", strict=True) == []


@pytest.mark.parametrize("version", ["1978", "1997", "2015", "2024-proposal"])
def test_version_points_to_a_bundled_arrangement(version: str) -> None:
    assert load_guidelines(version).architecture in bundled_architectures()


def test_replacements_point_to_elements_of_the_previous_version() -> None:
    versions = guidelines_versions()
    for previous, current in itertools.pairwise(versions):
        old_ids = {e.id for e in load_guidelines(previous).elements}
        for element in load_guidelines(current).elements:
            assert set(element.replaces) <= old_ids, (current, element.id)


def test_diff_2015_to_proposal_lists_the_studys_changes() -> None:
    result = diff_guidelines("2015", "2024-proposal")
    replaced = {(tuple(r["from"]), r["to"]) for r in result["replaced"]}
    assert any("acm" in old and new == "unified-c2-jjoc" for old, new in replaced)
    assert any("bpm" in old and new == "alliance-c2-mechanism-planning" for old, new in replaced)
    assert any("air-missile-defense" in old and new == "iamd-counterstrike" for old, new in replaced)
    added = {e["id"] for e in result["added"]}
    assert {"combined-commander-jsdf", "opcon-transfer-law", "joint-target-list"} <= added
    assert "acm" not in {e["id"] for e in result["removed"]}


def test_proposal_adds_liaison_officers_and_plans_without_replacing_coordination_or_the_bpm() -> None:
    result = diff_guidelines("2015", "2024-proposal")
    added = {e["id"] for e in result["added"]}
    assert {"multinational-liaison-jjoc", "taiwan-strait-plan"} <= added
    assert "operational-coordination" in result["kept"]
    replaced_by = {r["to"]: r["from"] for r in result["replaced"]}
    assert replaced_by["alliance-c2-mechanism-planning"] == ["bpm"]
    assert "taiwan-strait-plan" not in replaced_by
    assert "multinational-liaison-jjoc" not in replaced_by


def test_1997_bilateral_coordination_center_names_the_joint_staff_council() -> None:
    element = load_guidelines("1997").element("bilateral-coordination-mechanism")
    assert element is not None
    assert "Joint Staff Council and service staffs" in (element.note_en or "")
    assert "統合幕僚会議" in (element.note_ja or "")


def test_diff_1997_to_2015_replaces_the_contingency_only_mechanism() -> None:
    result = diff_guidelines("1997", "2015")
    assert any(r["to"] == "acm" and "bilateral-coordination-mechanism" in r["from"] for r in result["replaced"])
    assert "common-readiness-stages" in {e["id"] for e in result["removed"]}


def test_unknown_version_is_refused_with_choices(cli) -> None:
    code, _, err = cli("guidelines", "show", "2016")
    assert code == 2
    assert "did you mean" in err and "2015" in err


def test_cli_diff_json(cli) -> None:
    code, out, _ = cli("guidelines", "diff", "2015", "2024-proposal", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["from"] == "2015" and data["to"] == "2024-proposal"
    assert data["replaced"]


def test_cli_show_in_japanese(cli) -> None:
    code, out, _ = cli("guidelines", "show", "2015", "--lang", "ja")
    assert code == 0
    assert "同盟調整メカニズム" in out
