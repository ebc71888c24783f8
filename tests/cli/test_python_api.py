"""The Python API the README promises: importable names, real types for mypy, results as frames."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import alliance_c2
from alliance_c2 import (
    analyze,
    audit,
    check,
    evaluate,
    export,
    import_file,
    load_architecture,
    simulate,
)

REPO = Path(__file__).resolve().parents[2]
API = ["load_architecture", "analyze", "check", "audit", "simulate", "evaluate", "export", "import_file"]


@pytest.mark.parametrize("name", API)
def test_each_name_is_public_and_documented(name: str) -> None:
    assert name in alliance_c2.__all__
    func = getattr(alliance_c2, name)
    assert callable(func)
    doc = func.__doc__ or ""
    assert "Args:" in doc and "Returns:" in doc


def test_import_alliance_c2_stays_light() -> None:
    code = "import sys, alliance_c2; print('numpy' in sys.modules, 'alliance_c2.sim' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_mypy_sees_the_real_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mypy import api

    snippet = tmp_path / "use_api.py"
    snippet.write_text(textwrap.dedent("""
        from alliance_c2 import check, simulate, evaluate, analyze, load_architecture
        verdict: int = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc")
        result: int = simulate("bmd-salvo", ["2015-guidelines"], runs=2)
        level: str = analyze(load_architecture("2024-proposal")).level
        evaluate
    """), encoding="utf-8")
    monkeypatch.setenv("MYPYPATH", str(REPO / "src"))
    out, err, _ = api.run(["--no-incremental", "--follow-imports=silent", "--ignore-missing-imports",
                           "--cache-dir", str(tmp_path / "cache"), str(snippet)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    # Exactly the two deliberate mistakes, each naming the real result type: mypy knows the functions.
    assert len(errors) == 2, out + err
    assert 'expression has type "Verdict"' in errors[0]
    assert 'expression has type "SimulationResult"' in errors[1]


def test_check_an_order() -> None:
    verdict = check("2024-proposal", "peacetime", "use-of-force", "usa-7th-fleet", "jpn-jjoc")
    assert verdict.allowed is False
    assert "C2-entanglement" in verdict.constraints


def test_analyze_takes_an_id_or_an_architecture() -> None:
    assert analyze("2024-proposal").level == analyze(load_architecture("2024-proposal"), "armed-attack").level


def test_audit_as_a_frame() -> None:
    report = audit("2024-proposal")
    frame = report.to_frame()
    assert list(frame.columns) == ["architecture", "constraint", "situation", "severity", "orders", "resolved_by", "eased_by"]
    assert len(frame) == len(report.cells)
    assert frame["orders"].sum() == sum(c.orders for c in report.cells.values())


def test_simulate_two_arrangements_as_a_frame() -> None:
    result = simulate("bmd-salvo", ["2015-guidelines", "2024-proposal"], runs=4, seed=3, executor="inline")
    frame = result.to_frame()
    per_arch = 4 * (len(result.injects) + 1)
    assert len(frame) == 2 * per_arch
    assert set(frame["arch"]) == {"2015-guidelines", "2024-proposal"}


def test_simulate_accepts_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    export("2015-guidelines", "yaml").write(path)
    result = simulate("cyber-jjoc", path, runs=2, executor="inline")
    assert result.arrangements == ["2015-guidelines"]


@pytest.fixture(scope="module")
def small_evaluation(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("evaluation")
    return evaluate(runs=3, archs=["2015-guidelines", "2024-proposal"], scenarios=["bmd-salvo"], out=out)


def test_evaluation_as_a_frame_matches_results_csv(small_evaluation) -> None:
    frame = small_evaluation.to_frame()
    with (small_evaluation.out_dir / "results.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [r[0] for r in rows] == list(frame["key"])
    assert len(frame) == len(small_evaluation.figures) > 0


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    xml = tmp_path / "proposal.xml"
    exported = export("2024-proposal", "c2sim")
    assert exported.warnings  # what C2SIM could not carry is said, not printed
    exported.write(xml)
    imported = import_file(xml)
    assert imported.architecture.id == "2024-proposal-imported"
    assert any("'2024-proposal-imported'" in w for w in imported.warnings)
    assert "id: 2024-proposal-imported\n" in imported.yaml


def test_import_file_keeps_an_id_no_bundled_arrangement_has(tmp_path: Path) -> None:
    source = tmp_path / "partner.json"
    text = export("us-rok-cfc", "json").text.replace('"id": "us-rok-cfc"', '"id": "partner-cfc"', 1)
    source.write_text(text, encoding="utf-8")
    imported = import_file(source)
    assert imported.architecture.id == "partner-cfc"
    assert not any("bundled" in w for w in imported.warnings)


def test_export_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="format: unknown value 'pdf'"):
        export("2015-guidelines", "pdf")
