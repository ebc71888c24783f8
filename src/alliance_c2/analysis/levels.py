"""The interoperability level of an arrangement in one situation, with the rule that decided it.

The four levels and their definitions are the study's (`catalog/levels.yaml`); the structural tests
here are this project's interpretation of them, tried from the highest level down:

- `combined-commander-opcon` (unified): one headquarters has military organizations of two or more
  nations under it through active command and OPCON, at least one across the national line.
- `combined-staff` (integrated): a combined headquarters is joined by support, command, OPCON or TACON
  to a military organization of another nation.
- `cross-national-tacon` (integrated): a headquarters holds TACON over another nation's force.
- `coordination-body` (coordinated): military organizations of two nations coordinate in one body.
- `no-joining-structure` (deconflict): none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Architecture, Organization, Relation
from ..model.levels import (
    COMBINED_STAFF_RULE,
    COORDINATION_RULE,
    DECONFLICT_RULE,
    TACON_RULE,
    UNIFIED_RULE,
    level_catalog,
)
from ..model.vocabulary import situation_ids

# Relations that put one organization's forces under another's operational authority.
_OPCON_KINDS = frozenset({"command", "opcon"})
# Relations by which another nation's staff or forces join a combined headquarters.
_STAFF_KINDS = frozenset({"support", "command", "opcon", "tacon"})


@dataclass(frozen=True)
class LevelResult:
    """The derived level, the rule (an id in catalog/levels.yaml) and what in the arrangement decided it.

    `body` is the organization that commands (unified), integrates (integrated) or coordinates
    (coordinated) the two nations' forces, None for deconflict. `interpretation` is true when every
    relation that decided the level is active in this situation only as this project's marked
    interpretation (`interpreted_in:` in the arrangement).
    """

    level: str
    rule: str
    evidence: tuple[str, ...]
    evidence_ja: tuple[str, ...]
    body: str | None
    definition_en: str
    definition_ja: str
    interpretation: bool

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON: the study's definition beside the rule, labelled as interpretation."""
        catalog = level_catalog()
        definition = catalog.definition(self.level)
        rule = catalog.rule(self.rule)
        return {
            "level": self.level,
            "definition": {
                "name_en": definition.name_en,
                "name_ja": definition.name_ja,
                "text_ja": definition.definition_ja,
                "text_en": definition.definition_en,
                "source": definition.source,
                "by": "study",
            },
            "rule": {
                "id": rule.id,
                "text_en": rule.text_en,
                "text_ja": rule.text_ja,
                "by": "this project's interpretation",
                "basis_en": catalog.basis_en,
                "basis_ja": catalog.basis_ja,
                "note_en": rule.note_en,
                "note_ja": rule.note_ja,
                "assumption": rule.assumption,
            },
            "evidence": list(self.evidence),
            "evidence_ja": list(self.evidence_ja),
            "body": self.body,
            "interpretation": self.interpretation,
        }


def level_of(arch: Architecture, situation: str) -> LevelResult:
    """The interoperability level of `arch` in `situation`, tried from unified down to deconflict."""
    for test in (_unified, _combined_staff, _cross_national_tacon, _coordinated):
        found = test(arch, situation)
        if found is not None:
            return found
    return _deconflict(arch, situation)


def interoperability_level(arch: Architecture, situation: str) -> tuple[str, list[str]]:
    """(level, evidence): `level_of` for callers that read only these two."""
    result = level_of(arch, situation)
    return result.level, list(result.evidence)


def levels_by_situation(arch: Architecture) -> dict[str, str]:
    """The derived level in every situation."""
    return {s: level_of(arch, s).level for s in situation_ids()}


def level_rule_texts() -> dict[str, tuple[str, str]]:
    """Each level's tests in English and Japanese (all its rules, joined)."""
    catalog = level_catalog()
    texts: dict[str, tuple[str, str]] = {}
    for rule in catalog.rules.values():
        en, ja = texts.get(rule.level, ("", ""))
        texts[rule.level] = (f"{en} / {rule.text_en}" if en else rule.text_en, f"{ja}／{rule.text_ja}" if ja else rule.text_ja)
    return texts


# --- the tests ---------------------------------------------------------------------------------


def _result(
    rule: str, evidence: list[tuple[str, str]], body: str | None, deciding: list[Relation], situation: str
) -> LevelResult:
    """The level the catalog gives `rule` (levels.yaml), with the evidence that decided it."""
    catalog = level_catalog()
    level = catalog.rule(rule).level
    definition = catalog.definition(level)
    interpreted = bool(deciding) and all(r.interpreted(situation) for r in deciding)
    if interpreted:
        evidence = [
            *evidence,
            (
                f"interpretation: these relations are active in {situation} only as this project's reading of its source",
                f"解釈：これらの関係が{situation}で有効なのは出典に対する本プロジェクトの解釈による",
            ),
        ]
    return LevelResult(
        level=level,
        rule=rule,
        evidence=tuple(en for en, _ in evidence),
        evidence_ja=tuple(ja for _, ja in evidence),
        body=body,
        definition_en=definition.definition_en,
        definition_ja=definition.definition_ja,
        interpretation=interpreted,
    )


def _crosses(a: Organization, b: Organization) -> bool:
    """Whether a relation between `a` and `b` crosses a national line (a bilateral body shares both)."""
    return not a.shares_nation(b)


def _nation_list(nations: set[str]) -> str:
    return ", ".join(sorted(nations))


def _edge(rel: Relation) -> str:
    return f"{rel.from_id} → {rel.to_id} ({rel.kind})"


def _unified(arch: Architecture, situation: str) -> LevelResult | None:
    orgs = arch.organizations
    down: dict[str, list[Relation]] = {}
    for rel in arch.relations:
        if rel.kind in _OPCON_KINDS and rel.active(situation) and orgs[rel.to_id].is_military:
            down.setdefault(rel.from_id, []).append(rel)
    spans = _Spans(arch, down)
    best: tuple[tuple[bool, int, int], str, frozenset[str]] | None = None
    for org in arch.military():
        nations, crossing, size = spans.of(org.id)
        if crossing and len(nations) >= 2:
            # A combined headquarters first; otherwise the commander that holds the cross-national links: the one
            # with most of them below it and, among those, the lowest (not a staff above it that merely passes
            # national orders down).
            key = (org.combined, len(_crossing_links(arch, down, org.id)), -size)
            if best is None or key > best[0]:
                best = (key, org.id, nations)
    if best is None:
        return None
    _, commander, nations = best
    links = _crossing_links(arch, down, commander)
    flag = " (combined headquarters)" if orgs[commander].combined else ""
    flag_ja = "（連合司令部）" if orgs[commander].combined else ""
    listed = ", ".join(_edge(r) for r in links)
    evidence = [
        (
            f"{commander}{flag} holds OPCON over forces of {_nation_list(set(nations))}: {listed}",
            f"{commander}{flag_ja}が{_nation_list(set(nations))}の部隊の作戦統制を持つ：{listed}",
        )
    ]
    if not any(o.combined for o in arch.military()):
        evidence.append((
            f"no organization is a combined headquarters (combined: true): {len(links)} cross-national OPCON "
            f"link(s) alone make {commander} the commander of both nations' forces here",
            f"連合司令部（combined: true）はない：国をまたぐ作戦統制{len(links)}本だけで{commander}が両国部隊の指揮官となる",
        ))
    return _result(UNIFIED_RULE, evidence, commander, links, situation)


class _Spans:
    """For each organization, memoized over the (acyclic) operational relations below it: the nations
    of its military organizations, whether a cross-national link lies below it, and its size."""

    def __init__(self, arch: Architecture, down: dict[str, list[Relation]]) -> None:
        self._orgs = arch.organizations
        self._down = down
        self._memo: dict[str, tuple[frozenset[str], bool, int]] = {}

    def of(self, node: str) -> tuple[frozenset[str], bool, int]:
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if current in self._memo:
                continue
            rels = self._down.get(current, [])
            if not expanded:
                stack.append((current, True))
                stack.extend((r.to_id, False) for r in rels if r.to_id not in self._memo)
                continue
            org = self._orgs[current]
            nations = set(org.member_nations()) if org.is_military else set()
            crossing = False
            size = 1
            for rel in rels:
                below, below_crossing, below_size = self._memo[rel.to_id]
                nations |= below
                crossing = crossing or below_crossing or _crosses(org, self._orgs[rel.to_id])
                size += below_size
            self._memo[current] = (frozenset(nations), crossing, size)
        return self._memo[node]


def _crossing_links(arch: Architecture, down: dict[str, list[Relation]], top: str) -> list[Relation]:
    """The cross-national command and OPCON relations under `top`."""
    orgs = arch.organizations
    links: list[Relation] = []
    seen = {top}
    stack = [top]
    while stack:
        node = stack.pop()
        for rel in down.get(node, ()):
            if _crosses(orgs[rel.from_id], orgs[rel.to_id]):
                links.append(rel)
            if rel.to_id not in seen:
                seen.add(rel.to_id)
                stack.append(rel.to_id)
    return sorted(links, key=lambda r: (r.from_id, r.to_id))


def _combined_staff(arch: Architecture, situation: str) -> LevelResult | None:
    orgs = arch.organizations
    for org in arch.military():
        if not (org.combined or org.bilateral):
            continue
        joining = [
            rel
            for rel in (*arch.relations_to(org.id, situation), *arch.relations_from(org.id, situation))
            if rel.kind in _STAFF_KINDS and _other_military(arch, rel, org.id) and _crosses(orgs[rel.from_id], orgs[rel.to_id])
        ]
        nations = set(org.member_nations()) | {n for r in joining for n in orgs[_other(r, org.id)].member_nations()}
        if len(nations) >= 2:
            links = ", ".join(_edge(r) for r in joining) or "its own nations"
            evidence = [
                (
                    f"{org.id} is a combined headquarters with staff or forces of {_nation_list(nations)}: {links}",
                    f"{org.id}は{_nation_list(nations)}の幕僚又は部隊を持つ連合司令部：{links}",
                )
            ]
            return _result(COMBINED_STAFF_RULE, evidence, org.id, joining, situation)
    return None


def _other(rel: Relation, org_id: str) -> str:
    return rel.to_id if rel.from_id == org_id else rel.from_id


def _other_military(arch: Architecture, rel: Relation, org_id: str) -> bool:
    return arch.organizations[_other(rel, org_id)].is_military


def _cross_national_tacon(arch: Architecture, situation: str) -> LevelResult | None:
    orgs = arch.organizations
    links = [
        rel
        for rel in arch.active_relations(situation)
        if rel.kind == "tacon" and orgs[rel.to_id].is_military and _crosses(orgs[rel.from_id], orgs[rel.to_id])
    ]
    if not links:
        return None
    holder = min(links, key=lambda r: (r.from_id, r.to_id)).from_id
    evidence = [
        (
            f"{rel.from_id} holds TACON over {rel.to_id} of another nation; OPCON stays national",
            f"{rel.from_id}が他国の{rel.to_id}の戦術統制を持つ。作戦統制は各国に残る",
        )
        for rel in links
    ]
    return _result(TACON_RULE, evidence, holder, links, situation)


def _coordinated(arch: Architecture, situation: str) -> LevelResult | None:
    orgs = arch.organizations
    members: dict[str, list[Relation]] = {}
    for rel in arch.active_relations(situation):
        if rel.kind == "coordination" and orgs[rel.from_id].is_military:
            members.setdefault(rel.to_id, []).append(rel)
    joined: dict[str, set[str]] = {}
    for body, rels in members.items():
        nations = {n for r in rels for n in orgs[r.from_id].member_nations()}
        if orgs[body].is_military:  # coordinating directly with a headquarters joins its nation too
            nations.update(orgs[body].member_nations())
        if len(nations) >= 2:
            joined[body] = nations
    if not joined:
        return None
    # The body closest to the forces: the one with the most military members.
    body = max(joined, key=lambda b: (len(members[b]), b))
    evidence = [
        (
            f"{b} coordinates military organizations of {_nation_list(joined[b])}: "
            + ", ".join(r.from_id for r in members[b]),
            f"{b}が{_nation_list(joined[b])}の軍事組織を調整する：" + ", ".join(r.from_id for r in members[b]),
        )
        for b in sorted(joined, key=lambda b: (b != body, b))
    ]
    deciding = [r for b in joined for r in members[b]]
    return _result(COORDINATION_RULE, evidence, body, deciding, situation)


def _deconflict(arch: Architecture, situation: str) -> LevelResult:
    orgs = arch.organizations
    consulting: dict[str, set[str]] = {}
    for rel in arch.active_relations(situation):
        if rel.kind == "consultation" and orgs[rel.from_id].is_military:
            consulting.setdefault(rel.to_id, set()).update(orgs[rel.from_id].member_nations())
    evidence = [
        (
            "no active relation or body joins the nations' forces beyond keeping them apart",
            "両国部隊を結び付ける有効な関係・機関はない（分離のみ）",
        )
    ]
    evidence += [
        (
            f"{body} joins military organizations of {_nation_list(nations)} through consultation only (not counted)",
            f"{body}は{_nation_list(nations)}の軍事組織を協議のみで結ぶ（数えない）",
        )
        for body, nations in sorted(consulting.items())
        if len(nations) >= 2
    ]
    return _result(DECONFLICT_RULE, evidence, None, [], situation)
