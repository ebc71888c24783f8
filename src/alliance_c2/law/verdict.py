"""What the authority engine answers about one order: the `Verdict`, what blocks it, what it raises,
the approvals in order and the provisions it rests on; and the study's constraint ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .catalog import Citation, Precondition, Route

SEVERITIES = ("error", "warning", "info")
# The study's constraints as the engine raises them: C1, C2 and C4 block an order; C3, C5 and C6 warn about it
# (a reform that lifts a warning drops it; one that lifts a blocking constraint must allow what was blocked).
C1, C2, C3, C4, C5, C6 = (
    "C1-constitution", "C2-entanglement", "C3-sovereignty", "C4-transfer-law", "C5-political-decision", "C6-law-gap"
)
WARNING_CONSTRAINTS = frozenset({C3, C5, C6})
# The SDF Act took effect on this day: no question about Japanese forces can be asked before it.
EARLIEST_LAW_DATE = date(1954, 7, 1)


@dataclass(frozen=True, slots=True)
class Block:
    """A rule that stops the order, with the reason and where the rule comes from."""

    rule: str
    reason_en: str
    reason_ja: str
    source: str | None
    constraint: str | None = None

    def reason(self, lang: str = "en") -> str:
        return self.reason_ja if lang == "ja" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": self.reason_en,
            "reason_ja": self.reason_ja,
            "source": self.source,
            "constraint": self.constraint,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One of the study's constraints raised by an order; `resolved_by` lists reforms that lift it."""

    constraint: str
    severity: str  # "error" (it blocks the order) | "warning" | "info"
    message_en: str
    message_ja: str
    resolved_by: tuple[str, ...] = ()
    eased_by: tuple[str, ...] = ()
    source: str | None = None
    rule: str | None = None  # the rule of a nation's law or a treaty that raises it (C6's rules)
    # What lifts it when no reform does (e.g. "a political decision the study does not specify").
    otherwise_en: str | None = None
    otherwise_ja: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "en") -> str:
        return self.message_ja if lang == "ja" else self.message_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "constraint": self.constraint,
            "severity": self.severity,
            "message": self.message_en,
            "message_ja": self.message_ja,
            "resolved_by": list(self.resolved_by),
            "eased_by": list(self.eased_by),
            "source": self.source,
            "rule": self.rule,
            "otherwise_en": self.otherwise_en,
            "otherwise_ja": self.otherwise_ja,
        }


@dataclass(frozen=True, slots=True, eq=False)
class Advisory:
    """A rule that applies to the order but asks nothing it must wait for (e.g. consultation "in every possible
    instance"), shown with the order."""

    rule: str
    law: str
    nation: str
    kind: str
    text_en: str
    text_ja: str
    source: str | None

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "law": self.law, "nation": self.nation, "kind": self.kind, "text_en": self.text_en,
                "text_ja": self.text_ja, "source": self.source}


@dataclass(frozen=True, slots=True, eq=False)
class Bound:
    """A limit in time a rule sets on the nation's commitment (the War Powers Resolution's 60 days)."""

    rule: str
    law: str
    nation: str
    days: int
    extension_days: int
    lifted_by: tuple[str, ...]
    lifted: bool  # an active reform lifts it
    source: str | None

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "law": self.law, "nation": self.nation, "days": self.days,
                "extension_days": self.extension_days, "lifted_by": list(self.lifted_by), "lifted": self.lifted,
                "source": self.source}


@dataclass(frozen=True, slots=True)
class ApprovalStep:
    """One approval the order needs, with who holds it and whether the action waits for it."""

    id: str
    holders: tuple[str, ...]
    phase: str
    rank: int
    pre_delegable: bool = False
    within_days: int | None = None
    waivable_when_en: str | None = None
    may_follow_action_when_urgent: bool = False
    typical_minutes: int | None = None
    nations: tuple[str, ...] = ()  # whose authority gives it
    per_situation: bool = False  # given once for the situation and shared by every order that needs it
    law: str | None = None  # the legal order that asks for it: a nation's code or a treaty id
    kind: str = "statute"  # statute, treaty, policy or practice
    rule: str | None = None  # the rule that asks for it (None: the jurisdiction's statute per action)
    source: str | None = None
    # Until it is given the unit stays under its own nation's chain (the President's OPCON decision).
    transfers_control: bool = False

    @property
    def nation(self) -> str:
        """Whose authority gives it (the first of `nations`)."""
        return self.nations[0] if self.nations else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nation": self.nation,
            "nations": list(self.nations),
            "law": self.law,
            "kind": self.kind,
            "rule": self.rule,
            "source": self.source,
            "transfers_control": self.transfers_control,
            "per_situation": self.per_situation,
            "holders": list(self.holders),
            "phase": self.phase,
            "rank": self.rank,
            "pre_delegable": self.pre_delegable,
            "within_days": self.within_days,
            "waivable_when_en": self.waivable_when_en,
            "may_follow_action_when_urgent": self.may_follow_action_when_urgent,
            "typical_minutes": self.typical_minutes,
        }


@dataclass(frozen=True, slots=True)
class BasisUsed:
    """A provision the verdict rests on, numbered as it was on the date applied."""

    provision: str
    article_en: str
    article_ja: str
    in_force: date
    until: date | None
    source: str | None
    unconfirmed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "article": self.article_en,
            "article_ja": self.article_ja,
            "in_force": self.in_force.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "source": self.source,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(frozen=True)
class Verdict:
    """The engine's answer for one order."""

    architecture: str
    situation: str
    action: str
    unit: str
    ordered_by: str | None
    reforms: tuple[str, ...]
    allowed: bool
    approvals: tuple[str, ...]
    approval_steps: tuple[ApprovalStep, ...]
    blocked_by: tuple[Block, ...]
    findings: tuple[Finding, ...]
    chain: tuple[str, ...]
    chain_relations: tuple[str, ...]
    citations: tuple[Citation, ...]
    preconditions: tuple[Precondition, ...]
    alternatives: tuple[Route, ...]
    use_of_force: bool
    laws_applied: tuple[str, ...]
    as_of: date = EARLIEST_LAW_DATE
    route: str | None = None
    basis: tuple[BasisUsed, ...] = ()
    advisories: tuple[Advisory, ...] = ()  # rules that apply but bind nothing (consult "in every possible instance")
    bounds: tuple[Bound, ...] = ()  # limits in time on a nation's commitment (the War Powers Resolution's 60 days)
    laws: tuple[str, ...] = ()  # every nation's law and treaty that said something about the order

    @property
    def constraints(self) -> tuple[str, ...]:
        """Ids of the constraints raised, in order of first appearance."""
        return tuple(dict.fromkeys(f.constraint for f in self.findings))

    @property
    def approvals_by_nation(self) -> dict[str, list[str]]:
        """The approvals grouped by whose authority gives each (lower-case nation codes), each group in order."""
        out: dict[str, list[str]] = {}
        for step in self.approval_steps:
            out.setdefault(step.nation.lower(), []).append(step.id)
        return out

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules of the nations' laws and treaties the order meets (approvals, refusals, bounds, notes)."""
        found = [s.rule for s in self.approval_steps if s.rule]
        found += [f.rule for f in self.findings if f.rule]
        found += [b.rule for b in self.bounds] + [a.rule for a in self.advisories]
        return tuple(dict.fromkeys(r for r in found if r))

    def _repr_html_(self) -> str:
        """The verdict as a table in Jupyter: the answer, what blocks it, the approvals in order, the findings."""
        # Imported on use: only a notebook displays results as HTML.
        from ..model.display import html_table

        rows: list[tuple[str, str]] = [("allowed", "yes" if self.allowed else "no")]
        rows += [("blocked by", f"{b.constraint or ''} {b.reason_en}".strip()) for b in self.blocked_by]
        rows += [("approval", f"{s.id} ({s.phase})") for s in self.approval_steps]
        rows += [("finding", f"{f.constraint}: {f.message_en}") for f in self.findings]
        rows.append(("chain", " → ".join(self.chain)))
        caption = (f"{self.action} by {self.unit} in {self.situation}, ordered by {self.ordered_by or 'its own chain'}"
                   f" ({self.architecture}, law as of {self.as_of.isoformat()})")
        return html_table(caption, ("", ""), rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "architecture": self.architecture,
            "situation": self.situation,
            "action": self.action,
            "unit": self.unit,
            "ordered_by": self.ordered_by,
            "reforms": list(self.reforms),
            "allowed": self.allowed,
            "approvals": list(self.approvals),
            "approval_steps": [s.to_dict() for s in self.approval_steps],
            "blocked_by": [b.to_dict() for b in self.blocked_by],
            "findings": [f.to_dict() for f in self.findings],
            "chain": list(self.chain),
            "chain_relations": list(self.chain_relations),
            "citations": [_citation_dict(c) for c in self.citations],
            "preconditions": [
                {"id": p.id, "text_en": p.text_en, "text_ja": p.text_ja, "source": p.source, "assumption": p.assumption}
                for p in self.preconditions
            ],
            "alternatives": [
                {"route": r.name, "approvals": list(r.approvals), "use_of_force": r.use_of_force, "source": r.source}
                for r in self.alternatives
            ],
            "use_of_force": self.use_of_force,
            "laws_applied": list(self.laws_applied),
            "laws": list(self.laws),
            "approvals_by_nation": self.approvals_by_nation,
            "advisories": [a.to_dict() for a in self.advisories],
            "bounds": [b.to_dict() for b in self.bounds],
            "rules": list(self.rules),
            "as_of": self.as_of.isoformat(),
            "route": self.route,
            "legal_basis": [b.to_dict() for b in self.basis],
        }


def _citation_dict(c: Citation) -> dict[str, Any]:
    return {"article": c.article, "source": c.source, "assumption": c.assumption, "unconfirmed": c.unconfirmed}
