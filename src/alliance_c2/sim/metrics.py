"""Summaries of Monte Carlo metrics: mean, p50, p90 and a 95% confidence interval of the mean."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .collector import METRICS


def summarize(values: np.ndarray) -> dict[str, float | int | None]:
    """Mean, p50, p90 and a normal-approximation 95% CI of the mean over the finite values."""
    finite = values[np.isfinite(values)]
    n = int(finite.size)
    if n == 0:
        return {"n": 0, "mean": None, "p50": None, "p90": None, "ci95_low": None, "ci95_high": None}
    mean = float(finite.mean())
    half = 1.96 * float(finite.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return {
        "n": n,
        "mean": round(mean, 4),
        "p50": round(float(np.percentile(finite, 50)), 4),
        "p90": round(float(np.percentile(finite, 90)), 4),
        "ci95_low": round(mean - half, 4),
        "ci95_high": round(mean + half, 4),
    }


def summarize_block(block: np.ndarray, inject_ids: list[str]) -> dict[str, Any]:
    """block: (runs, injects + 1, metrics) -> {"overall": {metric: summary}, "injects": {id: {...}}}."""
    out: dict[str, Any] = {"overall": {}, "injects": {}}
    for m, name in enumerate(METRICS):
        out["overall"][name] = summarize(block[:, -1, m])
    for j, inject_id in enumerate(inject_ids):
        out["injects"][inject_id] = {name: summarize(block[:, j, m]) for m, name in enumerate(METRICS)}
    return out
