"""Summaries of Monte Carlo metrics: mean, p50, p90 and a 95% confidence interval of the mean."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .collector import METRICS

Summary = dict[str, float | int | None]


def summarize(values: np.ndarray) -> Summary:
    """Mean, p50, p90 and a normal-approximation 95% CI of the mean over the finite values."""
    return _summaries(values.reshape(-1, 1))[0]


def summarize_block(block: np.ndarray, inject_ids: list[str]) -> dict[str, Any]:
    """block: (runs, injects + 1, metrics) -> {"overall": {metric: summary}, "injects": {id: {...}}}."""
    runs, rows, width = block.shape
    flat = _summaries(block.reshape(runs, rows * width))
    cell = [[flat[r * width + m] for m in range(width)] for r in range(rows)]
    return {
        "overall": {name: cell[-1][m] for m, name in enumerate(METRICS)},
        "injects": {inject_id: {name: cell[j][m] for m, name in enumerate(METRICS)} for j, inject_id in enumerate(inject_ids)},
    }


def _summaries(columns: np.ndarray) -> list[Summary]:
    """One summary per column of (runs, k), computed for all columns at once."""
    finite = np.isfinite(columns)
    counts = finite.sum(axis=0)
    values = np.where(finite, columns, np.nan)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(values, axis=0)
        stds = np.nanstd(values, axis=0, ddof=1)
        p50, p90 = np.nanpercentile(values, [50, 90], axis=0)
    out: list[Summary] = []
    for k in range(columns.shape[1]):
        n = int(counts[k])
        if n == 0:
            out.append({"n": 0, "mean": None, "p50": None, "p90": None, "ci95_low": None, "ci95_high": None})
            continue
        mean = float(means[k])
        half = 1.96 * float(stds[k]) / math.sqrt(n) if n > 1 else 0.0
        out.append({
            "n": n,
            "mean": round(mean, 4),
            "p50": round(float(p50[k]), 4),
            "p90": round(float(p90[k]), 4),
            "ci95_low": round(mean - half, 4),
            "ci95_high": round(mean + half, 4),
        })
    return out
