"""Structural analysis of one arrangement in one situation, and comparison of two."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Architecture, Organization
from ..model.load import civilian_reach
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
        # The highest headquarters whose operational subtree holds units of two nations
        # through a cross-national OPCON/TACON relation is the combined commander.
        best: tuple[int, str, set[str]] | None = None
        for org in arch.military():
            reached = bfs_from([org.id], down)
            if not any(c in reached for c in cross):
                continue
            nations = {orgs[n].nation for n in reached if orgs[n].is_military}
            if len(nations) >= 2 and (best is None or len(reached) > best[0]):
                best = (len(reached), org.id, nations)
        if best is not None:
            flag = " (combined headquarters)" if orgs[best[1]].combined else ""
            return "unified", [f"{best[1]}{flag} holds OPCON/TACON over forces of {', '.join(sorted(best[2]))}"]
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


def chains_of_command(arch: Architecture, situation: str) -> dict[str, list[ChainOfCommand]]:
    """Each military organization's national chain, and its operational chain where it differs."""
    chains: dict[str, list[ChainOfCommand]] = {}
    for org in arch.military():
        found = [_national_chain(arch, org.id, situation, "national")]
        for rel in arch.relations_to(org.id, situation):
            if rel.kind in ("opcon", "tacon"):
                above = _national_chain(arch, rel.from_id, situation, "operational")
                found.append(
                    ChainOfCommand(org.id, "operational", (*above.path, org.id), (*above.relations, rel.kind))
                )
        chains[org.id] = found
    return chains


def _national_chain(arch: Architecture, org_id: str, situation: str, kind: str) -> ChainOfCommand:
    path = [org_id]
    kinds: list[str] = []
    seen = {org_id}
    node = org_id
    while True:
        rel = next(
            (
                r
                for r in arch.relations_to(node, situation)
                if r.kind in CIVILIAN_CHAIN_KINDS
                and arch.organizations[r.from_id].nation == arch.organizations[node].nation
            ),
            None,
        )
        if rel is None or rel.from_id in seen:
            break
        seen.add(rel.from_id)
        path.append(rel.from_id)
        kinds.append(rel.kind)
        node = rel.from_id
    return ChainOfCommand(org_id, kind, tuple(reversed(path)), tuple(reversed(kinds)))


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
