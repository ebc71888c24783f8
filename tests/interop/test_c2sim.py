"""C2SIM export and import: schema validity, stable UUIDs, mapping, bad input, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from interop_strategies import arrangements
from lxml import etree
from typer.testing import CliRunner

from alliance_c2.cli.interop import register
from alliance_c2.interop import (
    SCHEMAS,
    arrangement_from_json,
    export_c2sim,
    import_c2sim,
    organization_uuid,
    parse_xml,
    schema_problems,
)
from alliance_c2.model import CatalogError, bundled_architectures, load_architecture

DATA = Path(__file__).resolve().parent / "data"
NS = SCHEMAS["2.0.0"].namespace
UNIT_KINDS = {"headquarters", "component-command", "unit", "liaison-cell"}
COMMAND_TYPES = {"command", "opcon", "tacon", "adcon"}


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    return app


def _error_line(exc: pytest.ExceptionInfo[CatalogError]) -> str:
    return str(exc.value.problems[0])


@pytest.mark.parametrize("schema", ["2.0.0", "1.1", "1.0.0"])
@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_bundled_arrangement_exports_schema_valid(arch_id: str, schema: str) -> None:
    result = export_c2sim(load_architecture(arch_id), schema=schema)
    tree = parse_xml(result.xml, f"{arch_id}.xml")
    assert etree.QName(tree.getroot()).namespace == SCHEMAS[schema].namespace
    assert schema_problems(tree, schema, f"{arch_id}.xml") == []


def test_reexport_is_identical_and_uuids_derive_from_ids() -> None:
    arch = load_architecture("2024-proposal")
    first, second = export_c2sim(arch).xml, export_c2sim(load_architecture("2024-proposal")).xml
    assert first == second
    assert organization_uuid("2024-proposal", "jpn-jjoc") == organization_uuid("2024-proposal", "jpn-jjoc")
    assert organization_uuid("2024-proposal", "jpn-jjoc").encode() in first


def test_opcon_becomes_opcon_code_on_the_unit() -> None:
    arch = load_architecture("2024-proposal")
    rel = next(r for r in arch.relations if r.kind == "opcon")
    root = parse_xml(export_c2sim(arch).xml, "x.xml").getroot()
    unit_uuid = organization_uuid(arch.id, rel.to_id)
    unit = next(u for u in root.iter(f"{{{NS}}}Unit") if u.findtext(f"{{{NS}}}UUID") == unit_uuid)
    codes = {
        (c.findtext(f"{{{NS}}}ActorReference"), c.findtext(f"{{{NS}}}CommandRelationCode"))
        for c in unit.iter(f"{{{NS}}}CommandRelation")
    }
    assert (organization_uuid(arch.id, rel.from_id), "OPCON") in codes


def test_export_counts_what_it_leaves_out() -> None:
    arch = load_architecture("2015-guidelines")
    left = dict(export_c2sim(arch).left_out)
    expected = sum(1 for r in arch.relations if r.kind == "coordination")
    assert left["coordination"] == expected > 0


def test_import_of_init_sample_has_35_units_and_validates() -> None:
    result = import_c2sim(DATA / "MessageWithC2SimInit.xml")
    assert len(result.architecture.organizations) == 35
    assert not [p for p in result.problems if p.severity == "error"]
    text = " ".join(result.warnings)
    assert "English only" in text and "no governments" in text


def test_import_reports_missing_superior_and_unknown_echelon() -> None:
    text = "\n".join(import_c2sim(DATA / "MessageWithC2SimInit.xml").warnings)
    assert "superior is not defined in this file" in text
    assert "echelon code PLT" in text


@pytest.mark.parametrize(
    ("sample", "needle"),
    [
        ("C2SIMInitialization_small.xml", "no units"),
        ("MessageWithOrder.xml", "order message"),
        ("C2SIMInitialization_error01.xml", "C2SIMInitialization_error01.xml:20: not valid C2SIM"),
    ],
)
def test_unusable_samples_give_one_clear_line(sample: str, needle: str) -> None:
    with pytest.raises(CatalogError) as exc:
        import_c2sim(DATA / sample)
    assert needle in _error_line(exc)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<lolz>&lol2;</lolz>
"""


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (BOMB, ":2: DOCTYPE with entity declarations"),
        (b"<Message xmlns='urn:other'/>", ":1: not a C2SIM document"),
        (
            b"<Message xmlns='http://www.sisostds.org/schemas/C2SIM/1.0'/>",
            ":1: unsupported C2SIM schema version '1.0'",
        ),
        (b"<Message>\n  <open>\n</Message>", ":3: XML syntax error"),
        (b"", ":1: file is empty"),
    ],
)
def test_bad_xml_gives_file_line_reason(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as exc:
        import_c2sim(path)
    assert needle in _error_line(exc)


def test_oversized_file_is_refused_before_parsing() -> None:
    with pytest.raises(CatalogError) as exc:
        import_c2sim(DATA / "MessageWithC2SimInit.xml", max_bytes=1000)
    assert ":1: file too large" in _error_line(exc)


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(BOMB)
    result = CliRunner().invoke(_cli(), ["import", str(path), "--format", "c2sim"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"alliance-c2: error: {path}:2: ")


def test_cli_export_then_import_writes_valid_yaml(tmp_path: Path) -> None:
    xml, out = tmp_path / "a.xml", tmp_path / "a.yaml"
    runner = CliRunner()
    exported = runner.invoke(_cli(), ["export", "us-rok-cfc", "--format", "c2sim", "-o", str(xml)])
    assert exported.exit_code == 0, exported.output
    assert "consultation:" in exported.output
    imported = runner.invoke(_cli(), ["import", str(xml), "-o", str(out), "--json"])
    assert imported.exit_code == 0, imported.output
    summary = json.loads(imported.stdout)
    assert load_architecture(out).id == "us-rok-cfc-imported" == summary["id"]  # a bundled id is suffixed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=arrangements())
def test_c2sim_round_trip_keeps_units_and_every_relation(
    tmp_path_factory: pytest.TempPathFactory, data: dict
) -> None:
    arch, _, _ = arrangement_from_json(json.dumps(data), "random.json")
    result = export_c2sim(arch)
    path = tmp_path_factory.mktemp("rt") / "random.xml"
    path.write_bytes(result.xml)
    back = import_c2sim(path).architecture
    assert {(o.id, o.nation, o.kind, o.name_en) for o in back.organizations.values()} == {
        (o.id, o.nation, o.kind, o.name_en) for o in arch.organizations.values()
    }
    assert {(r.from_id, r.to_id, r.kind, r.active_in) for r in back.relations} == {
        (r.from_id, r.to_id, r.kind, r.active_in) for r in arch.relations
    }
    must_carry = {
        (r.from_id, r.to_id, r.kind)
        for r in arch.relations
        if (r.kind in COMMAND_TYPES and arch.organizations[r.to_id].kind in UNIT_KINDS)
        or (r.kind == "support" and arch.organizations[r.from_id].kind in UNIT_KINDS)
    }
    assert must_carry <= set(result.relations)


def _with_code(code: str) -> bytes:
    """The TNO sample with one unit's relation to its superior recoded as `code`."""
    text = (DATA / "MessageWithC2SimInit.xml").read_text(encoding="utf-8")
    root = parse_xml(text.encode(), "x.xml").getroot()
    known = {u.findtext(f"{{{NS}}}UUID") for u in root.iter(f"{{{NS}}}Unit")}
    unit = next(
        u
        for u in root.iter(f"{{{NS}}}Unit")
        if u.findtext(f"{{{NS}}}EntityDescriptor/{{{NS}}}Superior") in known
        and u.find(f"{{{NS}}}CommandRelation") is None
    )
    superior = unit.findtext(f"{{{NS}}}EntityDescriptor/{{{NS}}}Superior")
    relation = etree.Element(f"{{{NS}}}CommandRelation")
    etree.SubElement(relation, f"{{{NS}}}ActorReference").text = superior
    etree.SubElement(relation, f"{{{NS}}}CommandRelationCode").text = code
    unit.find(f"{{{NS}}}EchelonCode").addprevious(relation)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("code", ["ATTACH", "COAUTH"])
def test_codes_reported_left_out_make_no_command_relation(tmp_path: Path, code: str) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(_with_code(code))
    plain = import_c2sim(DATA / "MessageWithC2SimInit.xml").architecture
    result = import_c2sim(path)
    assert any(f"command relation code {code} has no workbench relation kind" in w for w in result.warnings)
    assert len(result.architecture.relations) == len(plain.relations) - 1


DEEP = b"<a>" * 300 + b"</a>" * 300
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n<lolz>&lol9;</lolz>\n"
)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (LAUGHS, "DOCTYPE with entity declarations is not allowed"),
        (DEEP, "elements are nested too deeply"),
    ],
)
def test_hostile_xml_is_refused_in_plain_words(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as exc:
        import_c2sim(path)
    line = _error_line(exc)
    assert needle in line
    assert "xmlCtxt" not in line and "XML_PARSE" not in line


@pytest.mark.parametrize(
    ("sample", "needle"),
    [
        ("position-report.xml", "this is a report message (ReportBody)"),
        ("position-report2.xml", "this is a report message (ReportBody)"),
        ("c2simheader-auth.xml", "this is a report message (ReportBody)"),
        ("Order.xml", "this is an order message (OrderBody)"),
        ("C2SIMInitialization_stream.xml", "no units"),
        ("C2SIMInitialization_extra_field.xml", "unsupported C2SIM schema version '2.0.0-cwix2026testmodification'"),
        ("C2SIMInitialization_extra_field_1_1.xml", "not valid C2SIM 2.0.0-cwix2026: Element 'CheckingXsdSchema'"),
    ],
)
def test_every_shipped_sample_that_is_not_an_initialization_gives_its_reason(sample: str, needle: str) -> None:
    result = CliRunner().invoke(_cli(), ["import", str(DATA / sample)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]
