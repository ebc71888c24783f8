"""Runs, seeds and memory are checked before any run starts: clear one-line refusals, never a crash."""

from __future__ import annotations

import time

import pytest

from alliance_c2 import simulate
from alliance_c2.cli import run
from alliance_c2.cli.sim import RUNS_HELP_MAX
from alliance_c2.sim.limits import MAX_RUNS, SimulationLimitError, check_request, estimated_bytes

SIM = ("simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines", "--workers", "1")


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "argv",
    [
        (*SIM, "--seed", "-1"),
        ("evaluate", "--seed", "-1", "--runs", "2", "--scenario", "bmd-salvo", "--arch", "2015-guidelines"),
        ("sensitivity", "--scenario", "bmd-salvo", "--arch", "2015-guidelines,2024-proposal", "--seed", "-1"),
    ],
)
def test_negative_seed_is_refused_naming_the_option(argv: tuple[str, ...], capsys, tmp_path) -> None:
    assert run([*argv]) == 2
    assert "--seed: must be a whole number 0 or greater, got -1" in _one_error_line(capsys)


def test_seed_zero_and_large_seeds_run(capsys) -> None:
    assert run([*SIM, "--runs", "2", "--seed", str(2**100), "--json"]) == 0


def test_runs_beyond_the_maximum_are_refused_at_once(capsys) -> None:
    start = time.perf_counter()
    assert run([*SIM, "--runs", "99999999999999999999"]) == 2
    assert time.perf_counter() - start < 10  # refused before any run (it once ran 87 s into the OOM killer)
    assert f"--runs: at most {MAX_RUNS:,} runs per arrangement" in _one_error_line(capsys)


@pytest.mark.parametrize("command", ["evaluate", "sensitivity"])
def test_other_commands_refuse_too_many_runs(command: str, capsys) -> None:
    argv = [command, "--runs", str(MAX_RUNS + 1)]
    if command == "sensitivity":
        argv += ["--scenario", "bmd-salvo", "--arch", "2015-guidelines,2024-proposal"]
    assert run(argv) == 2
    assert "--runs: at most" in _one_error_line(capsys)


def test_memory_estimate_refuses_what_cannot_fit() -> None:
    need = estimated_bytes(500_000, 3, 5)
    with pytest.raises(SimulationLimitError) as exc:
        check_request(500_000, 0, 3, 5, available=need)
    assert exc.value.field == "runs"
    assert "of memory" in str(exc.value) and "fit)" in str(exc.value)
    check_request(500_000, 0, 3, 5, available=2 * need)


def test_the_per_run_table_is_counted_when_it_will_be_built() -> None:
    assert estimated_bytes(1000, 2, 4, frame=True) > estimated_bytes(1000, 2, 4)


def test_library_refuses_a_negative_seed_before_running() -> None:
    with pytest.raises(SimulationLimitError, match="seed: must be a whole number 0 or greater"):
        simulate("bmd-salvo", "2015-guidelines", runs=1, seed=-5, executor="inline")
    with pytest.raises(ValueError, match="runs: must be at least 1"):
        simulate("bmd-salvo", "2015-guidelines", runs=0, executor="inline")


def test_help_states_the_maximum_that_is_enforced(capsys) -> None:
    assert f"{MAX_RUNS:,}" == RUNS_HELP_MAX
    assert run(["simulate", "--help"]) == 0
    assert RUNS_HELP_MAX in capsys.readouterr().out


@pytest.mark.parametrize("workers", ["0", "100000"])
def test_workers_are_bounded_by_the_machine(workers: str, capsys) -> None:
    assert run(["simulate", "--scenario", "bmd-salvo", "--arch", "2015-guidelines", "--workers", workers]) == 2
    assert "--workers: " in _one_error_line(capsys)
