"""`alliance-c2 check | audit | situations | actions | reforms` through the Typer app."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from alliance_c2.cli.law import register
from alliance_c2.model import CatalogError, UnknownIdError


@pytest.fixture
def run():
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        exc = result.exception
        if isinstance(exc, UnknownIdError):  # what main() in cli.py does
            return 2, result.stdout, exc.describe()
        if isinstance(exc, CatalogError):
            return 2, result.stdout, str(exc.problems[0])
        return result.exit_code, result.stdout, result.stderr

    return invoke


BRIEF = ("check", "--arch", "2024-proposal", "--situation", "peacetime", "--action", "use-of-force",
         "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc")


def test_check_json_has_the_documented_keys(run) -> None:
    code, out, _ = run(*BRIEF, "--json")
    data = json.loads(out)
    assert code == 1  # not allowed: scripts can tell from the exit code
    assert data["allowed"] is False
    assert next(f["constraint"] for f in data["findings"]) == "C2-entanglement"
    assert {"approvals", "blocked_by", "chain", "citations", "approvals_by_nation", "advisories", "bounds"} <= set(data)


def test_check_explains_in_english_and_japanese(run) -> None:
    _, out_en, _ = run(*BRIEF)
    assert "NOT ALLOWED" in out_en and "C2-entanglement" in out_en
    _, out_ja, _ = run(*BRIEF, "--lang", "ja")
    assert "不可" in out_ja and "加担" in out_ja


def test_check_with_reforms_repeats(run) -> None:
    code, out, _ = run(
        "check", "--arch", "2024-proposal", "--situation", "armed-attack", "--action", "isr", "--unit", "usa-7th-fleet",
        "--ordered-by", "jpn-jjoc", "--reform", "opcon-transfer-act", "--reform", "alliance-political-mechanism", "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert data["allowed"] is True
    assert data["reforms"] == ["alliance-political-mechanism", "opcon-transfer-act"]


@pytest.mark.parametrize(
    ("flag", "bad", "good"),
    [
        ("--arch", "2024-proposl", "2024-proposal"),
        ("--situation", "peacetim", "peacetime"),
        ("--action", "use-of-forse", "use-of-force"),
        ("--unit", "usa-7th-flet", "usa-7th-fleet"),
        ("--ordered-by", "jpn-jjco", "jpn-jjoc"),
        ("--reform", "opcon-transfer", "opcon-transfer-act"),
    ],
)
def test_unknown_ids_exit_2_with_did_you_mean(run, flag: str, bad: str, good: str) -> None:
    args = list(BRIEF)
    if flag in args:
        args[args.index(flag) + 1] = bad
    else:
        args += [flag, bad]
    code, _, err = run(*args)
    assert code == 2
    assert f"did you mean {good!r}" in err
    assert "choose from" in err


def test_audit_json_and_table(run) -> None:
    code, out, _ = run("audit", "2024-proposal", "--json")
    assert code == 0
    assert "C2-entanglement" in json.loads(out)["constraints_raised"]
    code, out, _ = run("audit", "2024-proposal", "--reform", "opcon-transfer-act", "--lang", "ja")
    assert code == 0 and "法的監査" in out and "C4-transfer-law (" not in out


@pytest.mark.parametrize("command", ["situations", "actions", "reforms"])
def test_lists_have_both_languages(run, command: str) -> None:
    code, out, _ = run(command, "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert all(r["name_en"] and r["name_ja"] for r in rows)
    _, out_ja, _ = run(command, "--lang", "ja")
    assert rows[0]["name_ja"][:4] in out_ja


def test_situations_json_carries_the_procedure(run) -> None:
    rows = {r["id"]: r for r in json.loads(run("situations", "--json")[1])}
    assert [s["approval"] for s in rows["survival-threatening"]["procedure"]][-1] == "diet-prior-approval"
