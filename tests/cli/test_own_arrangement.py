"""Writing one's own arrangement: `new`, `export --format yaml`, imported ids, the documented example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from alliance_c2.cli import run
from alliance_c2.model import bundled_architectures, load_architecture, validate_file

REPO = Path(__file__).resolve().parents[2]


def _same_content(a, b) -> bool:
    return dict(a.organizations) == dict(b.organizations) and a.relations == b.relations and a.plans == b.plans


def test_new_writes_a_commented_copy_with_a_new_id(tmp_path: Path, capsys) -> None:
    out = tmp_path / "my.yaml"
    assert run(["new", "my-arrangement", "--from", "2015-guidelines", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20
    assert any("Organizations / 組織" in c for c in comments) and any("Relations / 関係" in c for c in comments)
    assert re.search(r"^# Prime Minister / 内閣総理大臣 → Minister of Defense / 防衛大臣", text, re.MULTILINE)
    data = yaml.safe_load(text)
    assert data["id"] == "my-arrangement"
    assert "2015-guidelines" in data["name_en"] and "2015-guidelines" in data["name_ja"]
    mine = load_architecture(out)
    assert mine.id == "my-arrangement"
    assert _same_content(mine, load_architecture("2015-guidelines"))
    assert [p for p in validate_file(out, strict=True) if p.severity == "error"] == []
    capsys.readouterr()
    assert run(["analyze", str(out)]) == 0
    assert "my-arrangement" in capsys.readouterr().out


def test_new_to_standard_output(capsys) -> None:
    assert run(["new", "draft", "--from", "us-rok-cfc"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["id"] == "draft"


@pytest.mark.parametrize(
    ("new_id", "message"),
    [("My Plan", "is not a valid id"), ("2024-proposal", "is a bundled arrangement's id")],
)
def test_new_refuses_a_bad_or_bundled_id(new_id: str, message: str, capsys) -> None:
    assert run(["new", new_id, "--from", "2015-guidelines"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_new_does_not_overwrite_without_force(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my notes\n", encoding="utf-8")
    assert run(["new", "mine", "--from", "2015-guidelines", "-o", str(out)]) == 2
    assert "already exists; give --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my notes\n"
    assert run(["new", "mine", "--from", "2015-guidelines", "-o", str(out), "--force"]) == 0
    assert load_architecture(out).id == "mine"


@pytest.mark.parametrize("arch_id", bundled_architectures())
def test_export_yaml_round_trips_every_bundled_arrangement(arch_id: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / f"{arch_id}.yaml"
    assert run(["export", arch_id, "--format", "yaml", "-o", str(out)]) == 0
    back, original = load_architecture(out), load_architecture(arch_id)
    assert back.id == original.id and back.name_ja == original.name_ja
    assert _same_content(back, original)


def test_import_of_a_bundled_export_gets_a_distinct_id_and_says_so(tmp_path: Path, capsys) -> None:
    xml, partner = tmp_path / "proposal.xml", tmp_path / "partner.yaml"
    assert run(["export", "2024-proposal", "--format", "c2sim", "-o", str(xml)]) == 0
    capsys.readouterr()
    assert run(["import", str(xml), "-o", str(partner)]) == 0
    err = capsys.readouterr().err
    assert "'2024-proposal' is a bundled arrangement's; the imported arrangement is '2024-proposal-imported'" in err
    assert load_architecture(partner).id == "2024-proposal-imported"
    assert run(["compare", "2024-proposal", str(partner), "--json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["a"]["id"] != result["b"]["id"]


def test_import_keeps_an_id_that_no_bundled_arrangement_has(tmp_path: Path, capsys) -> None:
    source, out = tmp_path / "partner.json", tmp_path / "partner.yaml"
    assert run(["export", "us-rok-cfc", "--format", "json", "-o", str(source)]) == 0
    source.write_text(source.read_text(encoding="utf-8").replace('"us-rok-cfc"', '"partner-cfc"', 1), encoding="utf-8")
    capsys.readouterr()
    assert run(["import", str(source), "-o", str(out)]) == 0
    assert "bundled" not in capsys.readouterr().err
    assert load_architecture(out).id == "partner-cfc"


def _doc_example() -> str:
    text = (REPO / "docs" / "catalog-format.md").read_text(encoding="utf-8")
    section = text.split("## `kind: architecture`", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_catalog_format_doc_has_a_complete_valid_example(tmp_path: Path) -> None:
    example = _doc_example()
    assert "..." not in example
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    assert [str(p) for p in validate_file(path, strict=True)] == []
    arch = load_architecture(path)
    assert {r.kind for r in arch.relations} >= {"political-direction", "command", "opcon", "coordination", "liaison"}
