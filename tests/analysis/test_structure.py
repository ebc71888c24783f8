"""Structural analysis of the bundled arrangements: levels, chains, civilian control, single points."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from alliance_c2.analysis import analyze, compare, interoperability_level
from alliance_c2.model import load_architecture

EXPECTED_LEVELS = [
    ("2015-guidelines", "peacetime", "coordinated"),
    ("2015-guidelines", "armed-attack", "coordinated"),
    ("2024-proposal", "peacetime", "integrated"),
    ("2024-proposal", "gray-zone", "integrated"),
    ("2024-proposal", "armed-attack", "unified"),
    ("2024-proposal", "survival-threatening", "unified"),
    ("2024-integrated", "peacetime", "integrated"),
    ("2024-integrated", "armed-attack", "integrated"),
    ("us-rok-cfc", "armed-attack", "unified"),
    ("1978-guidelines", "peacetime", "deconflict"),
    ("1997-guidelines", "peacetime", "deconflict"),
    ("1997-guidelines", "armed-attack", "coordinated"),
]


@pytest.mark.parametrize(("arch_id", "situation", "level"), EXPECTED_LEVELS)
def test_derived_level(arch_id: str, situation: str, level: str) -> None:
    assert interoperability_level(load_architecture(arch_id), situation)[0] == level


def test_proposal_is_not_unified_outside_defense_operations() -> None:
    # OPCON of U.S. units passes only in armed-attack and survival-threatening situations.
    assert interoperability_level(load_architecture("2024-proposal"), "peacetime")[0] != "unified"


def test_unified_evidence_names_the_combined_headquarters() -> None:
    _, evidence = interoperability_level(load_architecture("2024-proposal"), "armed-attack")
    assert evidence[0].startswith("jpn-jjoc")


@pytest.mark.parametrize(
    "arch_id", ["1978-guidelines", "1997-guidelines", "2015-guidelines", "2024-integrated", "2024-proposal", "us-rok-cfc"]
)
def test_civilian_control_holds_in_every_bundled_arrangement(arch_id: str) -> None:
    result = analyze(load_architecture(arch_id), "armed-attack")
    assert result.civilian_control["ok"], result.civilian_control


def test_us_unit_in_proposal_has_national_and_operational_chains() -> None:
    result = analyze(load_architecture("2024-proposal"), "armed-attack")
    chains = {c.kind: c for c in result.chains["usa-7th-fleet"]}
    assert chains["national"].path[0] == "usa-president"
    assert chains["national"].path[-1] == "usa-7th-fleet"
    assert chains["operational"].path[0] == "jpn-pm"
    assert "jpn-jjoc" in chains["operational"].path
    assert chains["operational"].relations[-1] == "opcon"


def test_us_unit_in_2015_has_only_its_national_chain() -> None:
    result = analyze(load_architecture("2015-guidelines"), "armed-attack")
    assert [c.kind for c in result.chains["usa-7th-fleet"]] == ["national"]


def test_cross_national_opcon_only_in_proposal_and_cfc() -> None:
    for arch_id, expect in (("2015-guidelines", False), ("2024-integrated", False), ("2024-proposal", True), ("us-rok-cfc", True)):
        cross = analyze(load_architecture(arch_id), "armed-attack").cross_national
        assert any(c["kind"] == "opcon" for c in cross) is expect, arch_id


def test_shared_task_needs_fewer_hops_under_unified_command() -> None:
    hops_2015 = analyze(load_architecture("2015-guidelines"), "armed-attack").coordination_hops["mean"]
    hops_2024 = analyze(load_architecture("2024-proposal"), "armed-attack").coordination_hops["mean"]
    assert hops_2024 < hops_2015


def test_jjoc_is_a_single_point_of_failure_for_japanese_units() -> None:
    points = {p.id: p for p in analyze(load_architecture("2024-proposal"), "armed-attack").single_points_of_failure}
    assert "jpn-jjoc" in points
    assert points["jpn-jjoc"].units_cut > 0


def test_compare_lists_what_differs() -> None:
    result = compare(load_architecture("2015-guidelines"), load_architecture("2024-proposal"))
    assert result["a"]["level"] == "coordinated"
    assert result["b"]["level"] == "unified"
    assert "bocc" in result["organizations_only_in_a"]
    assert any(rel[2] == "opcon" for rel in result["relations_only_in_b"])


def test_analyze_json_has_the_documented_keys() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_c2.cli", "analyze", "2024-proposal", "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    data = json.loads(proc.stdout)
    assert {"id", "situation", "level", "level_rule", "chains", "single_points_of_failure"} <= set(data)
    assert data["level"] == "unified"
    assert data["situation"] == "armed-attack"


def test_cfc_chain_runs_through_the_bilateral_committees_to_its_host_nation() -> None:
    result = analyze(load_architecture("us-rok-cfc"), "armed-attack")
    operational = next(c for c in result.chains["rok-designated-ground-units"] if c.kind == "operational")
    assert operational.path == ("rok-president", "rok-mnd", "scm", "mcm", "cfc", "cfc-gcc", "rok-designated-ground-units")
    assert operational.relations[:2] == ("political-direction", "consultation")


def test_a_bilateral_body_link_is_not_cross_national() -> None:
    # MCM (ROK and U.S.) directs CFC (recorded under ROK): the link stays within the nations it joins.
    cross = analyze(load_architecture("us-rok-cfc"), "armed-attack").cross_national
    assert not any(c["from"] == "mcm" for c in cross)
