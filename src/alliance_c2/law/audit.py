"""The legal audit of one arrangement: every finding it produces, as constraints × situations, and the rules of
the nations' laws and treaties behind C6 (the gap between U.S. military law and the SDF Act), each with the
orders it applies to and what lifts it.

The audit runs the engine over every situation and action for every military unit on its own
national chain, and for every unit that some organization of another nation can command
(cross-national relations in any situation) on that organization's order and on the orders of the
military headquarters above it. It adds the arrangement's cross-national relations themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..model import Architecture, load_architecture
from .catalog import LawCatalog, Rule
from .engine import check, default_catalog, law_date
from .national import commander_nation, relation_rules
from .paths import TRANSFER_KINDS
from .verdict import C6, EARLIEST_LAW_DATE, SEVERITIES, Finding

EXAMPLES_PER_CELL = 3


@dataclass
class AuditCell:
    """The findings of one constraint in one situation."""

    constraint: str
    situation: str
    severity: str
    orders: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)
    resolved_by: set[str] = field(default_factory=set)
    eased_by: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {
            "constraint": self.constraint,
            "situation": self.situation,
            "severity": self.severity,
            "orders": self.orders,
            "examples": self.examples,
            "resolved_by": sorted(self.resolved_by),
            "eased_by": sorted(self.eased_by),
        }


@dataclass
class RuleCollision:
    """One rule of a nation's law or a treaty behind a constraint: the orders it applies to, and what lifts it."""

    rule: str
    constraint: str
    law: str
    law_name_en: str
    law_name_ja: str
    kind: str
    name_en: str
    name_ja: str
    article: str | None
    lifted_by: tuple[str, ...]
    lifted_by_note_en: str | None
    lifted_by_note_ja: str | None
    source: str | None
    orders: int = 0
    blocked: int = 0
    situations: dict[str, int] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "constraint": self.constraint, "law": self.law, "law_name_en": self.law_name_en,
            "law_name_ja": self.law_name_ja, "kind": self.kind, "name_en": self.name_en, "name_ja": self.name_ja,
            "article": self.article, "orders": self.orders, "orders_refused": self.blocked,
            "situations": dict(self.situations), "lifted_by": list(self.lifted_by),
            "lifted_by_note_en": self.lifted_by_note_en, "lifted_by_note_ja": self.lifted_by_note_ja,
            "source": self.source, "examples": self.examples,
        }


@dataclass
class AuditReport:
    """Everything the law says about an arrangement, summarized for a reader and a report."""

    architecture: str
    reforms: tuple[str, ...]
    situations: tuple[str, ...]
    constraints: tuple[str, ...]
    cells: dict[tuple[str, str], AuditCell]
    relations: list[dict[str, Any]]
    orders_checked: int
    orders_blocked: int
    as_of: date = EARLIEST_LAW_DATE
    # Constraint C6 computed: each rule behind it that can apply to this arrangement, with its orders (0: none here).
    collisions: dict[str, RuleCollision] = field(default_factory=dict)

    def matrix(self) -> dict[str, dict[str, int]]:
        """Constraint -> situation -> number of orders that raise it."""
        return {
            c: {s: self.cells[(c, s)].orders if (c, s) in self.cells else 0 for s in self.situations}
            for c in self.constraints
        }

    def raised(self) -> list[str]:
        """The constraints raised anywhere, in catalog order."""
        return [c for c in self.constraints if any(k[0] == c for k in self.cells)]

    def reforms_that_clear(self) -> dict[str, list[str]]:
        """Constraint -> reforms that would lift it (empty: no reform in the catalog does)."""
        out: dict[str, set[str]] = {}
        for (c, _), cell in self.cells.items():
            out.setdefault(c, set()).update(cell.resolved_by)
        for rel in self.relations:
            for f in rel["findings"]:
                out.setdefault(f["constraint"], set()).update(f["resolved_by"])
        return {c: sorted(v) for c, v in sorted(out.items())}

    def c6(self) -> list[RuleCollision]:
        """The rules behind C6 (the gap between U.S. military law and the SDF Act), those that apply first."""
        found = [c for c in self.collisions.values() if c.constraint == C6]
        return sorted(found, key=lambda c: (c.orders == 0, list(self.collisions).index(c.rule)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "architecture": self.architecture,
            "reforms": list(self.reforms),
            "as_of": self.as_of.isoformat(),
            "situations": list(self.situations),
            "constraints_raised": self.raised(),
            "matrix": self.matrix(),
            "cells": [cell.to_dict() for cell in self.cells.values()],
            "relations": self.relations,
            "reforms_that_clear": self.reforms_that_clear(),
            "orders_checked": self.orders_checked,
            "orders_blocked": self.orders_blocked,
            "c6": [c.to_dict() for c in self.c6()],
            "rules_raised": [c.rule for c in self.collisions.values() if c.orders],
        }

    def to_frame(self) -> Any:
        """One row per constraint and situation with findings: orders raising it, severity, reforms that lift it."""
        import pandas as pd

        columns = ["architecture", "constraint", "situation", "severity", "orders", "resolved_by", "eased_by"]
        rows = [
            [self.architecture, c.constraint, c.situation, c.severity, c.orders, sorted(c.resolved_by), sorted(c.eased_by)]
            for c in self.cells.values()
        ]
        return pd.DataFrame(rows, columns=columns)


def audit(
    arch: Architecture | str | Path,
    reforms: Iterable[str] = (),
    *,
    as_of: date | None = None,
    catalog: LawCatalog | None = None,
) -> AuditReport:
    """Every finding `arch` produces across situations, actions and cross-national relations.

    Args:
        arch: the arrangement (object, bundled id or YAML path).
        reforms: reform ids switched on.
        as_of: the date whose law applies (default: the arrangement's `law_as_of`, else today).
        catalog: a law catalog other than the bundled one.

    Returns:
        The AuditReport: findings by constraint and situation, cross-national relations, counts.
    """
    law = catalog or default_catalog()
    architecture = arch if isinstance(arch, Architecture) else load_architecture(arch)
    day = law_date(architecture, as_of)
    active = tuple(sorted(set(reforms)))
    for reform in active:
        law.reform(reform)
    cells: dict[tuple[str, str], AuditCell] = {}
    collisions = _collisions(architecture, law, day)
    checked = blocked = 0
    for unit, ordered_by in _orders(architecture, law):
        for situation in law.situations:
            for action in law.actions:
                verdict = check(architecture, situation, action, unit, ordered_by, active, as_of=day, catalog=law)
                checked += 1
                blocked += not verdict.allowed
                for finding in verdict.findings:
                    _record(cells, finding, situation, action, unit, ordered_by)
                    if finding.rule in collisions:
                        _collide(collisions[finding.rule], verdict.allowed, situation, action, unit, ordered_by)
    return AuditReport(
        architecture=architecture.id,
        reforms=active,
        as_of=day,
        situations=tuple(law.situations),
        constraints=tuple(law.constraints),
        cells=dict(sorted(cells.items(), key=lambda kv: (_index(law.constraints, kv[0][0]), _index(law.situations, kv[0][1])))),
        relations=_cross_relations(architecture, law, active, day),
        orders_checked=checked,
        orders_blocked=blocked,
        collisions=collisions,
    )


def _collisions(arch: Architecture, law: LawCatalog, day: date) -> dict[str, RuleCollision]:
    """Every rule in force that raises a constraint, of the nations in the arrangement and of the treaties between
    them, each with no orders yet."""
    present = {n for org in arch.organizations.values() for n in org.member_nations()}
    sources: list[tuple[str, tuple[Rule, ...]]] = [
        (nation, found.rules) for nation, found in law.nations.items() if nation in present
    ]
    sources += [(t.id, t.rules) for t in law.treaties.values() if set(t.parties) <= present and t.in_force_on(day)]
    out: dict[str, RuleCollision] = {}
    for law_id, rules in sources:
        for rule in rules:
            if rule.constraint is None or not rule.in_force_on(day) or rule.transfer_needs_law \
                    or rule.own_forces_under_foreign:
                continue
            out[rule.id] = RuleCollision(
                rule.id, rule.constraint, law_id, law.law_name(law_id, "en"), law.law_name(law_id, "ja"), rule.kind,
                rule.name_en, rule.name_ja, rule.article_on(day), rule.lifted_by, rule.lifted_by_note_en,
                rule.lifted_by_note_ja, rule.source)
    return out


def _collide(c: RuleCollision, allowed: bool, situation: str, action: str, unit: str, ordered_by: str | None) -> None:
    c.orders += 1
    c.blocked += not allowed
    c.situations[situation] = c.situations.get(situation, 0) + 1
    if len(c.examples) < EXAMPLES_PER_CELL:
        c.examples.append({"situation": situation, "action": action, "unit": unit, "ordered_by": ordered_by})


def _index(table: Any, key: str) -> int:
    return list(table).index(key) if key in table else len(table)


def _orders(arch: Architecture, law: LawCatalog) -> list[tuple[str, str | None]]:
    """(unit, ordered_by) pairs: every unit on its own chain, plus cross-national commanders."""
    orders: list[tuple[str, str | None]] = [(o.id, None) for o in arch.military()]
    orgs = arch.organizations
    for rel in arch.relations:
        if rel.kind not in TRANSFER_KINDS or (orgs[rel.from_id].nation == orgs[rel.to_id].nation
                                              and commander_nation(arch, rel.from_id) == orgs[rel.to_id].nation):
            continue
        if not orgs[rel.to_id].is_military:
            continue
        for commander in _commanders_above(arch, rel.from_id):
            pair = (rel.to_id, commander)
            if pair not in orders:
                orders.append(pair)
    return orders


def _commanders_above(arch: Architecture, org_id: str) -> list[str]:
    """`org_id` and the military headquarters above it in its own nation (any situation)."""
    orgs = arch.organizations
    found = [org_id]
    node = org_id
    while True:
        sup = arch.national_superior(node)
        if sup is None or not orgs[sup.from_id].is_military or sup.from_id in found:
            return found
        node = sup.from_id
        found.append(node)


def _record(
    cells: dict[tuple[str, str], AuditCell],
    finding: Finding,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None,
) -> None:
    cell = cells.get((finding.constraint, situation))
    if cell is None:
        cell = cells[(finding.constraint, situation)] = AuditCell(finding.constraint, situation, finding.severity)
    elif SEVERITIES.index(finding.severity) < SEVERITIES.index(cell.severity):
        cell.severity = finding.severity
    cell.orders += 1
    cell.resolved_by.update(finding.resolved_by)
    cell.eased_by.update(finding.eased_by)
    if len(cell.examples) < EXAMPLES_PER_CELL:
        cell.examples.append(
            {"action": action, "unit": unit, "ordered_by": ordered_by, "message": finding.message_en, "message_ja": finding.message_ja}
        )


def _cross_relations(arch: Architecture, law: LawCatalog, reforms: tuple[str, ...], day: date) -> list[dict[str, Any]]:
    """The arrangement's cross-national command-type relations and the constraints each raises under both nations'
    law: a kind that needs a law to cross (C4), a nation's forces under another's command (C3), a kind a nation
    keeps (COCOM), and the rules of the subordinate's law for its forces under a foreign commander (C6)."""
    orgs = arch.organizations
    out: list[dict[str, Any]] = []
    for rel in arch.relations:
        sup, sub = orgs[rel.from_id], orgs[rel.to_id]
        sup_nation = commander_nation(arch, rel.from_id)
        if rel.kind not in TRANSFER_KINDS or (sup.nation == sub.nation and sup_nation == sub.nation):
            continue
        findings: list[dict[str, Any]] = []
        for rule, _nation in relation_rules(law, arch, rel, day):
            if rel.kind in rule.transfer_needs_law:
                if not any(rel.kind in law.reforms[r].allows_cross_national for r in reforms):
                    fixes = sorted(r.id for r in law.reforms.values() if rel.kind in r.allows_cross_national)
                    findings.append({"constraint": rule.constraint, "severity": "error", "resolved_by": fixes,
                                     "rule": rule.id})
            elif rel.kind in rule.keeps:
                findings.append({"constraint": rule.constraint, "severity": "error", "resolved_by": [],
                                 "rule": rule.id})
            elif rule.constraint:
                findings.append({"constraint": rule.constraint, "severity": "warning",
                                 "resolved_by": list(law.reforms_for(rule.constraint, "lifts")), "rule": rule.id})
        home = law.nations.get(sub.nation)
        for rule in home.rules if home is not None and sup_nation != sub.nation else ():
            w = rule.when
            if w is None or w.command != "foreign" or rule.constraint is None or not rule.in_force_on(day):
                continue
            if rule.approval is None or any(rule.id in law.reforms[r].lifts_rules for r in reforms):
                continue
            findings.append({"constraint": rule.constraint, "severity": "warning", "resolved_by": list(rule.lifted_by),
                             "rule": rule.id})
        out.append(
            {
                "from": rel.from_id,
                "to": rel.to_id,
                "kind": rel.kind,
                "from_nation": sup_nation,
                "to_nation": sub.nation,
                "active_in": sorted(rel.active_in) if rel.active_in is not None else list(law.situations),
                "findings": findings,
            }
        )
    return out
