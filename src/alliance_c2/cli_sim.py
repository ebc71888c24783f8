"""`alliance-c2 simulate | scenarios | sensitivity`: thin commands over `alliance_c2.sim`."""

from __future__ import annotations

import sys
from typing import Any

import typer

from .cli_support import as_of_option, fail, lang_option, parse_as_of, print_json, resolve_lang, split_list, t


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

    if isinstance(exc, UnknownIdError):
        fail(exc.describe())
    if isinstance(exc, CatalogError | ValueError):
        fail(str(exc))


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
        runs: int = typer.Option(100, "--runs", help="Monte Carlo runs. / 試行回数。"),
        seed: int = typer.Option(0, "--seed", help="Random seed. / 乱数シード。"),
        fault: list[str] = typer.Option([], "--fault", help="ORG@MINUTES: lose an organization (ORG~ORG@MINUTES: degrade a link); repeatable. / 組織の喪失（繰り返し可）。"),
        reform: list[str] = typer.Option([], "--reform", help="Reform switch; repeatable. / 法改正スイッチ（繰り返し可）。"),
        params: str | None = typer.Option(None, "--params", help="Parameter override file. / パラメータ上書きファイル。"),
        executor: str = typer.Option("local", "--executor", help="local or dask. / 実行方式 local 又は dask。"),
        scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address. / Dask スケジューラのアドレス。"),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes (default: all cores). / ワーカー数。"),
        json_out: bool = typer.Option(False, "--json", help="JSON output. / JSON で出力。"),
        out: str | None = typer.Option(None, "--out", help="Per-run metrics to FILE.csv or FILE.parquet. / 試行毎の結果の出力先。"),
        as_of: str | None = as_of_option(),
        trace: int | None = typer.Option(
            None, "--trace", help="Print run K's events in time order instead of the summary (one arrangement). / "
            "試行Kの事象を時系列で表示（体制は一つ）。", metavar="K"),
        lang: str | None = lang_option(),
    ) -> None:
        """Monte Carlo simulation of a scenario in arrangements. / 体制ごとにシナリオをモンテカルロ模擬。"""
        language = resolve_lang(lang)
        day = parse_as_of(as_of)
        if runs < 1:
            fail(f"--runs: must be at least 1, got {runs}")
        if trace is not None:
            _trace(scenario, split_list(arch), runs, seed, trace, fault, reform, params, day, json_out, language)
            return
        if executor not in ("local", "dask"):
            fail(f"--executor: unknown executor {executor!r}; choose from: local, dask")
        if workers is not None and workers < 1:
            fail(f"--workers: must be at least 1, got {workers}")
        if out is not None and not out.endswith((".csv", ".parquet")):
            fail(f"--out: {out}: use a .csv or .parquet file")
        from .sim import simulate

        bar, advance = _progress(not json_out)
        try:
            if bar is not None:
                bar.start()
            result = simulate(scenario, split_list(arch), runs=runs, seed=seed, faults=fault, reforms=reform,
                              params=params, as_of=day, executor=executor, scheduler=scheduler, workers=workers, progress=advance)
        except Exception as exc:
            _bad_input(exc)
            raise
        finally:
            if bar is not None:
                bar.stop()
        if out is not None:
            try:
                result.export(out)
            except ImportError:
                fail("--out: writing Parquet needs pyarrow (pip install pyarrow)")
        if json_out:
            print_json(result.to_dict())
            return
        _print_summary(result, language)

    @app.command("sensitivity")
    def sensitivity_cmd(
        scenario: str = typer.Option(..., "--scenario", help="Scenario id or file. / シナリオID又はファイル。"),
        arch: str = typer.Option(..., "--arch", help="Arrangements to compare, comma-separated. / 比較する体制。"),
        runs: int = typer.Option(200, "--runs", help="Runs per setting. / 設定ごとの試行回数。"),
        seed: int = typer.Option(0, "--seed", help="Random seed. / 乱数シード。"),
        params: str | None = typer.Option(None, "--params", help="Parameter override file. / パラメータ上書きファイル。"),
        workers: int | None = typer.Option(None, "--workers", help="Worker processes. / ワーカー数。"),
        json_out: bool = typer.Option(False, "--json", help="JSON output. / JSON で出力。"),
        lang: str | None = lang_option(),
    ) -> None:
        """Vary each parameter over its range; report which flip the comparison. / 各パラメータを範囲内で変化させ比較結果が逆転するものを報告。"""
        language = resolve_lang(lang)
        if runs < 1:
            fail(f"--runs: must be at least 1, got {runs}")
        archs = split_list(arch)
        if len(archs) < 2:
            fail("--arch: give at least two arrangements to compare (A,B)")
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
        typer.echo(t(language, f"baseline best: {report['baseline_best']} {report['baseline']}",
                     f"基準で最良: {report['baseline_best']} {report['baseline']}"))
        for row in report["parameters"]:
            mark = t(language, "FLIPS", "逆転") if row["flips"] else ""
            typer.echo(f"{row['parameter']:36} [{row['low']:g}, {row['high']:g}] low→{row['best_at_low']:18} "
                       f"high→{row['best_at_high']:18} {mark}")


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


def _print_summary(result: Any, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    summary = result.summary()
    name = result.scenario_name_ja if lang == "ja" and result.scenario_name_ja else result.scenario_name_en
    table = Table(title=f"{name} — {result.runs} {t(lang, 'runs, seed', '回、シード')} {result.seed}")
    table.add_column(t(lang, "metric", "指標"))
    for a in result.arrangements:
        table.add_column(a)
    for metric in ("response_time", "deadline_met", "sync_gap", "messages", "peak_queue", "refused", "findings",
                   "conflicts", "executed"):
        table.add_row(metric, *(_fmt(summary[a]["overall"][metric]) for a in result.arrangements))
    console.print(table)
    for a in result.arrangements:
        levels = ", ".join(f"{i}: {lv}" for i, lv in result.levels[a].items())
        console.print(f"[bold]{a}[/bold] {t(lang, 'levels', 'レベル')}: {levels}")
        for inject_id, found in result.findings[a].items():
            if found:
                console.print(f"  {inject_id}: {', '.join(found)}")
