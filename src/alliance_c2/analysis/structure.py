"""Structural analysis of one arrangement in one situation, and comparison of two."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import Architecture, Relation
from ..model.architecture import carries_authority
from ..model.levels import level_catalog
from ..model.load import civilian_reach, gc_paused
from ..model.vocabulary import (
    CIVILIAN_CHAIN_KINDS,
    MEMBERSHIP_KINDS,
    OPERATIONAL_KINDS,
    reference_situation,
    require_situation,
)
from .graph import bfs_from, dominators, path_to_source
from .levels import LevelResult, level_of, levels_by_situation

# Relations by which a headquarters directs another nation's forces (counted as cross-national OPCON).
CROSS_NATIONAL_CONTROL = frozenset({"opcon", "tacon"})


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
    level_decision: LevelResult
    chains: dict[str, list[ChainOfCommand]]
    civilian_control: dict[str, Any]
    cross_national: list[dict[str, str]]
    coordination_hops: dict[str, Any]
    single_points_of_failure: list[SinglePoint]
    command_depth: int
    counts: dict[str, Any] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """The analysis as a table in Jupyter: level and why, depth, single points of failure."""
        # Imported on use: only a notebook displays results as HTML.
        from ..model.display import html_table

        rows: list[tuple[str, Any]] = [("level", self.level), ("rule", self.level_rule)]
        rows += [("evidence", e) for e in self.level_evidence]
        rows += [("command depth", self.command_depth),
                 ("single points of failure", ", ".join(p.id for p in self.single_points_of_failure))]
        return html_table(f"{self.id} in {self.situation}", ("", ""), rows)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["level_decision"] = self.level_decision.to_dict()
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
    """Memoized chains up each organization's own nation's political-direction/command superiors.

    A bilateral body belongs to both nations, so its superior depends on whose chain is followed:
    walking up for nation N, an organization's superior is the first civilian-chain relation from an
    organization of N, else (for a bilateral body) the first of N's organizations that takes part in it.
    """

    def __init__(self, arch: Architecture, situation: str) -> None:
        self._orgs = arch.organizations
        self._above: dict[str, list[Relation]] = {}
        for rel in arch.relations:
            if rel.active(situation) and (rel.kind in CIVILIAN_CHAIN_KINDS or rel.kind in MEMBERSHIP_KINDS):
                self._above.setdefault(rel.to_id, []).append(rel)
        self._memo: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def _parent(self, org_id: str, nation: str) -> Relation | None:
        target = self._orgs[org_id]
        membership: Relation | None = None
        for rel in self._above.get(org_id, ()):
            if not self._orgs[rel.from_id].belongs_to(nation) or not carries_authority(rel, target, nation):
                continue
            if rel.kind in CIVILIAN_CHAIN_KINDS:
                return rel
            membership = membership or rel
        return membership

    def chain(self, org_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(ids from the top down to `org_id`, relation kinds between them) along its own nation."""
        nation = self._orgs[org_id].nation
        pending: list[tuple[str, str | None]] = []
        visited: set[str] = set()
        node: str | None = org_id
        while node is not None and (node, nation) not in self._memo:
            if node in visited:  # guard against a malformed loop; validation reports cycles
                break
            visited.add(node)
            up = self._parent(node, nation)
            pending.append((node, up.kind if up else None))
            node = up.from_id if up else None
        base = ((), ()) if node is None else self._memo.get((node, nation), ((), ()))
        for current, kind in reversed(pending):
            path, kinds = base
            kinds = (*kinds, kind) if kind and path else kinds
            base = ((*path, current), kinds)
            self._memo[(current, nation)] = base
        return self._memo.get((org_id, nation), base)


def single_points_of_failure(arch: Architecture, situation: str) -> list[SinglePoint]:
    """Organizations whose loss cuts military units of their nation from its head of government.

    Authority flows along active political-direction, command, OPCON and TACON relations, and into a
    bilateral body through its members (coordination, consultation). An organization with a designated
    `alternate` is not a single point (succession covers it); heads of government are left out, their
    succession being constitutional and outside the model.
    """
    orgs = arch.organizations
    succ: dict[str, list[str]] = {}
    for rel in arch.relations:
        joins = rel.kind in MEMBERSHIP_KINDS and orgs[rel.to_id].bilateral
        if (rel.kind in CIVILIAN_CHAIN_KINDS | OPERATIONAL_KINDS or joins) and rel.active(situation):
            succ.setdefault(rel.from_id, []).append(rel.to_id)
    cut: dict[str, int] = {}
    for nation, head in arch.heads_of_government().items():
        idom = dominators(head, succ)
        for node in idom:
            org = orgs[node]
            if not org.belongs_to(nation) or not org.is_military:
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
    # The lower median and the mean by hand: `statistics` costs start-up time (decimal, fractions, random).
    median = values[(len(values) - 1) // 2]
    example_unit = min((s for s, h in hops.items() if h == median), key=lambda s: s)
    return {
        "nations": [first, second],
        "mean": round(sum(values) / len(values), 3),
        "min": values[0],
        "max": values[-1],
        "unreachable": len(starts) - len(hops),
        "example": path_to_source(example_unit, parent),
    }


def analyze(arch: Architecture, situation: str | None = None) -> Analysis:
    """Derive level, chains, civilian control, cross-national relations, hops and single points.

    `situation` defaults to the catalog's reference situation (`reference:` in situations.yaml).
    """
    with gc_paused():
        return _analyze(arch, require_situation(situation or reference_situation()))


def _analyze(arch: Architecture, situation: str) -> Analysis:
    orgs = arch.organizations
    decision = level_of(arch, situation)
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
        and not orgs[r.from_id].shares_nation(orgs[r.to_id])
        and orgs[r.to_id].is_military
    ]
    depth = max((len(c[0].path) - 1 for c in chains.values()), default=0)
    rule = level_catalog().rule(decision.rule)
    return Analysis(
        id=arch.id,
        situation=situation,
        level=decision.level,
        level_rule=rule.text_en,
        level_rule_ja=rule.text_ja,
        level_evidence=list(decision.evidence),
        level_decision=decision,
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
        nation = "/".join(org.nations) if org.nations else org.nation
        by_nation[nation] = by_nation.get(nation, 0) + 1
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


def compare(a: Architecture, b: Architecture, situation: str | None = None) -> dict[str, Any]:
    """Side-by-side structural comparison of two arrangements and what differs between them."""
    situation = require_situation(situation or reference_situation())
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
            "cross_national_opcon": cross_national_control(an),
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


def cross_national_control(an: Analysis) -> int:
    """How many OPCON and TACON relations direct another nation's forces."""
    return len([c for c in an.cross_national if c["kind"] in CROSS_NATIONAL_CONTROL])
