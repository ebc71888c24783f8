"""APP-6 symbols: every bundled SIDC renders with milsymbol, and the diagram draws one per coded organization."""

from __future__ import annotations

import pytest
from lxml import etree

from alliance_c2.model import bundled_architectures, load_architecture
from alliance_c2.report.diagram import architecture_svg
from alliance_c2.report.symbols import render_symbol

SVG = "{http://www.w3.org/2000/svg}"
BUNDLED_SIDCS = sorted(
    {o.sidc for a in bundled_architectures() for o in load_architecture(a).organizations.values() if o.sidc}
)


@pytest.mark.parametrize("sidc", BUNDLED_SIDCS)
def test_every_bundled_sidc_renders_as_a_valid_symbol(sidc: str) -> None:
    symbol = render_symbol(sidc)
    assert symbol.valid, sidc
    root = etree.fromstring(symbol.svg.encode())
    assert root.tag == f"{SVG}svg" and len(root) > 0
    assert symbol.width > 10 and symbol.height > 10


def test_an_unknown_code_is_flagged_not_hidden() -> None:
    assert not render_symbol("SFGPZZZZZZ-----").valid


def test_headquarters_staff_makes_the_symbol_taller_than_the_formation() -> None:
    hq, formation = render_symbol("SFGPUH----ANJA-"), render_symbol("SFGPU------NJA-")
    assert hq.height > formation.height


def test_hostile_symbols_differ_from_friendly_ones() -> None:
    assert render_symbol("SHGPUCI----H---").svg != render_symbol("SFGPUCI----H---").svg


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_diagram_draws_each_coded_organization_with_its_symbol(arch_id: str) -> None:
    arch = load_architecture(arch_id)
    root = etree.fromstring(architecture_svg(arch).encode())
    drawn = {
        node.get("data-org"): [s.get("data-sidc") for s in node.iter(f"{SVG}svg") if s.get("class") == "app6"]
        for node in root.iter(f"{SVG}g")
        if node.get("class") == "node"
    }
    assert drawn == {o.id: ([o.sidc] if o.sidc else []) for o in arch.organizations.values()}


def test_diagram_is_deterministic() -> None:
    arch = load_architecture("2024-proposal")
    assert architecture_svg(arch) == architecture_svg(load_architecture("2024-proposal"))
