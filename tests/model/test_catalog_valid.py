"""The bundled catalog is complete: every arrangement, and every file of every kind, validates under --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from alliance_c2.api import validate
from alliance_c2.model import ARCHITECTURES_DIR, bundled_architectures, load_architecture, validate_file
from alliance_c2.model.paths import BUNDLED_CATALOG_DIR

EXPECTED = {"1978-guidelines", "1997-guidelines", "2015-guidelines", "2024-integrated", "2024-proposal", "us-rok-cfc"}


def test_all_six_arrangements_are_bundled() -> None:
    assert set(bundled_architectures()) >= EXPECTED


@pytest.mark.parametrize("arch_id", sorted(EXPECTED))
def test_bundled_arrangement_has_no_problem_under_strict(arch_id: str) -> None:
    problems = validate_file(ARCHITECTURES_DIR / f"{arch_id}.yaml", strict=True)
    assert problems == []


@pytest.mark.parametrize("arch_id", sorted(EXPECTED))
def test_every_element_is_sourced_and_bilingual(arch_id: str) -> None:
    arch = load_architecture(arch_id, strict=True)
    for org in arch.organizations.values():
        assert org.name_en and org.name_ja, org.id
        assert org.source or org.assumption, org.id
    for rel in arch.relations:
        assert rel.source or rel.assumption, (rel.from_id, rel.to_id)


def test_2024_proposal_contains_every_element_of_the_studys_figure() -> None:
    arch = load_architecture("2024-proposal")
    required = {
        "jpn-pm", "usa-president", "scc", "adcc", "jpn-cabinet-secretariat", "jpn-mofa", "jpn-mod",
        "jpn-defense-minister", "usa-state", "usa-dod", "usa-embassy-tokyo", "usa-usfj", "usa-indopacom",
        "jpn-jjoc", "jpn-gcc", "jpn-sdf-fleet", "jpn-adc", "acg", "edd", "lno-unc", "lno-taiwan",
        "jpn-cyber-defense-command", "jpn-space-operations-group",
    }
    assert required <= set(arch.organizations)
    assert arch.organizations["jpn-jjoc"].combined
    assert arch.organizations["jpn-jjoc"].nation == "JPN"
    roles = {r.id for org_id in ("jpn-gcc", "jpn-sdf-fleet", "jpn-adc") for r in arch.organizations[org_id].roles}
    assert {"jflcc", "jfmcc", "jfacc"} <= roles
    assert "joint-target-list" in {p.id for p in arch.plans}
    for component in ("jpn-gcc", "jpn-sdf-fleet", "jpn-adc"):
        nations = {arch.organizations[r.to_id].nation for r in arch.relations_from(component, "armed-attack") if r.kind in ("command", "opcon")}
        assert nations == {"JPN", "USA"}, component


def test_opcon_of_us_units_is_active_only_in_defense_operations() -> None:
    arch = load_architecture("2024-proposal")
    cross = [r for r in arch.relations if r.kind == "opcon" and arch.organizations[r.to_id].nation == "USA"]
    assert cross
    for rel in cross:
        assert rel.active_in == frozenset({"armed-attack", "survival-threatening"})


def test_era_correct_bodies_in_1978_and_1997() -> None:
    for arch_id in ("1978-guidelines", "1997-guidelines"):
        arch = load_architecture(arch_id)
        assert "jpn-jjoc" not in arch.organizations
        assert "jpn-gcc" not in arch.organizations
        assert "usa-indopacom" not in arch.organizations


def test_proposal_planning_runs_from_the_scc_instruction_to_the_combined_commander() -> None:
    arch = load_architecture("2024-proposal")
    edges = {(r.from_id, r.to_id, r.kind) for r in arch.relations}
    assert ("scc", "alliance-planning-cell", "political-direction") in edges
    assert ("alliance-planning-cell", "jpn-jjoc", "support") in edges
    assert ("jpn-jjoc", "alliance-planning-cell", "support") not in edges
    assert ("alliance-planning-cell", "scc", "consultation") not in edges
    jtl = next(p for p in arch.plans if p.id == "joint-target-list")
    assert (jtl.owner, jtl.directed_by) == ("jpn-jjoc", "scc")


def test_scc_gains_no_authority_over_forces_from_its_instruction() -> None:
    # The instruction to draw up plans reaches the planning function, never a headquarters or unit.
    arch = load_architecture("2024-proposal")
    directed = {r.to_id for r in arch.relations_from("scc") if r.kind in ("political-direction", "command", "opcon", "tacon")}
    assert all(not arch.organizations[o].is_military for o in directed)


def test_cfc_is_directed_by_the_military_committee_not_the_rok_jcs() -> None:
    arch = load_architecture("us-rok-cfc")
    above = {(r.from_id, r.kind) for r in arch.relations_to("cfc") if r.kind in ("political-direction", "command")}
    assert above == {("mcm", "political-direction")}
    assert ("scm", "political-direction") in {(r.from_id, r.kind) for r in arch.relations_to("mcm")}
    usfk = arch.organizations["usa-usfk"]
    assert any("CFC" in role.name_en for role in usfk.roles)


def test_peacetime_opcon_of_rok_forces_cites_the_1994_return() -> None:
    arch = load_architecture("us-rok-cfc")
    national = [r for r in arch.relations_from("rok-jcs") if r.kind == "command"]
    assert len(national) == 3
    for rel in national:
        assert not rel.assumption and rel.source and "1994" in rel.source


def test_1997_bcc_names_the_joint_staff_council() -> None:
    arch = load_architecture("1997-guidelines")
    assert "jpn-jsc" in {r.from_id for r in arch.relations_to("bcc")}
    assert "jpn-joint-staff" not in arch.organizations
    assert "Joint Staff Council" in (arch.organizations["bcc"].note_en or "")


@pytest.mark.parametrize(
    "path", sorted(BUNDLED_CATALOG_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(BUNDLED_CATALOG_DIR))
)
def test_every_bundled_catalog_file_validates_strictly(path: Path) -> None:
    """`alliance-c2 validate --strict` knows every kind the catalog holds and finds nothing wrong in it."""
    assert [str(p) for p in validate(path, strict=True)] == []
