"""The law catalog: situations, actions, approvals, constraints and reforms as frozen dataclasses.

The five YAML files are validated with pydantic (`specs.py`) and checked for consistency once;
the result is kept as a pickle keyed by the files' content, so `alliance-c2 check` pays neither
the pydantic import nor the schema build. `VALIDATORS` lets `alliance-c2 validate` check each kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..model.cache import cached
from ..model.errors import CatalogError, Problem, UnknownIdError
from ..model.load import CATALOG_DIR
from ..model.yamlsource import YamlDocument, read_yaml

KINDS = ("provisions", "situations", "actions", "approvals", "constraints", "reforms")
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
    policy: bool = False
    source: str | None = None
    unconfirmed: bool = False
    assumption: bool = False
    note_en: str | None = None

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
    sdf_units_only: bool = False
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

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


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
        sit = self.situation(situation_id)
        era = sit.era_on(day)
        return era.requires if era is not None else sit.requires

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
                     "sdf_units_only": r.sdf_units_only}
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


# --- loading ---------------------------------------------------------------------------------


def load_law_catalog(directory: str | Path | None = None) -> LawCatalog:
    """The law catalog in `directory` (default: the bundled one). CatalogError names FILE:LINE."""
    return _load(str(Path(directory) if directory is not None else CATALOG_DIR))


@lru_cache(maxsize=8)
def _load(directory: str) -> LawCatalog:
    paths = [Path(directory) / f"{kind}.yaml" for kind in KINDS]
    contents = []
    for path in paths:
        try:
            contents.append(path.read_bytes())
        except OSError:
            raise CatalogError([Problem(str(path), 1, "no such file")]) from None
    return cached("law", contents, LawCatalog, lambda: _build(directory))


def _build(directory: str) -> LawCatalog:
    docs = {kind: read_yaml(Path(directory) / f"{kind}.yaml") for kind in KINDS}
    problems: list[Problem] = []
    for kind, doc in docs.items():
        problems.extend(p for p in VALIDATORS[kind](doc, True) if p.severity == "error")
    if problems:
        raise CatalogError(problems)
    from . import specs

    pro = specs.ProvisionsFileSpec.model_validate(docs["provisions"].data)
    sit = specs.SituationsFileSpec.model_validate(docs["situations"].data)
    act = specs.ActionsFileSpec.model_validate(docs["actions"].data)
    apr = specs.ApprovalsFileSpec.model_validate(docs["approvals"].data)
    con = specs.ConstraintsFileSpec.model_validate(docs["constraints"].data)
    ref = specs.ReformsFileSpec.model_validate(docs["reforms"].data)
    provisions = {p.id: _provision(p) for p in pro.items}
    return LawCatalog(
        jurisdiction=act.jurisdiction,
        situations={s.id: _situation(s) for s in sit.items},
        actions={a.id: _action(a, provisions) for a in act.items},
        approvals={a.id: _approval(a) for a in apr.items},
        constraints={c.id: Constraint(c.id, c.name_en, c.name_ja, c.text_en, c.text_ja, c.engine_hint_en, c.source) for c in con.items},
        reforms={r.id: _reform(r) for r in ref.items},
        foreign_units={
            nation: ForeignRule(nation, tuple(f.approvals), f.source, f.assumption, f.note_en, tuple(f.pre_delegable))
            for nation, f in act.foreign_units.items()
        },
        requesters={r.id: Requester(r.id, r.name_en, r.name_ja, r.organization, r.source) for r in apr.requesters},
        provisions=provisions,
    )


def _provision(spec: Any) -> Provision:
    return Provision(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        act_year=spec.act_year,
        in_force=spec.in_force,
        until=spec.until,
        replaced_by=spec.replaced_by,
        numbering=tuple(Numbering(n.article, n.from_, n.until) for n in spec.numbering),
        policy=spec.policy,
        source=spec.source,
        unconfirmed=spec.unconfirmed,
        assumption=spec.assumption,
        note_en=spec.note_en,
    )


def _citations(specs_: Any) -> tuple[Citation, ...]:
    return tuple(Citation(c.article, c.source, c.assumption, c.unconfirmed, c.note_en, c.provision) for c in specs_ or ())


def _preconditions(specs_: Any) -> tuple[Precondition, ...]:
    return tuple(Precondition(p.id, p.text_en, p.text_ja, p.source, p.assumption) for p in specs_)


def _route(name: str, spec: Any, action: Any, provisions: Mapping[str, Provision], inherited: Route | None = None) -> Route:
    base_force = inherited.use_of_force if inherited is not None else action.use_of_force
    base_order = inherited.ordered_by if inherited is not None else action.ordered_by
    base_basis = inherited.legal_basis if inherited is not None else _citations(action.legal_basis)
    requires = tuple(spec.requires) if spec.requires is not None else (inherited.requires if inherited else ())
    sdf_only = spec.sdf_units_only if spec.sdf_units_only is not None else bool(inherited and inherited.sdf_units_only)
    details = getattr(spec, "approval_details", {}) or {}
    starts = [provisions[r].in_force for r in requires]
    ends = [u for u in (provisions[r].until for r in requires) if u is not None]
    return Route(
        name=name,
        approvals=tuple(spec.approvals),
        use_of_force=spec.use_of_force if spec.use_of_force is not None else base_force,
        ordered_by=spec.ordered_by or base_order,
        legal_basis=_citations(spec.legal_basis) if spec.legal_basis is not None else base_basis,
        preconditions=_preconditions(action.preconditions) + _preconditions(spec.preconditions),
        pre_delegable=tuple(getattr(spec, "pre_delegable", ()) or ()),
        conditional_approvals=tuple(
            ConditionalApproval(c.approval, c.when_en, c.when_ja, c.source)
            for c in getattr(spec, "conditional_approvals", ()) or ()
        ),
        approval_details={
            k: ApprovalDetail(d.within_days, d.per_situation, d.statutory, d.waivable_when_en, d.source, d.assumption, d.note_en)
            for k, d in details.items()
        },
        statutory_approvals=tuple(s) if (s := getattr(spec, "statutory_approvals", None)) else None,
        request_by=tuple(getattr(spec, "request_by", None) or action.request_by),
        source=spec.source,
        assumption=spec.assumption,
        unconfirmed=spec.unconfirmed,
        note_en=spec.note_en,
        requires=requires,
        sdf_units_only=sdf_only,
        in_force=max(starts) if starts else None,
        until=min(ends) if ends else None,
    )


def _action(spec: Any, provisions: Mapping[str, Provision]) -> Action:
    history: dict[str, tuple[Route, ...]] = {}
    for situation, entries in spec.lawful_in.items():
        versions = []
        for entry in entries if isinstance(entries, list) else [entries]:
            primary = _route("primary", entry, spec, provisions)
            alternatives = tuple(_route(alt.route, alt, spec, provisions, primary) for alt in entry.alternatives)
            versions.append(replace(primary, alternatives=alternatives))
        history[situation] = tuple(sorted(versions, key=lambda r: r.in_force or date.min))
    nl = spec.not_lawful_in
    return Action(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        use_of_force=spec.use_of_force,
        ordered_by=spec.ordered_by,
        lawful_in={s: versions[-1] for s, versions in history.items()},
        legal_basis=_citations(spec.legal_basis),
        request_by=tuple(spec.request_by),
        case_by_case_political_decision=spec.case_by_case_political_decision,
        not_lawful_in=frozenset(nl.situations) if nl else frozenset(),
        not_lawful_in_source=nl.source if nl else None,
        not_lawful_in_note_en=spec.not_lawful_in_note_en,
        time_window_minutes=spec.time_window_minutes,
        source=spec.source,
        assumption=spec.assumption,
        history=history,
    )


def _approval(spec: Any) -> Approval:
    return Approval(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        holder=spec.holder,
        phase=spec.phase,
        rank=spec.rank,
        holder_alternatives=tuple(spec.holder_alternatives),
        may_follow_action_when_urgent=spec.may_follow_action_when_urgent,
        typical_minutes=spec.typical_minutes,
        source=spec.source,
        assumption=spec.assumption,
    )


def _reform(spec: Any) -> Reform:
    allows = frozenset(k for e in spec.effects if e.kind == "allow-cross-national-relation" for k in e.relations)
    return Reform(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        lifts={lift.constraint: lift.effect for lift in spec.lifts},
        allows_cross_national=allows,
        measure=spec.measure,
        description_en=spec.description_en,
        description_ja=spec.description_ja,
        source=spec.source,
    )


def _steps(specs_: Any) -> tuple[ProcedureStep, ...]:
    return tuple(
        ProcedureStep(
            step=s.step,
            approval=s.approval,
            organization=s.organization,
            phase=s.phase,
            typical_minutes=s.typical_minutes,
            typical_minutes_source=s.typical_minutes_source,
            max_minutes=s.max_minutes,
            within_days=s.within_days,
            deadline_source=s.source if (s.within_days is not None or s.max_minutes is not None) else None,
            fast_track=s.fast_track,
            may_follow_action_when_urgent=s.may_follow_action_when_urgent,
            source=s.source,
            assumption=s.assumption,
            unconfirmed=s.unconfirmed,
            note_en=s.note_en,
        )
        for s in sorted(specs_, key=lambda s: s.step)
    )


def _situation(spec: Any) -> Situation:
    eras = tuple(
        SituationEra(
            until=e.until,
            requires=tuple(e.requires),
            name_en=e.name_en,
            name_ja=e.name_ja,
            statutory_basis=_citations(e.statutory_basis) if e.statutory_basis is not None else None,
            procedure=_steps(e.procedure) if e.procedure is not None else None,
            source=e.source,
            unconfirmed=e.unconfirmed,
            note_en=e.note_en,
        )
        for e in sorted(spec.eras, key=lambda e: e.until)
    )
    return Situation(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        statutory=spec.statutory,
        use_of_force_permitted=spec.use_of_force_permitted,
        procedure=_steps(spec.procedure),
        definition_en=spec.definition_en,
        definition_ja=spec.definition_ja,
        three_conditions_apply=spec.three_conditions_apply,
        recognized_by=spec.recognition.by,
        instrument_en=spec.recognition.instrument_en,
        instrument_ja=spec.recognition.instrument_ja,
        diet_approval=spec.diet.approval,
        transitions_from=tuple(t.situation for t in spec.transitions_from),
        source=spec.source,
        statutory_basis=_citations(spec.statutory_basis),
        requires=tuple(spec.requires),
        eras=eras,
    )


# --- validation ------------------------------------------------------------------------------


class _Check:
    """Collects problems for one document; `soft` ones are warnings unless strict."""

    def __init__(self, doc: YamlDocument, strict: bool) -> None:
        self.doc = doc
        self.soft_severity = "error" if strict else "warning"
        self.problems: list[Problem] = []

    def error(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message))

    def soft(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message, self.soft_severity))

    def sourced(self, loc: Loc, what: str, data: Any) -> None:
        if isinstance(data, dict) and not data.get("source") and not data.get("assumption"):
            self.soft(loc, f"{what}: no source (add source: or assumption: true)")
        if isinstance(data, dict) and data.get("unconfirmed") and not data.get("note_en"):
            self.soft(loc, f"{what}: unconfirmed: true needs a note_en saying what was not confirmed")

    def unique_ids(self, items: list[Any], what: str) -> list[str]:
        seen: list[str] = []
        for i, item in enumerate(items):
            if item["id"] in seen:
                self.error(("items", i, "id"), f"items[{i}].id: duplicate {what} id {item['id']!r}")
            seen.append(item["id"])
        return seen


def _parse(doc: YamlDocument, kind: str) -> list[Problem] | None:
    from ..model.load import parse_spec
    from . import specs

    model: Any = {
        "provisions": specs.ProvisionsFileSpec,
        "situations": specs.SituationsFileSpec,
        "actions": specs.ActionsFileSpec,
        "approvals": specs.ApprovalsFileSpec,
        "constraints": specs.ConstraintsFileSpec,
        "reforms": specs.ReformsFileSpec,
    }[kind]
    try:
        parse_spec(model, doc, kind)
    except CatalogError as exc:
        return exc.problems
    return None


def _sibling(doc: YamlDocument, kind: str) -> Any:
    """The raw data of another law file: next to `doc` if present, else the bundled one."""
    path = Path(doc.path).parent / f"{kind}.yaml"
    if not path.exists():
        path = CATALOG_DIR / f"{kind}.yaml"
    try:
        return read_yaml(path).data
    except CatalogError:
        return {}


def _ids(data: Any, key: str = "items") -> set[str]:
    if not isinstance(data, dict):
        return set()
    return {item["id"] for item in data.get(key) or () if isinstance(item, dict) and "id" in item}


def validate_situations(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Structure, unique ids, known approvals and situations, sources."""
    parsed = _parse(doc, "situations")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    items = doc.data["items"]
    ids = set(check.unique_ids(items, "situation"))
    approvals = _ids(_sibling(doc, "approvals"))
    provisions = _ids(_sibling(doc, "provisions"))
    check.sourced((), "situations file", doc.data)
    for i, item in enumerate(items):
        check.sourced(("items", i), f"situation {item['id']!r}", item)
        if item.get("statutory") and not item.get("requires"):
            check.soft(("items", i), f"situation {item['id']!r}: no requires: (the provisions that define it)")
        _check_requires(check, ("items", i, "requires"), f"situation {item['id']!r}", item.get("requires") or (), provisions)
        for j, step in enumerate(item.get("procedure") or ()):
            loc: Loc = ("items", i, "procedure", j)
            check.sourced(loc, f"situation {item['id']!r} procedure step {step['step']}", step)
            if approvals and step["approval"] not in approvals:
                check.error(loc, f"situation {item['id']!r}: unknown approval {step['approval']!r}")
        for j, era in enumerate(item.get("eras") or ()):
            era_loc: Loc = ("items", i, "eras", j)
            check.sourced(era_loc, f"situation {item['id']!r} era until {era['until']}", era)
            _check_requires(check, (*era_loc, "requires"), f"situation {item['id']!r} era", era.get("requires") or (), provisions)
            for k, step in enumerate(era.get("procedure") or ()):
                if approvals and step["approval"] not in approvals:
                    check.error((*era_loc, "procedure", k), f"situation {item['id']!r}: unknown approval {step['approval']!r}")
        for key in ("transitions_from", "may_coexist_with"):
            for j, tr in enumerate(item.get(key) or ()):
                check.sourced(("items", i, key, j), f"situation {item['id']!r} {key}", tr)
                if tr["situation"] not in ids:
                    check.error(("items", i, key, j), f"situation {item['id']!r}: unknown situation {tr['situation']!r}")
    return check.problems


def validate_actions(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Structure, references, approval order, sources, and self-contradictions.

    A rule file contradicts itself when an action is both lawful and forbidden in one situation:
    listed under `lawful_in` and under `not_lawful_in`, or lawful as use of force where the
    situations file says force is not permitted.
    """
    parsed = _parse(doc, "actions")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    data = doc.data
    situations_data = _sibling(doc, "situations")
    situations = {s["id"]: s for s in situations_data.get("items") or ()} if isinstance(situations_data, dict) else {}
    approvals_data = _sibling(doc, "approvals")
    ranks = {a["id"]: a.get("rank", 0) for a in (approvals_data.get("items") or ())} if isinstance(approvals_data, dict) else {}
    requesters = _ids(approvals_data, "requesters")
    provisions = _ids(_sibling(doc, "provisions"))
    for nation, rule in (data.get("foreign_units") or {}).items():
        check.sourced(("foreign_units", nation), f"foreign_units.{nation}", rule)
        _check_approval_list(check, ("foreign_units", nation, "approvals"), rule["approvals"], ranks)
    check.unique_ids(data["items"], "action")
    for i, item in enumerate(data["items"]):
        _check_action(check, i, item, _Refs(situations, ranks, requesters, provisions))
    return check.problems


@dataclass(frozen=True)
class _Refs:
    """The ids an actions file may refer to, read from its sibling law files."""

    situations: dict[str, Any]
    ranks: dict[str, int]
    requesters: set[str]
    provisions: set[str]


def _check_requires(check: _Check, loc: Loc, what: str, names: Any, provisions: set[str]) -> None:
    for j, name in enumerate(names):
        if provisions and name not in provisions:
            check.error((*loc, j), f"{what}: unknown provision {name!r}; choose from: {', '.join(sorted(provisions))}")


def _check_action(check: _Check, i: int, item: dict[str, Any], refs: _Refs) -> None:
    aid = item["id"]
    situations = refs.situations
    check.sourced(("items", i), f"action {aid!r}", item)
    for j, basis in enumerate(item.get("legal_basis") or ()):
        check.sourced(("items", i, "legal_basis", j), f"action {aid!r} legal_basis", basis)
        if basis.get("provision"):
            _check_requires(check, ("items", i, "legal_basis", j, "provision"), f"action {aid!r}", [basis["provision"]], refs.provisions)
    for j, pre in enumerate(item.get("preconditions") or ()):
        check.sourced(("items", i, "preconditions", j), f"action {aid!r} precondition {pre['id']!r}", pre)
    _check_requesters(check, ("items", i, "request_by"), item.get("request_by") or (), refs.requesters)
    forbidden = (item.get("not_lawful_in") or {}).get("situations") or []
    if item.get("not_lawful_in"):
        check.sourced(("items", i, "not_lawful_in"), f"action {aid!r} not_lawful_in", item["not_lawful_in"])
    for j, situation in enumerate(forbidden):
        loc: Loc = ("items", i, "not_lawful_in", "situations", j)
        if situations and situation not in situations:
            check.error(loc, f"action {aid!r}: unknown situation {situation!r} in not_lawful_in")
        elif situation in (item.get("lawful_in") or {}):
            check.error(
                loc,
                f"action {aid!r} contradicts itself: {situation!r} is both in lawful_in and in not_lawful_in",
            )
    for situation, entries in (item.get("lawful_in") or {}).items():
        loc = ("items", i, "lawful_in", situation)
        if situations and situation not in situations:
            check.error(loc, f"action {aid!r}: unknown situation {situation!r} in lawful_in")
            continue
        if isinstance(entries, list):
            for j, entry in enumerate(entries):
                _check_entry(check, (*loc, j), aid, situation, entry, item, refs)
            _check_versions(check, loc, f"action {aid!r} in {situation!r}", entries)
        else:
            _check_entry(check, loc, aid, situation, entries, item, refs)


def _check_versions(check: _Check, loc: Loc, what: str, entries: list[Any]) -> None:
    """Dated versions of one rule must name what dates them, and no two may rest on the same provisions."""
    seen: set[tuple[str, ...]] = set()
    for j, entry in enumerate(entries):
        key = tuple(sorted(entry.get("requires") or ()))
        if not key:
            check.error((*loc, j), f"{what}: a dated version needs requires: (the provisions that date it)")
        elif key in seen:
            check.error((*loc, j), f"{what}: two versions rest on the same provisions {list(key)}")
        seen.add(key)


def _check_entry(
    check: _Check,
    loc: Loc,
    aid: str,
    situation: str,
    entry: dict[str, Any],
    item: dict[str, Any],
    refs: _Refs,
) -> None:
    what = f"action {aid!r} in {situation!r}"
    ranks = refs.ranks
    check.sourced(loc, what, entry)
    if not entry.get("requires"):
        check.soft(loc, f"{what}: no requires: (the provisions in provisions.yaml that date this rule)")
    _check_requires(check, (*loc, "requires"), what, entry.get("requires") or (), refs.provisions)
    _check_approval_list(check, (*loc, "approvals"), entry["approvals"], ranks)
    for j, basis in enumerate(entry.get("legal_basis") or ()):
        check.sourced((*loc, "legal_basis", j), f"{what} legal_basis", basis)
    for j, pre in enumerate(entry.get("preconditions") or ()):
        check.sourced((*loc, "preconditions", j), f"{what} precondition {pre['id']!r}", pre)
    for j, cond in enumerate(entry.get("conditional_approvals") or ()):
        check.sourced((*loc, "conditional_approvals", j), f"{what} conditional approval", cond)
        if ranks and cond["approval"] not in ranks:
            check.error((*loc, "conditional_approvals", j), f"{what}: unknown approval {cond['approval']!r}")
    extra = [a for a in entry.get("pre_delegable") or () if a not in entry["approvals"]]
    if extra:
        check.error((*loc, "pre_delegable"), f"{what}: pre_delegable {extra} not in approvals")
    for name in entry.get("approval_details") or {}:
        if name not in entry["approvals"]:
            check.error((*loc, "approval_details", name), f"{what}: approval_details for {name!r}, which is not in approvals")
    _check_force(check, loc, what, situation, entry.get("use_of_force", item.get("use_of_force", False)), refs.situations)
    for j, alt in enumerate(entry.get("alternatives") or ()):
        alt_loc: Loc = (*loc, "alternatives", j)
        check.sourced(alt_loc, f"{what} alternative {alt['route']!r}", alt)
        _check_requires(check, (*alt_loc, "requires"), what, alt.get("requires") or (), refs.provisions)
        _check_approval_list(check, (*alt_loc, "approvals"), alt["approvals"], ranks)
        _check_requesters(check, (*alt_loc, "request_by"), alt.get("request_by") or (), refs.requesters)
        force = alt.get("use_of_force", entry.get("use_of_force", item.get("use_of_force", False)))
        _check_force(check, alt_loc, f"{what} alternative {alt['route']!r}", situation, force, refs.situations)


def _check_force(
    check: _Check, loc: Loc, what: str, situation: str, force: bool, situations: dict[str, Any]
) -> None:
    if force and situations and not situations[situation].get("use_of_force_permitted", False):
        check.error(
            loc,
            f"{what} contradicts the situations file: lawful as use of force where "
            f"{situation!r} does not permit force (use_of_force_permitted: false)",
        )


def _check_approval_list(check: _Check, loc: Loc, approvals: list[str], ranks: dict[str, int]) -> None:
    if not ranks:
        return
    for j, name in enumerate(approvals):
        if name not in ranks:
            check.error((*loc, j), f"unknown approval {name!r}; choose from: {', '.join(ranks)}")
            return
    if len(set(approvals)) != len(approvals):
        check.error(loc, f"approvals listed twice: {approvals}")
    order = [ranks[a] for a in approvals]
    if order != sorted(order):
        check.error(loc, f"approvals not in rank order (request, NSC, Cabinet, Diet, PM, orders, after): {approvals}")


def _check_requesters(check: _Check, loc: Loc, names: Any, requesters: set[str]) -> None:
    for j, name in enumerate(names):
        if requesters and name not in requesters:
            check.error((*loc, j), f"unknown requester {name!r}; choose from: {', '.join(sorted(requesters))}")


def validate_approvals(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "approvals")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "approval")
    for i, item in enumerate(doc.data["items"]):
        if item.get("typical_minutes") is not None:
            check.sourced(("items", i), f"approval {item['id']!r}", item)
        elif not item.get("source") and not item.get("assumption"):
            check.soft(("items", i), f"approval {item['id']!r}: no source (add source: or assumption: true)")
    for i, req in enumerate(doc.data.get("requesters") or ()):
        check.sourced(("requesters", i), f"requester {req['id']!r}", req)
    return check.problems


def validate_constraints(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "constraints")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "constraint")
    for i, item in enumerate(doc.data["items"]):
        check.sourced(("items", i), f"constraint {item['id']!r}", item)
    return check.problems


def validate_reforms(doc: YamlDocument, strict: bool) -> list[Problem]:
    parsed = _parse(doc, "reforms")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    check.unique_ids(doc.data["items"], "reform")
    constraints = _ids(_sibling(doc, "constraints"))
    for i, item in enumerate(doc.data["items"]):
        check.sourced(("items", i), f"reform {item['id']!r}", item)
        for j, lift in enumerate(item.get("lifts") or ()):
            check.sourced(("items", i, "lifts", j), f"reform {item['id']!r} lifts", lift)
            if constraints and lift["constraint"] not in constraints:
                check.error(("items", i, "lifts", j), f"reform {item['id']!r}: unknown constraint {lift['constraint']!r}")
        for j, effect in enumerate(item.get("effects") or ()):
            check.sourced(("items", i, "effects", j), f"reform {item['id']!r} effect", effect)
    return check.problems


def validate_provisions(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Unique ids, sources, and dates that run forward (in force before it ends; numbers in order)."""
    parsed = _parse(doc, "provisions")
    if parsed is not None:
        return parsed
    check = _Check(doc, strict)
    ids = set(check.unique_ids(doc.data["items"], "provision"))
    for i, item in enumerate(doc.data["items"]):
        what = f"provision {item['id']!r}"
        check.sourced(("items", i), what, item)
        start, end = _day(item["in_force"]), _day(item.get("until"))
        if start is not None and end is not None and end <= start:
            check.error(("items", i, "until"), f"{what}: until {end} is not after in_force {start}")
        if item.get("replaced_by") and item["replaced_by"] not in ids:
            check.error(("items", i, "replaced_by"), f"{what}: unknown provision {item['replaced_by']!r}")
        for j, n in enumerate(item.get("numbering") or ()):
            check.sourced(("items", i, "numbering", j), f"{what} numbering {n['article']!r}", n)
    return check.problems


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


VALIDATORS: dict[str, Callable[[YamlDocument, bool], list[Problem]]] = {
    "provisions": validate_provisions,
    "situations": validate_situations,
    "actions": validate_actions,
    "approvals": validate_approvals,
    "constraints": validate_constraints,
    "reforms": validate_reforms,
}
