"""Every number the report prints, by the key of its HTML cell (`data-key`): results.json `figures` and results.csv.

The tests open the report in a browser and check each cell against these; `format_figure` is how a
figure is printed in both.
"""

from __future__ import annotations

from typing import Any

from .answer import ANSWER_METRICS
from .results import Evaluation, to_jsonable

# The simulation's metrics the report's tables show, with the digits they are printed to.
METRIC_DIGITS: dict[str, int] = {
    "response_time": 1,
    "deadline_met": 2,
    "sync_gap": 1,
    "messages": 1,
    "refused": 2,
    "conflicts": 2,
}
VARIANTS: dict[str, tuple[str, str]] = {
    "lawful": ("lawful (with the reforms it presupposes)", "適法（前提とする法整備あり）"),
    "not-lawful-today": ("not lawful today (without those reforms)", "現行法では違法（法整備なし）"),
    "hq-loss": ("operational HQ lost", "作戦司令部の喪失"),
}
_STRUCTURE_KEYS = ("organizations", "command_depth", "coordination_hops_mean", "cross_national_opcon",
                   "single_points_of_failure")


def collect_figures(evaluation: Evaluation) -> dict[str, Any]:
    """Every figure the report prints, keyed as the HTML's data-key attributes."""
    figures: dict[str, Any] = {}
    for row in evaluation.structure:
        for key in _STRUCTURE_KEYS:
            figures[f"structure/{row.id}/{key}"] = getattr(row, key)
        for sit, level in row.levels.items():
            figures[f"structure/{row.id}/levels/{sit}"] = level
    legal = evaluation.legal
    for arch, cells in legal.matrix.items():
        for c, n in cells.items():
            figures[f"legal/{arch}/{c}/count"] = n
        for c, n in legal.with_reform[arch]["all"].items():
            figures[f"legal/{arch}/{c}/count_with_reforms"] = n
    rules = {c["rule"] for found in legal.c6.values() for c in found}
    for arch in legal.matrix:
        orders = {c["rule"]: c["orders"] for c in legal.c6.get(arch, [])}
        for rule in sorted(rules):
            figures[f"legal-c6/{arch}/{rule}"] = orders.get(rule, 0)
    for scen, variants in evaluation.simulation.cases.items():
        for variant, archs in variants.items():
            for arch, case in archs.items():
                for metric in METRIC_DIGITS:
                    stats = case.metrics[metric]
                    for stat in ("mean", "ci95_low", "ci95_high"):
                        figures[f"simulation/{arch}/{scen}/{variant}/{metric}/{stat}"] = stats[stat]
    for answer in evaluation.answer.rows:
        key = f"answer/{answer.scenario}/{answer.arch}"
        for metric in ANSWER_METRICS:
            m = answer.metrics[metric]
            figures[f"{key}/{metric}/mean"] = m.mean
            figures[f"{key}/{metric}/ci95_low"] = m.ci95_low
            figures[f"{key}/{metric}/ci95_high"] = m.ci95_high
        figures[f"{key}/verdict"] = answer.verdict or "—"
        penalty = answer.hq_loss_penalty
        figures[f"{key}/hq_loss_penalty"] = penalty.mean if penalty else None
    for v in evaluation.validation:
        figures[f"validation/{v.anchor}/model"] = v.model
        figures[f"validation/{v.anchor}/within"] = {True: "yes", False: "no", None: "n/a"}[v.within]
    for sens in evaluation.sensitivity:
        for r in sens.rows:
            for end, diffs in (("low", r.diff_low), ("high", r.diff_high)):
                for arch, value in diffs.items():
                    figures[f"sensitivity/{sens.scenario}/{r.item}/{arch}/diff_{end}"] = value
    # As results.json holds them: plain numbers, NaN as None.
    jsonable: dict[str, Any] = to_jsonable(figures)
    return jsonable


def format_figure(value: Any, digits: int = 2) -> str:
    """How a figure is printed in the report (and compared with results.json by the tests)."""
    if value is None:
        return "—"
    if isinstance(value, bool | str | int):
        return str(value)
    text = f"{value:.{digits}f}"
    # A tiny negative value rounds to "-0.00": print it as the zero it is.
    return text[1:] if text.startswith("-") and float(text) == 0 else text
