"""The C2 process model: reports, approvals, orders and synchronization flowing through an arrangement.

Two stages. `compile_model` turns (arrangement, scenario, parameters, faults, reforms) into plain
routes: which organizations a report passes, which approvals the law demands and who holds them,
the chain an order descends, and how the nations synchronize. It asks the law once per order, not
once per run. `run_once` then plays the compiled model on the event kernel with one random stream.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..analysis import chains_of_command, interoperability_level
from ..model import Architecture
from ..model.vocabulary import MILITARY_KINDS
from .catalog import Inject, Parameters, Scenario
from .kernel import Kernel, Signal, Staff
from .legal import approval_info, check_action, recognition_procedure, requester_organization

# Approvals that recognize a situation: done once per situation and shared by every order in it.
SHARED_APPROVALS = frozenset(
    {"nsc-deliberation", "cabinet-decision", "diet-prior-approval", "diet-approval", "diet-approval-after"}
)
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
)
M = {name: i for i, name in enumerate(METRICS)}


@dataclass(frozen=True, slots=True)
class FaultEvent:
    """An organization lost (`target` an org id) or a link degraded (`target` "A~B") at `time`."""

    target: str
    time: float
    effect: str = "lost"  # "lost" | "degraded" | "link"
    factor: float = 1.0


Hop = tuple[int, int, float, float]  # (from org, to org, delay median, processing median at `to`)


@dataclass(frozen=True, slots=True)
class Step:
    approval: str
    holder: int  # -1: outside the arrangement (e.g. a governor's request): a pure delay
    median: float
    shared: bool
    route: tuple[Hop, ...]  # from the previous position to the holder


@dataclass(frozen=True, slots=True)
class CompiledResponse:
    index: int
    nation: str
    unit: int  # -1: no unit of that nation and component in the arrangement
    detection: float
    report: tuple[Hop, ...]
    steps: tuple[Step, ...]
    order: tuple[Hop, ...]
    refused: int
    executed: bool
    findings: frozenset[str]


@dataclass(frozen=True, slots=True)
class CompiledInject:
    inject: Inject
    situation: str
    level: str
    sync_org: int  # coordination body / combined HQ / combined commander; -1 for none
    responses: tuple[CompiledResponse, ...]
    shared_order: tuple[tuple[str, int, float], ...]  # shared approvals of the situation: (id, holder, median)
    recognition: bool
    findings: frozenset[str]


@dataclass
class CompiledModel:
    arch_id: str
    scenario_id: str
    orgs: list[str]
    kinds: list[str]
    capacities: list[int]
    injects: list[CompiledInject]
    faults: list[tuple[float, int, str, float, int]]  # (time, org or link a, effect, factor, link b)
    successor: list[int]
    params: dict[str, float]
    levels: dict[str, str] = field(default_factory=dict)


class Routing:
    """Shortest expected-time paths over the relations active in one situation."""

    def __init__(self, arch: Architecture, situation: str, index: dict[str, int], params: Parameters) -> None:
        self.arch = arch
        self.index = index
        self.params = params
        self.adj: dict[str, list[tuple[str, str]]] = {}
        for rel in arch.active_relations(situation):
            self.adj.setdefault(rel.from_id, []).append((rel.to_id, rel.kind))
            self.adj.setdefault(rel.to_id, []).append((rel.from_id, rel.kind))
        self._cache: dict[str, tuple[dict[str, float], dict[str, tuple[str, str]]]] = {}

    def process_median(self, org_id: str) -> float:
        return self.params.get(f"process.{self.arch.organizations[org_id].kind}", 5.0)

    def _tree(self, source: str) -> tuple[dict[str, float], dict[str, tuple[str, str]]]:
        if source not in self._cache:
            dist = {source: 0.0}
            prev: dict[str, tuple[str, str]] = {}
            heap = [(0.0, source)]
            while heap:
                d, node = heapq.heappop(heap)
                if d > dist.get(node, math.inf):
                    continue
                for nxt, kind in self.adj.get(node, ()):
                    nd = d + self.params.get(f"delay.{kind}", 5.0) + self.process_median(nxt)
                    if nd < dist.get(nxt, math.inf):
                        dist[nxt] = nd
                        prev[nxt] = (node, kind)
                        heapq.heappush(heap, (nd, nxt))
            self._cache[source] = (dist, prev)
        return self._cache[source]

    def cost(self, source: str, target: str) -> float:
        return self._tree(source)[0].get(target, math.inf)

    def route(self, source: str, target: str, last_process: float | None = None) -> tuple[Hop, ...] | None:
        """Hops from source to target (None when unreachable); `last_process` replaces the target's work."""
        if source == target:
            return ()
        dist, prev = self._tree(source)
        if target not in dist:
            return None
        hops: list[Hop] = []
        node = target
        while node != source:
            parent, kind = prev[node]
            hops.append((self.index[parent], self.index[node], self.params.get(f"delay.{kind}", 5.0),
                         self.process_median(node)))
            node = parent
        hops.reverse()
        if last_process is not None and hops:
            a, b, d, _ = hops[-1]
            hops[-1] = (a, b, d, last_process)
        return tuple(hops)


def without_organizations(arch: Architecture, lost: frozenset[str], successor: dict[str, str]) -> Architecture:
    """The arrangement after losing organizations: their relations pass to their successors."""
    orgs = {k: v for k, v in arch.organizations.items() if k not in lost}
    seen: set[tuple[str, str, str]] = set()
    relations = []
    for rel in arch.relations:
        a = successor.get(rel.from_id, rel.from_id) if rel.from_id in lost else rel.from_id
        b = successor.get(rel.to_id, rel.to_id) if rel.to_id in lost else rel.to_id
        if a == b or a not in orgs or b not in orgs or (a, b, rel.kind) in seen:
            continue
        seen.add((a, b, rel.kind))
        relations.append(replace(rel, from_id=a, to_id=b))
    return Architecture(
        id=arch.id, name_en=arch.name_en, name_ja=arch.name_ja, organizations=orgs, relations=tuple(relations),
        plans=arch.plans, guidelines=arch.guidelines, path=arch.path,
    )


def successors(arch: Architecture) -> dict[str, str]:
    """Who takes over each organization: its designated alternate, else its own-nation superior."""
    out: dict[str, str] = {}
    for org in arch.organizations.values():
        if org.alternate:
            out[org.id] = org.alternate
        else:
            rel = arch.national_superior(org.id)
            if rel is not None:
                out[org.id] = rel.from_id
    return out


def resolve_force(arch: Architecture, params: Parameters, nation: str, component: str) -> str | None:
    """The arrangement's organization for a nation's component (JPN stands for the host nation in comparators)."""
    nations = {o.nation for o in arch.military()}
    if nation not in nations and nation == "JPN":
        hosts = sorted(n for n in nations if n != "USA")
        nation = hosts[0] if hosts else nation
    for org_id in params.components.get(nation, {}).get(component, ()):
        if org_id in arch.organizations:
            return org_id
    return None


def _sync_org(arch: Architecture, situation: str, level: str) -> str | None:
    orgs = arch.organizations
    if level == "unified":
        _, evidence = interoperability_level(arch, situation)
        first = evidence[0].split(" ", 1)[0] if evidence else ""
        return first if first in orgs else None
    if level == "integrated":
        combined = [o.id for o in arch.military() if o.combined]
        return combined[0] if combined else None
    if level == "coordinated":
        members: dict[str, set[str]] = {}
        for rel in arch.active_relations(situation):
            if rel.kind in ("coordination", "consultation") and orgs[rel.from_id].is_military:
                members.setdefault(rel.to_id, set()).add(rel.from_id)
        joined = [b for b, m in members.items() if len({orgs[x].nation for x in m}) >= 2]
        # The body closest to the forces: the one with the most military members.
        return max(joined, key=lambda b: (len(members[b]), b)) if joined else None
    return None


def _ordering_chain(arch: Architecture, situation: str, unit: str) -> tuple[tuple[str, ...], str]:
    """(chain from the top down to the unit, the headquarters that orders it) - operational chain first."""
    chains = chains_of_command(arch, situation).get(unit, [])
    chain = next((c for c in chains if c.kind == "operational"), chains[0] if chains else None)
    path = chain.path if chain is not None and chain.path else (unit,)
    above = path[:-1]
    hq = next((o for o in reversed(above) if arch.organizations[o].kind == "headquarters"), None)
    hq = hq or next((o for o in reversed(above) if arch.organizations[o].kind in MILITARY_KINDS), None)
    return path, hq or (above[-1] if above else unit)


def _national_chain(arch: Architecture, situation: str, unit: str) -> tuple[tuple[str, ...], str]:
    chains = chains_of_command(arch, situation).get(unit, [])
    path = chains[0].path if chains and chains[0].path else (unit,)
    above = path[:-1]
    hq = next((o for o in reversed(above) if arch.organizations[o].kind == "headquarters"), None)
    return path, hq or (above[-1] if above else unit)


def _holder(arch: Architecture, approval: str, unit_nation: str, request_by: tuple[str, ...]) -> str | None:
    info = approval_info(approval)
    orgs = arch.organizations
    heads = arch.heads_of_government()
    if info.holder == "requester":
        for req in request_by:
            org = requester_organization(req)
            if org and org in orgs:
                return org
        return None
    if info.holder == "head-of-government":
        return heads.get(unit_nation)
    if info.holder in orgs:
        return info.holder
    stand_in = next((o.id for o in orgs.values() if o.predecessor_of == info.holder), None)
    if stand_in:
        return stand_in
    nation = "USA" if info.holder.startswith("usa-") else "JPN"
    return heads.get(nation) or heads.get(unit_nation)


class _Compiler:
    def __init__(self, arch: Architecture, scenario: Scenario, params: Parameters,
                 faults: tuple[FaultEvent, ...], reforms: tuple[str, ...]) -> None:
        self.base = arch
        self.scenario = scenario
        self.params = params
        self.faults = faults
        self.reforms = reforms
        self.orgs = list(arch.organizations)
        self.index = {o: i for i, o in enumerate(self.orgs)}
        self.succ = successors(arch)
        self._variants: dict[frozenset[str], Architecture] = {}
        self._routing: dict[tuple[frozenset[str], str], Routing] = {}

    def variant(self, lost: frozenset[str]) -> Architecture:
        if lost not in self._variants:
            self._variants[lost] = self.base if not lost else without_organizations(self.base, lost, self.succ)
        return self._variants[lost]

    def routing(self, lost: frozenset[str], situation: str) -> Routing:
        key = (lost, situation)
        if key not in self._routing:
            self._routing[key] = Routing(self.variant(lost), situation, self.index, self.params)
        return self._routing[key]

    def approval_median(self, approval: str, situation: str) -> float:
        if approval == "cabinet-decision" and any(
            s.approval == approval and s.fast_track for s in recognition_procedure(situation)
        ):
            return self.params["approval.cabinet-decision.fast-track"]
        return self.params.get(f"approval.{approval}", 30.0)

    def compile(self) -> CompiledModel:
        p = self.params
        injects = []
        levels: dict[str, str] = {}
        previous = self.scenario.situation
        for inj in self.scenario.injects:
            lost = frozenset(f.target for f in self.faults if f.effect == "lost" and f.time <= inj.time)
            arch = self.variant(lost)
            level, _ = interoperability_level(arch, inj.situation)
            levels[inj.id] = level
            sync = _sync_org(arch, inj.situation, level) if inj.synchronize else None
            # Messages still travel the intact structure: at run time, work that reaches a lost
            # organization passes to its successor with a delay (a lost echelon is no shortcut).
            routing = self.routing(frozenset(), inj.situation)
            shared_needed: dict[str, tuple[int, float]] = {}
            for step in recognition_procedure(inj.situation):
                if step.phase == "before" and step.approval in SHARED_APPROVALS:
                    holder = _holder(arch, step.approval, "JPN", ())
                    if holder is not None:
                        shared_needed[step.approval] = (self.index[holder], self.approval_median(step.approval, inj.situation))
            responses = []
            for k, resp in enumerate(inj.responses):
                responses.append(self._response(k, inj, resp, arch, routing, shared_needed))
            findings = frozenset().union(*(r.findings for r in responses))
            injects.append(CompiledInject(
                inj, inj.situation, level, self.index.get(sync, -1) if sync else -1, tuple(responses),
                tuple((a, h, m) for a, (h, m) in shared_needed.items()), inj.situation != previous, findings,
            ))
            previous = inj.situation
        fault_rows = []
        for f in self.faults:
            if f.effect == "link":
                a, b = f.target.split("~", 1)
                fault_rows.append((f.time, self.index[a], "link", f.factor or p["fault.link-factor"], self.index[b]))
            else:
                fault_rows.append((f.time, self.index[f.target], f.effect, f.factor, -1))
        for inj in self.scenario.injects:
            for sf in inj.faults:
                if sf.organization in self.index:
                    fault_rows.append((inj.time, self.index[sf.organization], sf.effect, sf.factor, -1))
        kinds = [self.base.organizations[o].kind for o in self.orgs]
        caps = []
        for o in self.orgs:
            org = self.base.organizations[o]
            cap = p.get(f"capacity.{org.kind}", 2.0) * (p["capacity.combined-factor"] if org.combined else 1.0)
            caps.append(max(1, round(cap)))
        successor = [self.index.get(self.succ.get(o, ""), -1) for o in self.orgs]
        return CompiledModel(self.base.id, self.scenario.id, self.orgs, kinds, caps, injects, sorted(fault_rows),
                             successor, p.values(), levels)

    def _response(self, k: int, inj: Inject, resp: Any, arch: Architecture, routing: Routing,
                  shared_needed: dict[str, tuple[int, float]]) -> CompiledResponse:
        p = self.params
        unit = resolve_force(arch, p, resp.nation, resp.component)
        nation = arch.organizations[unit].nation if unit else resp.nation
        if unit is None:
            return CompiledResponse(k, nation, -1, 0.0, (), (), (), 0, False, frozenset())
        # The nearest sensor (own or the other nation's, through the arrangement) reports.
        sensors = [s for s in (resolve_force(arch, p, n, c) for n, c in inj.detected_by) if s is not None]
        path, hq = _ordering_chain(arch, inj.situation, unit)
        verdict = check_action(arch, inj.situation, resp.action, unit, hq, self.reforms)
        refused = 0
        findings = set(verdict.findings)
        if not verdict.allowed:
            refused += 1
            npath, nhq = _national_chain(arch, inj.situation, unit)
            if (npath, nhq) != (path, hq):
                path, hq = npath, nhq
                verdict = check_action(arch, inj.situation, resp.action, unit, hq, self.reforms)
                findings |= set(verdict.findings)
                if not verdict.allowed:
                    refused += 1
        if not verdict.allowed:
            return CompiledResponse(k, nation, self.index[unit], 0.0, (), (), (), refused, False, frozenset(findings))
        standing = p["standing-orders"] >= 0.5 and resp.action in self.scenario.standing_orders
        skip = set(verdict.pre_delegable) if standing else set()
        if standing and nation != "JPN" and p["standing-orders.foreign"] >= 0.5:
            skip |= {"us-national-authority", "national-authority"}
        before = []
        for a in verdict.approvals:
            info = approval_info(a)
            if info.phase != "before" or a in skip:
                continue
            if (a == "diet-approval" and info.urgent_may_follow and p["approval.diet-urgent-exception"] >= 0.5
                    and resp.deadline < self.approval_median(a, inj.situation)):
                continue
            before.append(a)
        # Engagement authority delegated to the unit by a standing order: it decides on its own picture.
        decider = unit if not before else hq
        report: tuple[Hop, ...] = ()
        best = math.inf
        for s in sensors:
            cost = routing.cost(s, decider)
            if cost < best:
                best = cost
                report = routing.route(s, decider) or ()
        if not sensors or best == math.inf:
            report = ()
        steps: list[Step] = []
        position = decider
        for a in before:
            holder = _holder(arch, a, nation, verdict.request_by)
            median = self.approval_median(a, inj.situation)
            shared = a in SHARED_APPROVALS and nation == "JPN"
            if shared and a in shared_needed:
                steps.append(Step(a, shared_needed[a][0], median, True, ()))
                position = self.orgs[shared_needed[a][0]]
                continue
            if holder is None:
                steps.append(Step(a, -1, median, shared, ()))
                continue
            route = routing.route(position, holder, last_process=median)
            steps.append(Step(a, self.index[holder], median, shared, route if route is not None else ()))
            if shared:
                shared_needed.setdefault(a, (self.index[holder], median))
            position = holder
        # The order goes back to the ordering headquarters and down the chain to the unit.
        order: list[Hop] = []
        if decider != unit:
            back = routing.route(position, hq) if position != hq else ()
            order.extend(back or ())
            below = path[path.index(hq):] if hq in path else (hq, unit)
            for a, b in itertools.pairwise(below):
                rel_kind = next((r.kind for r in arch.relations_from(a, inj.situation) if r.to_id == b), "command")
                order.append((self.index[a], self.index[b], p.get(f"delay.{rel_kind}", 2.0), routing.process_median(b)))
        else:
            order.append((self.index[unit], self.index[unit], 0.0, routing.process_median(unit)))
        detection = inj.detection_minutes
        return CompiledResponse(k, nation, self.index[unit], detection, report, tuple(steps), tuple(order),
                                refused, True, frozenset(findings))


def compile_model(arch: Architecture, scenario: Scenario, params: Parameters,
                  faults: tuple[FaultEvent, ...] = (), reforms: tuple[str, ...] = ()) -> CompiledModel:
    """Routes, approvals and synchronization for every response of the scenario in this arrangement."""
    return _Compiler(arch, scenario, params, faults, reforms).compile()


class _Run:
    """One replication: staffs, shared approvals and the flow of every response on a kernel."""

    def __init__(self, model: CompiledModel, rng: np.random.Generator) -> None:
        self.m = model
        self.rng = rng
        self.k = Kernel()
        self.p = model.params
        self.sigma = self.p["delay.sigma"]
        self.staff = [Staff(self.k, c, o) for c, o in zip(model.capacities, model.orgs, strict=True)]
        self.lost_at = [math.inf] * len(model.orgs)
        self.slow_links: dict[tuple[int, int], tuple[float, float]] = {}
        for time, org, effect, factor, other in model.faults:
            if effect == "lost":
                self.lost_at[org] = min(self.lost_at[org], time)
            elif effect == "link":
                self.slow_links[(org, other)] = self.slow_links[(other, org)] = (time, factor)
            else:
                self.k.at(time, self._degrade, org, factor)
        self._z = rng.standard_normal(2048)
        self._zi = 0
        self._u = rng.random(256)
        self._ui = 0
        self.shared: dict[tuple[str, str], Signal] = {}
        n = len(model.injects)
        self.out = np.full((n + 1, len(METRICS)), np.nan)
        self.messages = [0] * n
        self.start: list[list[float]] = [[math.nan] * len(ci.responses) for ci in model.injects]
        self.ready: list[list[float]] = [[math.nan] * len(ci.responses) for ci in model.injects]
        self.pending = [len(ci.responses) for ci in model.injects]
        self.conflicts = [0] * n
        self.phase = self.uniform() * self.p["sync.coordination-cadence"]

    def _degrade(self, org: int, factor: float) -> None:
        self.staff[org].slowdown = max(self.staff[org].slowdown, factor)

    def z(self) -> float:
        if self._zi >= len(self._z):
            self._z = self.rng.standard_normal(2048)
            self._zi = 0
        v = self._z[self._zi]
        self._zi += 1
        return float(v)

    def uniform(self) -> float:
        if self._ui >= len(self._u):
            self._u = self.rng.random(256)
            self._ui = 0
        v = self._u[self._ui]
        self._ui += 1
        return float(v)

    def ln(self, median: float) -> float:
        return median * math.exp(self.sigma * self.z()) if median > 0 else 0.0

    # -- messages along a route ------------------------------------------------------------------
    def send(self, inj: int, route: tuple[Hop, ...], i: int, done: Any, args: tuple[Any, ...]) -> None:
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

    def arrive(self, inj: int, route: tuple[Hop, ...], i: int, done: Any, args: tuple[Any, ...]) -> None:
        org = route[i][1]
        if self.k.now >= self.lost_at[org]:
            succ = self.m.successor[org]
            if succ < 0 or self.k.now >= self.lost_at[succ]:
                return  # nobody left to act on it: the message is lost
            noticed = self.lost_at[org] + self.p["fault.detection"]
            wait = max(0.0, noticed - self.k.now) + self.ln(self.p["fault.succession"])
            self.messages[inj] += 1
            self.k.schedule(wait, self._serve, succ, route, i, inj, done, args)
            return
        self._serve(org, route, i, inj, done, args)

    def _serve(self, org: int, route: tuple[Hop, ...], i: int, inj: int, done: Any, args: tuple[Any, ...]) -> None:
        self.staff[org].serve(self.ln(route[i][3]), self.send, inj, route, i + 1, done, args)

    # -- one inject ------------------------------------------------------------------------------
    def begin(self, j: int) -> None:
        ci = self.m.injects[j]
        if ci.recognition and ci.shared_order:
            self._track(j, ci.situation, ci.shared_order)
        for r in ci.responses:
            if not r.executed:
                self._response_done(j, r.index, math.nan)
                continue
            self.k.schedule(r.detection, self.send, j, r.report, 0, self._approvals, (j, r, 0, -1))

    def _track(self, j: int, situation: str, order: tuple[tuple[str, int, float], ...]) -> None:
        """Recognition of a situation: its shared steps, one after another, each firing a signal."""
        for approval, _, _ in order:
            self.shared.setdefault((situation, approval), Signal())
        self._track_step(j, situation, order, 0)

    def _track_step(self, j: int, situation: str, order: tuple[tuple[str, int, float], ...], i: int) -> None:
        if i >= len(order):
            return
        approval, holder, median = order[i]
        signal = self.shared[(situation, approval)]
        if signal.fired:
            self._track_step(j, situation, order, i + 1)
            return
        self.messages[j] += 1

        def finished() -> None:
            signal.fire(self.k.now)
            self._track_step(j, situation, order, i + 1)

        self.staff[holder].serve(self.ln(median), finished)

    def _approvals(self, j: int, r: CompiledResponse, i: int, _pos: int) -> None:
        if i >= len(r.steps):
            self.send(j, r.order, 0, self._ready, (j, r))
            return
        step = r.steps[i]
        nxt = (j, r, i + 1, step.holder)
        if step.shared:
            ci = self.m.injects[j]
            key = (ci.situation, step.approval)
            if key not in self.shared:
                self._track(j, ci.situation, ((step.approval, step.holder, step.median),))
            self.shared[key].wait(self._approvals, *nxt)
            return
        if step.holder < 0:
            self.k.schedule(self.ln(step.median), self._approvals, *nxt)
            return
        if not step.route:
            self.staff[step.holder].serve(self.ln(step.median), self._approvals, *nxt)
            return
        self.send(j, step.route, 0, self._approvals, nxt)

    def _ready(self, j: int, r: CompiledResponse) -> None:
        ci = self.m.injects[j]
        self.ready[j][r.index] = self.k.now
        if not ci.inject.synchronize:
            self._response_done(j, r.index, self.k.now)
            return
        self.pending[j] -= 1
        if self.pending[j] == sum(1 for x in ci.responses if not x.executed) or self.pending[j] == 0:
            self._synchronize(j)

    def _synchronize(self, j: int) -> None:
        ci = self.m.injects[j]
        level = ci.level
        if level == "deconflict" or ci.sync_org < 0 or self.k.now >= self.lost_at[ci.sync_org]:
            for r in ci.responses:
                if r.executed:
                    self._response_done(j, r.index, self.ready[j][r.index], synced=True)
            if len({r.nation for r in ci.responses if r.executed}) > 1 and self.uniform() < self.p["conflict.deconflict"]:
                self.conflicts[j] += 1
            return
        self.messages[j] += 2 * sum(1 for r in ci.responses if r.executed)
        staff = self.staff[ci.sync_org]
        if level == "coordinated":
            cadence = self.p["sync.coordination-cadence"]
            now = self.k.now
            cycle = self.phase + math.ceil(max(0.0, now - self.phase) / cadence) * cadence
            self.k.at(cycle, staff.serve, self.ln(self.p["sync.coordination-meeting"]), self._start_together, j)
        elif level == "integrated":
            staff.serve(self.ln(self.p["sync.combined-staff"]), self._start_together, j)
        else:
            staff.serve(self.ln(self.p["sync.unified-order"]), self._start_together, j)

    def _start_together(self, j: int) -> None:
        ci = self.m.injects[j]
        jitter = self.p.get(f"sync.jitter.{ci.level}", 0.0)
        if len({r.nation for r in ci.responses if r.executed}) > 1 and self.uniform() < self.p.get(f"conflict.{ci.level}", 0.0):
            self.conflicts[j] += 1
        for r in ci.responses:
            if r.executed:
                self._response_done(j, r.index, self.k.now + self.ln(jitter), synced=True)

    def _response_done(self, j: int, k: int, start: float, synced: bool = False) -> None:
        self.start[j][k] = start

    def run(self) -> np.ndarray:
        for j, ci in enumerate(self.m.injects):
            self.k.at(ci.inject.time, self.begin, j)
        self.k.run()
        return self._collect()

    def _collect(self) -> np.ndarray:
        out = self.out
        peak = max(s.peak for s in self.staff)
        times, met, gaps = [], [], []
        for j, ci in enumerate(self.m.injects):
            starts = self.start[j]
            t0 = ci.inject.time
            detected = t0 + min((r.detection for r in ci.responses), default=0.0)
            done = all(not math.isnan(s) for s in starts)
            last = max(starts) if done else math.nan
            row = out[j]
            row[M["response_time"]] = last - detected if done else math.nan
            deadline_ok = done and all(s <= t0 + r.deadline for s, r in zip(starts, ci.inject.responses, strict=True))
            row[M["deadline_met"]] = 1.0 if deadline_ok else 0.0
            by_nation: dict[str, float] = {}
            for s, r in zip(starts, ci.responses, strict=True):
                if not math.isnan(s):
                    by_nation[r.nation] = max(by_nation.get(r.nation, -math.inf), s)
            row[M["sync_gap"]] = max(by_nation.values()) - min(by_nation.values()) if len(by_nation) > 1 else math.nan
            row[M["messages"]] = self.messages[j]
            row[M["peak_queue"]] = peak
            row[M["refused"]] = sum(r.refused for r in ci.responses)
            row[M["findings"]] = len(ci.findings)
            row[M["conflicts"]] = self.conflicts[j]
            row[M["executed"]] = sum(1 for s in starts if not math.isnan(s)) / max(1, len(starts))
            times.append(row[M["response_time"]])
            met.append(row[M["deadline_met"]])
            gaps.append(row[M["sync_gap"]])
        total = out[-1]
        finite = [t for t in times if not math.isnan(t)]
        total[M["response_time"]] = sum(finite) / len(finite) if finite else math.nan
        total[M["deadline_met"]] = sum(met) / len(met) if met else math.nan
        gfinite = [g for g in gaps if not math.isnan(g)]
        total[M["sync_gap"]] = sum(gfinite) / len(gfinite) if gfinite else math.nan
        total[M["messages"]] = sum(self.messages)
        total[M["peak_queue"]] = peak
        total[M["refused"]] = float(np.nansum(out[:-1, M["refused"]]))
        total[M["findings"]] = len(frozenset().union(*(ci.findings for ci in self.m.injects)))
        total[M["conflicts"]] = sum(self.conflicts)
        total[M["executed"]] = float(np.nanmean(out[:-1, M["executed"]])) if self.m.injects else math.nan
        return out


def run_once(model: CompiledModel, seed: int, run_index: int) -> np.ndarray:
    """Metrics of one replication, shape (injects + 1, len(METRICS)); the last row is the whole scenario.

    The random stream is the `run_index`-th child of SeedSequence(seed), so a run's result depends
    only on (seed, run_index), never on how runs are split among workers.
    """
    ss = np.random.SeedSequence(seed, spawn_key=(run_index,))
    return _Run(model, np.random.Generator(np.random.PCG64(ss))).run()
