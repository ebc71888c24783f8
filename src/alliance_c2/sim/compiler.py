"""Compile (arrangement, scenario, parameters, faults, reforms, date) into plain routes the event loop plays.

Every legal question is asked here, once per order, never once per run: the authority engine's verdict
decides whether an order may run through the operational chain, whether it must be re-issued through
the unit's national chain, which approvals it waits for and which of them are decided once for the
situation. The interoperability level an order runs under is the level of the chain it lawfully ran
through: an order the engine refuses never runs under the combined commander's level.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from ..analysis import chains_of_command, interoperability_level
from ..law import ApprovalStep, Verdict
from ..model import Architecture, Relation
from ..model.levels import level_ids, lowest_level
from ..model.scenario import Inject, Response, Scenario
from ..model.vocabulary import MEMBERSHIP_KINDS, MILITARY_KINDS
from .compiled import (
    CompiledInject,
    CompiledModel,
    CompiledRecognition,
    CompiledResponse,
    FaultEvent,
    Hop,
    Step,
)
from .legal import (
    approval,
    deliberations,
    jurisdiction,
    order_verdict,
    recognition,
    requester_organization,
    unlawful_relations,
)
from .parameters import Parameters

_TRANSFER_KINDS = frozenset({"command", "opcon", "tacon"})


class Routing:
    """Shortest expected-time paths over the relations active in one situation.

    It remembers every parameter it read (`reads`), so that a compile whose parameters agree on those can use
    it again (`shared_routing`): the sensitivity analysis compiles each case once per parameter end, and most
    ends move a parameter that routing never reads.
    """

    def __init__(self, arch: Architecture, situation: str, index: dict[str, int], params: Parameters) -> None:
        self.arch = arch
        self.index = index
        self.params = params
        self.reads: dict[str, float] = {}
        self.adj: dict[str, list[tuple[str, str]]] = {}
        for rel in arch.active_relations(situation):
            self.adj.setdefault(rel.from_id, []).append((rel.to_id, rel.kind))
            self.adj.setdefault(rel.to_id, []).append((rel.from_id, rel.kind))
        self._cache: dict[str, tuple[dict[str, float], dict[str, tuple[str, str]]]] = {}

    def _p(self, key: str, default: float) -> float:
        value = self.reads[key] = self.params.get(key, default)
        return value

    def process_median(self, org_id: str) -> float:
        return self._p(f"process.{self.arch.organizations[org_id].kind}", 5.0)

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
                    nd = d + self._p(f"delay.{kind}", 5.0) + self.process_median(nxt)
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
            hops.append((self.index[parent], self.index[node], self._p(f"delay.{kind}", 5.0),
                         self.process_median(node)))
            node = parent
        hops.reverse()
        if last_process is not None and hops:
            a, b, d, _ = hops[-1]
            hops[-1] = (a, b, d, last_process)
        return tuple(hops)


_ROUTINGS: dict[tuple[Architecture, str], list[Routing]] = {}


def shared_routing(arch: Architecture, situation: str, index: dict[str, int], params: Parameters) -> Routing:
    """A Routing of `arch` in `situation` built before with the same values of every parameter it read, else a
    new one (kept per process; arrangements are immutable and identity-hashed)."""
    found = _ROUTINGS.get((arch, situation), [])
    for routing in found:
        if all(params.get(k, v) == v for k, v in routing.reads.items()):
            routing.params = params
            return routing
    if sum(len(v) for v in _ROUTINGS.values()) > 256:
        _ROUTINGS.clear()
        found = []
    routing = Routing(arch, situation, index, params)
    _ROUTINGS.setdefault((arch, situation), found).append(routing)
    return routing


def without_organizations(arch: Architecture, lost: frozenset[str], successor: dict[str, str]) -> Architecture:
    """The arrangement after losing organizations: their relations pass to their successors."""
    kept = set(arch.organizations) - lost
    seen: set[tuple[str, str, str]] = set()
    relations = []
    for rel in arch.relations:
        a = successor.get(rel.from_id, rel.from_id) if rel.from_id in lost else rel.from_id
        b = successor.get(rel.to_id, rel.to_id) if rel.to_id in lost else rel.to_id
        if a == b or a not in kept or b not in kept or (a, b, rel.kind) in seen:
            continue
        seen.add((a, b, rel.kind))
        relations.append(Relation(a, b, rel.kind, rel.active_in, rel.source, rel.assumption, rel.unconfirmed,
                                  rel.note_en, rel.note_ja))
    return arch.with_relations(tuple(relations), lost)


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
    """The arrangement's organization for a nation's component (another nation's stands in where the parameters say
    so and the arrangement has no forces of that nation: the comparator's host nation for Japan)."""
    nations = {o.nation for o in arch.military()}
    if nation not in nations:
        nation = next((n for n in params.stand_ins.get(nation, ()) if n in nations), nation)
    for org_id in params.components.get(nation, {}).get(component, ()):
        if org_id in arch.organizations:
            return org_id
    return None


def level_and_body(arch: Architecture, situation: str, params: Parameters) -> tuple[str, str | None]:
    """The derived interoperability level and the organization that synchronizes the nations at it.

    The level's mechanism (`synchronization:` in sim-parameters.yaml) says who that is: the combined
    commander, the combined headquarters, or the coordinating body closest to the forces.
    """
    level, evidence = interoperability_level(arch, situation)
    orgs = arch.organizations
    mechanism = params.mechanism(level)
    if mechanism == "unified-order":
        first = evidence[0].split(" ", 1)[0] if evidence else ""
        return level, first if first in orgs else None
    if mechanism == "combined-staff":
        combined = [o.id for o in arch.military() if o.combined]
        return level, combined[0] if combined else None
    if mechanism == "coordination-meeting":
        members: dict[str, set[str]] = {}
        for rel in arch.active_relations(situation):
            if rel.kind in MEMBERSHIP_KINDS and orgs[rel.from_id].is_military:
                members.setdefault(rel.to_id, set()).add(rel.from_id)
        joined = [b for b, m in members.items() if len({orgs[x].nation for x in m}) >= 2]
        # The body closest to the forces: the one with the most military members.
        return level, max(joined, key=lambda b: (len(members[b]), b)) if joined else None
    return level, None


class _Levels:
    """Levels of the two chains an order can lawfully run through, per situation.

    `lawful`: the arrangement without the relations no law allows (the combined chain where it is lawful);
    `national`: the arrangement with every cross-national command relation removed (orders re-issued
    through the units' own national chains, the nations joined only by staff and coordination bodies).
    """

    def __init__(self, arch: Architecture, reforms: tuple[str, ...], params: Parameters) -> None:
        orgs = arch.organizations
        self.params = params
        unlawful = set(unlawful_relations(arch, reforms))
        self.lawful_arch = arch.with_relations(tuple(r for r in arch.relations if r not in unlawful))
        self.national_arch = arch.with_relations(tuple(
            r for r in arch.relations
            if r.kind not in _TRANSFER_KINDS or orgs[r.from_id].nation == orgs[r.to_id].nation
        ))
        self._cache: dict[tuple[bool, str], tuple[str, str | None]] = {}

    def of(self, situation: str, *, national: bool) -> tuple[str, str | None]:
        key = (national, situation)
        if key not in self._cache:
            self._cache[key] = level_and_body(self.national_arch if national else self.lawful_arch, situation, self.params)
        return self._cache[key]


@lru_cache(maxsize=256)
def _chains(arch: Architecture, situation: str) -> dict[str, Any]:
    """Chains of command per unit (arrangements are immutable and identity-hashed, so this is safe to keep)."""
    return chains_of_command(arch, situation)


def _chain_and_hq(arch: Architecture, situation: str, unit: str, *, operational: bool) -> tuple[tuple[str, ...], str]:
    """(chain from the top down to the unit, the headquarters that orders it): operational or national chain."""
    chains = _chains(arch, situation).get(unit, [])
    chain = next((c for c in chains if c.kind == "operational"), None) if operational else None
    chain = chain or (chains[0] if chains else None)
    path = chain.path if chain is not None and chain.path else (unit,)
    above = path[:-1]
    hq = next((o for o in reversed(above) if arch.organizations[o].kind == "headquarters"), None)
    if operational:
        hq = hq or next((o for o in reversed(above) if arch.organizations[o].kind in MILITARY_KINDS), None)
    return path, hq or (above[-1] if above else unit)


def _holder(arch: Architecture, step: ApprovalStep, nation: str) -> str | None:
    """The organization in `arch` that gives the approval (None: outside the arrangement)."""
    orgs = arch.organizations
    spec = approval(step.id)
    if spec.holder == "requester":
        for req in step.holders:
            org = requester_organization(req) or (req if req in orgs else None)
            if org and org in orgs:
                return org
        return None
    named = next((h for h in step.holders if h in orgs), None)
    if named is not None:
        return named
    # The holder is not in the arrangement: the head of government of the nation whose authority gives it.
    heads = arch.heads_of_government()
    return heads.get(spec.nation or nation) or heads.get(nation)


def _min_level(levels: list[str]) -> str:
    return min(levels, key=level_ids().index)


class _Compiler:
    def __init__(self, arch: Architecture, scenario: Scenario, params: Parameters,
                 faults: tuple[FaultEvent, ...], reforms: tuple[str, ...], as_of: date) -> None:
        self.base = arch
        self.scenario = scenario
        self.params = params
        self.faults = faults
        self.reforms = reforms
        self.day = as_of
        self.orgs = list(arch.organizations)
        self.index = {o: i for i, o in enumerate(self.orgs)}
        self.succ = successors(arch)
        self._variants: dict[frozenset[str], Architecture] = {}
        self._levels: dict[frozenset[str], _Levels] = {}
        self._routing: dict[str, Routing] = {}
        # (decision chain, situation, approval) -> (holder index, median, nation) of every decision shared across
        # orders; a chain is the legal order that asks for the decisions (a nation's law, or a treaty)
        self.shared: dict[tuple[str, str, str], tuple[int, float, str]] = {}
        self.bounds: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, dict[str, Any]] = {}

    def variant(self, lost: frozenset[str]) -> Architecture:
        if lost not in self._variants:
            self._variants[lost] = self.base if not lost else without_organizations(self.base, lost, self.succ)
        return self._variants[lost]

    def levels(self, lost: frozenset[str]) -> _Levels:
        if lost not in self._levels:
            self._levels[lost] = _Levels(self.variant(lost), self.reforms, self.params)
        return self._levels[lost]

    def routing(self, situation: str) -> Routing:
        # Messages travel the intact structure: at run time, work that reaches a lost organization passes
        # to its successor with a delay (a lost echelon is no shortcut).
        if situation not in self._routing:
            self._routing[situation] = shared_routing(self.base, situation, self.index, self.params)
        return self._routing[situation]

    def approval_median(self, approval_id: str, situation: str) -> float:
        if approval_id == "cabinet-decision" and any(
            s.approval == approval_id and s.fast_track for s in recognition(situation, self.day)
        ):
            return self.params["approval.cabinet-decision.fast-track"]
        return self.params.get(f"approval.{approval_id}", 30.0)

    def compile(self) -> CompiledModel:
        p = self.params
        injects = []
        levels: dict[str, str] = {}
        for inj in self.scenario.injects:
            lost = frozenset(f.target for f in self.faults if f.effect == "lost" and f.time <= inj.time)
            arch = self.variant(lost)
            routing = self.routing(inj.situation)
            lv = self.levels(lost)
            responses = tuple(self._response(k, inj, resp, arch, routing, lv) for k, resp in enumerate(inj.responses))
            lawful, national = lv.of(inj.situation, national=False), lv.of(inj.situation, national=True)
            ran = [r.level for r in responses if r.executed]
            level = _min_level(ran) if ran else lawful[0]
            body = lawful[1] if level == lawful[0] else national[1]
            levels[inj.id] = level
            sync = body if inj.synchronize and body in self.index else None
            findings = frozenset().union(*(r.findings for r in responses))
            targeting = self._targeting(inj, arch, body)
            # Where an order may run through its national chain until control passes, the nations synchronize as
            # they do nationally whenever it did.
            until = [r.until_transfer.level for r in responses if r.until_transfer is not None]
            nlevel = _min_level([*(r.level for r in responses if r.executed and r.until_transfer is None), *until]) \
                if until else level
            nbody = (lawful[1] if nlevel == lawful[0] else national[1]) if until else sync
            national_sync = (nlevel, self.index[nbody] if inj.synchronize and nbody in self.index else -1)
            injects.append(CompiledInject(inj, inj.situation, level, self.index[sync] if sync else -1, responses, findings,
                                          targeting, self._fallback(inj, sync, national=level != lawful[0]),
                                          national_sync))
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
        return CompiledModel(self.base.id, self.scenario.id, self.day.isoformat(), self.orgs, kinds, caps, injects,
                             self._recognitions(), sorted(fault_rows), successor, p.values(), levels,
                             dict(p.synchronization), lowest_level(), self.bounds, self.scenario.duration_days,
                             self.rules, deliberations())

    def _fallback(self, inj: Inject, sync: str | None, *, national: bool) -> tuple[str, int]:
        """If the synchronizing body is lost, the arrangement without it synchronizes (its successor's level)."""
        lost_later = frozenset(f.target for f in self.faults if f.effect == "lost")
        lost_later |= {f.organization for i in self.scenario.injects for f in i.faults if f.effect == "lost"}
        if sync is None or sync not in lost_later:
            return (lowest_level(), -1)
        level, body = self.levels(frozenset(lost_later)).of(inj.situation, national=national)
        return (level, self.index[body]) if body in self.index else (lowest_level(), -1)

    def _targeting(self, inj: Inject, arch: Architecture, body: str | None) -> tuple[int, float] | None:
        """Who nominates the targets and how long it takes: the arrangement's plan list decides the speed."""
        if inj.targeting_plan is None:
            return None
        has_plan = any(plan.id == inj.targeting_plan for plan in arch.plans)
        median = self.params["targeting.with-plan" if has_plan else "targeting.without-plan"]
        return (self.index.get(body, -1) if body is not None else -1), median

    def _recognitions(self) -> list[CompiledRecognition]:
        """Each situation the scenario enters is recognized once, from the moment the scenario gives."""
        explicit = {r.situation: r.time for r in self.scenario.recognitions}
        out = []
        previous = self.scenario.situation
        entered: dict[str, float | None] = {}
        for inj in self.scenario.injects:
            if inj.situation not in entered:
                entered[inj.situation] = inj.time if inj.situation != previous else None
            previous = inj.situation
        home = jurisdiction()
        chains = dict.fromkeys(chain for chain, _, _ in self.shared)
        for situation, start in entered.items():
            procedure = [st.approval for st in recognition(situation, self.day) if st.phase == "before"]
            for chain in chains:
                # The jurisdiction recognizes the situation by its procedure; then come the situation's other shared
                # decisions its orders need (the defense operation order, the President's OPCON decision, prior
                # consultation): each legal order's decisions in a chain of their own, all taken as soon as the
                # situation is recognized, not when the first order happens to ask.
                first = procedure if chain == home else []
                steps = [(a, *self.shared[(chain, situation, a)][:2]) for a in first if (chain, situation, a) in self.shared]
                steps += [(a, holder, median) for (c, where, a), (holder, median, _) in self.shared.items()
                          if c == chain and where == situation and a not in first]
                if steps:
                    nation = self.shared[(chain, situation, steps[0][0])][2]
                    out.append(CompiledRecognition(situation, nation, explicit.get(situation, start), tuple(steps),
                                                   chain))
        return out

    def _response(self, k: int, inj: Inject, resp: Response, arch: Architecture, routing: Routing,
                  levels: _Levels) -> CompiledResponse:
        p = self.params
        order_id = f"{inj.id}/{k}"
        unit = resolve_force(arch, p, resp.nation, resp.component)
        if unit is None:
            return CompiledResponse(k, order_id, resp.action, resp.nation, -1, -1, 0.0, (), (), (), 0, (), False,
                                    "", frozenset())
        path, hq = _chain_and_hq(arch, inj.situation, unit, operational=True)
        verdict = order_verdict(arch, inj.situation, resp.action, unit, hq, self.reforms, self.day)
        refusals: list[str] = []
        blocked: list[str] = []
        findings = set(verdict.constraints)
        national = False
        if not verdict.allowed:
            refusals.append(_reason(hq, verdict))
            blocked.extend(b.constraint for b in verdict.blocked_by if b.constraint)
            npath, nhq = _chain_and_hq(arch, inj.situation, unit, operational=False)
            national = True
            if (npath, nhq) != (path, hq):
                path, hq = npath, nhq
                verdict = order_verdict(arch, inj.situation, resp.action, unit, hq, self.reforms, self.day)
                findings |= set(verdict.constraints)
                if not verdict.allowed:
                    refusals.append(_reason(hq, verdict))
                    blocked.extend(b.constraint for b in verdict.blocked_by if b.constraint)
        level = levels.of(inj.situation, national=national)[0]
        nation = arch.organizations[unit].nation
        if not verdict.allowed:
            return CompiledResponse(k, order_id, resp.action, nation, self.index[unit], self.index[hq], 0.0, (), (),
                                    (), len(refusals), tuple(refusals), False, level, frozenset(findings),
                                    self._standing(resp), tuple(blocked))
        out = self._order(k, order_id, inj, resp, arch, routing, verdict, path, hq, level, refusals, findings, blocked)
        transfer = next((st for st in self._waits_for(verdict, resp, inj.situation)
                         if st.transfers_control and st.per_situation), None)
        if transfer is None or national:
            return out
        # Control passes to the other nation's commander only when this decision is taken: until then the unit
        # answers to its own chain, which gives the order if that is lawful.
        npath, nhq = _chain_and_hq(arch, inj.situation, unit, operational=False)
        nverdict = order_verdict(arch, inj.situation, resp.action, unit, nhq, self.reforms, self.day)
        if (npath, nhq) == (path, hq) or not nverdict.allowed:
            return out
        until = self._order(k, order_id, inj, resp, arch, routing, nverdict, npath, nhq,
                            levels.of(inj.situation, national=True)[0], refusals, findings | set(nverdict.constraints),
                            blocked)
        return replace(out, until_transfer=until, transfer=(transfer.law or transfer.nation, transfer.id))

    def _order(self, k: int, order_id: str, inj: Inject, resp: Response, arch: Architecture, routing: Routing,
               verdict: Verdict, path: tuple[str, ...], hq: str, level: str, refusals: list[str],
               findings: set[str], blocked: list[str]) -> CompiledResponse:
        """An allowed order through `path` from `hq`: its report, approvals and the order's way down to the unit."""
        p = self.params
        unit = path[-1] if path else verdict.unit
        nation = arch.organizations[unit].nation
        for finding in verdict.findings:
            if finding.rule is not None:
                met = self.rules.setdefault(finding.rule, {"constraint": finding.constraint, "orders": 0,
                                                           "lifted_by": list(finding.resolved_by)})
                met["orders"] += 1
        for bound in verdict.bounds:
            self.bounds.setdefault(bound.rule, {
                "nation": bound.nation, "days": bound.days, "extension_days": bound.extension_days,
                "lifted_by": list(bound.lifted_by), "lifted": bound.lifted, "starts": inj.time})
        sensors = [s for s in (resolve_force(arch, p, n, c) for n, c in inj.detected_by) if s is not None]
        before = self._waits_for(verdict, resp, inj.situation)
        # Engagement authority delegated to the unit by a standing order: it decides on its own picture.
        decider = unit if not before else hq
        report: tuple[Hop, ...] = ()
        best = math.inf
        for s in sensors:
            cost = routing.cost(s, decider)
            if cost < best:
                best = cost
                report = routing.route(s, decider) or ()
        steps: list[Step] = []
        position = decider
        for st in before:
            authority = st.nation or nation
            holder = _holder(arch, st, authority)
            median = self.approval_median(st.id, inj.situation)
            chain = st.law or authority
            if st.per_situation and holder is not None:
                # A decision for the whole situation reaches every headquarters once, when it is taken: the
                # order waits for it where it is (no per-order trip to the holder and back).
                key = (chain, inj.situation, st.id)
                self.shared.setdefault(key, (self.index[holder], median, authority))
                steps.append(Step(st.id, authority, self.shared[key][0], median, True, (), chain))
                continue
            if holder is None:
                steps.append(Step(st.id, authority, -1, median, False, (), chain))
                continue
            route = routing.route(position, holder, last_process=median)
            steps.append(Step(st.id, authority, self.index[holder], median, False, route if route is not None else (),
                              chain))
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
        return CompiledResponse(k, order_id, resp.action, nation, self.index[unit], self.index[decider],
                                inj.detection_minutes, report if sensors and best < math.inf else (), tuple(steps),
                                tuple(order), len(refusals), tuple(refusals), True, level, frozenset(findings),
                                self._standing(resp), tuple(blocked))

    def _standing(self, resp: Response) -> bool:
        """Whether the scenario's standing orders (in force by the switch) cover this action."""
        return self.params["standing-orders"] >= 0.5 and resp.action in self.scenario.standing_orders

    def _waits_for(self, verdict: Verdict, resp: Response, situation: str) -> list[ApprovalStep]:
        """The approvals the order must have before it runs: standing orders and urgency remove some."""
        p = self.params
        standing = self._standing(resp)
        foreign_standing = p["standing-orders.foreign"] >= 0.5
        home = jurisdiction()
        before = []
        for st in verdict.approval_steps:
            skippable = st.pre_delegable and (home in st.nations or foreign_standing)
            if st.phase != "before" or (standing and skippable):
                continue
            if (st.may_follow_action_when_urgent and p["approval.diet-urgent-exception"] >= 0.5
                    and resp.deadline < self.approval_median(st.id, situation)):
                continue
            before.append(st)
        return before


def _reason(issuer: str, verdict: Verdict) -> str:
    return f"{issuer}: " + " ".join(b.reason_en for b in verdict.blocked_by)


def compile_model(arch: Architecture, scenario: Scenario, params: Parameters, faults: tuple[FaultEvent, ...] = (),
                  reforms: tuple[str, ...] = (), as_of: date | None = None) -> CompiledModel:
    """Routes, approvals, lawful levels and synchronization for every response of the scenario."""
    day = as_of or arch.law_as_of or date.today()
    return _Compiler(arch, scenario, params, faults, reforms, day).compile()
