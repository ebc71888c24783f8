"""`make test` uses PostgreSQL when it answers at the default URL, and says in one line when it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROBE = REPO / ".ci" / "pg_test_url.py"
DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _probe(*args: str, env_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ALLIANCE_C2_TEST_PG_URL"}
    if env_url is not None:
        env["ALLIANCE_C2_TEST_PG_URL"] = env_url
    return subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, env=env, timeout=60)


def test_unreachable_server_is_one_line_and_no_url() -> None:
    proc = _probe("postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("note: PostgreSQL tests will be skipped: cannot connect to ")
    assert "ALLIANCE_C2_TEST_PG_URL" in proc.stderr


def test_a_given_url_is_used_as_it_is() -> None:
    proc = _probe(env_url="postgresql+psycopg://someone@db.example:5432/x")
    assert proc.stdout == "postgresql+psycopg://someone@db.example:5432/x\n" and proc.stderr == ""


def test_reachable_default_server_is_used() -> None:
    url = os.environ.get("ALLIANCE_C2_TEST_PG_URL")
    if url != DEFAULT:
        pytest.skip(f"needs PostgreSQL at {DEFAULT} (ALLIANCE_C2_TEST_PG_URL={url!r})")
    proc = _probe()
    assert proc.stdout == DEFAULT + "\n" and proc.stderr == ""


def test_make_test_runs_the_probe_before_pytest() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert ".ci/pg_test_url.py" in recipe
    assert recipe.index(".ci/pg_test_url.py") < recipe.index("pytest")
    assert "export ALLIANCE_C2_TEST_PG_URL" in recipe
