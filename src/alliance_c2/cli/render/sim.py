"""Terminal output of simulations: the summary table, the sensitivity table and a traced run (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ...labels import approval_name, constraint_label, level_name, metric_label, nation_name, pick
from ...law import default_catalog
from ...model.scenario import load_scenario
from ...sim import METRICS, SimulationResult, TraceEvent


def _fmt(s: dict[str, Any]) -> str:
    if s["mean"] is None:
        return "-"
    return f"{s['mean']:.2f} [{s['ci95_low']:.2f}, {s['ci95_high']:.2f}] p90 {s['p90']:.2f}"


def print_summary(out: Console, result: SimulationResult, lang: str) -> None:
    """Every metric per arrangement (mean, 95% CI, p90), then each inject's level and the constraints it hit."""
    summary = result.summary()
    name = pick(lang, result.scenario_name_en, result.scenario_name_ja)
    table = Table(title=f"{name} — {result.runs} {pick(lang, 'runs, seed', '回、シード')} {result.seed}")
    table.add_column(pick(lang, "metric: mean [95% CI] p90", "指標: 平均 [95%信頼区間] p90"))
    for a in result.arrangements:
        table.add_column(a)
    for metric in METRICS:
        table.add_row(metric_label(metric, lang), *(_fmt(summary[a]["overall"][metric]) for a in result.arrangements))
    out.print(table)
    injects = {i.id: i for i in load_scenario(result.scenario).injects}
    law = default_catalog()
    for a in result.arrangements:
        out.print(f"[bold]{a}[/bold] — {pick(lang, 'level per inject', 'インジェクトごとの相互運用性レベル')}:")
        for inject_id, level in result.levels[a].items():
            found = result.findings[a].get(inject_id, [])
            raised = ", ".join(constraint_label(law, c, lang) for c in found)
            more = f"; {pick(lang, 'constraints', '制約')}: {raised}" if raised else ""
            inject = injects.get(inject_id)
            label = pick(lang, inject.name_en, inject.name_ja) if inject is not None else inject_id
            out.print(f"  {label}: {level_name(level, lang)}{more}")
        _print_allies_steps(out, result, a, lang)
        for bound in result.war_powers.get(a, []):
            _print_bound(out, bound, lang)
    # Imported when the summary is printed: the notes ask the law and the compiler.
    from ...report.distributions import what_happened

    notes = what_happened(result, lang)
    for a in result.arrangements:
        for line in notes.get(a, []):
            out.print(f"  [bold]{a}[/bold]: {line}", highlight=False)
    for line in notes["*"]:
        out.print(line, highlight=False)


def _print_allies_steps(out: Console, result: SimulationResult, arch: str, lang: str) -> None:
    """Which ally's steps its executed orders wait for, by nation."""
    by_nation: dict[str, list[str]] = {}
    for approval, w in result.waits.get(arch, {}).items():
        until = (pick(lang, f", {w['until_transfer']} through their own chain until control passes",
                      f"、うち{w['until_transfer']}件は統制移転まで自国の系統で")
                 if w.get("until_transfer") else "")
        by_nation.setdefault(w["nation"], []).append(f"{approval_name(approval, lang)} ({w['orders']}{until})")
    for nation, items in by_nation.items():
        out.print(f"  {pick(lang, 'waits for', '待つ承認')} ({nation_name(nation, lang)}): {'; '.join(items)}")


def _print_bound(out: Console, bound: dict[str, Any], lang: str) -> None:
    """The War Powers Resolution's 60 days (+30) against the scenario's assumed length."""
    law = default_catalog()
    rule = law.rules.get(bound["rule"])
    name = rule.name(lang) if rule is not None else bound["rule"]
    days = bound.get("scenario_days")
    if bound["lifted"]:
        verdict = pick(lang, "lifted by an active reform", "有効な改革により解消")
    elif days is None:
        verdict = pick(lang, "the scenario gives no length", "シナリオに期間の想定がない")
    elif bound["exceeds_extension"]:
        verdict = pick(lang, f"the scenario's assumed {days:g} days run past {bound['days']} (+{bound['extension_days']}): "
                             "without congressional authorization U.S. forces must withdraw before it ends",
                       f"シナリオの想定{days:g}日は{bound['days']}日（+{bound['extension_days']}日）を超える："
                       "議会の授権がなければ米軍は終了前に撤収しなければならない")
    elif bound["exceeds"]:
        verdict = pick(lang, f"the scenario's assumed {days:g} days run past {bound['days']}: only the President's "
                             f"certified {bound['extension_days']} extra days cover it",
                       f"シナリオの想定{days:g}日は{bound['days']}日を超え、大統領の証明による{bound['extension_days']}日の延長でのみ足りる")
    else:
        verdict = pick(lang, f"within it (assumed {days:g} days)", f"期限内（想定{days:g}日）")
    start = bound.get("starts") or 0.0
    out.print(f"  [yellow]{name}[/]: {pick(lang, 'starts at minute', '開始')} {start:g}; {verdict}")


def print_sensitivity(out: Console, report: dict[str, Any], lang: str) -> None:
    """The baseline, then the best arrangement at each end of every parameter's range (flips marked)."""
    metric = metric_label(report["metric"], lang)
    baseline = ", ".join(f"{a} {v:.2f}" if v is not None else f"{a} -" for a, v in report["baseline"].items())
    out.print(pick(lang, f"Baseline ({metric}): {baseline}; best: {report['baseline_best']}",
                   f"基準（{metric}）: {baseline}。最良: {report['baseline_best']}"))
    table = Table(title=pick(lang, "Best arrangement at each end of a parameter's range",
                             "各パラメータの範囲の両端で最良となる体制"))
    for col in (pick(lang, "parameter", "パラメータ"), pick(lang, "range", "範囲"), pick(lang, "best at low", "下限で最良"),
                pick(lang, "best at high", "上限で最良"), ""):
        table.add_column(col)
    for row in report["parameters"]:
        mark = pick(lang, "[bold red]FLIPS[/]", "[bold red]逆転[/]") if row["flips"] else ""
        table.add_row(row["parameter"], f"[{row['low']:g}, {row['high']:g}]", row["best_at_low"], row["best_at_high"], mark)
    out.print(table)


def print_trace(out: Console, events: Sequence[TraceEvent], arch: str, scenario: str, k: int, seed: int,
                lang: str) -> None:
    """One run's events in time order."""
    table = Table(title=pick(lang, f"{arch} / {scenario}: run {k} (seed {seed})",
                             f"{arch} / {scenario}: 試行 {k}（シード {seed}）"))
    for col in (pick(lang, "minute", "分"), pick(lang, "event", "事象"), pick(lang, "order", "命令"),
                pick(lang, "unit", "部隊"), pick(lang, "approval", "承認"), pick(lang, "nation", "国"),
                pick(lang, "situation", "事態"), pick(lang, "level", "レベル"), pick(lang, "by / reason", "主体／理由")):
        table.add_column(col)
    for e in events:
        table.add_row(f"{e.t:.1f}", e.kind, e.order or "", e.unit or "", e.approval or "", e.nation or "",
                      e.situation or "", e.level or "", e.reason or e.organization or "")
    out.print(table)
