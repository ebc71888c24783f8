"""The main job: `evaluate`, with a progress bar and a terminal summary of the answer."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..labels import pick
from .sim import RUNS_HELP_MAX
from .support import console, fail, lang_option, option_name, resolve_lang, split_list

STAGES = {
    "structure": ("structure", "構造分析"),
    "law": ("legal audit", "法的監査"),
    "simulation": ("simulation", "シミュレーション"),
    "sensitivity": ("sensitivity", "感度分析"),
}
DEFAULT_RUNS = 500  # report.evaluate.DEFAULT_RUNS, written out so that `--help` does not import the report
DEFAULT_SEED = 2024  # report.evaluate.DEFAULT_SEED


def register(app: typer.Typer) -> None:
    """Add the `evaluate` command to `app`."""
    app.command("evaluate")(evaluate)


def evaluate(
    runs: int = typer.Option(DEFAULT_RUNS, "--runs", help=f"Monte Carlo runs per case, 1 to {RUNS_HELP_MAX}. / 各条件の試行回数。"),
    arch: str = typer.Option("", "--arch", help="Comma-separated arrangements (default: all bundled). / 対象の体制。"),
    scenario: str = typer.Option("", "--scenario", help="Comma-separated scenarios (default: all). / 対象のシナリオ。"),
    lang: str | None = lang_option(),
    out: Path = typer.Option(Path("alliance-c2-report"), "--out", help="Output directory. / 出力先。"),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Random seed, 0 or greater: the same seed gives the same report. / 乱数シード（0以上の整数）。"),
) -> None:
    """Run the legal audit and the simulation suite and write the report. / 評価を実行し報告書を作成する。"""
    # Imported when the command runs: start-up time.
    from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn

    # Imported when the command runs: start-up time (the report needs NumPy and matplotlib).
    from .. import api
    from ..report.evaluate import EvaluationInputError, check_inputs
    from .render.report import print_summary

    language = resolve_lang(lang)
    archs, scenarios = split_list(arch), split_list(scenario)
    _check_limits(runs, seed, archs, scenarios)
    try:
        check_inputs(archs, scenarios, out)
    except EvaluationInputError as exc:
        fail(str(exc))
    out_console = console()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
        console=out_console, transient=True, disable=not sys.stderr.isatty(),
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(pick(language, *STAGES.get(stage, (stage, stage))), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        try:
            evaluation = api.evaluate(runs=runs, archs=archs or None, scenarios=scenarios or None, lang=language,
                                      out=out, seed=seed, progress=progress)
        except OSError as exc:
            fail(f"{out}: cannot write the report: {exc.strerror}")
    print_summary(out_console, evaluation, language)


def _check_limits(runs: int, seed: int, archs: list[str], scenarios: list[str]) -> None:
    """Refuse runs, seed or memory that cannot work before the first stage starts."""
    # Imported when the command runs: start-up time.
    from ..model import bundled_architectures
    from ..model.scenario import load_scenario, scenario_ids
    from ..sim.limits import SimulationLimitError, check_request

    try:
        injects = max(len(load_scenario(s).injects) for s in scenarios or scenario_ids())
        check_request(runs, seed, len(archs or bundled_architectures()), injects, fields=("--runs", "--seed"))
    except SimulationLimitError as exc:
        fail(f"{option_name(exc.field)}: {exc.reason}")
