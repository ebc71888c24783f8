"""Every malformed file gets one `FILE:LINE: what is wrong` line and exit code 2, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_c2.api import validate as validate_any
from alliance_c2.model import ARCHITECTURES_DIR

VALID = """kind: architecture
id: tiny
name_en: Tiny
name_ja: 小さな体制
source: test
organizations:
  - id: jpn-pm
    name_en: Prime Minister
    name_ja: 内閣総理大臣
    nation: JPN
    kind: political-authority
    head_of_government: true
    source: SDF Act Art. 7
  - id: jpn-jjoc
    name_en: JJOC
    name_ja: 統合作戦司令部
    nation: JPN
    kind: headquarters
    source: test
  - id: jpn-unit
    name_en: A unit
    name_ja: 部隊
    nation: JPN
    kind: unit
    source: test
relations:
  - from: jpn-pm
    to: jpn-jjoc
    kind: command
    source: SDF Act Art. 7
  - from: jpn-jjoc
    to: jpn-unit
    kind: command
    source: test
"""
# The date whose law applies; appended so that the line numbers of VALID stay as they are.
DATED = "law_as_of: 2025-03-24\nlaw_as_of_source: test\n"


LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): .+")


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "arch.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path, strict: bool = False) -> list[str]:
    return [str(p) for p in validate_any(path, strict=strict) if p.severity == "error"]


def test_valid_file_passes(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, VALID + DATED), strict=True) == []


CASES = [
    ("syntax", VALID.replace("    name_en: A unit\n", "    name_en: A: unit\n"), 21, "YAML syntax error"),
    ("empty", "", 1, "file is empty"),
    ("binary", b"\x00\x01\x02\xff junk", 1, "binary"),
    ("unknown kind", VALID.replace("kind: unit", "kind: brigade-ish"), 24, "unknown value"),
    ("unknown key", VALID.replace("    nation: JPN\n    kind: unit", "    nation: JPN\n    colour: red\n    kind: unit"), 24, "unknown key"),
    ("dangling", VALID.replace("    to: jpn-unit", "    to: jpn-nowhere"), 32, "unknown organization 'jpn-nowhere'"),
    ("duplicate", VALID.replace("id: jpn-unit", "id: jpn-jjoc"), 20, "duplicate id 'jpn-jjoc'"),
    ("cycle", VALID + "  - from: jpn-unit\n    to: jpn-jjoc\n    kind: opcon\n    source: test\n", 31, "cycle in command relations"),
    ("not a mapping", "- just\n- a list\n", 1, "expected a mapping"),
    ("wrong kind", VALID.replace("kind: architecture", "kind: spaceship"), 1, "unknown kind 'spaceship'"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_names_file_line_and_problem(tmp_path: Path, name: str, text: str | bytes, line: int, message: str) -> None:
    path = _write(tmp_path, text)
    errors = _errors(path)
    assert errors, name
    match = LINE.match(errors[0])
    assert match and match["path"] == str(path)
    assert int(match["line"]) == line, errors[0]
    assert message in errors[0]


STRICT_CASES = [
    ("missing japanese name", VALID.replace("    name_ja: 部隊\n", "") + DATED, 20, "missing Japanese name"),
    ("no civilian chain", VALID.replace("  - from: jpn-jjoc\n    to: jpn-unit\n    kind: command\n", "  - from: jpn-jjoc\n    to: jpn-unit\n    kind: support\n") + DATED, 20, "no civilian chain"),
    ("no source", VALID.replace("    kind: unit\n    source: test\n", "    kind: unit\n") + DATED, 20, "no source"),
    ("no law_as_of", VALID, 2, "no law_as_of"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), STRICT_CASES, ids=[c[0] for c in STRICT_CASES])
def test_incompleteness_is_a_warning_for_users_and_an_error_under_strict(
    tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    path = _write(tmp_path, text)
    assert _errors(path) == []
    warnings = [str(p) for p in validate_any(path) if p.severity == "warning"]
    assert any(message in w for w in warnings)
    errors = _errors(path, strict=True)
    assert errors and message in errors[0] and errors[0].startswith(f"{path}:{line}:")


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliance_c2.cli", *args], capture_output=True, text=True, timeout=60)


def test_cli_validate_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, CASES[5][1])
    proc = _run_cli("validate", str(path))
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0].startswith(f"{path}:32: ")
    assert "Traceback" not in proc.stderr


def test_cli_validate_accepts_a_bundled_file_strictly() -> None:
    proc = _run_cli("validate", "--strict", str(ARCHITECTURES_DIR / "2024-proposal.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout


def test_cli_refuses_unknown_arrangement_with_the_valid_ones() -> None:
    proc = _run_cli("analyze", "2024-proposl")
    assert proc.returncode == 2
    assert "did you mean '2024-proposal'" in proc.stderr
    assert "2015-guidelines" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_refuses_unknown_situation() -> None:
    proc = _run_cli("analyze", "2015-guidelines", "--situation", "armed-atack")
    assert proc.returncode == 2
    assert "did you mean 'armed-attack'" in proc.stderr


def test_cli_on_missing_file_names_it() -> None:
    proc = _run_cli("validate", "/nonexistent/arch.yaml")
    assert proc.returncode == 2
    assert proc.stderr.startswith("/nonexistent/arch.yaml:1: no such file")


_LINES = (VALID + DATED).splitlines(keepends=True)
# Lines whose loss leaves an organization or a relation without a required field.
_REQUIRED = re.compile(r"^    (to|kind): ")
_REFERENCE = re.compile(r"^\s+(- )?(from|to): ")
_GHOST = "usa-ghost"


@st.composite
def _mutations(draw: st.DrawFn) -> tuple[str | bytes, bool]:
    """A damaged copy of a file that validates strictly, and whether the damage must be reported as an error."""
    lines = list(_LINES)
    kind = draw(st.sampled_from(["delete", "duplicate", "swap-ref", "truncate", "junk", "indent"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        must_fail = bool(_REQUIRED.match(lines[i]))
        del lines[i]
        return "".join(lines), must_fail
    if kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap-ref":
        ref = draw(st.sampled_from(["jpn-pm", "jpn-jjoc", "jpn-unit", _GHOST, "x"]))
        must_fail = ref == _GHOST and bool(_REFERENCE.match(lines[i]))  # a relation to no organization
        lines[i] = re.sub(r"(from|to|id): \S+", rf"\1: {ref}", lines[i])
        return "".join(lines), must_fail
    elif kind == "truncate":
        text = "".join(lines)
        return text[: draw(st.integers(0, len(text)))], False
    elif kind == "junk":
        # Control bytes make the file binary, whatever else the junk holds.
        junk = draw(st.binary(max_size=8)) + b"\x00"
        return "".join(lines[:i]).encode() + junk + "".join(lines[i:]).encode(), True
    else:
        lines[i] = " " + lines[i]
    return "".join(lines), False


def test_the_unmutated_file_is_strictly_valid(tmp_path: Path) -> None:
    assert _errors(_write(tmp_path, "".join(_LINES)), strict=True) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=_mutations())
def test_mutated_files_give_line_located_problems_and_damage_is_reported(
    tmp_path: Path, mutation: tuple[str | bytes, bool]
) -> None:
    text, must_fail = mutation
    path = _write(tmp_path, text)
    problems = validate_any(path, strict=True)
    n_lines = (text.count(b"\n") if isinstance(text, bytes) else text.count("\n")) + 1
    for p in problems:
        assert p.path == str(path)
        assert 1 <= p.line <= n_lines + 1
        assert str(p).startswith(f"{path}:{p.line}: ")
    if must_fail:
        assert any(p.severity == "error" for p in problems), text


def test_law_as_of_that_is_not_a_date_is_a_file_line_error(tmp_path: Path) -> None:
    text = VALID + "law_as_of: 1980-13-45\nlaw_as_of_source: test\n"
    line = text.splitlines().index("law_as_of: 1980-13-45") + 1
    errors = _errors(_write(tmp_path, text))
    assert errors and errors[0].startswith(f"{tmp_path / 'arch.yaml'}:{line}: law_as_of:"), errors
