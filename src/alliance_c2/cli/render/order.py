"""Terminal output for a checked C2SIM order (rich, English or Japanese)."""

from __future__ import annotations

from typing import Any

from ...interop import OrderCheck, TaskCheck
from ...labels import action_name, approval_name, pick, situation_name

_STATUS = {
    "allowed": ("[bold green]ALLOWED[/]", "[bold green]可[/]"),
    "not-allowed": ("[bold red]NOT ALLOWED[/]", "[bold red]不可[/]"),
    "unmapped": ("[bold yellow]NOT CHECKED[/]", "[bold yellow]未審査[/]"),
}


def print_order_check(console: Any, result: OrderCheck, lang: str = "en") -> None:
    """A heading, one block per task (verdict, approvals, constraints or why unmapped), a summary line."""
    order = result.order
    situation = situation_name(result.situation, lang)
    sender = result.ordered_by or pick(lang, f"{order.sender or '?'} (not in the arrangement)", f"{order.sender or '?'}（体制外）")
    console.print(
        pick(lang, f"[bold]C2SIM order[/] {order.order_id} ", f"[bold]C2SIM命令[/] {order.order_id} ")
        + f"[dim](C2SIM {order.edition_label}, {order.path})[/]"
    )
    console.print(
        pick(lang, "Arrangement", "体制")
        + f": {result.architecture} · {pick(lang, 'situation', '事態')}: {situation} ({result.situation}) · "
        + pick(lang, "sender", "発令者")
        + f": {sender}"
    )
    for number, task in enumerate(result.tasks, 1):
        _print_task(console, number, task, lang)
    counts = result.to_dict()["counts"]
    console.print(
        pick(
            lang,
            f"{len(result.tasks)} task(s): {counts['allowed']} allowed, {counts['not-allowed']} not allowed, "
            f"{counts['unmapped']} not checked",
            f"任務{len(result.tasks)}件：可 {counts['allowed']}、不可 {counts['not-allowed']}、未審査 {counts['unmapped']}",
        )
    )


def _print_task(console: Any, number: int, task: TaskCheck, lang: str) -> None:
    status = pick(lang, *_STATUS[task.status])
    name = task.task.name or task.task.uuid
    action = action_name(task.action, lang) if task.action else "-"
    console.print(
        f"{number:>3}. {status} {name} [dim](line {task.task.line}, {task.task.verb})[/] → "
        f"{action} / {task.unit or '?'}"
    )
    if task.verdict is None:
        console.print(f"     [yellow]{task.problem(lang)}[/]")
        return
    for block in task.verdict.blocked_by:
        console.print(f"     [red]✗[/] {block.reason(lang)}")
    if task.verdict.approval_steps:
        names = [_approval(step.id, step.phase, lang) for step in task.verdict.approval_steps]
        console.print(f"     {pick(lang, 'Approvals', '必要な承認')}: " + " → ".join(names))
    constraints = task.verdict.constraints
    if constraints:
        console.print(f"     {pick(lang, 'Constraints', '制約')}: " + ", ".join(constraints))


def _approval(approval_id: str, phase: str, lang: str) -> str:
    return approval_name(approval_id, lang) + (pick(lang, " (after)", "（事後）") if phase == "after" else "")
