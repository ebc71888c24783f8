"""The C2 process model: reports, approvals, orders and synchronization of a compiled model on the kernel.

`run_once` plays one replication with one random stream. The model asks no legal question at run time:
`compiler.compile_model` has already decided which orders run, through which chain, at which level and
after which approvals. Decisions shared by every order of a situation (recognition, the defense operation
order, the President's OPCON decision) are one `Signal` per (decision chain, situation, approval) that every
waiting order listens to; a chain is the legal order that asks for them (a nation's law, or a treaty).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .collector import RunMetrics, Trace, TraceEvent
from .compiled import CompiledModel, CompiledRecognition, CompiledResponse, Hop, Step
from .kernel import Kernel, Signal, Staff

Done = Callable[..., None]


class _Run:
    """One replication: staffs, shared decisions and the flow of every order on a kernel."""

    def __init__(self, model: CompiledModel, rng: np.random.Generator, trace: Trace | None = None) -> None:
        self.m = model
        self.rng = rng
        self.trace = trace
        self.k = Kernel()
        self.p = model.params
        self.sigma = self.p["delay.sigma"]
        # Each organization's staff is made when work first reaches it (a run reaches about half of them).
        self.staff: list[Staff | None] = [None] * len(model.orgs)
        self.lost_at = [math.inf] * len(model.orgs)
        self.slow_links: dict[tuple[int, int], tuple[float, float]] = {}
        for time, org, effect, factor, other in model.faults:
            if effect == "lost":
                self.lost_at[org] = min(self.lost_at[org], time)
            elif effect == "link":
                self.slow_links[(org, other)] = self.slow_links[(other, org)] = (time, factor)
            else:
                self.k.at(time, self._degrade, org, factor)
        # Lognormal multipliers and uniforms drawn in small blocks (as Python floats: cheaper to index one by
        # one). A run uses about 30-150 multipliers and a handful of uniforms: blocks much larger than that
        # cost more to draw than the whole run spends on its events (a 2048 block took about 38 us).
        self._mult: list[float] = []
        self._mi = 0
        self._u: list[float] = []
        self._ui = 0
        self.shared: dict[tuple[str, str, str], Signal] = {}
        self.metrics = RunMetrics(model)
        self.messages = self.metrics.messages  # the hot path counts into the collector's list directly
        self.ready: list[list[float]] = [[math.nan] * len(ci.responses) for ci in model.injects]
        self.national = [False] * len(model.injects)  # an order ran through its own chain before control passed
        self.running: dict[int, list[CompiledResponse]] = {}  # inject -> the orders as run, where one ran nationally
        self.pending = [len(ci.responses) for ci in model.injects]
        self.phase = self.uniform() * self.p["sync.coordination-cadence"]

    # -- random numbers ----------------------------------------------------------------------------
    def uniform(self) -> float:
        if self._ui >= len(self._u):
            self._u = self.rng.random(16).tolist()
            self._ui = 0
        v = self._u[self._ui]
        self._ui += 1
        return v

    def ln(self, median: float) -> float:
        """A lognormal duration with this median (shape `delay.sigma`)."""
        if median <= 0:
            return 0.0
        if self._mi >= len(self._mult):
            self._mult = np.exp(self.sigma * self.rng.standard_normal(128)).tolist()
            self._mi = 0
        v = self._mult[self._mi]
        self._mi += 1
        return median * v

    def _staff(self, org: int) -> Staff:
        staff = self.staff[org] = Staff(self.k, self.m.capacities[org], self.m.orgs[org])
        return staff

    def _degrade(self, org: int, factor: float) -> None:
        staff = self._staff(org)
        staff.slowdown = max(staff.slowdown, factor)

    def _emit(self, kind: str, **fields: Any) -> None:
        if self.trace is not None:
            self.trace.emit(TraceEvent(self.k.now, kind, **fields))

    def _org(self, index: int) -> str | None:
        return self.m.orgs[index] if index >= 0 else None

    # -- messages along a route ------------------------------------------------------------------
    def send(self, inj: int, route: tuple[Hop, ...], i: int, done: Done, args: tuple[Any, ...]) -> None:
        if i >= len(route):
            done(*args)
            return
        a, b, delay, _ = route[i]
        if a != b:
            self.messages[inj] += 1
        d = self.ln(delay)
        if self.slow_links:
            slow = self.slow_links.get((a, b))
            if slow is not None and self.k.now >= slow[0]:
                d *= slow[1]
        self.k.schedule(d, self.arrive, inj, route, i, done, args)

    def arrive(self, inj: int, route: tuple[Hop, ...], i: int, done: Done, args: tuple[Any, ...]) -> None:
        org = route[i][1]
        if self.k.now < self.lost_at[org]:
            (self.staff[org] or self._staff(org)).serve(self.ln(route[i][3]), self.send, inj, route, i + 1, done, args)
            return
        succ = self.m.successor[org]
        if succ < 0 or self.k.now >= self.lost_at[succ]:
            return  # nobody left to act on it: the message is lost
        noticed = self.lost_at[org] + self.p["fault.detection"]
        wait = max(0.0, noticed - self.k.now) + self.ln(self.p["fault.succession"])
        self.metrics.message(inj)
        self.k.schedule(wait, self._serve, succ, route, i, inj, done, args)

    def _serve(self, org: int, route: tuple[Hop, ...], i: int, inj: int, done: Done, args: tuple[Any, ...]) -> None:
        (self.staff[org] or self._staff(org)).serve(self.ln(route[i][3]), self.send, inj, route, i + 1, done, args)

    # -- recognition and other decisions shared by every order of a situation ----------------------
    def _recognize(self, rec: CompiledRecognition) -> None:
        for approval, _, _ in rec.steps:
            self.shared.setdefault((rec.chain, rec.situation, approval), Signal())
        self._decide(rec.chain, rec.nation, rec.situation, rec.steps, 0, None)

    def _decide(self, chain: str, nation: str, situation: str, steps: tuple[tuple[str, int, float], ...], i: int,
                inj: int | None) -> None:
        """Take the shared decisions in order, each once: later askers wait for the same signal."""
        if i >= len(steps):
            return
        approval, holder, median = steps[i]
        signal = self.shared.setdefault((chain, situation, approval), Signal())
        if signal.fired or signal.started:
            if signal.fired:
                self._decide(chain, nation, situation, steps, i + 1, inj)
            else:
                signal.wait(self._decide, chain, nation, situation, steps, i + 1, inj)
            return
        signal.started = True
        if inj is not None:
            self.metrics.message(inj)
        self._emit("approval-asked", approval=approval, nation=nation, situation=situation,
                   organization=self._org(holder))

        def decided() -> None:
            self._emit("approval-given", approval=approval, nation=nation, situation=situation,
                       organization=self._org(holder))
            signal.fire(self.k.now)
            self._decide(chain, nation, situation, steps, i + 1, inj)

        (self.staff[holder] or self._staff(holder)).serve(self.ln(median), decided)

    # -- one inject ------------------------------------------------------------------------------
    def begin(self, j: int) -> None:
        ci = self.m.injects[j]
        if self.trace is not None:
            self._emit("inject", situation=ci.situation, level=ci.level, reason=ci.inject.name_en)
        for r in ci.responses:
            if r.until_transfer is not None and r.transfer is not None:
                signal = self.shared.get((r.transfer[0], ci.situation, r.transfer[1]))
                if signal is None or not signal.fired:
                    # Control has not passed yet: the unit's own chain gives the order.
                    self._emit("national-until-transfer", order=r.order_id, unit=self._org(r.unit), action=r.action,
                               approval=r.transfer[1], nation=r.nation, situation=ci.situation,
                               level=r.until_transfer.level)
                    r = r.until_transfer
                    self.national[j] = True
                    self.metrics.ran_at(j, r.index, r.level)
                    self.running.setdefault(j, list(ci.responses))[r.index] = r
            if r.refused and self.trace is not None:
                for reason in r.refusals:
                    self._emit("refused", order=r.order_id, unit=self._org(r.unit), action=r.action,
                               nation=r.nation, situation=ci.situation, reason=reason)
            if r.executed:
                self.k.schedule(r.detection, self.send, j, r.report, 0, self._order, (j, r))
            elif ci.inject.synchronize:
                self.pending[j] -= 1

    def _order(self, j: int, r: CompiledResponse) -> None:
        ci = self.m.injects[j]
        if ci.targeting is not None:
            self._nominate(j, r, ci.targeting)
            return
        if self.trace is not None:
            self._emit("order", order=r.order_id, unit=self._org(r.unit), action=r.action, nation=r.nation,
                       situation=ci.situation, level=r.level, organization=self._org(r.issuer))
        self._approvals(j, r, 0)

    def _nominate(self, j: int, r: CompiledResponse, targeting: tuple[int, float]) -> None:
        """Target nomination before the strike order: one joint nomination at the body, or each nation's own."""
        body, median = targeting
        nominator = body if body >= 0 else r.issuer
        key = ("targets", str(j), str(nominator))
        signal = self.shared.get(key)
        if signal is None:
            signal = self.shared[key] = Signal()
            signal.started = True
            self.metrics.message(j)
            self._emit("approval-asked", order=r.order_id, approval="target-nomination", nation=r.nation,
                       situation=self.m.injects[j].situation, organization=self._org(nominator))

            def nominated() -> None:
                self._emit("approval-given", approval="target-nomination", situation=self.m.injects[j].situation,
                           organization=self._org(nominator))
                signal.fire(self.k.now)

            (self.staff[nominator] or self._staff(nominator)).serve(self.ln(median), nominated)
        signal.wait(self._nominated, j, r)

    def _nominated(self, j: int, r: CompiledResponse) -> None:
        self._emit("order", order=r.order_id, unit=self._org(r.unit), action=r.action, nation=r.nation,
                   situation=self.m.injects[j].situation, level=r.level, organization=self._org(r.issuer))
        self._approvals(j, r, 0)

    def _approvals(self, j: int, r: CompiledResponse, i: int) -> None:
        if i > 0 and self.trace is not None and not r.steps[i - 1].shared:
            self._given(j, r, r.steps[i - 1])
        if i >= len(r.steps):
            self.send(j, r.order, 0, self._ready, (j, r))
            return
        step = r.steps[i]
        situation = self.m.injects[j].situation
        if step.shared:
            key = (step.chain, situation, step.approval)
            signal = self.shared.get(key)
            if signal is None or not (signal.fired or signal.started):
                self._decide(step.chain, step.nation, situation, ((step.approval, step.holder, step.median),), 0, j)
                signal = self.shared[key]
            if self.trace is not None:
                self._emit("approval-awaited", order=r.order_id, unit=self._org(r.unit), action=r.action,
                           approval=step.approval, nation=step.nation, situation=situation,
                           organization=self._org(step.holder))
                signal.wait(self._received, j, r, i)
            elif signal.fired:
                self._approvals(j, r, i + 1)
            else:
                signal.wait(self._approvals, j, r, i + 1)
            return
        if self.trace is not None:
            self._emit("approval-asked", order=r.order_id, unit=self._org(r.unit), action=r.action,
                       approval=step.approval, nation=step.nation, situation=situation,
                       organization=self._org(step.holder))
        nxt = (j, r, i + 1)
        if step.holder < 0:
            self.k.schedule(self.ln(step.median), self._approvals, *nxt)
        elif not step.route:
            (self.staff[step.holder] or self._staff(step.holder)).serve(self.ln(step.median), self._approvals, *nxt)
        else:
            self.send(j, step.route, 0, self._approvals, nxt)

    def _received(self, j: int, r: CompiledResponse, i: int) -> None:
        step = r.steps[i]
        self._emit("approval-received", order=r.order_id, unit=self._org(r.unit), action=r.action,
                   approval=step.approval, nation=step.nation, situation=self.m.injects[j].situation,
                   organization=self._org(step.holder))
        self._approvals(j, r, i + 1)

    def _given(self, j: int, r: CompiledResponse, step: Step) -> None:
        self._emit("approval-given", order=r.order_id, unit=self._org(r.unit), action=r.action,
                   approval=step.approval, nation=step.nation, situation=self.m.injects[j].situation,
                   organization=self._org(step.holder))

    def _ready(self, j: int, r: CompiledResponse) -> None:
        ci = self.m.injects[j]
        self.ready[j][r.index] = self.k.now
        if self.trace is not None:
            self._emit("delivered", order=r.order_id, unit=self._org(r.unit), action=r.action, nation=r.nation,
                       level=r.level)
        if not ci.inject.synchronize:
            self._started(j, r, self.k.now)
            return
        self.pending[j] -= 1
        if self.pending[j] == 0:
            self._synchronize(j)

    def _synchronize(self, j: int) -> None:
        ci = self.m.injects[j]
        ran = [r for r in self.running.get(j, ci.responses) if r.executed]
        if ran and all(r.standing for r in ran) and self.p["sync.preplanned-standing-orders"] >= 0.5:
            # Synchronized in advance with the standing order: each force engages when ready.
            for r in ran:
                self._started(j, r, self.ready[j][r.index])
            planned = ci.national_sync[0] if self.national[j] else ci.level
            if len({r.nation for r in ran}) > 1 and self.uniform() < self.p.get(f"conflict.{planned}", 0.0):
                self.metrics.conflict(j)
            return
        level, body = ci.national_sync if self.national[j] else (ci.level, ci.sync_org)
        if body >= 0 and self.k.now >= self.lost_at[body]:
            # The body that would synchronize is gone: the arrangement without it does (its successor's level).
            level, body = ci.fallback
        mechanism = self.m.synchronization.get(level, "none")
        if mechanism == "none" or body < 0 or self.k.now >= self.lost_at[body]:
            for r in ran:
                self._started(j, r, self.ready[j][r.index])
            if len({r.nation for r in ran}) > 1 and self.uniform() < self.p[f"conflict.{self.m.unsynchronized}"]:
                self.metrics.conflict(j)
            return
        self.metrics.message(j, 2 * len(ran))
        staff = self.staff[body] or self._staff(body)
        work = self.ln(self.p[f"sync.{mechanism}"])
        if mechanism == "coordination-meeting":
            # The body meets in cycles: the task waits for the next one.
            cadence = self.p["sync.coordination-cadence"]
            now = self.k.now
            cycle = self.phase + math.ceil(max(0.0, now - self.phase) / cadence) * cadence
            self.k.at(cycle, staff.serve, work, self._start_together, j, level, body)
        else:
            staff.serve(work, self._start_together, j, level, body)

    def _start_together(self, j: int, level: str, body: int) -> None:
        ci = self.m.injects[j]
        ran = [r for r in self.running.get(j, ci.responses) if r.executed]
        self._emit("synchronized", situation=ci.situation, level=level, organization=self._org(body))
        jitter = self.p.get(f"sync.jitter.{level}", 0.0)
        if len({r.nation for r in ran}) > 1 and self.uniform() < self.p.get(f"conflict.{level}", 0.0):
            self.metrics.conflict(j)
        for r in ran:
            self._started(j, r, self.k.now + self.ln(jitter))

    def _started(self, j: int, r: CompiledResponse, time: float) -> None:
        self.metrics.started(j, r.index, time)
        if self.trace is not None:
            self.trace.emit(TraceEvent(time, "engaged", order=r.order_id, unit=self._org(r.unit), action=r.action,
                                       nation=r.nation, situation=self.m.injects[j].situation, level=r.level))

    def run(self) -> np.ndarray:
        for rec in self.m.recognitions:
            if rec.time is not None:
                self.k.at(rec.time, self._recognize, rec)
        for j, ci in enumerate(self.m.injects):
            self.k.at(ci.inject.time, self.begin, j)
        self.k.run()
        return self.metrics.rows(max((s.peak for s in self.staff if s is not None), default=0))


# Run i of seed s draws from PCG64(s) advanced by i * 2**96 steps: 2**32 streams that cannot overlap, each
# far longer than a run. Setting a state and advancing costs about 1.5 us; a SeedSequence per run cost 7 us.
_STREAM_STRIDE = 1 << 96
_streams = threading.local()


def _rng(seed: int, run_index: int) -> np.random.Generator:
    """The generator of run `run_index` of `seed` (one per thread, re-set for every run)."""
    mine: tuple[np.random.PCG64, np.random.Generator, dict[int, Any]] | None = getattr(_streams, "value", None)
    if mine is None:
        bits = np.random.PCG64(0)
        mine = _streams.value = (bits, np.random.Generator(bits), {})
    bits, generator, starts = mine
    start = starts.get(seed)
    if start is None:
        start = starts[seed] = np.random.PCG64(seed).state
    bits.state = start
    bits.advance(run_index * _STREAM_STRIDE)
    return generator


def run_once(model: CompiledModel, seed: int, run_index: int) -> np.ndarray:
    """Metrics of one replication, shape (injects + 1, len(METRICS)); the last row is the whole scenario.

    The random stream is PCG64(seed) advanced by run_index * 2**96, so a run's result depends only on
    (seed, run_index), never on how runs are split among workers.
    """
    return _Run(model, _rng(seed, run_index)).run()


def trace_once(model: CompiledModel, seed: int, run_index: int) -> tuple[np.ndarray, list[TraceEvent]]:
    """The same replication as `run_once`, with every event it went through."""
    trace = Trace()
    rows = _Run(model, _rng(seed, run_index), trace).run()
    return rows, trace.events
