"""The law catalog is complete, sourced and consistent; a self-contradicting rule file fails with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alliance_c2.api import validate as validate_any
from alliance_c2.law import load_law_catalog, procedure
from alliance_c2.law.build import law_paths
from alliance_c2.law.catalog import KINDS
from alliance_c2.model import CATALOG_DIR, CatalogError

FILES = law_paths(CATALOG_DIR)


@pytest.mark.parametrize("kind", KINDS)
def test_bundled_law_file_validates_strictly(kind: str) -> None:
    assert validate_any(FILES[kind], strict=True) == []


def _mappings(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _mappings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _mappings(value, f"{path}[{i}]")


def test_every_rule_has_a_source_or_is_an_assumption() -> None:
    data = yaml.safe_load(FILES["actions"].read_text(encoding="utf-8"))
    for item in data["items"]:
        assert item.get("source") or item.get("assumption"), item["id"]
        for situation, entries in item["lawful_in"].items():
            for entry in entries if isinstance(entries, list) else [entries]:
                assert entry.get("source") or entry.get("assumption"), (item["id"], situation)
                for alt in entry.get("alternatives", []):
                    assert alt.get("source") or alt.get("assumption"), (item["id"], situation, alt["route"])
    for kind in ("provisions", "situations", "reforms", "constraints"):
        data = yaml.safe_load(FILES[kind].read_text(encoding="utf-8"))
        for item in data["items"]:
            assert item.get("source") or item.get("assumption"), (kind, item["id"])


@pytest.mark.parametrize("kind", KINDS)
def test_unconfirmed_items_say_so_in_a_note(kind: str) -> None:
    data = yaml.safe_load(FILES[kind].read_text(encoding="utf-8"))
    for path, mapping in _mappings(data):
        if mapping.get("unconfirmed") is True:
            assert mapping.get("note_en") or mapping.get("unconfirmed_note_en"), path


def test_digest_unconf_items_are_flagged() -> None:
    situations = {s["id"]: s for s in yaml.safe_load(FILES["situations"].read_text())["items"]}
    assert situations["armed-attack"]["diet"]["unconfirmed"] is True
    assert situations["emergency-response"]["use_of_force_unconfirmed"] is True
    actions = {a["id"]: a for a in yaml.safe_load(FILES["actions"].read_text())["items"]}
    assert all(entry.get("unconfirmed") for entry in actions["isr"]["lawful_in"].values())


def test_catalog_loads_with_every_kind() -> None:
    catalog = load_law_catalog()
    assert catalog.jurisdiction == "JPN"
    assert len(catalog.situations) == 8
    assert {"use-of-force", "counterstrike", "bmd-intercept", "minesweeping"} <= set(catalog.actions)
    assert set(catalog.constraints) == {
        "C1-constitution", "C2-entanglement", "C3-sovereignty", "C4-transfer-law", "C5-political-decision", "C6-law-gap"
    }
    assert catalog.reforms["opcon-transfer-act"].allows_cross_national == {"opcon", "tacon"}


CONTRADICTION = """kind: actions
source: test
items:
  - id: use-of-force
    name_en: Use of force
    name_ja: 武力の行使
    use_of_force: true
    ordered_by: jpn-pm
    source: test
    lawful_in:
      armed-attack:
        approvals: [pm-order]
        source: test
    not_lawful_in:
      situations:
        - peacetime
        - armed-attack
      source: test
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_action_both_lawful_and_forbidden_fails_with_its_line(tmp_path: Path) -> None:
    problems = validate_any(_write(tmp_path, "actions.yaml", CONTRADICTION))
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1
    assert errors[0].line == 17
    assert "contradicts itself" in errors[0].message


def test_force_lawful_where_the_situation_forbids_force_fails_with_its_line(tmp_path: Path) -> None:
    text = CONTRADICTION.replace("      armed-attack:\n        approvals", "      peacetime:\n        approvals")
    text = text.replace("        - peacetime\n        - armed-attack\n", "        - gray-zone\n")
    errors = [p for p in validate_any(_write(tmp_path, "actions.yaml", text)) if p.severity == "error"]
    assert [(p.line, "does not permit force" in p.message) for p in errors] == [(11, True)]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("approvals: [pm-order]", "approvals: [pm-order, approve-twice]", "unknown approval 'approve-twice'"),
        ("approvals: [pm-order]", "approvals: [pm-order, request]", "not in rank order"),
        ("approvals: [pm-order]\n", "approvals: [pm-order]\n        pre_delegable: [cabinet-decision]\n", "pre_delegable"),
        ("      armed-attack:\n", "      armed-atack:\n", "unknown situation 'armed-atack'"),
    ],
)
def test_broken_references_fail_with_a_line(tmp_path: Path, before: str, after: str, message: str) -> None:
    text = CONTRADICTION.replace("        - armed-attack\n", "")
    problems = validate_any(_write(tmp_path, "actions.yaml", text.replace(before, after)))
    errors = [p for p in problems if p.severity == "error"]
    assert errors and message in errors[0].message
    assert errors[0].line > 1


def test_missing_source_is_an_error_only_under_strict(tmp_path: Path) -> None:
    text = CONTRADICTION.replace("        - armed-attack\n", "").replace("        source: test\n", "")
    path = _write(tmp_path, "actions.yaml", text)
    assert all(p.severity == "warning" for p in validate_any(path))
    strict = validate_any(path, strict=True)
    assert strict and strict[0].severity == "error" and "no source" in strict[0].message


def test_a_broken_catalog_directory_raises_catalog_error(tmp_path: Path) -> None:
    for _kind, path in FILES.items():
        copy = tmp_path / path.relative_to(CATALOG_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
    _write(tmp_path / FILES["actions"].parent.relative_to(CATALOG_DIR), "actions.yaml", CONTRADICTION)
    with pytest.raises(CatalogError) as exc:
        load_law_catalog(tmp_path)
    assert exc.value.problems[0].line == 17


def test_procedure_steps_are_ordered_and_say_where_their_timing_comes_from() -> None:
    assert procedure("peacetime") == ()
    steps = procedure("armed-attack")
    assert [s.approval for s in steps] == ["nsc-deliberation", "cabinet-decision", "diet-approval"]
    for situation in load_law_catalog().situations:
        for step in procedure(situation):
            data = step.to_dict()
            assert step.source or step.assumption
            if step.typical_minutes is not None:
                assert data["duration_assumption"] or step.typical_minutes_source
    deadline = procedure("emergency-response")[-1]
    assert deadline.within_days == 20 and "timing-anchors.md" in (deadline.deadline_source or "")
    gray = procedure("gray-zone")[0]
    assert gray.fast_track and gray.to_dict()["duration_assumption"]
