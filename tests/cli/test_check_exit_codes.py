"""`check` tells scripts the answer by its exit code: 0 allowed, 1 not allowed, 2 bad input."""

from __future__ import annotations

import json

import pytest

from alliance_c2.cli import run

BRIEF = ["check", "--arch", "2024-proposal", "--situation", "peacetime", "--action", "use-of-force",
         "--unit", "usa-7th-fleet", "--ordered-by", "jpn-jjoc"]
ALLOWED = ["check", "--arch", "2015-guidelines", "--situation", "armed-attack", "--action", "bmd-intercept",
           "--unit", "jpn-sdf-fleet"]


@pytest.mark.parametrize("extra", [[], ["--json"], ["--lang", "ja"]])
def test_not_allowed_exits_1(extra: list[str], capsys) -> None:
    assert run(BRIEF + extra) == 1
    out = capsys.readouterr().out
    if extra == ["--json"]:
        assert json.loads(out)["allowed"] is False


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_allowed_exits_0(extra: list[str], capsys) -> None:
    assert run(ALLOWED + extra) == 0
    assert "ALLOWED" in capsys.readouterr().out or extra


@pytest.mark.parametrize(
    "argv",
    [
        [*BRIEF[:-1], "jpn-nobody"],
        ["check", "--arch", "2024-proposal", "--situation", "wartime", "--action", "isr", "--unit", "usa-7th-fleet"],
        ["check", "--arch", "no-such-arrangement", "--situation", "peacetime", "--action", "isr", "--unit", "x"],
        ["check", "--arch", "2024-proposal"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv: list[str], capsys) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1


def test_help_documents_the_exit_codes(capsys) -> None:
    assert run(["check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "0 allowed, 1 not allowed, 2 bad input" in out
