"""Building the law catalog from its YAML files: validated with pydantic (`specs.py`) and checked for
consistency once, then kept as a pickle keyed by the files' content, so `alliance-c2 check` pays neither
the pydantic import nor the schema build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..model.cache import cached
from ..model.errors import CatalogError, Problem
from ..model.paths import CATALOG_DIR, actions_file, national_law_files, provisions_file, treaty_files
from ..model.yamlsource import read_yaml
from .catalog import (
    KINDS,
    OWN_FORCES,
    Action,
    Approval,
    ApprovalDetail,
    Citation,
    ConditionalApproval,
    Constraint,
    ForeignRule,
    LawCatalog,
    NationalLaw,
    Numbering,
    Precondition,
    ProcedureStep,
    Provision,
    Reform,
    Requester,
    Route,
    Rule,
    Situation,
    SituationEra,
    Treaty,
    When,
)

_D = TypeVar("_D")


def load_law_catalog(directory: str | Path | None = None) -> LawCatalog:
    """The law catalog in `directory` (default: the bundled one). CatalogError names FILE:LINE."""
    return _load(str(Path(directory) if directory is not None else CATALOG_DIR))


def law_paths(directory: str | Path) -> dict[str, Path]:
    """The law catalog's files by kind in a catalog directory."""
    root = Path(directory)
    return {kind: actions_file(root) if kind == "actions" else provisions_file(root) if kind == "provisions"
            else root / f"{kind}.yaml" for kind in KINDS}


def all_law_paths(directory: str | Path) -> list[Path]:
    """Every file the law catalog is built from: the six kinds, each nation's law and the treaties."""
    root = Path(directory)
    return [*law_paths(root).values(), *national_law_files(root), *treaty_files(root)]


@lru_cache(maxsize=8)
def _load(directory: str) -> LawCatalog:
    paths = all_law_paths(directory)
    contents = []
    for path in paths:
        try:
            contents.append(path.read_bytes())
        except OSError:
            raise CatalogError([Problem(str(path), 1, "no such file")]) from None
    return cached("law", contents, LawCatalog, lambda: _build(directory))


def _build(directory: str) -> LawCatalog:
    # Imported here: checking and pydantic cost start-up time; the cached catalog needs neither.
    from . import specs
    from .validation import VALIDATORS

    docs = {kind: read_yaml(path) for kind, path in law_paths(directory).items()}
    laws = [read_yaml(p) for p in national_law_files(Path(directory))]
    treaties = [read_yaml(p) for p in treaty_files(Path(directory))]
    problems: list[Problem] = []
    for kind, doc in docs.items():
        problems.extend(p for p in VALIDATORS[kind](doc, True) if p.severity == "error")
    for kind, group in (("national-law", laws), ("treaty", treaties)):
        for doc in group:
            problems.extend(p for p in VALIDATORS[kind](doc, True) if p.severity == "error")
    if problems:
        raise CatalogError(problems)
    pro = specs.ProvisionsFileSpec.model_validate(docs["provisions"].data)
    sit = specs.SituationsFileSpec.model_validate(docs["situations"].data)
    act = specs.ActionsFileSpec.model_validate(docs["actions"].data)
    apr = specs.ApprovalsFileSpec.model_validate(docs["approvals"].data)
    con = specs.ConstraintsFileSpec.model_validate(docs["constraints"].data)
    ref = specs.ReformsFileSpec.model_validate(docs["reforms"].data)
    provisions = {p.id: _provision(p) for p in pro.items}
    national = [specs.NationalLawFileSpec.model_validate(d.data) for d in laws]
    between = [specs.TreatyFileSpec.model_validate(d.data) for d in treaties]
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
        nations={n.nation: _national_law(n) for n in national},
        treaties={t.id: _treaty(t) for t in between},
    )


def _copy(cls: type[_D], spec: Any, **given: Any) -> _D:
    """A catalog dataclass from its spec: every field the spec has by the same name (lists become the field's
    tuple or frozenset), then `given`."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in given or not hasattr(spec, f.name):
            continue
        value = getattr(spec, f.name)
        if isinstance(value, list):
            value = frozenset(value) if isinstance(f.default, frozenset) else tuple(value)
        values[f.name] = value
    return cls(**values, **given)


def _when(spec: Any) -> When | None:
    return _copy(When, spec) if spec is not None else None


def _rule(spec: Any, law: str) -> Rule:
    return _copy(
        Rule, spec, law=law, when=_when(spec.when),
        numbering=tuple(Numbering(n.article, n.from_, n.until) for n in spec.numbering),
        block_en=spec.block.reason_en if spec.block else None,
        block_ja=spec.block.reason_ja if spec.block else None,
        bound_days=spec.bound.days if spec.bound else None,
        bound_extension_days=spec.bound.extension_days if spec.bound else 0,
    )


def _national_law(spec: Any) -> NationalLaw:
    hostilities = spec.hostilities
    return _copy(
        NationalLaw, spec, rules=tuple(_rule(r, spec.nation) for r in spec.rules),
        hostility_actions=frozenset(hostilities.actions) if hostilities else frozenset(),
        hostility_situations=frozenset(hostilities.situations) if hostilities else frozenset(),
    )


def _treaty(spec: Any) -> Treaty:
    return _copy(Treaty, spec, rules=tuple(_rule(r, spec.id) for r in spec.rules))


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
        kind=spec.kind,
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
        # Not inherited: an alternative rests on its own article (e.g. mine removal under Art. 84-2, SDF only).
        empowers=spec.empowers or OWN_FORCES,
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
        nation=spec.nation,
        law=spec.law,
        kind=spec.kind,
        unconfirmed=spec.unconfirmed,
        note_en=spec.note_en,
        deliberation=spec.deliberation,
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
        nations=tuple(spec.nations or ([spec.nation] if spec.nation else [])),
        kind=spec.kind,
        lifts_rules=frozenset(lift.rule for lift in spec.lifts_rules),
        assumption=spec.assumption,
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
