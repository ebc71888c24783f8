"""A listing cut short says how many were left out and how to see them; --all shows them."""

from __future__ import annotations

import re

from alliance_c2.analysis import compare
from alliance_c2.cli import run
from alliance_c2.model import load_architecture


def _listed(out: str, mark: str) -> int:
    return len(re.findall(rf"^\s+{re.escape(mark)} ", out, flags=re.MULTILINE))


def test_compare_says_how_many_relations_it_left_out(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    result = compare(load_architecture("2015-guidelines"), load_architecture("2024-proposal"))
    added, removed = len(result["relations_only_in_b"]), len(result["relations_only_in_a"])
    assert added > 15 and removed > 15  # the case the user met: 23 and 20, 15 shown of each
    assert run(["compare", "2015-guidelines", "2024-proposal"]) == 0
    out = capsys.readouterr().out
    assert f"Relations added: {added}, removed: {removed}" in out
    assert _listed(out, "+") == 15 and _listed(out, "-") == 15
    assert f"… and {added - 15} more (--all lists them)" in out
    assert f"… and {removed - 15} more (--all lists them)" in out


def test_compare_all_lists_every_relation(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    result = compare(load_architecture("2015-guidelines"), load_architecture("2024-proposal"))
    assert run(["compare", "2015-guidelines", "2024-proposal", "--all"]) == 0
    out = capsys.readouterr().out
    assert _listed(out, "+") == len(result["relations_only_in_b"])
    assert _listed(out, "-") == len(result["relations_only_in_a"])
    assert "more (--all" not in out


def test_compare_in_japanese_says_how_many_more(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert run(["compare", "2015-guidelines", "2024-proposal", "--lang", "ja"]) == 0
    assert re.search(r"…ほか\d+件（--all で全件表示）", capsys.readouterr().out)


def test_single_points_of_failure_in_the_comparison_table_say_how_many_more(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert run(["compare", "2015-guidelines", "2024-proposal"]) == 0
    assert re.search(r"\(\+\d+ more\)", capsys.readouterr().out)


def test_analysis_says_how_many_single_points_it_left_out() -> None:
    from rich.console import Console

    from alliance_c2.analysis import analyze
    from alliance_c2.cli.render.analysis import print_analysis

    arch = load_architecture("2015-guidelines")
    an = analyze(arch, "armed-attack")
    console = Console(record=True, width=200)
    print_analysis(console, arch, an, "en", limit=3)
    hidden = len(an.single_points_of_failure) - 3
    assert hidden > 0
    assert f"… and {hidden} more (--all lists them)" in console.export_text()
