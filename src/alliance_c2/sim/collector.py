"""What one run observes: the metric rows (in the role of Mesa's DataCollector) and, on request, a trace.

The process model reports what happens (a message sent, an order started, a conflict); the collector
alone decides how that becomes the per-inject and whole-scenario metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..model.levels import level_ids
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
    # One count per interoperability level of levels.yaml (the catalog is read once, when the simulation is imported).
    *(f"executed_{level}" for level in level_ids()),
)
M = {name: i for i, name in enumerate(METRICS)}
_LEVEL_COLUMNS = {level: M[f"executed_{level}"] for level in level_ids()}


class RunMetrics:
    """Observations of one run, and the metric matrix (injects + 1 rows; the last is the whole scenario).

    Plain Python over a few injects and responses: cheaper than numpy calls on arrays this small, and this
    runs once per replication.
    """

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
        width = len(METRICS)
        out = np.full((len(injects) + 1, width), np.nan)
        rows: list[list[float]] = []
        level_index = _LEVEL_COLUMNS
        nan = math.nan
        for j, ci in enumerate(injects):
            row = [nan] * width
            starts = self.start[j]
            t0 = ci.inject.time
            detected = t0 + min((r.detection for r in ci.responses), default=0.0)
            done_count = 0
            met = True
            first: dict[str, float] = {}
            last: dict[str, float] = {}
            for column in level_index.values():
                row[column] = 0.0
            for s, r, spec in zip(starts, ci.responses, ci.inject.responses, strict=True):
                if s != s:  # NaN: the order never started
                    met = False
                    continue
                done_count += 1
                if s > t0 + spec.deadline:
                    met = False
                last[r.nation] = max(last.get(r.nation, -math.inf), s)
                first[r.nation] = 0.0
                row[level_index[r.level]] += 1.0
            done = done_count == len(starts)
            row[M["response_time"]] = max(starts) - detected if done and starts else nan
            row[M["deadline_met"]] = 1.0 if done and met else 0.0
            row[M["sync_gap"]] = max(last.values()) - min(last.values()) if len(last) > 1 else nan
            row[M["messages"]] = self.messages[j]
            row[M["peak_queue"]] = peak_queue
            row[M["refused"]] = sum(r.refused for r in ci.responses)
            row[M["findings"]] = len(ci.findings)
            row[M["conflicts"]] = self.conflicts[j]
            row[M["executed"]] = done_count / max(1, len(starts))
            rows.append(row)
        total = [nan] * width
        total[M["response_time"]] = _mean([r[M["response_time"]] for r in rows])
        total[M["deadline_met"]] = sum(r[M["deadline_met"]] for r in rows) / len(rows) if rows else nan
        total[M["sync_gap"]] = _mean([r[M["sync_gap"]] for r in rows])
        total[M["messages"]] = sum(self.messages)
        total[M["peak_queue"]] = peak_queue
        total[M["refused"]] = sum(r[M["refused"]] for r in rows)
        total[M["findings"]] = len(frozenset().union(*(ci.findings for ci in injects)))
        total[M["conflicts"]] = sum(self.conflicts)
        total[M["executed"]] = _mean([r[M["executed"]] for r in rows])
        for column in level_index.values():
            total[column] = sum(r[column] for r in rows)
        rows.append(total)
        out[:] = rows
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
