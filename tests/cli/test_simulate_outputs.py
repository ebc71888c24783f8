"""`simulate --plot FILE.svg` and `--csv/--parquet FILE`: the per-run results and their distributions."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from lxml import etree

from alliance_c2.cli import run
from alliance_c2.model.scenario import load_scenario

SVG = "{http://www.w3.org/2000/svg}"
ARGS = ["simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines,2024-proposal", "--runs", "6",
        "--seed", "2", "--workers", "1"]


def test_csv_and_parquet_hold_one_row_per_arrangement_run_and_inject(tmp_path: Path, capsys) -> None:
    out_csv, out_parquet = tmp_path / "runs.csv", tmp_path / "runs.parquet"
    assert run([*ARGS, "--csv", str(out_csv), "--parquet", str(out_parquet), "--json"]) == 0
    rows = 2 * 6 * (len(load_scenario("bmd-salvo").injects) + 1)
    with out_csv.open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == rows
    assert table[0].keys() >= {"arch", "scenario", "run", "inject", "response_time", "deadline_met"}
    frame = pd.read_parquet(out_parquet)
    assert len(frame) == rows
    assert frame["arch"].tolist() == [r["arch"] for r in table]
    assert frame["inject"].tolist() == [r["inject"] for r in table]


def test_plot_draws_one_distribution_per_arrangement(tmp_path: Path, capsys) -> None:
    out = tmp_path / "rt.svg"
    assert run([*ARGS, "--plot", str(out)]) == 0
    root = etree.parse(str(out)).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any(t.startswith("2015-guidelines") for t in texts) and any(t.startswith("2024-proposal") for t in texts)
    assert any(t.startswith("Response time per run") for t in texts)


def test_plot_in_japanese_uses_a_cjk_font(tmp_path: Path, capsys) -> None:
    out = tmp_path / "rt.svg"
    assert run([*ARGS, "--plot", str(out), "--lang", "ja"]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "試行ごとの応答時間" in svg
    assert "Noto Sans CJK JP" in svg


def test_plot_needs_an_svg_file(tmp_path: Path, capsys) -> None:
    assert run([*ARGS, "--plot", str(tmp_path / "rt.png")]) == 2
    assert "--plot" in capsys.readouterr().err


def test_unwritable_output_is_one_line(tmp_path: Path, capsys) -> None:
    assert run([*ARGS, "--csv", str(tmp_path / "missing-dir" / "runs.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--csv" in err and "cannot write" in err
