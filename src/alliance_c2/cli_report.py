"""`alliance-c2 evaluate`: the main job, with a progress bar and a terminal summary."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .cli_sim import RUNS_HELP_MAX, option_name
from .cli_support import console, fail, lang_option, resolve_lang, split_list, t

STAGES_EN = {"structure": "structure", "law": "legal audit", "simulation": "simulation", "sensitivity": "sensitivity"}
STAGES_JA = {"structure": "構造分析", "law": "法的監査", "simulation": "シミュレーション", "sensitivity": "感度分析"}


def register(app: typer.Typer) -> None:
    """Add the `evaluate` command to the app."""

    @app.command()
    def evaluate(
        runs: int = typer.Option(500, "--runs", help=f"Monte Carlo runs per case, 1 to {RUNS_HELP_MAX}. / 各条件の試行回数。"),
        arch: str = typer.Option("", "--arch", help="Comma-separated arrangements (default: all bundled). / 対象の体制。"),
        scenario: str = typer.Option("", "--scenario", help="Comma-separated scenarios (default: all). / 対象のシナリオ。"),
        lang: str | None = lang_option(),
        out: Path = typer.Option(Path("alliance-c2-report"), "--out", help="Output directory. / 出力先。"),
        seed: int = typer.Option(2024, "--seed", help="Random seed, 0 or greater: the same seed gives the same report. / 乱数シード（0以上の整数）。"),
    ) -> None:
        """Run the legal audit and the simulation suite and write the report. / 評価を実行し報告書を作成する。"""
        from rich.progress import (
            BarColumn,
            Progress,
            TaskID,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        from .report.evaluate import EvaluationInputError, check_inputs
        from .report.evaluate import evaluate as run

        lang = resolve_lang(lang)
        _check_limits(runs, seed, split_list(arch), split_list(scenario))
        try:
            check_inputs(split_list(arch), split_list(scenario), out)
        except EvaluationInputError as exc:
            fail(str(exc))
        names = STAGES_JA if lang == "ja" else STAGES_EN
        out_console = console()
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
            console=out_console, transient=True, disable=not sys.stderr.isatty(),
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(names.get(stage, stage), total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            try:
                result = run(
                    runs=runs,
                    archs=split_list(arch) or None,
                    scenarios=split_list(scenario) or None,
                    lang=lang,
                    out=out,
                    seed=seed,
                    progress=progress,
                )
            except OSError as exc:
                fail(f"{out}: cannot write the report: {exc.strerror}")
        _print_summary(out_console, result, lang)


def _check_limits(runs: int, seed: int, archs: list[str], scenarios: list[str]) -> None:
    """Refuse runs, seed or memory that cannot work before the first stage starts."""
    from .model import bundled_architectures
    from .sim import load_scenario, scenario_ids
    from .sim.limits import SimulationLimitError, check_request

    try:
        injects = max(len(load_scenario(s).injects) for s in scenarios or scenario_ids())
        check_request(runs, seed, len(archs or bundled_architectures()), injects, fields=("--runs", "--seed"))
    except SimulationLimitError as exc:
        fail(f"{option_name(exc.field)}: {exc.reason}")


def _print_summary(out_console: object, result: object, lang: str) -> None:
    from rich.table import Table

    evaluation = result
    answer = evaluation.answer  # type: ignore[attr-defined]
    res = evaluation.results  # type: ignore[attr-defined]
    table = Table(title=t(lang, "The answer (lawful variants against today)", "結論（適法な形と現行の比較）"))
    table.add_column(t(lang, "scenario", "シナリオ"))
    for a in answer.main:
        table.add_column(a, justify="right")
    words = {"faster": t(lang, "faster", "速い"), "slower": t(lang, "slower", "遅い"),
             "no-difference": t(lang, "no difference", "差なし")}
    by_scen: dict[str, dict[str, object]] = {}
    for row in answer.rows:
        by_scen.setdefault(row.scenario, {})[row.arch] = row
    for scen, rows in by_scen.items():
        cells = []
        for a in answer.main:
            row = rows.get(a)
            rt = row.metrics["response_time"] if row else None  # type: ignore[attr-defined]
            if rt is None or rt.mean is None:
                cells.append("—")
                continue
            verdict = f" {words[row.verdict]}" if row.verdict else ""  # type: ignore[attr-defined]
            digits = 1 if rt.mean < 100 else 0  # a short response keeps the decimal that separates the arrangements
            cells.append(f"{rt.mean:.{digits}f} [{rt.ci95_low:.{digits}f}, {rt.ci95_high:.{digits}f}] "
                         f"{t(lang, 'min', '分')}{verdict}")
        names = res["simulation"].get("names", {}).get(scen)
        table.add_row(t(lang, *names) if names else scen, *cells)
    out_console.print(table)  # type: ignore[attr-defined]
    out_console.print(answer.paragraph(lang))  # type: ignore[attr-defined]
    seconds = res["meta"]["seconds"]
    out_console.print(  # type: ignore[attr-defined]
        t(lang, f"Report: {evaluation.report_path}  ({seconds:.1f} s)",  # type: ignore[attr-defined]
          f"報告書: {evaluation.report_path}（{seconds:.1f}秒）")  # type: ignore[attr-defined]
    )
