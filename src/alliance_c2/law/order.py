"""One order being checked: the question (`Order`) and what the answer has found so far (`Record`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from ..model import Architecture, Organization
from ..model.vocabulary import term_name, vocabulary
from .catalog import Action, Citation, LawCatalog, Route, Rule, Situation
from .verdict import Block, Finding


@dataclass(slots=True)
class Order:
    """Who orders which unit to do what, in which situation, under the law of which day."""

    arch: Architecture
    law: LawCatalog
    day: date
    situation: Situation  # as the law of `day` defined it (the current definition if it did not yet exist)
    situation_exists: bool  # the law of `day` defines the situation
    action: Action
    unit: Organization
    ordered_by: str | None
    reforms: frozenset[str]
    route: Route | None  # the rule for the action in the situation on `day`, if any
    force: bool  # the action uses force on that route
    # Every question the check asked about the active reforms, with its answer (see `reform_answer`): the verdict
    # depends on the reforms only through these, so another set of reforms that answers them alike gets it too.
    asked: dict[tuple[str, str], Any] = field(default_factory=dict)

    def lifts_rule(self, rule_id: str) -> bool:
        """Whether an active reform lifts the rule of a nation's law or treaty."""
        return self._ask(("rule", rule_id))  # type: ignore[no-any-return]

    def reform_effects(self, constraint: str) -> tuple[bool, bool]:
        """Whether an active reform lifts the constraint, and whether one eases it."""
        return self._ask(("constraint", constraint))  # type: ignore[no-any-return]

    def transfer_allowed(self, kind: str) -> bool:
        """Whether an active reform lets command authority of this kind pass between nations."""
        return self._ask(("transfer", kind))  # type: ignore[no-any-return]

    def _ask(self, question: tuple[str, str]) -> Any:
        answer = self.asked.get(question)
        if answer is None:
            answer = self.asked[question] = reform_answer(self.law, self.reforms, question)
        return answer

    @classmethod
    def of(cls, arch: Architecture, law: LawCatalog, situation: str, action: str, unit: str, ordered_by: str | None,
           reforms: frozenset[str], day: date) -> Order:
        """The order with its situation and route as the law of `day` has them."""
        defined = law.situation_on(situation, day)
        act = law.actions[action]
        route = act.route_on(situation, day) if defined is not None else None
        return cls(arch, law, day, defined if defined is not None else law.situations[situation], defined is not None,
                   act, arch.organizations[unit], ordered_by, reforms, route,
                   route.use_of_force if route is not None else act.use_of_force)


def reform_answer(law: LawCatalog, reforms: frozenset[str], question: tuple[str, str]) -> Any:
    """The answer of the reform set to one of `Order`'s questions (a pure function of the catalog and the set)."""
    if not reforms:
        return False if question[0] != "constraint" else (False, False)
    return _answer(law, reforms, question)


@lru_cache(maxsize=16_384)
def _answer(law: LawCatalog, reforms: frozenset[str], question: tuple[str, str]) -> Any:
    kind, about = question
    found = [law.reforms[r] for r in reforms]
    if kind == "rule":
        return any(about in r.lifts_rules for r in found)
    if kind == "constraint":
        effects = {r.lifts.get(about) for r in found}
        return ("lifts" in effects, "eases" in effects)
    if kind == "transfer":
        return any(about in r.allows_cross_national for r in found)
    raise ValueError(f"unknown question about reforms: {question!r}")


@dataclass(slots=True)
class Record:
    """The blocks, findings and citations an order draws, in the order found."""

    order: Order
    blocks: list[Block] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def block(self, rule: str, en: str, ja: str, source: str | None, constraint: str | None = None) -> None:
        """A rule that stops the order."""
        self.blocks.append(Block(rule, en, ja, source, constraint))

    def finding(self, constraint: str, severity: str, en: str, ja: str,
                resolved_by: tuple[str, ...] | None = None) -> None:
        """One of the study's constraints raised (once), citing where the constraint comes from."""
        law = self.order.law
        if resolved_by is None:
            resolved_by = law.reforms_for(constraint, "lifts")
        found = Finding(constraint, severity, en, ja, resolved_by, law.reforms_for(constraint, "eases"),
                        self.constraint_source(constraint))
        if found not in self.findings:
            self.findings.append(found)
        if found.source:
            name = law.constraints[constraint].name_en if constraint in law.constraints else constraint
            self.citations.append(Citation(f"{constraint}: {name}", found.source))

    def rule_finding(self, rule: Rule, severity: str, en: str, ja: str) -> None:
        """A constraint raised by a rule of a nation's law or a treaty, with the reforms that lift that rule."""
        law = self.order.law
        found = Finding(rule.constraint or "", severity, en, ja, rule.lifted_by, (), rule.source, rule.id,
                        rule.lifted_by_note_en, rule.lifted_by_note_ja)
        if found not in self.findings:
            self.findings.append(found)
        if rule.constraint is not None and rule.constraint in law.constraints:
            self.citations.append(Citation(f"{rule.constraint}: {law.constraints[rule.constraint].name_en}",
                                           self.constraint_source(rule.constraint)))

    def cite(self, article: str, source: str | None, assumption: bool = False, unconfirmed: bool = False,
             note_en: str | None = None) -> None:
        """An article or document the verdict rests on."""
        self.citations.append(Citation(article, source, assumption, unconfirmed, note_en))

    def constraint_source(self, constraint: str) -> str | None:
        """Where the study states the constraint."""
        found = self.order.law.constraints.get(constraint)
        return found.source if found else None

    def findings_after_reforms(self) -> tuple[Finding, ...]:
        """Active reforms drop the non-blocking findings they lift and soften those they ease."""
        out: list[Finding] = []
        for f in self.findings:
            if f.rule is not None or f.blocking:  # a rule's finding is dropped where it applies: when its reform lifts the rule
                out.append(f)
                continue
            lifts, eases = self.order.reform_effects(f.constraint)
            if lifts:
                continue
            if eases:
                f = Finding(f.constraint, "info", f.message_en + " (eased by an active reform)",
                            f.message_ja + "（改革により緩和）", f.resolved_by, f.eased_by, f.source)
            out.append(f)
        return tuple(out)

    def ja(self, org_id: str) -> str:
        """An organization's Japanese name (messages in Japanese name organizations, not ids)."""
        org = self.order.arch.organizations.get(org_id)
        return org.name("ja") if org is not None else org_id

    @staticmethod
    def nation_ja(code: str) -> str:
        """A nation's Japanese name."""
        return term_name(vocabulary().nations, code, "ja")


def clear_cache() -> None:
    """Forget the reform sets' answers (after editing a catalog)."""
    _answer.cache_clear()
