"""`alliance-c2 simulate | scenarios | sensitivity`: thin commands over `alliance_c2.sim`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from .cli_support import (
    as_of_option,
    console,
    fail,
    lang_option,
    parse_as_of,
    print_json,
    resolve_lang,
    split_list,
    t,
)

# The number is sim.limits.MAX_RUNS, written out so that `--help` does not import the simulation
# (tests/cli/test_run_limits.py keeps the two equal).
RUNS_HELP_MAX = "1,000,000"
RUNS_HELP = f"Monte Carlo runs per arrangement, 1 to {RUNS_HELP_MAX} (refused up front if memory cannot hold them). / 試行回数。"
SEED_HELP = "Random seed, a whole number 0 or greater; the same seed gives the same results. / 乱数シード（0以上の整数）。"


def _progress(enabled: bool) -> tuple[Any, Any]:
    """A rich progress bar on a terminal (None otherwise) and the callback that advances it."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TimeRemainingColumn(), transient=True)
    task = bar.add_task("simulating", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, advance


def _bad_input(exc: Exception) -> None:
    from .model import CatalogError, UnknownIdError
    from .sim.limits import SimulationLimitError

    if isinstance(exc, UnknownIdError):
        fail(exc.describe())
    if isinstance(exc, SimulationLimitError):
        fail(f"{option_name(exc.field)}: {exc.reason}")
    if isinstance(exc, CatalogError):
        fail(str(exc.problems[0]))
    if isinstance(exc, ValueError):
        fail(str(exc))


def option_name(field: str) -> str:
    """The command-line option for a library argument name: `runs` -> `--runs`."""
    return field if field.startswith("-") else f"--{field}"


def _check_options(executor: str, plot: Path | None) -> None:
    if executor not in ("local", "dask"):
        fail(f"--executor: unknown executor {executor!r}; choose from: local, dask")
    if plot is not None and plot.suffix.lower() != ".svg":
        fail(f"--plot: {plot}: give an .svg file")


def _check_limits(
    scenario: str, runs: int, seed: int, arrangements: int, *, frame: bool, workers: int | None = None
) -> None:
    """Refuse what cannot run (runs, seed, workers, memory) before any work starts."""
    from .sim import load_scenario
    from .sim.limits import check_request, check_runs, check_seed, check_workers

    try:
        check_workers(workers, "--workers")
        check_runs(runs, "--runs")
        check_seed(seed, "--seed")
        injects = len(load_scenario(scenario).injects)
        check_request(runs, seed, max(1, arrangements), injects, frame=frame, fields=("--runs", "--seed"))
    except Exception as exc:
        _bad_input(exc)
        raise


def _write_outputs(result: Any, csv: Path | None, parquet: Path | None, plot: Path | None, lang: str) -> None:
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
        from .report.distributions import write_response_time_svg

        try:
            write_response_time_svg(result, plot, lang)
        except OSError as exc:
            fail(f"--plot: {plot}: cannot write: {exc.strerror}")


def register(app: typer.Typer) -> None:
    """Add the simulation commands to the main Typer app."""

    @app.command("scenarios")
    def scenarios_cmd(
        json_out: bool = typer.Option(False, "--json", help="JSON output. / JSON で出力。"),
        lang: str | None = lang_option(),
    ) -> None:
        """List the bundled scenarios. / 同梱のシナリオを一覧表示。"""
        from .sim import scenarios

        language = resolve_lang(lang)
        items = scenarios()
        if json_out:
            print_json([
                {"id": s.id, "name_en": s.name_en, "name_ja": s.name_ja, "situation": s.situation,
                 "injects": [{"id": i.id, "time": i.time, "situation": i.situation,
                              "responses": [{"action": r.action, "nation": r.nation, "component": r.component,
                                             "deadline_minutes": r.deadline} for r in i.responses]}
                             for i in s.injects]}
                for s in items
            ])
            return
        for s in items:
            typer.echo(f"{s.id:24} {s.name(language)}  ({len(s.injects)} {t(language, 'injects', 'インジェクト')})")

    @app.command("simulate")
    def simulate_cmd(
        scenario: str = typer.Option(..., "--scenario", help="Scenario id or file. / シナリオID又はファイル。"),
        arch: str = typer.Option(..., "--arch", help="Arrangements, comma-separated. / 体制（カンマ区切り）。"),
        runs: int = typer.Option(100, "--runs", help=RUNS_HELP),
        seed: int = typer.Option(0, "--seed", help=SEED_HELP),
        fault: list[str] = typer.Option([], "--fault", help="ORG@MINUTES: lose an organization (ORG~ORG@MINUTES: degrade a link); repeatable. / 組織の喪失（繰り返し可）。"),
        reform: list[str] = typer.Option([], "--reform", help="Reform switch; repeatable. / 法改正スイッチ（繰り返し可）。"),
        params: str | None = typer.Option(None, "--params", help="Parameter override file. / パラメータ上書きファイル。"),
        executor: str = typer.Option("local", "--executor", help="local or dask. / 実行方式 local 又は dask。"),
        scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address. / Dask スケジューラのアドレス。"),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes, at most 4 per core (default: all cores). / ワーカー数。"),
        json_out: bool = typer.Option(False, "--json", help="JSON output. / JSON で出力。"),
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
        language = resolve_lang(lang)
        day = parse_as_of(as_of)
        archs = split_list(arch)
        _check_options(executor, plot)
        _check_limits(scenario, runs, seed, len(archs), frame=csv is not None or parquet is not None, workers=workers)
        if trace is not None:
            _trace(scenario, archs, runs, seed, trace, fault, reform, params, day, json_out, language)
            return
        from .sim import simulate

        bar, advance = _progress(not json_out)
        try:
            if bar is not None:
                bar.start()
            result = simulate(scenario, archs, runs=runs, seed=seed, faults=fault, reforms=reform,
                              params=params, as_of=day, executor=executor, scheduler=scheduler, workers=workers, progress=advance)
        except Exception as exc:
            _bad_input(exc)
            raise
        finally:
            if bar is not None:
                bar.stop()
        _write_outputs(result, csv, parquet, plot, language)
        if json_out:
            print_json(result.to_dict())
            return
        _print_summary(result, language)

    @app.command("sensitivity")
    def sensitivity_cmd(
        scenario: str = typer.Option(..., "--scenario", help="Scenario id or file. / シナリオID又はファイル。"),
        arch: str = typer.Option(..., "--arch", help="Arrangements to compare, comma-separated. / 比較する体制。"),
        runs: int = typer.Option(200, "--runs", help=f"Runs per setting, 1 to {RUNS_HELP_MAX}. / 設定ごとの試行回数。"),
        seed: int = typer.Option(0, "--seed", help=SEED_HELP),
        params: str | None = typer.Option(None, "--params", help="Parameter override file. / パラメータ上書きファイル。"),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes. / ワーカー数。"),
        json_out: bool = typer.Option(False, "--json", help="JSON output. / JSON で出力。"),
        lang: str | None = lang_option(),
    ) -> None:
        """Vary each parameter over its range; report which flip the comparison. / 各パラメータを範囲内で変化させ比較結果が逆転するものを報告。"""
        language = resolve_lang(lang)
        archs = split_list(arch)
        if len(archs) < 2:
            fail("--arch: give at least two arrangements to compare (A,B)")
        _check_limits(scenario, runs, seed, len(archs), frame=False, workers=workers)
        from .sim.sensitivity import sensitivity

        bar, advance = _progress(not json_out)
        try:
            if bar is not None:
                bar.start()
            report = sensitivity(scenario, archs, runs=runs, seed=seed, params=params, workers=workers, progress=advance)
        except Exception as exc:
            _bad_input(exc)
            raise
        finally:
            if bar is not None:
                bar.stop()
        if json_out:
            print_json(report)
            return
        _print_sensitivity(report, language)


def _trace(scenario: str, archs: list[str], runs: int, seed: int, k: int, faults: list[str], reforms: list[str],
           params: str | None, as_of: Any, json_out: bool, lang: str) -> None:
    """`simulate --trace K`: the events of run K, the same run as in the Monte Carlo result."""
    if len(archs) != 1:
        fail(f"--trace: give exactly one arrangement in --arch (got {len(archs)})")
    if not 0 <= k < runs:
        fail(f"--trace {k}: choose a run from 0 to {runs - 1} (--runs {runs})")
    from .sim import load_parameters, trace_run

    try:
        events = trace_run(archs[0], scenario, seed=seed, run_index=k, faults=faults, reforms=reforms,
                           params=load_parameters(params), as_of=as_of)
    except Exception as exc:
        _bad_input(exc)
        raise
    if json_out:
        print_json([e.to_dict() for e in events])
        return
    from rich.table import Table

    from .cli_support import console

    table = Table(title=t(lang, f"{archs[0]} / {scenario}: run {k} (seed {seed})",
                          f"{archs[0]} / {scenario}: 試行 {k}（シード {seed}）"))
    for col in (t(lang, "minute", "分"), t(lang, "event", "事象"), t(lang, "order", "命令"), t(lang, "unit", "部隊"),
                t(lang, "approval", "承認"), t(lang, "nation", "国"), t(lang, "situation", "事態"),
                t(lang, "level", "レベル"), t(lang, "by / reason", "主体／理由")):
        table.add_column(col)
    for e in events:
        table.add_row(f"{e.t:.1f}", e.kind, e.order or "", e.unit or "", e.approval or "", e.nation or "",
                      e.situation or "", e.level or "", e.reason or e.organization or "")
    console().print(table)


def _fmt(s: dict[str, Any]) -> str:
    if s["mean"] is None:
        return "-"
    return f"{s['mean']:.2f} [{s['ci95_low']:.2f}, {s['ci95_high']:.2f}] p90 {s['p90']:.2f}"


def _metric_labels() -> dict[str, tuple[str, str]]:
    """Every metric's label in English and Japanese: the report's, plus those the report does not chart."""
    from .report.evaluate import METRICS as REPORTED

    return {**_UNREPORTED_METRICS, **{m: (en, ja) for m, (en, ja, _) in REPORTED.items()}}


_UNREPORTED_METRICS = {
    "peak_queue": ("peak staff queue", "幕僚の最大待ち件数"),
    "findings": ("legal constraints hit", "該当した法的制約の数"),
    "executed": ("responses executed (share)", "実行された対処の割合"),
    "executed_deconflict": ("orders run under deconfliction", "競合防止で実行された命令"),
    "executed_coordinated": ("orders run under coordination", "調整で実行された命令"),
    "executed_integrated": ("orders run under integration", "一体化で実行された命令"),
    "executed_unified": ("orders run under unified command", "統一指揮で実行された命令"),
}


def _print_summary(result: Any, lang: str) -> None:
    from rich.table import Table

    from .analysis.render import level_name
    from .law.engine import default_catalog
    from .law.render import constraint_label
    from .sim import METRICS, load_scenario

    out = console()
    labels = _metric_labels()
    summary = result.summary()
    name = result.scenario_name_ja if lang == "ja" and result.scenario_name_ja else result.scenario_name_en
    table = Table(title=f"{name} — {result.runs} {t(lang, 'runs, seed', '回、シード')} {result.seed}")
    table.add_column(t(lang, "metric: mean [95% CI] p90", "指標: 平均 [95%信頼区間] p90"))
    for a in result.arrangements:
        table.add_column(a)
    for metric in METRICS:
        label = t(lang, *labels.get(metric, (metric, metric)))
        table.add_row(label, *(_fmt(summary[a]["overall"][metric]) for a in result.arrangements))
    out.print(table)
    injects = {i.id: i for i in load_scenario(result.scenario).injects}
    law = default_catalog()

    def inject_name(inject_id: str) -> str:
        inject = injects.get(inject_id)
        return inject_id if inject is None else (inject.name_ja if lang == "ja" and inject.name_ja else inject.name_en)

    for a in result.arrangements:
        out.print(f"[bold]{a}[/bold] — {t(lang, 'level per inject', 'インジェクトごとの相互運用性レベル')}:")
        for inject_id, level in result.levels[a].items():
            found = result.findings[a].get(inject_id, [])
            raised = ", ".join(constraint_label(law, c, lang) for c in found)
            more = f"; {t(lang, 'constraints', '制約')}: {raised}" if raised else ""
            out.print(f"  {inject_name(inject_id)}: {level_name(level, lang)}{more}")


def _print_sensitivity(report: dict[str, Any], lang: str) -> None:
    from rich.table import Table

    labels = _metric_labels()
    metric = t(lang, *labels.get(report["metric"], (report["metric"], report["metric"])))
    baseline = ", ".join(f"{a} {v:.2f}" if v is not None else f"{a} -" for a, v in report["baseline"].items())
    out = console()
    out.print(t(lang, f"Baseline ({metric}): {baseline}; best: {report['baseline_best']}",
                f"基準（{metric}）: {baseline}。最良: {report['baseline_best']}"))
    table = Table(title=t(lang, "Best arrangement at each end of a parameter's range",
                          "各パラメータの範囲の両端で最良となる体制"))
    for col in (t(lang, "parameter", "パラメータ"), t(lang, "range", "範囲"), t(lang, "best at low", "下限で最良"),
                t(lang, "best at high", "上限で最良"), ""):
        table.add_column(col)
    for row in report["parameters"]:
        mark = t(lang, "[bold red]FLIPS[/]", "[bold red]逆転[/]") if row["flips"] else ""
        table.add_row(row["parameter"], f"[{row['low']:g}, {row['high']:g}]", row["best_at_low"], row["best_at_high"], mark)
    out.print(table)
