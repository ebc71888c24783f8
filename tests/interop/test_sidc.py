"""Every military organization in the bundled arrangements has an APP-6C SIDC that agrees with its kind."""

from __future__ import annotations

import pytest

from alliance_c2.interop.codes import sidc_rule_problems
from alliance_c2.model import bundled_architectures, load_architecture
from alliance_c2.model.schema import SIDC_PATTERN

SYMBOL_KINDS = {"headquarters", "component-command", "unit", "liaison-cell"}


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_every_military_organization_and_liaison_cell_has_a_sidc(arch_id: str) -> None:
    arch = load_architecture(arch_id)
    bad = [
        o.id
        for o in arch.organizations.values()
        if o.kind in SYMBOL_KINDS and not (o.sidc and len(o.sidc) == 15 and SIDC_PATTERN.match(o.sidc))
    ]
    assert bad == []


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_kind_echelon_and_sidc_agree(arch_id: str) -> None:
    arch = load_architecture(arch_id)
    problems = {
        o.id: sidc_rule_problems(o.kind, o.echelon, o.sidc)
        for o in arch.organizations.values()
        if o.sidc and sidc_rule_problems(o.kind, o.echelon, o.sidc)
    }
    assert problems == {}


@pytest.mark.parametrize(
    ("kind", "echelon", "sidc", "needle"),
    [
        ("component-command", "command", "SFSPCL----ANJA-", "air, sea and space symbols"),
        ("unit", "command", "SFAPMF----ANUS-", "air, sea and space symbols"),
        ("unit", "army", "SFGPUH----AKJA-", "headquarters marker belongs to headquarters only"),
        ("headquarters", "command", "SFGPUH-----NJA-", "a headquarters carries the headquarters marker"),
        ("unit", "division", "SFGPUCI----HJA-", "echelon division is position 12 'I'"),
        ("liaison-cell", None, "SFGPU----------", "land liaison symbol"),
    ],
)
def test_the_rule_catches_what_the_audit_fixed(kind: str, echelon: str | None, sidc: str, needle: str) -> None:
    assert any(needle in p for p in sidc_rule_problems(kind, echelon, sidc))
