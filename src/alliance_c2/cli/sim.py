"""The simulation: `scenarios`, `simulate`, `sensitivity`.

What cannot run (runs, seed, workers, memory) is refused before any work starts; long runs show a
progress bar on a terminal and stay quiet under `--json`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..labels import pick
from .support import (
    REFORM_HELP,
    as_of_option,
    bad_input_ends_here,
    console,
    fail,
    json_option,
    lang_option,
    option_name,
    parse_as_of,
    print_json,
    resolve_lang,
    split_list,
)

if TYPE_CHECKING:
    from ..sim import SimulationResult

# The number is sim.limits.MAX_RUNS, written out so that `--help` does not import the simulation
# (tests/cli/test_run_limits.py keeps the two equal).
RUNS_HELP_MAX = "1,000,000"
RUNS_HELP = f"Monte Carlo runs per arrangement, 1 to {RUNS_HELP_MAX} (refused up front if memory cannot hold them). / 試行回数。"
SEED_HELP = "Random seed, a whole number 0 or greater; the same seed gives the same results. / 乱数シード（0以上の整数）。"
PARAMS_HELP = "Parameter override file. / パラメータ上書きファイル。"
EXECUTORS = ("local", "dask")


def register(app: typer.Typer) -> None:
    """Add the simulation commands to `app`."""
    app.command("scenarios")(scenarios)
    app.command("simulate")(simulate)
    app.command("sensitivity")(sensitivity)


def scenarios(json_out: bool = json_option(), lang: str | None = lang_option()) -> None:
    """List the bundled scenarios. / 同梱のシナリオを一覧表示。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    items = api.scenarios()
    if json_out:
        print_json(items)
        return
    for s in items:
        typer.echo(f"{s.id:24} {s.name(language)}  ({len(s.injects)} {pick(language, 'injects', 'インジェクト')})")


def simulate(
    scenario: str = typer.Option(..., "--scenario", help="Scenario id or file. / シナリオID又はファイル。"),
    arch: str = typer.Option(..., "--arch", help="Arrangements, comma-separated. / 体制（カンマ区切り）。"),
    runs: int = typer.Option(100, "--runs", help=RUNS_HELP),
    seed: int = typer.Option(0, "--seed", help=SEED_HELP),
    fault: list[str] = typer.Option([], "--fault", help="ORG@MINUTES: lose an organization (ORG~ORG@MINUTES: degrade a link); repeatable. / 組織の喪失（繰り返し可）。"),
    reform: list[str] = typer.Option([], "--reform", help=REFORM_HELP),
    params: str | None = typer.Option(None, "--params", help=PARAMS_HELP),
    executor: str = typer.Option("local", "--executor", help="local or dask. / 実行方式 local 又は dask。"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address. / Dask スケジューラのアドレス。"),
    workers: int | None = typer.Option(None, "--workers", help="Worker processes, at most 4 per core (default: all cores). / ワーカー数。"),
    json_out: bool = json_option(),
    csv: Path | None = typer.Option(None, "--csv", help="Write one row per run and inject to FILE.csv. / 試行ごとの結果をCSVに出力。"),
    parquet: Path | None = typer.Option(None, "--parquet", help="The same rows to FILE.parquet. / 同じ結果をParquetに出力。"),
    plot: Path | None = typer.Option(None, "--plot", help="Response-time distributions per arrangement to FILE.svg. / 体制ごとの応答時間分布をSVGに出力。"),
    as_of: str | None = as_of_option(),
    trace: int | None = typer.Option(
        None, "--trace", help="Print run K's events in time order instead of the summary (one arrangement). / "
        "試行Kの事象を時系列で表示（体制は一つ）。", metavar="K"),
    lang: str | None = lang_option(),
) -> None:
    """Monte Carlo simulation of a scenario in arrangements. / 体制ごとにシナリオをモンテカルロ模擬。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    day = parse_as_of(as_of)
    archs = split_list(arch)
    if executor not in EXECUTORS:
        fail(f"--executor: unknown executor {executor!r}; choose from: {', '.join(EXECUTORS)}")
    if plot is not None and plot.suffix.lower() != ".svg":
        fail(f"--plot: {plot}: give an .svg file")
    _check_limits(scenario, runs, seed, len(archs), frame=csv is not None or parquet is not None, workers=workers)
    if trace is not None:
        _trace(scenario, archs, runs, seed, trace, fault, reform, params, day, json_out, language)
        return
    with _bad_simulation_input(), _progress(not json_out) as advance:
        result = api.simulate(scenario, archs, runs=runs, seed=seed, faults=fault, reforms=reform, params=params,
                              as_of=day, executor=executor, scheduler=scheduler, workers=workers, progress=advance)
    _write_outputs(result, csv, parquet, plot, language)
    if json_out:
        print_json(result)
        return
    # Imported when the command runs: start-up time.
    from .render.sim import print_summary

    print_summary(console(), result, language)


def sensitivity(
    scenario: str = typer.Option(..., "--scenario", help="Scenario id or file. / シナリオID又はファイル。"),
    arch: str = typer.Option(..., "--arch", help="Arrangements to compare, comma-separated. / 比較する体制。"),
    runs: int = typer.Option(200, "--runs", help=f"Runs per setting, 1 to {RUNS_HELP_MAX}. / 設定ごとの試行回数。"),
    seed: int = typer.Option(0, "--seed", help=SEED_HELP),
    params: str | None = typer.Option(None, "--params", help=PARAMS_HELP),
    workers: int | None = typer.Option(None, "--workers", help="Worker processes. / ワーカー数。"),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
) -> None:
    """Vary each parameter over its range; report which flip the comparison. / 各パラメータを範囲内で変化させ比較結果が逆転するものを報告。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    archs = split_list(arch)
    if len(archs) < 2:
        fail("--arch: give at least two arrangements to compare (A,B)")
    _check_limits(scenario, runs, seed, len(archs), frame=False, workers=workers)
    with _bad_simulation_input(), _progress(not json_out) as advance:
        report = api.sensitivity(scenario, archs, runs=runs, seed=seed, params=params, workers=workers,
                                 progress=advance)
    if json_out:
        print_json(report)
        return
    # Imported when the command runs: start-up time.
    from .render.sim import print_sensitivity

    print_sensitivity(console(), report, language)


@contextmanager
def _bad_simulation_input() -> Iterator[None]:
    """Bad input found while simulating (ids, files, limits, values) ends as one line, exit code 2."""
    # Imported when the command runs: start-up time.
    from ..sim.limits import SimulationLimitError

    def line(exc: Exception) -> str:
        if isinstance(exc, SimulationLimitError):
            return f"{option_name(exc.field)}: {exc.reason}"
        return str(exc)

    with bad_input_ends_here(SimulationLimitError, ValueError, name=line):
        yield


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal, yielding the callback that advances it (None when there is none)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    # Imported when a terminal shows progress: start-up time.
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TimeRemainingColumn(), transient=True)
    task = bar.add_task("simulating", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance


def _check_limits(
    scenario: str, runs: int, seed: int, arrangements: int, *, frame: bool, workers: int | None = None
) -> None:
    """Refuse what cannot run (runs, seed, workers, memory) before any work starts."""
    # Imported when the command runs: start-up time.
    from ..model.scenario import load_scenario
    from ..sim.limits import check_request, check_runs, check_seed, check_workers

    with _bad_simulation_input():
        check_workers(workers, "--workers")
        check_runs(runs, "--runs")
        check_seed(seed, "--seed")
        injects = len(load_scenario(scenario).injects)
        check_request(runs, seed, max(1, arrangements), injects, frame=frame, fields=("--runs", "--seed"))


def _write_outputs(result: SimulationResult, csv: Path | None, parquet: Path | None, plot: Path | None,
                   lang: str) -> None:
    """The per-run table as CSV / Parquet and the response-time chart, each where asked."""
    if csv is not None or parquet is not None:
        frame = result.to_frame()
        for path, option, write in ((csv, "--csv", frame.to_csv), (parquet, "--parquet", frame.to_parquet)):
            if path is None:
                continue
            try:
                write(path, index=False)
            except OSError as exc:
                fail(f"{option}: {path}: cannot write: {exc.strerror}")
    if plot is not None:
        # Imported when a plot is asked for: matplotlib costs start-up time.
        from ..report.distributions import write_response_time_svg

        try:
            write_response_time_svg(result, plot, lang)
        except OSError as exc:
            fail(f"--plot: {plot}: cannot write: {exc.strerror}")


def _trace(scenario: str, archs: list[str], runs: int, seed: int, k: int, faults: list[str], reforms: list[str],
           params: str | None, as_of: Any, json_out: bool, lang: str) -> None:
    """`simulate --trace K`: the events of run K, the same run as in the Monte Carlo result."""
    if len(archs) != 1:
        fail(f"--trace: give exactly one arrangement in --arch (got {len(archs)})")
    if not 0 <= k < runs:
        fail(f"--trace {k}: choose a run from 0 to {runs - 1} (--runs {runs})")
    # Imported when the command runs: start-up time.
    from .. import api

    with _bad_simulation_input():
        events = api.trace(scenario, archs[0], seed=seed, run_index=k, faults=faults, reforms=reforms, params=params,
                           as_of=as_of)
    if json_out:
        print_json([e.to_dict() for e in events])
        return
    # Imported when the command runs: start-up time.
    from .render.sim import print_trace

    print_trace(console(), events, archs[0], scenario, k, seed, lang)
