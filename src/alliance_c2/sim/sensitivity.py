"""One-at-a-time sensitivity: vary each parameter over its range and see which flip the comparison."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .parameters import Parameters, load_parameters
from .runner import simulate


def _ranking(result: Any, metric: str) -> list[str]:
    summary = result.summary()

    def score(arch: str) -> tuple[float, float]:
        overall = summary[arch]["overall"]
        value = overall[metric]["mean"]
        time = overall["response_time"]["mean"]
        # Higher deadline-met rate is better; ties go to the shorter response time.
        return (-(value if value is not None else -1.0), time if time is not None else float("inf"))

    return sorted(result.arrangements, key=score)


def sensitivity(
    scenario: str,
    archs: Iterable[str],
    *,
    runs: int = 200,
    seed: int = 0,
    params: Parameters | str | Path | None = None,
    metric: str = "deadline_met",
    executor: str = "local",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """For each parameter with a range: the best arrangement at its low and high value vs. the baseline."""
    arch_list = list(archs)
    base_params = params if isinstance(params, Parameters) else load_parameters(params)
    base = simulate(scenario, arch_list, runs=runs, seed=seed, params=base_params, executor=executor, workers=workers)
    baseline = _ranking(base, metric)
    varied = [p for p in base_params.items.values() if p.low != p.high]
    rows = []
    for n, item in enumerate(varied):
        row: dict[str, Any] = {"parameter": item.id, "value": item.value, "low": item.low, "high": item.high}
        flips = False
        for end in ("low", "high"):
            changed = base_params.with_values({item.id: getattr(item, end)})
            res = simulate(scenario, arch_list, runs=runs, seed=seed, params=changed, executor=executor, workers=workers)
            order = _ranking(res, metric)
            row[f"best_at_{end}"] = order[0]
            row[f"{metric}_at_{end}"] = {a: res.summary()[a]["overall"][metric]["mean"] for a in arch_list}
            flips = flips or order[0] != baseline[0]
        row["flips"] = flips
        rows.append(row)
        if progress is not None:
            progress(n + 1, len(varied))
    return {
        "scenario": scenario,
        "arrangements": arch_list,
        "metric": metric,
        "runs": runs,
        "seed": seed,
        "baseline_best": baseline[0],
        "baseline": {a: base.summary()[a]["overall"][metric]["mean"] for a in arch_list},
        "parameters": rows,
        "flipping": [r["parameter"] for r in rows if r["flips"]],
    }
