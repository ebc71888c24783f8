"""Every usage error is one line on stderr naming the option, with exit code 2; help is not an error."""

from __future__ import annotations

import subprocess
import sys

import pytest

from alliance_c2.cli import run

SIM = ("simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines", "--workers", "1")


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        ((*SIM, "--seed", "abc"), "--seed"),
        ((*SIM, "--runs", "abc"), "--runs"),
        ((*SIM, "--runs", "1e3"), "--runs"),
        (("evaluate", "--seed", "x"), "--seed"),
        (("sensitivity", "--scenario", "bmd-salvo", "--arch", "a,b", "--runs", "many"), "--runs"),
        (("simulate", "--scenario", "bmd-salvo"), "--arch"),
        (("simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines", "--sed", "3"), "--sed"),
        (("check", "--arch", "2024-proposal"), "--situation"),
        (("guidelines", "show"), "version"),
        (("no-such-command",), "no-such-command"),
    ],
)
def test_usage_error_is_one_line_exit_2(argv: tuple[str, ...], names: str, capsys) -> None:
    code = run(list(argv))
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert names in lines[0] and "error" in lines[0]


def test_unknown_environment_language_names_the_variable(capsys, monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_C2_LANG", "de")
    assert run(["architectures"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "ALLIANCE_C2_LANG=de" in err and "--lang:" not in err


def test_unknown_lang_option_names_the_option(capsys) -> None:
    assert run(["architectures", "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alliance-c2: error: --lang: unknown language 'fr'")


def test_lang_option_wins_over_a_bad_environment(capsys, monkeypatch) -> None:
    monkeypatch.setenv("ALLIANCE_C2_LANG", "de")
    assert run(["situations", "--lang", "en"]) == 0


def test_no_command_prints_help_and_exits_0(capsys) -> None:
    assert run([]) == 0
    assert "Usage" in capsys.readouterr().out


def test_installed_entry_point_prints_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_c2.cli", "simulate", "--scenario", "bmd-salvo", "--arch", "x", "--seed", "abc"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
