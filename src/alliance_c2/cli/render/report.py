"""Terminal summary of an evaluation: the answer table, its paragraph and where the report is."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ...labels import pick
from ...model import load_architecture
from ...report.results import AnswerRow, Evaluation


def print_summary(out: Console, evaluation: Evaluation, lang: str) -> None:
    """The answer in one sentence (and the rule it follows), then response time per scenario for each main
    arrangement's lawful variant with its verdict against today and its criterion, then the paragraph."""
    answer = evaluation.answer
    out.print(f"[bold]{escape(answer.bottom_line(lang))}[/bold]", highlight=False)
    out.print(f"[dim]{pick(lang, 'Rule', '規則')}: {escape(answer.bottom_line_rule(lang))}[/dim]", highlight=False)
    table = Table(title=pick(lang, "The answer (lawful variants against today)", "結論（適法な形と現行の比較）"))
    table.add_column(pick(lang, "scenario", "シナリオ"))
    for a in answer.main:
        table.add_column(load_architecture(a).short_name(lang), justify="right")
    by_scenario: dict[str, dict[str, AnswerRow]] = {}
    for row in answer.rows:
        by_scenario.setdefault(row.scenario, {})[row.arch] = row
    for scen, rows in by_scenario.items():
        names = evaluation.simulation.names.get(scen)
        label = pick(lang, *names) if names else scen
        table.add_row(label, *(_cell(rows.get(a), lang) for a in answer.main))
    out.print(table)
    out.print(answer.paragraph(lang))
    seconds = evaluation.meta.seconds
    out.print(pick(lang, f"Report: {evaluation.report_path}  ({seconds:.1f} s)",
                   f"報告書: {evaluation.report_path}（{seconds:.1f}秒）"))
    if evaluation.pdf_problem:
        out.print(pick(lang, f"note: {evaluation.pdf_problem}", f"注: {evaluation.pdf_problem}"), highlight=False)
    else:
        out.print(pick(lang, f"PDF: {evaluation.pdf_path}", f"PDF: {evaluation.pdf_path}"), highlight=False)


def _cell(row: AnswerRow | None, lang: str) -> str:
    rt = row.metrics["response_time"] if row else None
    if row is None or rt is None or rt.mean is None or rt.ci95_low is None or rt.ci95_high is None:
        return "—"
    words = {"faster": pick(lang, "faster", "速い"), "slower": pick(lang, "slower", "遅い"),
             "no-difference": pick(lang, "no difference", "差なし")}
    criteria = {"time": pick(lang, "by time", "時間"), "deadline-share": pick(lang, "by deadline share", "期限内対処率")}
    verdict = f" {words[row.verdict]}" if row.verdict else ""
    if row.criterion:
        verdict += f" ({criteria[row.criterion]})"
    digits = 1 if rt.mean < 100 else 0  # a short response keeps the decimal that separates the arrangements
    return (f"{rt.mean:.{digits}f} [{rt.ci95_low:.{digits}f}, {rt.ci95_high:.{digits}f}] "
            f"{pick(lang, 'min', '分')}{verdict}")
