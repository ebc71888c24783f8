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
        self.levels: dict[tuple[int, int], str] = {}  # orders that ran at another level than compiled

    def ran_at(self, j: int, k: int, level: str) -> None:
        """Order k of inject j ran at `level` (its own chain's, before control passed)."""
        self.levels[(j, k)] = level

    def message(self, j: int, count: int = 1) -> None:
        self.messages[j] += count

    def conflict(self, j: int) -> None:
        self.conflicts[j] += 1

    def started(self, j: int, k: int, time: float) -> None:
        self.start[j][k] = time

    def rows(self, peak_queue: int) -> np.ndarray:
        plan = _plan(self.model)
        width = len(METRICS)
        nan = math.nan
        rt, dm, sg, ms, pq, rf, fd, cf, ex = (M[k] for k in (
            "response_time", "deadline_met", "sync_gap", "messages", "peak_queue", "refused", "findings",
            "conflicts", "executed"))
        rows: list[list[float]] = []
        for j, (detected, limits, nations, levels, refused, findings) in enumerate(plan.injects):
            row = [nan] * width
            for k in plan.level_columns:
                row[k] = 0.0
            starts = self.start[j]
            done_count = 0
            met = True
            last: dict[str, float] = {}
            for i, (s, limit, nation, k) in enumerate(zip(starts, limits, nations, levels, strict=True)):
                if s != s:  # NaN: the order never started
                    met = False
                    continue
                done_count += 1
                if s > limit:
                    met = False
                if s > last.get(nation, -math.inf):
                    last[nation] = s
                if self.levels:
                    other = self.levels.get((j, i))
                    k = M[f"executed_{other}"] if other is not None else k
                row[k] += 1.0
            done = done_count == len(starts)
            row[rt] = max(starts) - detected if done and starts else nan
            row[dm] = 1.0 if done and met else 0.0
            row[sg] = max(last.values()) - min(last.values()) if len(last) > 1 else nan
            row[ms] = self.messages[j]
            row[pq] = peak_queue
            row[rf] = refused
            row[fd] = findings
            row[cf] = self.conflicts[j]
            row[ex] = done_count / max(1, len(starts))
            rows.append(row)
        total = [nan] * width
        total[rt] = _mean([r[rt] for r in rows])
        total[dm] = sum(r[dm] for r in rows) / len(rows) if rows else nan
        total[sg] = _mean([r[sg] for r in rows])
        total[ms] = sum(self.messages)
        total[pq] = peak_queue
        total[rf] = sum(r[rf] for r in rows)
        total[fd] = plan.findings
        total[cf] = sum(self.conflicts)
        total[ex] = _mean([r[ex] for r in rows])
        for k in plan.level_columns:
            total[k] = sum(r[k] for r in rows)
        rows.append(total)
        return np.array(rows, dtype=float)


@dataclass(frozen=True, slots=True)
class _RowsPlan:
    """What the metric rows need from the compiled model, computed once per model rather than once per run."""

    # per inject: (detection time, deadline per response, nation per response, level column per response,
    # refused orders, distinct findings)
    injects: tuple[tuple[float, tuple[float, ...], tuple[str, ...], tuple[int, ...], int, int], ...]
    level_columns: tuple[int, ...]
    findings: int


_PLANS: dict[int, tuple[CompiledModel, _RowsPlan]] = {}


def _plan(model: CompiledModel) -> _RowsPlan:
    found = _PLANS.get(id(model))
    if found is not None and found[0] is model:
        return found[1]
    level_index = {level: M[f"executed_{level}"] for level in level_ids()}
    injects = []
    for ci in model.injects:
        t0 = ci.inject.time
        injects.append((
            t0 + min((r.detection for r in ci.responses), default=0.0),
            tuple(t0 + spec.deadline for spec in ci.inject.responses),
            tuple(r.nation for r in ci.responses),
            tuple(level_index[r.level] for r in ci.responses),
            sum(r.refused for r in ci.responses),
            len(ci.findings),
        ))
    plan = _RowsPlan(tuple(injects), tuple(level_index.values()),
                     len(frozenset().union(*(ci.findings for ci in model.injects))))
    if len(_PLANS) > 1024:
        _PLANS.clear()
    _PLANS[id(model)] = (model, plan)
    return plan


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
