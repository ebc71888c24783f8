"""Structural analysis of one arrangement in one situation, and comparison of two."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Architecture, Organization
from ..model.load import civilian_reach, gc_paused
from ..model.vocabulary import CIVILIAN_CHAIN_KINDS, OPERATIONAL_KINDS, SITUATIONS
from .graph import bfs_from, dominators, path_to_source

DEFAULT_SITUATION = "armed-attack"

LEVEL_RULES: dict[str, tuple[str, str]] = {
    "unified": (
        "one combined commander holds OPCON over both nations' forces",
        "一人の連合指揮官が両国部隊の作戦統制権を持つ",
    ),
    "integrated": (
        "a combined staff plans and directs while national command is kept",
        "連合司令部が計画・指揮し、各国の指揮権は維持される",
    ),
    "coordinated": (
        "standing coordination bodies join parallel national chains",
        "常設の調整機関が並行する各国の指揮系統を結ぶ",
    ),
    "deconflict": (
        "forces are only kept apart; no body joins the military chains",
        "部隊は分離されるのみで、両国の軍事系統を結ぶ機関はない",
    ),
}


@dataclass(frozen=True)
class ChainOfCommand:
    """A path of authority from a head of government down to a unit."""

    unit: str
    kind: str  # "national" | "operational"
    path: tuple[str, ...]
    relations: tuple[str, ...]


@dataclass(frozen=True)
class SinglePoint:
    id: str
    nation: str
    units_cut: int


@dataclass
class Analysis:
    """Everything the structure says about an arrangement in one situation."""

    id: str
    situation: str
    level: str
    level_rule: str
    level_rule_ja: str
    level_evidence: list[str]
    chains: dict[str, list[ChainOfCommand]]
    civilian_control: dict[str, Any]
    cross_national: list[dict[str, str]]
    coordination_hops: dict[str, Any]
    single_points_of_failure: list[SinglePoint]
    command_depth: int
    counts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["chains"] = {
            unit: [{"kind": c.kind, "path": list(c.path), "relations": list(c.relations)} for c in chains]
            for unit, chains in self.chains.items()
        }
        return d


def _military_nations(arch: Architecture) -> list[str]:
    """Nations with military organizations, most organizations first (the primary pair leads)."""
    counts: dict[str, int] = {}
    for org in arch.military():
        counts[org.nation] = counts.get(org.nation, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def interoperability_level(arch: Architecture, situation: str) -> tuple[str, list[str]]:
    """The derived level with the evidence (relations and bodies) that decided it."""
    orgs = arch.organizations
    down: dict[str, list[str]] = {}
    cross: list[str] = []
    for rel in arch.relations:
        if rel.kind in OPERATIONAL_KINDS and rel.active(situation):
            down.setdefault(rel.from_id, []).append(rel.to_id)
            if rel.kind != "command" and orgs[rel.from_id].nation != orgs[rel.to_id].nation:
                cross.append(rel.from_id)
    if cross:
        commander = _combined_commander(arch, down, set(cross))
        if commander is not None:
            org_id, nations = commander
            flag = " (combined headquarters)" if orgs[org_id].combined else ""
            return "unified", [f"{org_id}{flag} holds OPCON/TACON over forces of {', '.join(sorted(nations))}"]
    for org in arch.organizations.values():
        if org.combined and org.is_military:
            touching = {
                orgs[r.to_id if r.from_id == org.id else r.from_id].nation
                for r in (*arch.relations_from(org.id, situation), *arch.relations_to(org.id, situation))
                if orgs[r.to_id if r.from_id == org.id else r.from_id].is_military
            }
            touching.add(org.nation)
            if len(touching) >= 2:
                return "integrated", [f"{org.id} is a combined headquarters working with forces of {', '.join(sorted(touching))}"]
    bodies: dict[str, set[str]] = {}
    for rel in arch.relations:
        if rel.kind in ("coordination", "consultation") and rel.active(situation):
            member = orgs[rel.from_id]
            if member.is_military:
                bodies.setdefault(rel.to_id, set()).add(member.nation)
    joined = sorted(b for b, nations in bodies.items() if len(nations) >= 2)
    if joined:
        return "coordinated", [f"{b} joins military organizations of {', '.join(sorted(bodies[b]))}" for b in joined]
    return "deconflict", ["no active body or relation joins the nations' military chains"]


def _combined_commander(
    arch: Architecture, down: dict[str, list[str]], cross_sources: set[str]
) -> tuple[str, set[str]] | None:
    """The top-most headquarters whose operational subtree spans two nations through OPCON/TACON.

    One memoized pass over the (acyclic) operational relations: for each organization, the nations
    below it, whether a cross-national OPCON/TACON lies below it, and the size of its subtree.
    """
    orgs = arch.organizations
    memo: dict[str, tuple[frozenset[str], bool, int]] = {}

    def visit(node: str) -> tuple[frozenset[str], bool, int]:
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in memo:
                continue
            children = down.get(current, [])
            if not expanded:
                stack.append((current, True))
                stack.extend((c, False) for c in children if c not in memo)
                continue
            nations = {orgs[current].nation} if orgs[current].is_military else set()
            has_cross = current in cross_sources
            size = 1
            for c in children:
                c_nations, c_cross, c_size = memo[c]
                nations |= c_nations
                has_cross = has_cross or c_cross
                size += c_size
            memo[current] = (frozenset(nations), has_cross, size)
        return memo[node]

    best: tuple[bool, int, str, frozenset[str]] | None = None
    for org in arch.military():
        nations, has_cross, size = visit(org.id)
        if has_cross and len(nations) >= 2:
            # A combined headquarters is the combined commander; among equals, the top-most.
            key = (org.combined, size, org.id, nations)
            if best is None or key[:2] > best[:2]:
                best = key
    return (best[2], set(best[3])) if best is not None else None


def chains_of_command(arch: Architecture, situation: str) -> dict[str, list[ChainOfCommand]]:
    """Each military organization's national chain, and its operational chain where it differs."""
    national = _NationalChains(arch, situation)
    chains: dict[str, list[ChainOfCommand]] = {}
    for org in arch.military():
        path, kinds = national.chain(org.id)
        found = [ChainOfCommand(org.id, "national", path, kinds)]
        for rel in arch.relations_to(org.id, situation):
            if rel.kind in ("opcon", "tacon"):
                above, above_kinds = national.chain(rel.from_id)
                found.append(ChainOfCommand(org.id, "operational", (*above, org.id), (*above_kinds, rel.kind)))
        chains[org.id] = found
    return chains


class _NationalChains:
    """Memoized chains up the first own-nation political-direction/command relation."""

    def __init__(self, arch: Architecture, situation: str) -> None:
        orgs = arch.organizations
        self._parent: dict[str, tuple[str, str]] = {}
        for rel in arch.relations:
            if (
                rel.kind in CIVILIAN_CHAIN_KINDS
                and rel.to_id not in self._parent
                and rel.active(situation)
                and orgs[rel.from_id].nation == orgs[rel.to_id].nation
            ):
                self._parent[rel.to_id] = (rel.from_id, rel.kind)
        self._memo: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def chain(self, org_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(ids from the top down to `org_id`, relation kinds between them)."""
        pending: list[str] = []
        node: str | None = org_id
        while node is not None and node not in self._memo:
            if node in pending:  # guard against a malformed loop; validation reports cycles
                break
            pending.append(node)
            up = self._parent.get(node)
            node = up[0] if up else None
        base: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()) if node is None else self._memo.get(node, ((), ()))
        for current in reversed(pending):
            up = self._parent.get(current)
            path, kinds = base
            kinds = (*kinds, up[1]) if up and path else kinds
            base = ((*path, current), kinds)
            self._memo[current] = base
        return self._memo.get(org_id, base)


def single_points_of_failure(arch: Architecture, situation: str) -> list[SinglePoint]:
    """Organizations whose loss cuts military units of their nation from its head of government.

    Authority flows along active political-direction, command, OPCON and TACON relations. An
    organization with a designated `alternate` is not a single point (succession covers it);
    heads of government are left out, their succession being constitutional and outside the model.
    """
    orgs = arch.organizations
    succ: dict[str, list[str]] = {}
    for rel in arch.relations:
        if rel.kind in CIVILIAN_CHAIN_KINDS | OPERATIONAL_KINDS and rel.active(situation):
            succ.setdefault(rel.from_id, []).append(rel.to_id)
    cut: dict[str, int] = {}
    for nation, head in arch.heads_of_government().items():
        idom = dominators(head, succ)
        for node in idom:
            org = orgs[node]
            if org.nation != nation or not org.is_military:
                continue
            step = idom[node]
            while step != head:
                cut[step] = cut.get(step, 0) + 1
                step = idom[step]
    points = [
        SinglePoint(org_id, orgs[org_id].nation, n)
        for org_id, n in cut.items()
        if orgs[org_id].alternate is None and not orgs[org_id].head_of_government
    ]
    return sorted(points, key=lambda p: (-p.units_cut, p.id))


def coordination_hops(arch: Architecture, situation: str) -> dict[str, Any]:
    """Relation hops from each unit of the first nation to the nearest unit of the second.

    The path a task shared by a Japanese and a U.S. unit must travel: through a common commander,
    a coordination body, or up to the political level, over the relations active in `situation`.
    """
    nations = _military_nations(arch)
    if len(nations) < 2:
        return {"nations": nations, "mean": None, "max": None, "min": None, "example": []}
    first, second = nations[0], nations[1]
    neighbours: dict[str, list[str]] = {}
    for rel in arch.active_relations(situation):
        neighbours.setdefault(rel.from_id, []).append(rel.to_id)
        neighbours.setdefault(rel.to_id, []).append(rel.from_id)
    targets = [o.id for o in arch.military() if o.nation == second and o.kind == "unit"] or [
        o.id for o in arch.military() if o.nation == second
    ]
    starts = [o.id for o in arch.military() if o.nation == first and o.kind == "unit"] or [
        o.id for o in arch.military() if o.nation == first
    ]
    parent = bfs_from(targets, neighbours)
    hops = {s: len(path_to_source(s, parent)) - 1 for s in starts if s in parent}
    if not hops:
        return {"nations": [first, second], "mean": None, "max": None, "min": None, "example": []}
    values = sorted(hops.values())
    median = statistics.median_low(values)
    example_unit = min((s for s, h in hops.items() if h == median), key=lambda s: s)
    return {
        "nations": [first, second],
        "mean": round(statistics.fmean(values), 3),
        "min": values[0],
        "max": values[-1],
        "unreachable": len(starts) - len(hops),
        "example": path_to_source(example_unit, parent),
    }


def analyze(arch: Architecture, situation: str = DEFAULT_SITUATION) -> Analysis:
    """Derive level, chains, civilian control, cross-national relations, hops and single points."""
    with gc_paused():
        return _analyze(arch, situation)


def _analyze(arch: Architecture, situation: str) -> Analysis:
    if situation not in SITUATIONS:
        from ..model import UnknownIdError

        raise UnknownIdError("situation", situation, list(SITUATIONS))
    orgs = arch.organizations
    level, evidence = interoperability_level(arch, situation)
    chains = chains_of_command(arch, situation)
    heads = arch.heads_of_government()
    reached = civilian_reach(orgs, arch.relations, heads, situation)
    cut_off = sorted(o.id for o in arch.military() if o.id not in reached)
    cross = [
        {
            "from": r.from_id,
            "to": r.to_id,
            "kind": r.kind,
            "from_nation": orgs[r.from_id].nation,
            "to_nation": orgs[r.to_id].nation,
        }
        for r in arch.active_relations(situation)
        if r.kind in ("opcon", "tacon", "command", "adcon")
        and orgs[r.from_id].nation != orgs[r.to_id].nation
        and orgs[r.to_id].is_military
    ]
    depth = max((len(c[0].path) - 1 for c in chains.values()), default=0)
    rule_en, rule_ja = LEVEL_RULES[level]
    return Analysis(
        id=arch.id,
        situation=situation,
        level=level,
        level_rule=rule_en,
        level_rule_ja=rule_ja,
        level_evidence=evidence,
        chains=chains,
        civilian_control={"ok": not cut_off, "without_civilian_chain": cut_off},
        cross_national=cross,
        coordination_hops=coordination_hops(arch, situation),
        single_points_of_failure=single_points_of_failure(arch, situation),
        command_depth=depth,
        counts=_counts(arch, situation),
    )


def _counts(arch: Architecture, situation: str) -> dict[str, Any]:
    by_kind: dict[str, int] = {}
    by_nation: dict[str, int] = {}
    for org in arch.organizations.values():
        by_kind[org.kind] = by_kind.get(org.kind, 0) + 1
        by_nation[org.nation] = by_nation.get(org.nation, 0) + 1
    rel_kinds: dict[str, int] = {}
    for rel in arch.active_relations(situation):
        rel_kinds[rel.kind] = rel_kinds.get(rel.kind, 0) + 1
    return {
        "organizations": len(arch.organizations),
        "relations": len(arch.active_relations(situation)),
        "by_kind": by_kind,
        "by_nation": by_nation,
        "relations_by_kind": rel_kinds,
    }


def levels_by_situation(arch: Architecture) -> dict[str, str]:
    """The derived level in every situation."""
    return {s: interoperability_level(arch, s)[0] for s in SITUATIONS}


def compare(a: Architecture, b: Architecture, situation: str = DEFAULT_SITUATION) -> dict[str, Any]:
    """Side-by-side structural comparison of two arrangements and what differs between them."""
    aa, ab = analyze(a, situation), analyze(b, situation)

    def summary(arch: Architecture, an: Analysis) -> dict[str, Any]:
        return {
            "id": arch.id,
            "name_en": arch.name_en,
            "name_ja": arch.name_ja,
            "level": an.level,
            "levels_by_situation": levels_by_situation(arch),
            "organizations": an.counts["organizations"],
            "relations": an.counts["relations"],
            "command_depth": an.command_depth,
            "coordination_hops_mean": an.coordination_hops.get("mean"),
            "cross_national_opcon": len([c for c in an.cross_national if c["kind"] in ("opcon", "tacon")]),
            "single_points_of_failure": [p.id for p in an.single_points_of_failure],
            "combined_headquarters": [o.id for o in arch.organizations.values() if o.combined],
            "civilian_control_ok": an.civilian_control["ok"],
        }

    rels_a = {(r.from_id, r.to_id, r.kind) for r in a.active_relations(situation)}
    rels_b = {(r.from_id, r.to_id, r.kind) for r in b.active_relations(situation)}
    return {
        "situation": situation,
        "a": summary(a, aa),
        "b": summary(b, ab),
        "organizations_only_in_a": sorted(set(a.organizations) - set(b.organizations)),
        "organizations_only_in_b": sorted(set(b.organizations) - set(a.organizations)),
        "relations_only_in_a": [list(r) for r in sorted(rels_a - rels_b)],
        "relations_only_in_b": [list(r) for r in sorted(rels_b - rels_a)],
    }


def org_label(org: Organization, lang: str) -> str:
    """A display label: the name in `lang`, with the id."""
    return f"{org.name(lang)} [{org.id}]"
