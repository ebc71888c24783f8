"""The bundled catalog is complete: every arrangement validates under --strict."""

from __future__ import annotations

import pytest

from alliance_c2.model import ARCHITECTURES_DIR, bundled_architectures, load_architecture, validate_file

EXPECTED = {"1978-guidelines", "1997-guidelines", "2015-guidelines", "2024-proposal", "us-rok-cfc"}


def test_all_five_arrangements_are_bundled() -> None:
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
