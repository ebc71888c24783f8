"""What the simulation asks the law: verdicts for orders, the approvals' holders and durations, recognition.

A thin seam over `alliance_c2.law`'s public functions, so the process model never reads the law catalog's
files itself: every approval, its phase, who holds it and whether it is shared across orders comes from
the authority engine's typed `Verdict`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..law import Approval, ProcedureStep, Verdict, check, default_catalog, procedure, relations_without_basis
from ..model import Architecture, Relation


def order_verdict(
    arch: Architecture,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None,
    reforms: tuple[str, ...],
    as_of: date,
) -> Verdict:
    """The authority engine's verdict on one order, under the law of `as_of`."""
    return check(arch, situation, action, unit, ordered_by=ordered_by, reforms=reforms, as_of=as_of)


def jurisdiction() -> str:
    """The nation whose law the catalog encodes (approvals of other nations come from their own authority)."""
    return default_catalog().jurisdiction


def approval(approval_id: str) -> Approval:
    """The catalog's approval (holder, phase, rank)."""
    return default_catalog().approvals[approval_id]


def deliberations() -> frozenset[str]:
    """Approvals whose time is deliberation that leaves the holder's staff free for its other work."""
    return frozenset(a.id for a in default_catalog().approvals.values() if a.deliberation)


def requester_organization(requester_id: str) -> str | None:
    """The organization that makes a request (e.g. the Foreign Minister's ministry), if the catalog names one."""
    found = default_catalog().requesters.get(requester_id)
    return found.organization if found is not None else None


def recognition(situation: str, as_of: date) -> tuple[ProcedureStep, ...]:
    """The political steps that recognize `situation` under the law of `as_of`, in order."""
    return procedure(situation, as_of=as_of)


def unlawful_relations(arch: Architecture, reforms: Iterable[str]) -> tuple[Relation, ...]:
    """Relations that transfer command across the nations without a law allowing it (C4)."""
    return relations_without_basis(arch, tuple(reforms))
