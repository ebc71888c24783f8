"""Adding a situation is a catalog edit plus its law, nothing else.

A copy of the catalog gets one new situation (with its recognition procedure) and one action made
lawful in it; with $ALLIANCE_C2_CATALOG pointing at the copy, the files validate strictly and
`situations`, `check`, `analyze`, `compare-all` and `diagram` all know the situation by its names.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alliance_c2.model.paths import BUNDLED_CATALOG_DIR, actions_file

ACTIONS = actions_file(BUNDLED_CATALOG_DIR).relative_to(BUNDLED_CATALOG_DIR)

NEW = "blockade"
NAME_EN = "Blockade situation (test)"
NAME_JA = "封鎖事態（試験）"
SITUATION = {
    "id": NEW,
    "name_en": NAME_EN,
    "name_ja": NAME_JA,
    "definition_en": "A test situation: sea lanes to Japan closed by a foreign navy, short of an armed attack.",
    "statutory": False,
    "use_of_force_permitted": False,
    "recognition": {"required": True, "by": "jpn-cabinet", "assumption": True},
    "diet": {"approval": "none", "assumption": True},
    "transitions_from": [{"situation": "peacetime", "assumption": True}],
    "procedure": [{"step": 1, "approval": "cabinet-decision", "organization": "jpn-cabinet", "phase": "before",
                   "typical_minutes": 60, "assumption": True}],
    "assumption": True,
}
# Its law: routine ISR on the Defense Minister's order, as in peacetime.
ISR_ENTRY = {"requires": ["sdf-act"], "approvals": ["defense-minister-order"], "assumption": True}


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalog") / "catalog"
    shutil.copytree(BUNDLED_CATALOG_DIR, root)
    _edit(root / "situations.yaml", lambda d: d["items"].append(SITUATION))
    _edit(root / ACTIONS,
          lambda d: next(a for a in d["items"] if a["id"] == "isr")["lawful_in"].__setitem__(NEW, ISR_ENTRY))
    return root


def _cli(catalog: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALLIANCE_C2_CATALOG": str(catalog), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "alliance_c2.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("name", ["situations.yaml", str(ACTIONS)])
def test_the_edited_files_validate_strictly(catalog: Path, name: str) -> None:
    proc = _cli(catalog, "validate", "--strict", str(catalog / name))
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout


def test_situations_lists_it(catalog: Path) -> None:
    proc = _cli(catalog, "situations", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = {s["id"]: s for s in json.loads(proc.stdout)}
    assert listed[NEW]["name_ja"] == NAME_JA


def test_check_applies_its_law(catalog: Path) -> None:
    allowed = _cli(catalog, "check", "--arch", "2015-guidelines", "--situation", NEW, "--action", "isr",
                   "--unit", "jpn-sdf-fleet", "--json")
    assert allowed.returncode == 0, allowed.stderr
    verdict = json.loads(allowed.stdout)
    assert verdict["situation"] == NEW and verdict["allowed"]
    refused = _cli(catalog, "check", "--arch", "2015-guidelines", "--situation", NEW, "--action", "use-of-force",
                   "--unit", "jpn-sdf-fleet", "--lang", "ja")
    assert refused.returncode == 1, refused.stderr
    assert NAME_JA in refused.stdout


def test_analyze_and_compare_all_name_it(catalog: Path) -> None:
    analyzed = _cli(catalog, "analyze", "2024-proposal", "--situation", NEW, "--lang", "ja")
    assert analyzed.returncode == 0, analyzed.stderr
    assert NAME_JA in analyzed.stdout
    overview = _cli(catalog, "compare-all", "--json")
    assert overview.returncode == 0, overview.stderr
    assert all(NEW in row["levels"] for row in json.loads(overview.stdout))


def test_diagram_draws_it(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "blockade.svg"
    proc = _cli(catalog, "diagram", "2024-proposal", "--situation", NEW, "--lang", "ja", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    svg = out.read_text(encoding="utf-8")
    assert f'data-situation="{NEW}"' in svg and NAME_JA in svg


def test_the_bundled_catalog_does_not_know_it() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_C2_CATALOG"}
    proc = subprocess.run([sys.executable, "-m", "alliance_c2.cli", "analyze", "2024-proposal", "--situation", NEW],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and f"unknown situation {NEW!r}" in proc.stderr
