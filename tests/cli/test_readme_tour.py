"""The README's tour runs top to bottom in a fresh directory: every file it names was written before."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).with_name("alliance-c2")
# Left out: the evaluation (about a minute; tests/report covers it), the server (it does not return) and the
# first account (it asks for a password and writes the user's database; tests/exercise covers it).
LEFT_OUT = ("evaluate", "serve", "users", "studio")  # servers and the main job have tests of their own
# A command whose comment in the README says "exit code N" must exit with N (the tour's first order is not allowed).
EXIT_IN_COMMENT = re.compile(r"exit code (\d)")


def _readme_blocks(language: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def _tour() -> list[tuple[list[str], int]]:
    tour = next(b for b in _readme_blocks("") if "alliance-c2 evaluate" in b)
    commands = []
    for line in tour.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == ".venv/bin/alliance-c2":
            found = EXIT_IN_COMMENT.search(line.split("#", 1)[1]) if "#" in line else None
            commands.append((words[1:], int(found.group(1)) if found else 0))
    return commands


def test_the_tour_runs_in_order(tmp_path: Path) -> None:
    commands = _tour()
    assert len(commands) >= 15
    assert any(code == 1 for _, code in commands)
    for argv, code in commands:
        if argv[0] in LEFT_OUT:
            continue
        proc = subprocess.run([str(EXE), *argv], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        where = f"alliance-c2 {' '.join(argv)}\n{proc.stderr}"
        assert proc.returncode == code, where
        assert "Traceback" not in proc.stderr and "no such file" not in proc.stderr, where
    for written in ("salvo.svg", "salvo.csv", "my-arrangement.yaml", "proposal.xml", "partner.yaml", "proposal.svg"):
        assert (tmp_path / written).stat().st_size > 0


@pytest.mark.parametrize("block", _readme_blocks("python"))
def test_readme_python_runs(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})
