"""What one run observes: the metric rows (in the role of Mesa's DataCollector) and, on request, a trace.

The process model reports what happens (a message sent, an order started, a conflict); the collector
alone decides how that becomes the per-inject and whole-scenario metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.vocabulary import LEVELS
from .compiled import CompiledModel

METRICS = (
    "response_time",
    "deadline_met",
    "sync_gap",
    "messages",
    "peak_queue",
    "refused",
    "findings",
    "conflicts",
    "executed",
    *(f"executed_{level}" for level in LEVELS),
)
M = {name: i for i, name in enumerate(METRICS)}


class RunMetrics:
    """Observations of one run, and the metric matrix (injects + 1 rows; the last is the whole scenario)."""

    def __init__(self, model: CompiledModel) -> None:
        self.model = model
        n = len(model.injects)
        self.messages = [0] * n
        self.conflicts = [0] * n
        self.start: list[list[float]] = [[math.nan] * len(ci.responses) for ci in model.injects]

    def message(self, j: int, count: int = 1) -> None:
        self.messages[j] += count

    def conflict(self, j: int) -> None:
        self.conflicts[j] += 1

    def started(self, j: int, k: int, time: float) -> None:
        self.start[j][k] = time

    def rows(self, peak_queue: int) -> np.ndarray:
        injects = self.model.injects
        out = np.full((len(injects) + 1, len(METRICS)), np.nan)
        times, met, gaps = [], [], []
        for j, ci in enumerate(injects):
            starts = self.start[j]
            t0 = ci.inject.time
            detected = t0 + min((r.detection for r in ci.responses), default=0.0)
            done = all(not math.isnan(s) for s in starts)
            row = out[j]
            row[M["response_time"]] = max(starts) - detected if done else math.nan
            row[M["deadline_met"]] = float(done and all(
                s <= t0 + r.deadline for s, r in zip(starts, ci.inject.responses, strict=True)))
            by_nation: dict[str, float] = {}
            for s, r in zip(starts, ci.responses, strict=True):
                if not math.isnan(s):
                    by_nation[r.nation] = max(by_nation.get(r.nation, -math.inf), s)
            row[M["sync_gap"]] = max(by_nation.values()) - min(by_nation.values()) if len(by_nation) > 1 else math.nan
            row[M["messages"]] = self.messages[j]
            row[M["peak_queue"]] = peak_queue
            row[M["refused"]] = sum(r.refused for r in ci.responses)
            row[M["findings"]] = len(ci.findings)
            row[M["conflicts"]] = self.conflicts[j]
            row[M["executed"]] = sum(1 for s in starts if not math.isnan(s)) / max(1, len(starts))
            for level in LEVELS:
                row[M[f"executed_{level}"]] = sum(
                    1 for s, r in zip(starts, ci.responses, strict=True) if not math.isnan(s) and r.level == level)
            times.append(row[M["response_time"]])
            met.append(row[M["deadline_met"]])
            gaps.append(row[M["sync_gap"]])
        total = out[-1]
        total[M["response_time"]] = _mean(times)
        total[M["deadline_met"]] = sum(met) / len(met) if met else math.nan
        total[M["sync_gap"]] = _mean(gaps)
        total[M["messages"]] = sum(self.messages)
        total[M["peak_queue"]] = peak_queue
        total[M["refused"]] = float(np.nansum(out[:-1, M["refused"]]))
        total[M["findings"]] = len(frozenset().union(*(ci.findings for ci in injects)))
        total[M["conflicts"]] = sum(self.conflicts)
        total[M["executed"]] = float(np.nanmean(out[:-1, M["executed"]])) if injects else math.nan
        for level in LEVELS:
            total[M[f"executed_{level}"]] = float(np.nansum(out[:-1, M[f"executed_{level}"]]))
        return out


def _mean(values: list[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else math.nan


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One thing that happened in a traced run, at minute `t`."""

    t: float
    # inject | refused | order | approval-asked | approval-given (a decision taken) | approval-awaited |
    # approval-received (an order waiting for, then receiving, a decision shared by the situation's orders) |
    # delivered | synchronized | engaged
    kind: str
    order: str | None = None
    unit: str | None = None
    action: str | None = None
    approval: str | None = None
    nation: str | None = None
    situation: str | None = None
    level: str | None = None
    organization: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "t": round(self.t, 3),
            "kind": self.kind,
            "order": self.order,
            "unit": self.unit,
            "action": self.action,
            "approval": self.approval,
            "nation": self.nation,
            "situation": self.situation,
            "level": self.level,
            "organization": self.organization,
            "reason": self.reason,
        }


class Trace:
    """The events of one run, in time order (events at the same minute keep the order they happened in)."""

    def __init__(self) -> None:
        self._events: list[TraceEvent] = []

    def emit(self, event: TraceEvent) -> None:
        self._events.append(event)

    @property
    def events(self) -> list[TraceEvent]:
        return sorted(self._events, key=lambda e: e.t)
