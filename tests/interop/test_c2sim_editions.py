"""C2SIM editions: 2.0.0, 1.1 (CWIX2025) and 1.0.0 (same namespace as 1.1) in and out."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from lxml import etree
from typer.testing import CliRunner

from alliance_c2.cli.interop import register
from alliance_c2.interop import SCHEMAS, export_c2sim, import_c2sim, parse_xml, schema_problems
from alliance_c2.model import CatalogError, bundled_architectures, load_architecture

EDITIONS = ("2.0.0", "1.1", "1.0.0")
NS_11 = SCHEMAS["1.1"].namespace


def _cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    return app


def _write(tmp_path: Path, arch_id: str, edition: str) -> Path:
    path = tmp_path / f"{arch_id}-{edition}.xml"
    path.write_bytes(export_c2sim(load_architecture(arch_id), schema=edition).xml)
    return path


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_1_0_0_export_is_valid_in_the_1_1_namespace_and_not_cwix2025(arch_id: str) -> None:
    tree = parse_xml(export_c2sim(load_architecture(arch_id), schema="1.0.0").xml, "x.xml")
    assert etree.QName(tree.getroot()).namespace == NS_11
    assert schema_problems(tree, "1.0.0", "x.xml") == []
    # The two editions of one namespace differ: the importer must try both.
    assert schema_problems(tree, "1.1", "x.xml") != []


@pytest.mark.parametrize("edition", EDITIONS)
def test_import_names_the_edition_it_read(tmp_path: Path, edition: str) -> None:
    result = import_c2sim(_write(tmp_path, "2024-proposal", edition))
    assert result.edition == edition
    assert len(result.architecture.organizations) == len(load_architecture("2024-proposal").organizations)


def test_cli_import_of_1_0_0_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "us-rok-cfc", "1.0.0")
    result = CliRunner().invoke(_cli(), ["import", str(path), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 0, result.output
    assert "read C2SIM edition 1.0.0" in result.output


def test_forced_edition_must_accept_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "us-rok-cfc", "1.0.0")
    with pytest.raises(CatalogError) as exc:
        import_c2sim(path, edition="1.1")
    assert "not valid C2SIM 1.1 (CWIX2025)" in str(exc.value.problems[0])
    assert import_c2sim(path, edition="1.0.0").edition == "1.0.0"


def test_forced_edition_of_another_namespace_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "us-rok-cfc", "1.1")
    runner = CliRunner()
    result = runner.invoke(_cli(), ["import", str(path), "--c2sim-schema", "2.0.0"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "but C2SIM 2.0.0-cwix2026 uses" in lines[0]


def test_a_1_1_namespace_file_valid_against_neither_names_both(tmp_path: Path) -> None:
    text = _write(tmp_path, "us-rok-cfc", "1.0.0").read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("<UUID>", "<UUID>not-a-uuid", 1), encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        import_c2sim(broken)
    line = str(exc.value.problems[0])
    assert "not valid C2SIM 1.1 (CWIX2025)" in line and "nor C2SIM 1.0.0" in line
    assert "{http" not in line


def test_export_cli_accepts_1_0_0(tmp_path: Path) -> None:
    out = tmp_path / "a.xml"
    result = CliRunner().invoke(_cli(), ["export", "2015-guidelines", "-f", "c2sim", "--c2sim-schema", "1.0.0", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schema_problems(parse_xml(out.read_bytes(), "a.xml"), "1.0.0", "a.xml") == []
    # 1.0.0 has no CommandRelation: what it leaves out is counted.
    assert "besides the superior" in result.output


def test_unknown_edition_is_refused_on_export() -> None:
    result = CliRunner().invoke(_cli(), ["export", "2015-guidelines", "-f", "c2sim", "--c2sim-schema", "0.9"])
    assert result.exit_code == 2
    assert "--c2sim-schema: unknown value '0.9'" in result.output
