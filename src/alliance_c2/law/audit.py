"""The legal audit of one arrangement: every finding it produces, as constraints × situations.

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
from .catalog import LawCatalog
from .engine import check, default_catalog, law_date
from .paths import TRANSFER_KINDS
from .verdict import EARLIEST_LAW_DATE, SEVERITIES, Finding

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
    checked = blocked = 0
    for unit, ordered_by in _orders(architecture, law):
        for situation in law.situations:
            for action in law.actions:
                verdict = check(architecture, situation, action, unit, ordered_by, active, as_of=day, catalog=law)
                checked += 1
                blocked += not verdict.allowed
                for finding in verdict.findings:
                    _record(cells, finding, situation, action, unit, ordered_by)
    return AuditReport(
        architecture=architecture.id,
        reforms=active,
        as_of=day,
        situations=tuple(law.situations),
        constraints=tuple(law.constraints),
        cells=dict(sorted(cells.items(), key=lambda kv: (_index(law.constraints, kv[0][0]), _index(law.situations, kv[0][1])))),
        relations=_cross_relations(architecture, law, active),
        orders_checked=checked,
        orders_blocked=blocked,
    )


def _index(table: Any, key: str) -> int:
    return list(table).index(key) if key in table else len(table)


def _orders(arch: Architecture, law: LawCatalog) -> list[tuple[str, str | None]]:
    """(unit, ordered_by) pairs: every unit on its own chain, plus cross-national commanders."""
    orders: list[tuple[str, str | None]] = [(o.id, None) for o in arch.military()]
    orgs = arch.organizations
    for rel in arch.relations:
        if rel.kind not in TRANSFER_KINDS or orgs[rel.from_id].nation == orgs[rel.to_id].nation:
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


def _cross_relations(arch: Architecture, law: LawCatalog, reforms: tuple[str, ...]) -> list[dict[str, Any]]:
    """The arrangement's cross-national command-type relations and the constraints each raises."""
    orgs, home = arch.organizations, law.jurisdiction
    out: list[dict[str, Any]] = []
    for rel in arch.relations:
        sup, sub = orgs[rel.from_id], orgs[rel.to_id]
        if rel.kind not in TRANSFER_KINDS or sup.nation == sub.nation:
            continue
        findings: list[dict[str, Any]] = []
        if home in (sup.nation, sub.nation):
            allowed = any(rel.kind in law.reforms[r].allows_cross_national for r in reforms)
            if not allowed:
                fixes = sorted(r.id for r in law.reforms.values() if rel.kind in r.allows_cross_national)
                findings.append({"constraint": "C4-transfer-law", "severity": "error", "resolved_by": fixes})
            constraint = "C3-sovereignty" if sub.nation == home else "C6-law-gap"
            findings.append(
                {"constraint": constraint, "severity": "warning", "resolved_by": list(law.reforms_for(constraint, "lifts"))}
            )
        out.append(
            {
                "from": rel.from_id,
                "to": rel.to_id,
                "kind": rel.kind,
                "from_nation": sup.nation,
                "to_nation": sub.nation,
                "active_in": sorted(rel.active_in) if rel.active_in is not None else list(law.situations),
                "findings": findings,
            }
        )
    return out
