"""Shared fixtures: the bundled catalog, a CLI runner, and a per-session pickle cache directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["ALLIANCE_C2_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def cli():
    """Run the real `alliance-c2` Typer app in-process; returns (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from alliance_c2.cli import app, main_errors

    # A fixed, wide terminal: rich wraps at the console width, which otherwise depends on the test worker.
    runner = CliRunner(env={"COLUMNS": "200"})

    def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            code, message = main_errors(result.exception)
            return code, result.stdout, result.stderr + message
        return result.exit_code, result.stdout, result.stderr

    return run
