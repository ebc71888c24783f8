"""JSON interchange: export then import gives an identical arrangement."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from interop_strategies import arrangements
from typer.testing import CliRunner

from alliance_c2.cli.interop import register
from alliance_c2.interop import arrangement_from_json, export_json, import_json
from alliance_c2.model import Architecture, CatalogError, bundled_architectures, load_architecture


def _same(a: Architecture, b: Architecture) -> bool:
    fields = ("id", "name_en", "name_ja", "guidelines", "era", "description_en", "description_ja", "source")
    return (
        dict(a.organizations) == dict(b.organizations)
        and a.relations == b.relations
        and a.plans == b.plans
        and all(getattr(a, f) == getattr(b, f) for f in fields)
    )


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_bundled_json_round_trip_is_identical(arch_id: str) -> None:
    arch = load_architecture(arch_id)
    back, _, _ = arrangement_from_json(export_json(arch), "x.json")
    assert _same(arch, back)


@settings(max_examples=60, deadline=None)
@given(data=arrangements(rich=True))
def test_random_json_round_trip_is_identical(data: dict) -> None:
    arch, _, _ = arrangement_from_json(json.dumps(data, ensure_ascii=False), "random.json")
    back, _, _ = arrangement_from_json(export_json(arch), "again.json")
    assert _same(arch, back)


def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "kind": "architecture",\n  "id": \n}\n', encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        import_json(path)
    assert str(exc.value.problems[0]).startswith(f"{path}:4: JSON syntax error")


def test_cli_json_import_writes_yaml_that_loads(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    app.callback()(lambda: None)
    source, out = tmp_path / "a.json", tmp_path / "a.yaml"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["export", "2015-guidelines", "--format", "json", "-o", str(source)]).exit_code
        == 0
    )
    result = runner.invoke(app, ["import", str(source), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    imported = load_architecture(out)
    # A bundled id is suffixed on import (so that compare shows two distinct columns); all else is kept.
    assert imported.id == "2015-guidelines-imported"
    assert _same(dataclasses.replace(imported, id="2015-guidelines"), load_architecture("2015-guidelines"))
