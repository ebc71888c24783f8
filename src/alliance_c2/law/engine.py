"""The authority engine: may this unit do this action, in this situation, on this order?

`check` answers with a `Verdict`: whether the order is allowed, the approvals in order, what
blocks it, the study's constraints it raises (C1-C6), the chain of command it travels and the
articles it rests on. The engine reads only the catalog (data) and the arrangement: a new
situation, action or reform is a YAML entry.

Verdicts are pure functions of (arrangement, catalog, situation, action, unit, order, reforms),
so they are cached; arrangements and catalogs are identity-hashed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Architecture, Relation, UnknownIdError, load_architecture
from ..model.vocabulary import CIVILIAN_CHAIN_KINDS, term_name, vocabulary
from .build import load_law_catalog
from .catalog import (
    Action,
    Citation,
    LawCatalog,
    Precondition,
    ProcedureStep,
    Provision,
    Route,
    Situation,
)

# Relations along which an order travels down, and those whose crossing a border transfers authority.
AUTHORITY_KINDS = frozenset({"political-direction", "command", "opcon", "tacon"})
TRANSFER_KINDS = frozenset({"command", "opcon", "tacon"})
SEVERITIES = ("error", "warning", "info")
CACHE_SIZE = 65_536
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
        }


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "nations": list(self.nations),
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

    @property
    def constraints(self) -> tuple[str, ...]:
        """Ids of the constraints raised, in order of first appearance."""
        return tuple(dict.fromkeys(f.constraint for f in self.findings))

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
            "as_of": self.as_of.isoformat(),
            "route": self.route,
            "legal_basis": [b.to_dict() for b in self.basis],
        }


def _citation_dict(c: Citation) -> dict[str, Any]:
    return {"article": c.article, "source": c.source, "assumption": c.assumption, "unconfirmed": c.unconfirmed}


# --- public API ------------------------------------------------------------------------------

_default_catalog: LawCatalog | None = None


def default_catalog() -> LawCatalog:
    """The bundled law catalog, loaded once."""
    global _default_catalog
    if _default_catalog is None:
        _default_catalog = load_law_catalog()
    return _default_catalog


def check(
    arch: Architecture | str | Path,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None = None,
    reforms: Iterable[str] = (),
    *,
    as_of: date | None = None,
    catalog: LawCatalog | None = None,
) -> Verdict:
    """Whether `unit` may carry out `action` in `situation` on the order of `ordered_by`.

    Args:
        arch: the arrangement (object, bundled id or YAML path).
        situation, action, unit, ordered_by: catalog and arrangement ids; without `ordered_by` the
            unit's own national chain of command gives the order.
        reforms: reform ids switched on.
        as_of: the date whose law applies; default the arrangement's `law_as_of`, else today.
        catalog: a law catalog other than the bundled one.

    Returns:
        The Verdict. Unknown ids raise UnknownIdError listing the valid choices; a date before the
        SDF Act (1954-07-01) raises ValueError.
    """
    law = catalog or default_catalog()
    architecture = arch if isinstance(arch, Architecture) else load_architecture(arch)
    active = frozenset(reforms)
    if situation not in law.situations:
        law.situation(situation)
    if action not in law.actions:
        law.action(action)
    _require_unit(architecture, unit)
    if ordered_by is not None and ordered_by not in architecture.organizations:
        raise UnknownIdError(f"organization in {architecture.id}", ordered_by, list(architecture.organizations))
    for reform in active:
        law.reform(reform)
    day = law_date(architecture, as_of)
    return _verdict(architecture, law, situation, action, unit, ordered_by, active, day)


def law_date(arch: Architecture, as_of: date | None = None) -> date:
    """The date whose law applies: `as_of`, else the arrangement's `law_as_of`, else today."""
    day = as_of or arch.law_as_of or date.today()
    if day < EARLIEST_LAW_DATE:
        raise ValueError(f"{day.isoformat()} is before the SDF Act took effect ({EARLIEST_LAW_DATE.isoformat()})")
    return day


def procedure(
    situation: str, *, as_of: date | None = None, catalog: LawCatalog | None = None
) -> tuple[ProcedureStep, ...]:
    """The ordered political steps to recognize `situation` under the law of `as_of` (default today)."""
    law = catalog or default_catalog()
    defined = law.situation_on(situation, as_of or date.today())
    return defined.procedure if defined is not None else ()


def relations_without_basis(
    arch: Architecture, reforms: Iterable[str] = (), *, catalog: LawCatalog | None = None
) -> tuple[Relation, ...]:
    """Cross-national command, OPCON or TACON relations of `arch` that no law allows (constraint C4).

    A relation between the jurisdiction's forces and another nation's needs a law letting command
    authority pass between them; only the active reforms can supply one.
    """
    law = catalog or default_catalog()
    allowed = {kind for r in reforms for kind in law.reform(r).allows_cross_national}
    orgs = arch.organizations
    return tuple(
        rel
        for rel in arch.relations
        if rel.kind in TRANSFER_KINDS
        and rel.kind not in allowed
        and orgs[rel.from_id].nation != orgs[rel.to_id].nation
        and law.jurisdiction in (orgs[rel.from_id].nation, orgs[rel.to_id].nation)
    )


def clear_cache() -> None:
    """Forget cached verdicts (e.g. after editing a catalog in a notebook)."""
    _verdict.cache_clear()
    _adjacency.cache_clear()
    _parents.cache_clear()


def _require_unit(arch: Architecture, unit: str) -> None:
    org = arch.organizations.get(unit)
    if org is None or not org.is_military:
        raise UnknownIdError(f"unit in {arch.id}", unit, [o.id for o in arch.military()])


# --- evaluation ------------------------------------------------------------------------------


@lru_cache(maxsize=CACHE_SIZE)
def _verdict(
    arch: Architecture,
    law: LawCatalog,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None,
    reforms: frozenset[str],
    day: date,
) -> Verdict:
    return _Evaluation(arch, law, situation, action, unit, ordered_by, reforms, day).verdict()


class _Evaluation:
    """One order worked through the four questions: law, authority, the relation's own basis, findings."""

    def __init__(
        self,
        arch: Architecture,
        law: LawCatalog,
        situation: str,
        action: str,
        unit: str,
        ordered_by: str | None,
        reforms: frozenset[str],
        day: date,
    ) -> None:
        self.arch = arch
        self.law = law
        self.day = day
        defined = law.situation_on(situation, day)
        self.situation_exists = defined is not None
        self.situation: Situation = defined if defined is not None else law.situations[situation]
        self.action: Action = law.actions[action]
        self.unit = arch.organizations[unit]
        self.ordered_by = ordered_by
        self.reforms = reforms
        self.route: Route | None = self.action.route_on(situation, day) if self.situation_exists else None
        self.force = self.route.use_of_force if self.route is not None else self.action.use_of_force
        self.foreign_pre_delegable: set[str] = set()
        self.blocks: list[Block] = []
        self.findings: list[Finding] = []
        self.citations: list[Citation] = []
        self.approval_nations: dict[str, list[str]] = {}

    def verdict(self) -> Verdict:
        chain, path = self._authority()
        directing = self._directing_nations(chain)
        bound = (self.unit.nation, *sorted(directing - {self.unit.nation}))
        approvals = self._national_law(bound)
        self._relations(path)
        self._political_decision(bound)
        findings = self._apply_reforms()
        steps = tuple(self._step(a) for a in approvals)
        jurisdiction_bound = self.law.jurisdiction in bound and self.route is not None and not self.blocks
        return Verdict(
            architecture=self.arch.id,
            situation=self.situation.id,
            action=self.action.id,
            unit=self.unit.id,
            ordered_by=self.ordered_by,
            reforms=tuple(sorted(self.reforms)),
            allowed=not self.blocks,
            approvals=approvals,
            approval_steps=steps,
            blocked_by=tuple(self.blocks),
            findings=findings,
            chain=chain,
            chain_relations=tuple(r.kind for r in path) if path else (),
            citations=tuple(dict.fromkeys(self.citations)),
            preconditions=self.route.preconditions if jurisdiction_bound and self.route else (),
            alternatives=self.route.alternatives if jurisdiction_bound and self.route else (),
            use_of_force=self.force,
            laws_applied=bound,
            as_of=self.day,
            route=self.route.name if self.route is not None and jurisdiction_bound else None,
            basis=self._basis(jurisdiction_bound),
        )

    def _basis(self, with_route: bool) -> tuple[BasisUsed, ...]:
        """The provisions the verdict rests on: the situation's, then the route's."""
        ids = list(self.law.situation_requires(self.situation.id, self.day))
        if with_route and self.route is not None:
            ids.extend(r for r in self.route.requires if r not in ids)
        return tuple(self._used(self.law.provisions[i]) for i in ids)

    def _used(self, p: Provision) -> BasisUsed:
        article = p.article_on(self.day)
        return BasisUsed(
            p.id, f"{article} ({p.act_year})" if article else f"{p.name_en}", p.name_ja, p.in_force, p.until,
            p.source, p.unconfirmed,
        )
    # (b) authority -----------------------------------------------------------------------

    def _authority(self) -> tuple[tuple[str, ...], tuple[Relation, ...]]:
        """The chain from the top authority to the unit, and the relations it runs along."""
        if self.ordered_by is None:
            chain, rels = _national_chain(self.arch, self.situation.id, self.unit.id)
            head = self.arch.organizations[chain[0]]
            if not head.head_of_government:
                self._block(
                    "no-civilian-chain",
                    f"{self.unit.id} has no chain of command to its head of government in {self.situation.id} "
                    f"(its chain stops at {head.id}).",
                    f"{self._ja(self.unit.id)}は{self.situation.name_ja}において自国の政府の長に至る指揮系統を持たない（{self._ja(head.id)}で途切れる）。",
                    "SDF Act Art. 7 (legal-digest.yaml command.art7, S16)",
                )
            return chain, rels
        path = _authority_path(self.arch, self.situation.id, self.ordered_by, self.unit.id)
        if path is None:
            self._no_authority()
            return (), ()
        top, top_rels = _national_chain(self.arch, self.situation.id, self.ordered_by)
        for rel in (*top_rels, *path):
            if rel.source:
                self.citations.append(Citation(f"{rel.from_id} → {rel.to_id} ({rel.kind})", rel.source, rel.assumption))
        return (*top, *(r.to_id for r in path)), (*top_rels, *path)

    def _no_authority(self) -> None:
        assert self.ordered_by is not None
        elsewhere = _authority_path(self.arch, None, self.ordered_by, self.unit.id)
        extra_en = extra_ja = ""
        if elsewhere is not None:
            limited = [r for r in elsewhere if r.active_in is not None]
            if limited:
                when = ", ".join(sorted(set().union(*(r.active_in or () for r in limited))))
                kinds = ", ".join(sorted({r.kind for r in limited}))
                extra_en = f" The {kinds} relation on that path is active only in: {when}."
                when_ja = "、".join(self.law.situations[s].name_ja for s in sorted(set().union(*(r.active_in or () for r in limited))))
                extra_ja = f" その経路の{kinds.upper()}関係は次の事態でのみ有効：{when_ja}。"
        self._block(
            "no-command-authority",
            f"{self.ordered_by} holds no command, OPCON or TACON over {self.unit.id} in {self.situation.id}: "
            f"its order is not an order (coordination is not command).{extra_en}",
            f"{self._ja(self.ordered_by)}は{self.situation.name_ja}において{self._ja(self.unit.id)}に対する指揮権・作戦統制権・戦術統制権を持たない。"
            f"その命令は命令ではない（調整は指揮ではない）。{extra_ja}",
            self.arch.source,
        )

    def _directing_nations(self, chain: tuple[str, ...]) -> set[str]:
        """Nations of the organizations that give or relay the order (whose law binds them)."""
        orgs = self.arch.organizations
        directing = {orgs[o].nation for o in chain[:-1] if orgs[o].is_military}
        if self.ordered_by is not None:
            directing.add(orgs[self.ordered_by].nation)
        return directing

    # (a) + (d) national law and approvals ---------------------------------------------------

    def _national_law(self, bound: tuple[str, ...]) -> tuple[str, ...]:
        approvals: list[str] = []
        for nation in sorted(bound, key=lambda n: n != self.law.jurisdiction):
            start = len(approvals)
            if nation == self.law.jurisdiction:
                approvals.extend(self._jurisdiction_law(nation == self.unit.nation))
            else:
                rule = self.law.foreign_rule(nation)
                approvals.extend(rule.approvals)
                if nation == self.unit.nation:
                    self.foreign_pre_delegable.update(rule.pre_delegable)
                label = f"{nation} national authority (law not encoded)"
                self.citations.append(Citation(label, rule.source, rule.assumption, False, rule.note_en))
            for approval in approvals[start:]:
                self.approval_nations.setdefault(approval, []).append(nation)
        ranks = self.law.approvals
        unique = list(dict.fromkeys(approvals))
        return tuple(sorted(unique, key=lambda a: ranks[a].rank if a in ranks else 99))

    def _jurisdiction_law(self, own_unit: bool) -> tuple[str, ...]:
        """The statute for the unit (own forces) or for the commanders and staff (foreign forces)."""
        sit, act = self.situation, self.action
        if not self.situation_exists:
            self._situation_not_in_law()
            return ()
        if self.route is not None:
            self.citations.extend(self._dated(c) for c in self.route.legal_basis)
            if self.route.source:
                self.citations.append(Citation(f"{act.id} in {sit.id}", self.route.source, self.route.assumption))
            if self.route.sdf_units_only and not own_unit:
                self._sdf_units_only()
                return ()
            return self.route.approvals
        later = self.action.later_routes(sit.id, self.day)
        if later:
            self._no_basis_on_date(later[0])
            return ()
        source = act.not_lawful_in_source if sit.id in act.not_lawful_in else act.source
        self.citations.extend(act.legal_basis)
        why_en = f" {act.not_lawful_in_note_en}" if act.not_lawful_in_note_en else ""
        force_abroad = self.force and not sit.use_of_force_permitted
        if own_unit:
            self._block(
                "not-lawful-in-situation",
                f"{act.name_en} is not lawful for {self.law.jurisdiction} forces in {sit.name_en}.{why_en}",
                f"{sit.name_ja}において{act.name_ja}は法律上認められていない。",
                source,
            )
            if force_abroad:
                self._finding(
                    C1,
                    "error",
                    f"The order would have {self.law.jurisdiction} use force in {sit.name_en}, outside the three "
                    "new conditions (armed attack or survival-threatening situation only).",
                    f"{sit.name_ja}での武力の行使は新三要件（武力攻撃事態・存立危機事態に限る）を満たさない。",
                )
        elif force_abroad:
            self._block(
                "staff-entanglement",
                f"A {self.law.jurisdiction} commander and staff would direct force in {sit.name_en}, where "
                f"{self.law.jurisdiction} may not use force: they would take part in its use even if only "
                f"{self.unit.nation} units act.",
                f"{sit.name_ja}では日本は武力を行使できない。日本の指揮官・幕僚が武力行使を指揮すれば、"
                "部隊が外国軍のみであっても武力行使に加担したとみなされる。",
                self._constraint_source(C2),
                C2,
            )
            self._finding(
                C2,
                "error",
                f"{self.ordered_by or 'A combined commander'} ({self.law.jurisdiction}) would direct "
                f"{act.name_en} by {self.unit.id} in {sit.name_en}: {self.law.jurisdiction} staff are "
                "entangled in a use of force their law does not allow.",
                f"{self._ja(self.ordered_by) if self.ordered_by else '連合指揮官'}が{sit.name_ja}において{self._ja(self.unit.id)}の{act.name_ja}を指揮すれば、"
                "日本人幕僚が法の認めない武力行使に加担することになる。",
            )
        else:
            self._block(
                "commander-outside-law",
                f"{act.name_en} in {sit.name_en} is outside what {self.law.jurisdiction} law lets its commanders "
                f"direct, and {self.law.jurisdiction} law binds the commanders and staff giving this order.",
                f"{sit.name_ja}における{act.name_ja}は日本の法が日本の指揮官に認める範囲外であり、命令する日本の指揮官・幕僚を拘束する。",
                source,
            )
        return ()

    def _dated(self, c: Citation) -> Citation:
        """A citation numbered as on the date applied (e.g. Art. 82-2 before 2009, 82-3 after)."""
        if c.provision is None or c.provision not in self.law.provisions:
            return c
        article = self.law.provisions[c.provision].article_on(self.day)
        return Citation(article or c.article, c.source, c.assumption, c.unconfirmed, c.note_en, c.provision)

    def _no_basis_on_date(self, later: Route) -> None:
        missing = self.law.missing_on(later.requires, self.day) or tuple(self.law.provisions[r] for r in later.requires)
        day = self.day.isoformat()
        en = "; ".join(f"{p.label()}, in force from {p.in_force.isoformat()}" for p in missing)
        ja = "、".join(f"{p.name_ja}（{p.in_force.isoformat()}施行）" for p in missing)
        self._block(
            "no-legal-basis-on-date",
            f"no legal basis on {day}: {en}. {self.action.name_en} in {self.situation.name_en} rests on "
            f"{'it' if len(missing) == 1 else 'them'}.",
            f"{day}時点では法的根拠がない：{ja}。{self.situation.name_ja}における{self.action.name_ja}はこれに基づく。",
            "; ".join(p.source for p in missing if p.source) or None,
        )

    def _situation_not_in_law(self) -> None:
        sit = self.law.situations[self.situation.id]
        missing = self.law.missing_on(self.law.situation_requires(sit.id, self.day), self.day)
        day = self.day.isoformat()
        en = "; ".join(f"{p.label()}, in force from {p.in_force.isoformat()}" for p in missing)
        ja = "、".join(f"{p.name_ja}（{p.in_force.isoformat()}施行）" for p in missing)
        self._block(
            "no-legal-basis-on-date",
            f"no legal basis on {day}: the law did not yet define the {sit.name_en} ({en}).",
            f"{day}時点では法的根拠がない：{sit.name_ja}は未だ法律に定められていない（{ja}）。",
            "; ".join(p.source for p in missing if p.source) or None,
        )

    def _sdf_units_only(self) -> None:
        assert self.route is not None
        article = " / ".join(c.article for c in self.route.legal_basis[:1]) or self.action.name_en
        orgs = self.arch.organizations
        by = orgs[self.ordered_by] if self.ordered_by else None
        self._block(
            "sdf-units-only",
            f"An order under {article} is given to SDF units only: no {self.law.jurisdiction} authority can "
            f"order {self.unit.id} ({self.unit.nation}) under it"
            f"{f' ({by.id} gave it)' if by else ''}.",
            f"{article}の命令は自衛隊の部隊に対してのみ発することができ、日本のいかなる機関も"
            f"{self.unit.name('ja')}にこれを命ずることはできない。",
            self.route.source,
        )

    # (c) the relation's own legal basis -------------------------------------------------------

    def _relations(self, path: tuple[Relation, ...]) -> None:
        orgs, home = self.arch.organizations, self.law.jurisdiction
        for rel in path:
            sup, sub = orgs[rel.from_id], orgs[rel.to_id]
            if sup.nation == sub.nation or rel.kind not in TRANSFER_KINDS or home not in (sup.nation, sub.nation):
                continue
            allowing = [r for r in self.reforms if rel.kind in self.law.reforms[r].allows_cross_national]
            if not allowing:
                self._transfer_law_missing(rel)
            if sub.nation == home:
                self._finding(
                    C3,
                    "warning",
                    f"{sub.id} ({home}) is under {rel.kind.upper()} of {sup.id} ({sup.nation}): seen as contrary "
                    "to sovereignty and independence.",
                    f"{self._ja(sub.id)}（自衛隊）が{self._ja(sup.id)}（{self._nation_ja(sup.nation)}）の{rel.kind.upper()}下にある。主権と独立に反するとみられる。",
                )
            else:
                self._finding(
                    C6,
                    "warning",
                    f"{sub.id} ({sub.nation}) is under {rel.kind.upper()} of {sup.id} ({home}): the gap between "
                    f"{sub.nation} military law and the SDF Act applies.",
                    f"{self._ja(sub.id)}（{self._nation_ja(sub.nation)}）が{self._ja(sup.id)}（日本）の{rel.kind.upper()}下にある。米国の軍法と自衛隊法のギャップが制約となる。",
                )

    def _transfer_law_missing(self, rel: Relation) -> None:
        fixes = tuple(r.id for r in self.law.reforms.values() if rel.kind in r.allows_cross_national)
        self._block(
            "no-transfer-law",
            f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} crosses the two nations' forces, and no "
            f"{self.law.jurisdiction} law yet allows command authority to pass between them.",
            f"{self._ja(rel.from_id)}→{self._ja(rel.to_id)}の{rel.kind.upper()}は両国部隊にまたがるが、指揮統制権の移管を認める法律がまだない。",
            self._constraint_source(C4),
            C4,
        )
        self._finding(
            C4,
            "error",
            f"{rel.kind.upper()} {rel.from_id} → {rel.to_id} rests on no law: transferring command authority "
            f"needs a new law ({', '.join(fixes) or 'none in the catalog'}).",
            f"{self._ja(rel.from_id)}→{self._ja(rel.to_id)}の{rel.kind.upper()}には法的根拠がない（指揮統制権移管の法律が必要）。",
            resolved_by=fixes,
        )

    # (e) the political decision on force ---------------------------------------------------------

    def _political_decision(self, bound: tuple[str, ...]) -> None:
        if not (self.force and self.situation.use_of_force_permitted and self.law.jurisdiction in bound):
            return
        if self.route is None:
            return
        per_use = " per strike" if self.action.case_by_case_political_decision else ""
        self._finding(
            C5,
            "warning",
            f"{self.action.name_en} rests on a case-by-case political decision{per_use} that it is the minimum "
            "necessary; it cannot be delegated to a combined commander in advance.",
            f"{self.action.name_ja}は必要最小限であるとの個別の政治的判断に依存し、連合指揮官に事前に委任できない。",
        )

    # helpers ------------------------------------------------------------------------------------

    def _ja(self, org_id: str) -> str:
        """An organization's Japanese name (messages in Japanese name organizations, not ids)."""
        org = self.arch.organizations.get(org_id)
        return org.name("ja") if org is not None else org_id

    @staticmethod
    def _nation_ja(code: str) -> str:
        return term_name(vocabulary().nations, code, "ja")

    def _block(self, rule: str, en: str, ja: str, source: str | None, constraint: str | None = None) -> None:
        self.blocks.append(Block(rule, en, ja, source, constraint))

    def _finding(
        self, constraint: str, severity: str, en: str, ja: str, resolved_by: tuple[str, ...] | None = None
    ) -> None:
        if resolved_by is None:
            resolved_by = self.law.reforms_for(constraint, "lifts")
        finding = Finding(
            constraint,
            severity,
            en,
            ja,
            resolved_by,
            self.law.reforms_for(constraint, "eases"),
            self._constraint_source(constraint),
        )
        if finding not in self.findings:
            self.findings.append(finding)
        if finding.source:
            name = self.law.constraints[constraint].name_en if constraint in self.law.constraints else constraint
            self.citations.append(Citation(f"{constraint}: {name}", finding.source))

    def _constraint_source(self, constraint: str) -> str | None:
        found = self.law.constraints.get(constraint)
        return found.source if found else None

    def _apply_reforms(self) -> tuple[Finding, ...]:
        """Active reforms drop the non-blocking findings they lift and soften those they ease."""
        out: list[Finding] = []
        for f in self.findings:
            effects = {self.law.reforms[r].lifts.get(f.constraint) for r in self.reforms}
            if "lifts" in effects and not f.blocking:
                continue
            if "eases" in effects and not f.blocking:
                f = Finding(f.constraint, "info", f.message_en + " (eased by an active reform)", f.message_ja + "（改革により緩和）",
                            f.resolved_by, f.eased_by, f.source)
            out.append(f)
        return tuple(out)

    def _step(self, approval: str) -> ApprovalStep:
        spec = self.law.approvals.get(approval)
        route = self.route
        detail = route.approval_details.get(approval) if route is not None else None
        recognition = {p.approval for p in self.situation.procedure if p.phase == "before"}
        jurisdiction_approval = self.law.jurisdiction in self.approval_nations.get(approval, ())
        return ApprovalStep(
            id=approval,
            holders=self._holders(approval),
            phase=spec.phase if spec else "before",
            rank=spec.rank if spec else 99,
            pre_delegable=(route is not None and jurisdiction_approval and approval in route.pre_delegable)
            or approval in self.foreign_pre_delegable,
            within_days=detail.within_days if detail else None,
            waivable_when_en=detail.waivable_when_en if detail else None,
            may_follow_action_when_urgent=spec.may_follow_action_when_urgent if spec else False,
            typical_minutes=spec.typical_minutes if spec else None,
            nations=tuple(self.approval_nations.get(approval, ())),
            per_situation=jurisdiction_approval
            and (approval in recognition or (route is not None and approval in route.per_situation)),
        )

    def _holders(self, approval: str) -> tuple[str, ...]:
        spec = self.law.approvals.get(approval)
        if spec is None:
            return ()
        if spec.holder == "requester":
            return self.route.request_by if self.route is not None and self.route.request_by else self.action.request_by
        if spec.holder == "head-of-government":
            heads = self.arch.heads_of_government()
            nations = self.approval_nations.get(approval, [self.unit.nation])
            return tuple(heads[n] for n in nations if n in heads)
        return tuple(_in_arrangement(self.arch, h) for h in (spec.holder, *spec.holder_alternatives))


def _in_arrangement(arch: Architecture, org_id: str) -> str:
    """The organization standing for `org_id` in this arrangement (an era-correct predecessor)."""
    if org_id in arch.organizations:
        return org_id
    for org in arch.organizations.values():
        if org.predecessor_of == org_id:
            return org.id
    return org_id


# --- graph look-ups, cached per arrangement and situation -----------------------------------------


@lru_cache(maxsize=256)
def _adjacency(arch: Architecture, situation: str | None) -> dict[str, tuple[Relation, ...]]:
    down: dict[str, list[Relation]] = {}
    for rel in arch.relations:
        if rel.kind in AUTHORITY_KINDS and rel.active(situation):
            down.setdefault(rel.from_id, []).append(rel)
    return {k: tuple(v) for k, v in down.items()}


def _authority_path(arch: Architecture, situation: str | None, start: str, goal: str) -> tuple[Relation, ...] | None:
    """The shortest path of authority relations from `start` down to `goal` (None if there is none)."""
    if start == goal:
        return ()
    down = _adjacency(arch, situation)
    came: dict[str, Relation] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for rel in down.get(node, ()):
            if rel.to_id in seen:
                continue
            seen.add(rel.to_id)
            came[rel.to_id] = rel
            if rel.to_id == goal:
                return _unwind(came, start, goal)
            queue.append(rel.to_id)
    return None


def _unwind(came: dict[str, Relation], start: str, goal: str) -> tuple[Relation, ...]:
    path: list[Relation] = []
    node = goal
    while node != start:
        rel = came[node]
        path.append(rel)
        node = rel.from_id
    return tuple(reversed(path))


@lru_cache(maxsize=256)
def _parents(arch: Architecture, situation: str) -> dict[str, Relation]:
    """Each organization's first own-nation political-direction/command superior (as in analysis)."""
    orgs = arch.organizations
    parent: dict[str, Relation] = {}
    for rel in arch.relations:
        if (
            rel.kind in CIVILIAN_CHAIN_KINDS
            and rel.to_id not in parent
            and rel.active(situation)
            and orgs[rel.from_id].nation == orgs[rel.to_id].nation
        ):
            parent[rel.to_id] = rel
    return parent


def _national_chain(arch: Architecture, situation: str, org_id: str) -> tuple[tuple[str, ...], tuple[Relation, ...]]:
    """Ids from the top of `org_id`'s own national chain down to it, and the relations between them."""
    parent = _parents(arch, situation)
    ids = [org_id]
    rels: list[Relation] = []
    while ids[-1] in parent and len(ids) <= len(arch.organizations):
        rel = parent[ids[-1]]
        rels.append(rel)
        ids.append(rel.from_id)
    return tuple(reversed(ids)), tuple(reversed(rels))
