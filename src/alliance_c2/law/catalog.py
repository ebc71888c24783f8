"""The law catalog's types: provisions, situations, actions, approvals, constraints, reforms, each nation's law
and the treaties between the nations, as frozen dataclasses.

`build.py` makes a `LawCatalog` from the YAML files (kept as a pickle keyed by their content);
`validation.py` checks each file for `alliance-c2 validate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from ..model.errors import UnknownIdError

KINDS = ("provisions", "situations", "actions", "approvals", "constraints", "reforms")
# The kinds of a rule: law (statute, treaty) and what is not law (policy and doctrine, practice).
RULE_KINDS = ("statute", "treaty", "policy", "practice")
OWN_FORCES, FORCES_UNDER_COMMAND = "own-forces", "forces-under-command"
Loc = tuple[int | str, ...]
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Numbering:
    """The article number a provision carried from `start` until `end` (exclusive)."""

    article: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Provision:
    """A statute or article with the date it came into force and, if it happened, left force."""

    id: str
    name_en: str
    name_ja: str
    act_year: int
    in_force: date
    until: date | None = None
    replaced_by: str | None = None
    numbering: tuple[Numbering, ...] = ()
    kind: str = "statute"
    source: str | None = None
    unconfirmed: bool = False
    assumption: bool = False
    note_en: str | None = None

    @property
    def policy(self) -> bool:
        """A policy document: it dates a capability or a position, never a legal basis."""
        return self.kind in ("policy", "practice")

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.until is None or day < self.until)

    def article_on(self, day: date | None) -> str | None:
        """The article number on `day` (the latest one when `day` is None), if the provision was renumbered."""
        for n in reversed(self.numbering):
            if day is None or ((n.start is None or n.start <= day) and (n.end is None or day < n.end)):
                return n.article
        return None

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def label(self, lang: str = "en") -> str:
        """'SDF Act Art. 82-3 (2005)': the current number, or the name, with the year of the enacting Act."""
        article = self.article_on(None)
        return f"{article} ({self.act_year})" if article and lang == "en" else f"{self.name(lang)}"


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    provision: str | None = None


@dataclass(frozen=True, slots=True)
class Precondition:
    id: str
    text_en: str
    text_ja: str | None = None
    source: str | None = None
    assumption: bool = False


@dataclass(frozen=True, slots=True)
class ConditionalApproval:
    approval: str
    when_en: str
    when_ja: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ApprovalDetail:
    within_days: int | None = None
    per_situation: bool = False
    statutory: str | None = None
    waivable_when_en: str | None = None
    source: str | None = None
    assumption: bool = False
    note_en: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """One lawful way to carry out an action in a situation (a `lawful_in` entry or an alternative)."""

    name: str
    approvals: tuple[str, ...]
    use_of_force: bool
    ordered_by: str
    legal_basis: tuple[Citation, ...]
    preconditions: tuple[Precondition, ...] = ()
    pre_delegable: tuple[str, ...] = ()
    conditional_approvals: tuple[ConditionalApproval, ...] = ()
    approval_details: Mapping[str, ApprovalDetail] = field(default_factory=dict)
    statutory_approvals: tuple[str, ...] | None = None
    request_by: tuple[str, ...] = ()
    alternatives: tuple[Route, ...] = ()
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None
    requires: tuple[str, ...] = ()
    # Whose units the power may be given to: the jurisdiction's own forces, or any unit its commanders lawfully
    # command (which acts on its own nation's authority).
    empowers: str = OWN_FORCES
    in_force: date | None = None  # the latest in-force date among `requires` (None: no dated provision)
    until: date | None = None  # the earliest day one of `requires` left force

    def in_force_on(self, day: date) -> bool:
        return (self.in_force is None or self.in_force <= day) and (self.until is None or day < self.until)

    @property
    def per_situation(self) -> frozenset[str]:
        """Approvals given once for the situation and shared by every order that needs them."""
        return frozenset(a for a, d in self.approval_details.items() if d.per_situation)


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    name_en: str
    name_ja: str
    use_of_force: bool
    ordered_by: str
    lawful_in: Mapping[str, Route]  # today's route per situation (the latest version)
    legal_basis: tuple[Citation, ...] = ()
    request_by: tuple[str, ...] = ()
    case_by_case_political_decision: bool = False
    not_lawful_in: frozenset[str] = frozenset()
    not_lawful_in_source: str | None = None
    not_lawful_in_note_en: str | None = None
    time_window_minutes: int | None = None
    source: str | None = None
    assumption: bool = False
    history: Mapping[str, tuple[Route, ...]] = field(default_factory=dict)  # every dated version, oldest first

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def route_on(self, situation: str, day: date) -> Route | None:
        """The route the law gave on `day` (the newest version in force), or None."""
        found = [r for r in self.history.get(situation, ()) if r.in_force_on(day)]
        return found[-1] if found else None

    def later_routes(self, situation: str, day: date) -> tuple[Route, ...]:
        """Versions that came into force after `day` (what the law would later allow)."""
        return tuple(r for r in self.history.get(situation, ()) if r.in_force is not None and r.in_force > day)


@dataclass(frozen=True, slots=True)
class ForeignRule:
    """Approvals for units of a nation whose law the catalog does not encode."""

    nation: str
    approvals: tuple[str, ...]
    source: str | None = None
    assumption: bool = False
    note_en: str | None = None
    pre_delegable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Approval:
    id: str
    name_en: str
    name_ja: str
    holder: str
    phase: str
    rank: int
    holder_alternatives: tuple[str, ...] = ()
    may_follow_action_when_urgent: bool = False
    typical_minutes: int | None = None
    source: str | None = None
    assumption: bool = False
    nation: str | None = None  # whose authority gives it (None: the unit's own nation)
    law: str | None = None  # the legal order that asks for it: a nation's code or a treaty id
    kind: str = "statute"
    unconfirmed: bool = False
    note_en: str | None = None
    deliberation: bool = False  # its time does not occupy the holder's staff

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def to_dict(self) -> dict[str, Any]:
        """The approval as `alliance-c2 approvals --json` prints it."""
        return {
            "id": self.id, "name_en": self.name_en, "name_ja": self.name_ja, "nation": self.nation, "law": self.law,
            "kind": self.kind, "holder": self.holder, "holder_alternatives": list(self.holder_alternatives),
            "phase": self.phase, "rank": self.rank, "typical_minutes": self.typical_minutes, "source": self.source,
            "assumption": self.assumption, "unconfirmed": self.unconfirmed, "note_en": self.note_en,
        }


@dataclass(frozen=True, slots=True)
class Requester:
    id: str
    name_en: str
    name_ja: str
    organization: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ProcedureStep:
    """One political step to recognize a situation, with its typical duration and where that comes from."""

    step: int
    approval: str
    organization: str
    phase: str
    typical_minutes: int | None = None
    typical_minutes_source: str | None = None
    max_minutes: int | None = None
    within_days: int | None = None
    deadline_source: str | None = None
    fast_track: bool = False
    may_follow_action_when_urgent: bool = False
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "approval": self.approval,
            "organization": self.organization,
            "phase": self.phase,
            "typical_minutes": self.typical_minutes,
            "typical_minutes_source": self.typical_minutes_source,
            "duration_assumption": self.typical_minutes is not None and self.typical_minutes_source is None,
            "max_minutes": self.max_minutes,
            "within_days": self.within_days,
            "deadline_source": self.deadline_source,
            "fast_track": self.fast_track,
            "may_follow_action_when_urgent": self.may_follow_action_when_urgent,
            "source": self.source,
            "assumption": self.assumption,
            "unconfirmed": self.unconfirmed,
            "note_en": self.note_en,
        }


@dataclass(frozen=True, slots=True)
class SituationEra:
    """How an earlier law defined a situation, until the day the next definition took over."""

    until: date
    requires: tuple[str, ...] = ()
    name_en: str | None = None
    name_ja: str | None = None
    statutory_basis: tuple[Citation, ...] | None = None
    procedure: tuple[ProcedureStep, ...] | None = None
    source: str | None = None
    unconfirmed: bool = False
    note_en: str | None = None


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    name_en: str
    name_ja: str
    statutory: bool
    use_of_force_permitted: bool
    procedure: tuple[ProcedureStep, ...]
    definition_en: str | None = None
    definition_ja: str | None = None
    three_conditions_apply: bool = False
    recognized_by: str | None = None
    instrument_en: str | None = None
    instrument_ja: str | None = None
    diet_approval: str = "none"
    transitions_from: tuple[str, ...] = ()
    source: str | None = None
    statutory_basis: tuple[Citation, ...] = ()
    requires: tuple[str, ...] = ()
    eras: tuple[SituationEra, ...] = ()

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def era_on(self, day: date) -> SituationEra | None:
        """The earlier definition in force on `day`, or None when today's applies."""
        return next((e for e in self.eras if day < e.until), None)


@dataclass(frozen=True, slots=True)
class Constraint:
    id: str
    name_en: str
    name_ja: str
    text_en: str
    text_ja: str
    engine_hint_en: str | None = None
    source: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True)
class Reform:
    id: str
    name_en: str
    name_ja: str
    lifts: Mapping[str, str]  # constraint id -> "lifts" | "eases"
    allows_cross_national: frozenset[str] = frozenset()
    measure: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    source: str | None = None
    nations: tuple[str, ...] = ()  # whose law it changes
    kind: str = "statute"
    lifts_rules: frozenset[str] = frozenset()  # rule ids of a nation's law or a treaty it lifts
    assumption: bool = False

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def to_dict(self) -> dict[str, Any]:
        """The reform as `alliance-c2 reforms --json` prints it."""
        return {
            "id": self.id, "name_en": self.name_en, "name_ja": self.name_ja, "nations": list(self.nations),
            "nation": self.nations[0] if len(self.nations) == 1 else None, "kind": self.kind, "measure": self.measure,
            "lifts": dict(self.lifts), "lifts_rules": sorted(self.lifts_rules),
            "allows_cross_national": sorted(self.allows_cross_national), "source": self.source,
            "assumption": self.assumption,
        }


# eq and repr left out: catalog entries are compared by identity, and importing stays cheap (a 30-field
# frozen dataclass with them costs about 2 ms of every command's start-up).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class When:
    """The orders a rule applies to; every condition given must hold (docs/catalog-format.md, kind: national-law)."""

    forces: frozenset[str] = frozenset({"unit"})  # "unit": the nation's unit acts; "staff": its members direct it
    unit_nations: frozenset[str] = frozenset()
    based_in: frozenset[str] = frozenset()
    command: str | None = None  # "national" | "foreign": through whose commanders the order reaches the unit
    own_chain_lost: bool = False
    hostilities: bool | None = None
    actions: frozenset[str] = frozenset()
    not_actions: frozenset[str] = frozenset()
    situations: frozenset[str] = frozenset()
    not_situations: frozenset[str] = frozenset()
    outside_article_v: bool = False


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Rule:
    """One rule of a nation's law or of a treaty: what it says, what kind of rule it is, when it was in force, the
    orders it applies to and what it does to them (an approval, a refusal, a bound, or a note that binds nothing)."""

    id: str
    law: str  # the nation's code, or the treaty's id
    name_en: str
    name_ja: str
    kind: str
    text_en: str
    text_ja: str
    in_force: date
    until: date | None = None
    article: str | None = None
    numbering: tuple[Numbering, ...] = ()
    when: When | None = None
    approval: str | None = None
    block_en: str | None = None
    block_ja: str | None = None
    bound_days: int | None = None
    bound_extension_days: int = 0
    advisory: bool = False
    per_situation: bool = False
    pre_delegable: bool = False
    transfers_control: bool = False
    constraint: str | None = None
    lifted_by: tuple[str, ...] = ()
    lifted_by_note_en: str | None = None
    lifted_by_note_ja: str | None = None
    keeps: frozenset[str] = frozenset()
    transfer_needs_law: frozenset[str] = frozenset()
    own_forces_under_foreign: frozenset[str] = frozenset()
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.until is None or day < self.until)

    def article_on(self, day: date) -> str:
        """The article as numbered on `day` (its `article:` when it was never renumbered)."""
        for n in self.numbering:
            if (n.start is None or n.start <= day) and (n.end is None or day < n.end):
                return n.article
        return self.article or self.name_en

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "law": self.law, "name_en": self.name_en, "name_ja": self.name_ja, "kind": self.kind,
            "article": self.article, "text_en": self.text_en, "text_ja": self.text_ja,
            "in_force": self.in_force.isoformat(), "until": self.until.isoformat() if self.until else None,
            "approval": self.approval, "refuses": self.block_en is not None, "advisory": self.advisory,
            "bound_days": self.bound_days, "constraint": self.constraint, "lifted_by": list(self.lifted_by),
            "lifted_by_note_en": self.lifted_by_note_en, "source": self.source, "assumption": self.assumption,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NationalLaw:
    """One nation's law: its rules, what it counts as hostilities, and how its forces are named."""

    nation: str
    name_en: str
    name_ja: str
    forces_en: str
    forces_ja: str
    rules: tuple[Rule, ...]
    hostility_actions: frozenset[str] = frozenset()
    hostility_situations: frozenset[str] = frozenset()
    source: str | None = None

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Treaty:
    """A treaty between nations: its parties, its dates, and its rules."""

    id: str
    name_en: str
    name_ja: str
    parties: tuple[str, ...]
    signed: date
    in_force: date
    rules: tuple[Rule, ...]
    until: date | None = None
    article_v_situations: frozenset[str] = frozenset()
    source: str | None = None

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.until is None or day < self.until)

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, eq=False)
class LawCatalog:
    """Everything the engine reads. Identity-hashed, so it can key caches."""

    jurisdiction: str
    situations: Mapping[str, Situation]
    actions: Mapping[str, Action]
    approvals: Mapping[str, Approval]
    constraints: Mapping[str, Constraint]
    reforms: Mapping[str, Reform]
    foreign_units: Mapping[str, ForeignRule]
    requesters: Mapping[str, Requester]
    provisions: Mapping[str, Provision] = field(default_factory=dict)
    nations: Mapping[str, NationalLaw] = field(default_factory=dict)  # each nation's law, by nation code
    treaties: Mapping[str, Treaty] = field(default_factory=dict)

    @property
    def rules(self) -> Mapping[str, Rule]:
        """Every rule of every nation's law and treaty, by id."""
        return self._rules

    @cached_property
    def _rules(self) -> Mapping[str, Rule]:
        rules = [*(r for n in self.nations.values() for r in n.rules), *(r for t in self.treaties.values() for r in t.rules)]
        return {r.id: r for r in rules}

    def law_name(self, law_id: str, lang: str = "en") -> str:
        """A nation's law or a treaty, named (the id when the catalog has neither)."""
        found = self.nations.get(law_id) or self.treaties.get(law_id)
        return found.name(lang) if found is not None else law_id

    def situation(self, situation_id: str) -> Situation:
        """The situation with this id; UnknownIdError with the valid ids otherwise."""
        return _lookup(self.situations, "situation", situation_id)

    def action(self, action_id: str) -> Action:
        return _lookup(self.actions, "action", action_id)

    def reform(self, reform_id: str) -> Reform:
        return _lookup(self.reforms, "reform", reform_id)

    def foreign_rule(self, nation: str) -> ForeignRule:
        return self.foreign_units.get(nation) or self.foreign_units.get("default") or ForeignRule(nation, ())

    def reforms_for(self, constraint_id: str, effect: str) -> tuple[str, ...]:
        """Ids of the reforms that lift (or ease) a constraint."""
        return tuple(r.id for r in self.reforms.values() if r.lifts.get(constraint_id) == effect)

    def missing_on(self, requires: Iterable[str], day: date) -> tuple[Provision, ...]:
        """The provisions among `requires` that are not in force on `day`."""
        return tuple(p for p in (self.provisions[r] for r in requires) if not p.in_force_on(day))

    def situation_on(self, situation_id: str, day: date) -> Situation | None:
        """The situation as the law defined it on `day` (earlier names and procedures), or None if it did not exist."""
        sit = self.situation(situation_id)
        era = sit.era_on(day)
        requires = era.requires if era is not None else sit.requires
        if self.missing_on(requires, day):
            return None
        if era is None:
            return sit
        return replace(
            sit,
            name_en=era.name_en or sit.name_en,
            name_ja=era.name_ja or sit.name_ja,
            statutory_basis=era.statutory_basis if era.statutory_basis is not None else sit.statutory_basis,
            procedure=era.procedure if era.procedure is not None else sit.procedure,
            requires=requires,
            eras=(),
        )

    def situation_requires(self, situation_id: str, day: date) -> tuple[str, ...]:
        """The provisions that define the situation on `day` (or, if none did yet, today)."""
        key = (situation_id, day)
        found = self._requires.get(key)
        if found is None:
            sit = self.situation(situation_id)
            era = sit.era_on(day)
            found = self._requires[key] = era.requires if era is not None else sit.requires
        return found

    @cached_property
    def _requires(self) -> dict[tuple[str, date], tuple[str, ...]]:
        """situation_requires, remembered: every verdict asks."""
        return {}

    def describe_situation(self, situation_id: str) -> dict[str, Any]:
        """The situation as data: names, the provisions that define it and since when, earlier definitions."""
        sit = self.situation(situation_id)
        day = self.in_force_from(sit.requires)
        return {
            "id": sit.id,
            "name_en": sit.name_en,
            "name_ja": sit.name_ja,
            "statutory": sit.statutory,
            "use_of_force_permitted": sit.use_of_force_permitted,
            "diet_approval": sit.diet_approval,
            "in_force": day.isoformat() if day else None,
            "basis": [self.describe_provision(r) for r in sit.requires],
            "earlier": [
                {"until": e.until.isoformat(), "name_en": e.name_en or sit.name_en, "name_ja": e.name_ja or sit.name_ja,
                 "in_force": (d.isoformat() if (d := self.in_force_from(e.requires)) else None),
                 "basis": [self.describe_provision(r) for r in e.requires], "unconfirmed": e.unconfirmed,
                 "note_en": e.note_en}
                for e in sit.eras
            ],
            "procedure": [p.to_dict() for p in sit.procedure],
            "source": sit.source,
        }

    def describe_action(self, action_id: str) -> dict[str, Any]:
        """The action as data: per situation every dated version of the rule, with its approvals and basis."""
        act = self.action(action_id)
        return {
            "id": act.id,
            "name_en": act.name_en,
            "name_ja": act.name_ja,
            "use_of_force": act.use_of_force,
            "ordered_by": act.ordered_by,
            "lawful_in": {s: list(r.approvals) for s, r in act.lawful_in.items()},
            "versions": {
                s: [
                    {"approvals": list(r.approvals), "use_of_force": r.use_of_force,
                     "in_force": r.in_force.isoformat() if r.in_force else None,
                     "until": r.until.isoformat() if r.until else None,
                     "basis": [self.describe_provision(p) for p in r.requires],
                     "empowers": r.empowers}
                    for r in routes
                ]
                for s, routes in act.history.items()
            },
            "legal_basis": [c.article for c in act.legal_basis],
            "source": act.source,
        }

    def describe_provision(self, provision_id: str) -> dict[str, Any]:
        p = self.provisions[provision_id]
        return {
            "provision": p.id,
            "name_en": p.name_en,
            "name_ja": p.name_ja,
            "article": p.article_on(None),
            "act_year": p.act_year,
            "kind": p.kind,
            "in_force": p.in_force.isoformat(),
            "until": p.until.isoformat() if p.until else None,
            "source": p.source,
            "unconfirmed": p.unconfirmed,
        }

    def in_force_from(self, requires: Iterable[str]) -> date | None:
        """The day from which all of `requires` are in force (None when there is none to wait for)."""
        days = [self.provisions[r].in_force for r in requires]
        return max(days) if days else None


def _lookup(table: Mapping[str, _V], what: str, key: str) -> _V:
    try:
        return table[key]
    except KeyError:
        raise UnknownIdError(what, key, list(table)) from None
