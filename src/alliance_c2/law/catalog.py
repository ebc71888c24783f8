"""The law catalog: situations, actions, approvals, constraints and reforms as frozen dataclasses.

The five YAML files are validated with pydantic (`specs.py`) and checked for consistency once;
the result is kept as a pickle keyed by the files' content, so `alliance-c2 check` pays neither
the pydantic import nor the schema build. `VALIDATORS` lets `alliance-c2 validate` check each kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ..model.cache import cached
from ..model.errors import CatalogError, Problem, UnknownIdError
from ..model.load import CATALOG_DIR
from ..model.yamlsource import YamlDocument, read_yaml

KINDS = ("situations", "actions", "approvals", "constraints", "reforms")
Loc = tuple[int | str, ...]
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    source: str | None = None
    assumption: bool = False
    unconfirmed: bool = False
    note_en: str | None = None


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


@dataclass(frozen=True, slots=True)
class Action:
    id: str
    name_en: str
    name_ja: str
    use_of_force: bool
    ordered_by: str
    lawful_in: Mapping[str, Route]
    legal_basis: tuple[Citation, ...] = ()
    request_by: tuple[str, ...] = ()
    case_by_case_political_decision: bool = False
    not_lawful_in: frozenset[str] = frozenset()
    not_lawful_in_source: str | None = None
    not_lawful_in_note_en: str | None = None
    time_window_minutes: int | None = None
    source: str | None = None
    assumption: bool = False

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True)
class ForeignRule:
    """Approvals for units of a nation whose law the catalog does not encode."""

    nation: str
    approvals: tuple[str, ...]
    source: str | None = None
    assumption: bool = False
    note_en: str | None = None


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

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" else self.name_en


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

    sit = specs.SituationsFileSpec.model_validate(docs["situations"].data)
    act = specs.ActionsFileSpec.model_validate(docs["actions"].data)
    apr = specs.ApprovalsFileSpec.model_validate(docs["approvals"].data)
    con = specs.ConstraintsFileSpec.model_validate(docs["constraints"].data)
    ref = specs.ReformsFileSpec.model_validate(docs["reforms"].data)
    return LawCatalog(
        jurisdiction=act.jurisdiction,
        situations={s.id: _situation(s) for s in sit.items},
        actions={a.id: _action(a) for a in act.items},
        approvals={a.id: _approval(a) for a in apr.items},
        constraints={c.id: Constraint(c.id, c.name_en, c.name_ja, c.text_en, c.text_ja, c.engine_hint_en, c.source) for c in con.items},
        reforms={r.id: _reform(r) for r in ref.items},
        foreign_units={
            nation: ForeignRule(nation, tuple(f.approvals), f.source, f.assumption, f.note_en)
            for nation, f in act.foreign_units.items()
        },
        requesters={r.id: Requester(r.id, r.name_en, r.name_ja, r.organization, r.source) for r in apr.requesters},
    )


def _citations(specs_: Any) -> tuple[Citation, ...]:
    return tuple(Citation(c.article, c.source, c.assumption, c.unconfirmed, c.note_en) for c in specs_ or ())


def _preconditions(specs_: Any) -> tuple[Precondition, ...]:
    return tuple(Precondition(p.id, p.text_en, p.text_ja, p.source, p.assumption) for p in specs_)


def _route(name: str, spec: Any, action: Any, inherited: Route | None = None) -> Route:
    base_force = inherited.use_of_force if inherited is not None else action.use_of_force
    base_order = inherited.ordered_by if inherited is not None else action.ordered_by
    base_basis = inherited.legal_basis if inherited is not None else _citations(action.legal_basis)
    details = getattr(spec, "approval_details", {}) or {}
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
            k: ApprovalDetail(d.within_days, d.statutory, d.waivable_when_en, d.source, d.assumption, d.note_en)
            for k, d in details.items()
        },
        statutory_approvals=tuple(s) if (s := getattr(spec, "statutory_approvals", None)) else None,
        request_by=tuple(getattr(spec, "request_by", None) or action.request_by),
        source=spec.source,
        assumption=spec.assumption,
        unconfirmed=spec.unconfirmed,
        note_en=spec.note_en,
    )


def _action(spec: Any) -> Action:
    lawful: dict[str, Route] = {}
    for situation, entry in spec.lawful_in.items():
        primary = _route("primary", entry, spec)
        alternatives = tuple(_route(alt.route, alt, spec, primary) for alt in entry.alternatives)
        lawful[situation] = _with_alternatives(primary, alternatives)
    nl = spec.not_lawful_in
    return Action(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        use_of_force=spec.use_of_force,
        ordered_by=spec.ordered_by,
        lawful_in=lawful,
        legal_basis=_citations(spec.legal_basis),
        request_by=tuple(spec.request_by),
        case_by_case_political_decision=spec.case_by_case_political_decision,
        not_lawful_in=frozenset(nl.situations) if nl else frozenset(),
        not_lawful_in_source=nl.source if nl else None,
        not_lawful_in_note_en=spec.not_lawful_in_note_en,
        time_window_minutes=spec.time_window_minutes,
        source=spec.source,
        assumption=spec.assumption,
    )


def _with_alternatives(route: Route, alternatives: tuple[Route, ...]) -> Route:
    from dataclasses import replace

    return replace(route, alternatives=alternatives)


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


def _situation(spec: Any) -> Situation:
    steps = tuple(
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
        for s in sorted(spec.procedure, key=lambda s: s.step)
    )
    return Situation(
        id=spec.id,
        name_en=spec.name_en,
        name_ja=spec.name_ja,
        statutory=spec.statutory,
        use_of_force_permitted=spec.use_of_force_permitted,
        procedure=steps,
        definition_en=spec.definition_en,
        definition_ja=spec.definition_ja,
        three_conditions_apply=spec.three_conditions_apply,
        recognized_by=spec.recognition.by,
        instrument_en=spec.recognition.instrument_en,
        instrument_ja=spec.recognition.instrument_ja,
        diet_approval=spec.diet.approval,
        transitions_from=tuple(t.situation for t in spec.transitions_from),
        source=spec.source,
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
    check.sourced((), "situations file", doc.data)
    for i, item in enumerate(items):
        check.sourced(("items", i), f"situation {item['id']!r}", item)
        for j, step in enumerate(item.get("procedure") or ()):
            loc: Loc = ("items", i, "procedure", j)
            check.sourced(loc, f"situation {item['id']!r} procedure step {step['step']}", step)
            if approvals and step["approval"] not in approvals:
                check.error(loc, f"situation {item['id']!r}: unknown approval {step['approval']!r}")
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
    for nation, rule in (data.get("foreign_units") or {}).items():
        check.sourced(("foreign_units", nation), f"foreign_units.{nation}", rule)
        _check_approval_list(check, ("foreign_units", nation, "approvals"), rule["approvals"], ranks)
    check.unique_ids(data["items"], "action")
    for i, item in enumerate(data["items"]):
        _check_action(check, i, item, situations, ranks, requesters)
    return check.problems


def _check_action(
    check: _Check,
    i: int,
    item: dict[str, Any],
    situations: dict[str, Any],
    ranks: dict[str, int],
    requesters: set[str],
) -> None:
    aid = item["id"]
    check.sourced(("items", i), f"action {aid!r}", item)
    for j, basis in enumerate(item.get("legal_basis") or ()):
        check.sourced(("items", i, "legal_basis", j), f"action {aid!r} legal_basis", basis)
    for j, pre in enumerate(item.get("preconditions") or ()):
        check.sourced(("items", i, "preconditions", j), f"action {aid!r} precondition {pre['id']!r}", pre)
    _check_requesters(check, ("items", i, "request_by"), item.get("request_by") or (), requesters)
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
    for situation, entry in (item.get("lawful_in") or {}).items():
        _check_entry(check, ("items", i, "lawful_in", situation), aid, situation, entry, item, situations, ranks, requesters)


def _check_entry(
    check: _Check,
    loc: Loc,
    aid: str,
    situation: str,
    entry: dict[str, Any],
    item: dict[str, Any],
    situations: dict[str, Any],
    ranks: dict[str, int],
    requesters: set[str],
) -> None:
    what = f"action {aid!r} in {situation!r}"
    if situations and situation not in situations:
        check.error(loc, f"action {aid!r}: unknown situation {situation!r} in lawful_in")
        return
    check.sourced(loc, what, entry)
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
    _check_force(check, loc, what, situation, entry.get("use_of_force", item.get("use_of_force", False)), situations)
    for j, alt in enumerate(entry.get("alternatives") or ()):
        alt_loc: Loc = (*loc, "alternatives", j)
        check.sourced(alt_loc, f"{what} alternative {alt['route']!r}", alt)
        _check_approval_list(check, (*alt_loc, "approvals"), alt["approvals"], ranks)
        _check_requesters(check, (*alt_loc, "request_by"), alt.get("request_by") or (), requesters)
        force = alt.get("use_of_force", entry.get("use_of_force", item.get("use_of_force", False)))
        _check_force(check, alt_loc, f"{what} alternative {alt['route']!r}", situation, force, situations)


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


VALIDATORS: dict[str, Callable[[YamlDocument, bool], list[Problem]]] = {
    "situations": validate_situations,
    "actions": validate_actions,
    "approvals": validate_approvals,
    "constraints": validate_constraints,
    "reforms": validate_reforms,
}
