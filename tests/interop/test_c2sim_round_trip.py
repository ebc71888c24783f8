"""What survives a C2SIM round trip, exactly: bundled arrangements and the partner samples we ship."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from alliance_c2.analysis import interoperability_level
from alliance_c2.interop import SCHEMAS, entity_uuid, export_c2sim, import_c2sim, parse_xml
from alliance_c2.model import Architecture, bundled_architectures, load_architecture, situation_ids

DATA = Path(__file__).resolve().parent / "data"
EDITIONS = ("2.0.0", "1.1", "1.0.0")


def _round_trip(tmp_path: Path, arch: Architecture, edition: str) -> tuple[Architecture, set[tuple[str, str, str]]]:
    exported = export_c2sim(arch, schema=edition)
    path = tmp_path / f"{arch.id}-{edition}.xml"
    path.write_bytes(exported.xml)
    return import_c2sim(path).architecture, set(exported.relations)


def _without_country(sidc: str | None) -> str | None:
    return None if sidc is None else sidc[:12] + "--" + sidc[14]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_bundled_round_trip_keeps_exactly_the_carried_fields(tmp_path: Path, arch_id: str, edition: str) -> None:
    arch = load_architecture(arch_id)
    back, carried = _round_trip(tmp_path, arch, edition)
    assert back.id == arch.id
    assert list(back.organizations) == list(arch.organizations)
    for org in arch.organizations.values():
        got = back.organizations[org.id]
        kept = (org.name_en, org.name_ja, org.nation, org.kind, org.echelon, org.combined, org.head_of_government)
        assert (got.name_en, got.name_ja, got.nation, got.kind, got.echelon, got.combined, got.head_of_government) == kept
        assert (got.alternate, got.predecessor_of, got.assumption, got.unconfirmed) == (
            org.alternate,
            org.predecessor_of,
            org.assumption,
            org.unconfirmed,
        )
        # SIDC positions 13-14 (country) are '--' in every C2SIM edition.
        assert got.sidc == _without_country(org.sidc)
        assert got.c2sim_uuid == entity_uuid(arch, org.id)
        # Not carried (docs/interchange.md): notes, sources, roles.
        assert (got.note_en, got.roles) == (None, ())
    # Relations in C2SIM slots (Superior, CommandRelation) for every system; the rest, and the
    # situations of conditional ones, as urn:alliance-c2:relation NamedEntityType.
    assert carried <= {(r.from_id, r.to_id, r.kind) for r in arch.relations}
    assert {(r.from_id, r.to_id, r.kind, r.active_in) for r in back.relations} == {
        (r.from_id, r.to_id, r.kind, r.active_in) for r in arch.relations
    }
    assert back.plans == () and back.era is None and back.description_en is None


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_bundled_levels_survive_the_round_trip(tmp_path: Path, arch_id: str) -> None:
    arch = load_architecture(arch_id)
    back, _ = _round_trip(tmp_path, arch, "2.0.0")
    for situation in situation_ids():
        assert interoperability_level(back, situation)[0] == interoperability_level(arch, situation)[0], situation


def test_us_rok_cfc_keeps_combined_and_its_level(tmp_path: Path) -> None:
    arch = load_architecture("us-rok-cfc")
    back, _ = _round_trip(tmp_path, arch, "2.0.0")
    assert back.organizations["cfc"].combined
    assert {s: interoperability_level(back, s)[0] for s in situation_ids()} == {
        s: interoperability_level(arch, s)[0] for s in situation_ids()
    }
    assert interoperability_level(back, "peacetime")[0] == "integrated"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_reexport_of_an_imported_arrangement_is_identical(tmp_path: Path, arch_id: str, edition: str) -> None:
    first = export_c2sim(load_architecture(arch_id), schema=edition).xml
    path = tmp_path / "first.xml"
    path.write_bytes(first)
    assert export_c2sim(import_c2sim(path).architecture, schema=edition).xml == first


def _entities(xml: bytes) -> dict[str, tuple[str | None, str | None]]:
    """UUID -> (name, side UUID) of every organization entity."""
    root = parse_xml(xml, "x.xml").getroot()
    ns = etree.QName(root).namespace
    out = {}
    for el in root.iter(f"{{{ns}}}Unit", f"{{{ns}}}NonMilitaryOrganization"):
        out[el.findtext(f"{{{ns}}}UUID")] = (el.findtext(f"{{{ns}}}Name"), el.findtext(f"{{{ns}}}EntityDescriptor/{{{ns}}}Side"))
    return out


def _sides(xml: bytes) -> dict[str, tuple[str | None, frozenset[tuple[str | None, str | None]]]]:
    root = parse_xml(xml, "x.xml").getroot()
    ns = etree.QName(root).namespace
    return {
        side.findtext(f"{{{ns}}}UUID") or "": (
            side.findtext(f"{{{ns}}}Name"),
            frozenset(
                (rel.findtext(f"{{{ns}}}HostilityStatusCode"), rel.findtext(f"{{{ns}}}OtherSide"))
                for rel in side.iter(f"{{{ns}}}ForceSideRelation")
            ),
        )
        for side in root.iter(f"{{{ns}}}ForceSide")
    }


def test_partner_sample_keeps_uuids_sides_and_hostility() -> None:
    original = (DATA / "MessageWithC2SimInit.xml").read_bytes()
    imported = import_c2sim(DATA / "MessageWithC2SimInit.xml")
    again = export_c2sim(imported.architecture).xml
    before, after = _entities(original), _entities(again)
    assert len(before) == 35 and before == after
    assert _sides(again) == _sides(original)
    hostile = {s.id: dict(s.hostility) for s in imported.architecture.sides}
    assert hostile["natocoalition"]["wasa"] == "HO" and hostile["wasa"]["natocoalition"] == "HO"


def test_hostile_sidcs_stay_on_the_hostile_side() -> None:
    arch = import_c2sim(DATA / "MessageWithC2SimInit.xml").architecture
    side_of = {n: s.id for s in arch.sides for n in s.nations}
    hostile_units = {o.id for o in arch.organizations.values() if o.sidc and o.sidc[1] == "H"}
    assert hostile_units and {side_of[arch.organizations[o].nation] for o in hostile_units} == {"wasa"}


def test_partner_sample_survives_every_edition(tmp_path: Path) -> None:
    arch = import_c2sim(DATA / "MessageWithC2SimInit.xml").architecture
    for edition in EDITIONS:
        path = tmp_path / f"{edition}.xml"
        path.write_bytes(export_c2sim(arch, schema=edition).xml)
        back = import_c2sim(path).architecture
        assert {o.c2sim_uuid for o in back.organizations.values()} == {o.c2sim_uuid for o in arch.organizations.values()}
        assert [(s.id, s.nations, s.hostility, s.c2sim_uuid) for s in back.sides] == [
            (s.id, s.nations, s.hostility, s.c2sim_uuid) for s in arch.sides
        ]
        assert etree.QName(parse_xml(path.read_bytes(), "x").getroot()).namespace == SCHEMAS[edition].namespace
