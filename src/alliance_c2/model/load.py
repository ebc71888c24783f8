"""Loading and validating catalog files: bundled ids or user paths, with FILE:LINE problems."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .architecture import (
    Architecture,
    Home,
    Nation,
    Organization,
    Plan,
    Relation,
    Role,
    Side,
    carries_authority,
)
from .cache import cached
from .errors import CatalogError, Problem, UnknownIdError
from .paths import ARCHITECTURES_DIR
from .vocabulary import (
    CIVILIAN_CHAIN_KINDS,
    COMMAND_KINDS,
    MEMBERSHIP_KINDS,
    MILITARY_KINDS,
    ids,
    relation_kind_ids,
    situation_ids,
    vocabulary,
)
from .yamlsource import YamlDocument, read_yaml

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

_T = TypeVar("_T", bound="BaseModel")
Loc = tuple[int | str, ...]

# One shared empty set for the many relations without `interpreted_in` (large files).
_NO_SITUATIONS: frozenset[str] = frozenset()


def bundled_architectures() -> list[str]:
    """Ids of the bundled arrangements, in file-name order."""
    return sorted(p.stem for p in ARCHITECTURES_DIR.glob("*.yaml"))


@lru_cache(maxsize=64)
def _yaml_stems(directory: Path) -> frozenset[str]:
    """The ids of a catalog directory, listed once: a batch resolves the same ids thousands of times, and a
    stat per look-up cost more than the rest of planning it."""
    return frozenset(p.stem for p in directory.glob("*.yaml"))


def resolve_catalog_ref(ref: str | Path, directory: Path, what: str, known: Callable[[], list[str]]) -> Path:
    """A bundled id (`directory/ID.yaml`) or a path to a YAML file -> the file; UnknownIdError (naming `what`
    and the `known` ids) otherwise."""
    ref_s = str(ref)
    if "/" not in ref_s and not ref_s.endswith((".yaml", ".yml")) and ref_s in _yaml_stems(directory):
        return directory / f"{ref_s}.yaml"
    path = Path(ref_s)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    raise UnknownIdError(what, ref_s, known())


def resolve_architecture_path(ref: str | Path) -> Path:
    """A bundled arrangement id or a path to a YAML file -> the file; UnknownIdError otherwise."""
    return resolve_catalog_ref(ref, ARCHITECTURES_DIR, "architecture", bundled_architectures)


def load_architecture(ref: str | Path | Architecture, *, strict: bool = False) -> Architecture:
    """Load an arrangement by bundled id or path. Raises CatalogError on errors (warnings pass)."""
    if isinstance(ref, Architecture):
        return ref
    path = resolve_architecture_path(ref)
    if path.parent == ARCHITECTURES_DIR:
        return _load_bundled(str(path), strict)
    return _load(path, strict)


@lru_cache(maxsize=32)
def _load_bundled(path: str, strict: bool) -> Architecture:
    """Bundled files are validated once and kept as pickles keyed by their content."""
    data = Path(path).read_bytes()
    return cached(f"{Path(path).stem}-{int(strict)}", [data], Architecture, lambda: _load(Path(path), strict))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Loading allocates millions of small objects and no reference cycles; full collections
    triggered on the way make the cost grow faster than the file (measured: 9.4 s -> 6.1 s at
    100,000 organizations).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: Path, strict: bool) -> Architecture:
    with gc_paused():
        arch, problems = architecture_from_document(read_yaml(path), strict=strict)
    errors = [p for p in problems if p.severity == "error"]
    if errors or arch is None:
        raise CatalogError(errors or problems)
    return arch


def pydantic_problems(exc: ValidationError, doc: YamlDocument) -> list[Problem]:
    """Turn pydantic errors into FILE:LINE problems, naming the field."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "literal_error":
            msg = f"unknown value {err.get('input')!r}: {msg}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        out.append(doc.problem(loc, f"{field}: {msg}"))
    return out


def parse_spec(model: type[_T], doc: YamlDocument, what: str) -> _T:
    """Validate a YAML document against a pydantic model; CatalogError with lines on failure."""
    from pydantic import ValidationError

    if not isinstance(doc.data, dict):
        raise CatalogError([doc.problem((), f"expected a mapping with 'kind: {what}' at top level")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise CatalogError(pydantic_problems(exc, doc)) from None


def architecture_from_document(
    doc: YamlDocument, *, strict: bool = False
) -> tuple[Architecture | None, list[Problem]]:
    """Validate a YAML document as an arrangement; return it (if usable) and every problem found."""
    # Imported here: pydantic costs start-up time, and cached bundled arrangements need none.
    from .schema import ArchitectureSpec

    spec = parse_spec(ArchitectureSpec, doc, "architecture")
    checker = _Checker(doc, "error" if strict else "warning")
    nation_codes = (*ids(vocabulary().nations), *(n.id for n in spec.other_nations))
    orgs: dict[str, Organization] = {}
    org_index: dict[str, int] = {}
    for i, o in enumerate(spec.organizations):
        if o.id in orgs:
            checker.error(("organizations", i, "id"), f"organizations[{i}].id: duplicate id {o.id!r}")
            continue
        org_index[o.id] = i
        orgs[o.id] = Organization(
            id=o.id,
            name_en=o.name_en or "",
            name_ja=o.name_ja or "",
            nation=o.host_nation,
            nations=tuple(o.nations or ()),
            kind=o.kind,
            echelon=o.echelon,
            sidc=o.sidc,
            combined=o.combined,
            head_of_government=o.head_of_government,
            roles=tuple(Role(r.id, r.name_en or "", r.name_ja or "") for r in o.roles),
            alternate=o.alternate,
            predecessor_of=o.predecessor_of,
            source=o.source,
            assumption=o.assumption,
            unconfirmed=o.unconfirmed,
            note_en=o.note_en,
            note_ja=o.note_ja,
            c2sim_uuid=o.c2sim_uuid.lower() if o.c2sim_uuid else None,
            commander_nation=o.commander_nation,
            based_in=o.based_in,
            home=_home(o.home),
        )
        checker.names_and_source(("organizations", i), f"organization {o.id!r}", o)
        _known_nations(checker, ("organizations", i), f"organizations[{i}]", o, nation_codes)
    for i, o in enumerate(spec.organizations):
        if o.alternate is not None and o.alternate not in orgs:
            checker.error(("organizations", i, "alternate"),
                          f"organization {o.id!r}: alternate {o.alternate!r} is not defined{_did_you_mean(o.alternate, orgs)}")

    relations: list[Relation] = []
    rel_index: dict[Relation, int] = {}
    seen: set[tuple[str, str, str]] = set()
    kinds, situations = relation_kind_ids(), situation_ids()
    for i, r in enumerate(spec.relations):
        loc: Loc = ("relations", i)
        if not _known_terms(checker, loc, i, r, kinds, situations):
            continue
        missing = next(((key, ref) for key, ref in (("from", r.from_), ("to", r.to)) if ref not in orgs), None)
        if missing is not None:
            checker.error((*loc, missing[0]),
                          f"relations[{i}].{missing[0]}: unknown organization {missing[1]!r}{_did_you_mean(missing[1], orgs)}")
            continue
        if r.from_ == r.to:
            checker.error(loc, f"relations[{i}]: {r.from_!r} relates to itself")
            continue
        if (r.from_, r.to, r.kind) in seen:
            checker.error(loc, f"relations[{i}]: duplicate {r.kind} {r.from_} -> {r.to}")
            continue
        kept = _kept_by_law(orgs, r.from_, r.to, r.kind)
        if kept is not None:
            checker.error((*loc, "kind"), f"relations[{i}]: {kept}")
            continue
        seen.add((r.from_, r.to, r.kind))
        if not r.source and not r.assumption:
            checker.soft(loc, f"relations[{i}]: no source (add source: or assumption: true)")
        _check_interpreted(checker, loc, i, r.interpreted_in, r.active_in, r.note_en)
        rel = Relation(
            from_id=r.from_,
            to_id=r.to,
            kind=r.kind,
            active_in=frozenset(r.active_in) if r.active_in is not None else None,
            source=r.source,
            assumption=r.assumption,
            unconfirmed=r.unconfirmed,
            note_en=r.note_en,
            note_ja=r.note_ja,
            interpreted_in=frozenset(r.interpreted_in) if r.interpreted_in else _NO_SITUATIONS,
        )
        rel_index[rel] = i
        relations.append(rel)

    plans: list[Plan] = []
    for i, p in enumerate(spec.plans):
        for key, ref in (("owner", p.owner), ("directed_by", p.directed_by)):
            if ref is not None and ref not in orgs:
                checker.error(("plans", i, key), f"plans[{i}].{key}: unknown organization {ref!r}{_did_you_mean(ref, orgs)}")
        checker.names_and_source(("plans", i), f"plan {p.id!r}", p)
        plans.append(Plan(p.id, p.name_en or "", p.name_ja or "", p.owner, p.source, p.assumption, p.directed_by))

    checker.names_and_source((), f"architecture {spec.id!r}", spec)
    if spec.law_as_of is None:
        checker.soft(("id",), f"architecture {spec.id!r}: no law_as_of (YYYY-MM-DD): the law in force today applies")
    elif not spec.law_as_of_source:
        checker.soft(("law_as_of",), f"architecture {spec.id!r}: law_as_of needs law_as_of_source saying why that date")
    sides = _sides(spec, checker)
    _unique_c2sim_uuids(spec, checker)
    cycle = _find_cycle(relations)
    if cycle is not None:
        names = " -> ".join([*cycle[0], cycle[0][0]])
        checker.error(("relations", rel_index[cycle[1]]), f"cycle in command relations: {names}")
    heads = _heads(orgs, org_index, checker)
    reached = civilian_reach(orgs, relations, heads)
    for org in orgs.values():
        if org.kind in MILITARY_KINDS and org.id not in reached:
            loc = ("organizations", org_index[org.id])
            if org.nation not in heads:
                checker.soft(loc, f"organization {org.id!r}: nation {org.nation} has no head of government (head_of_government: true)")
            else:
                checker.soft(
                    loc,
                    f"organization {org.id!r}: no civilian chain to {heads[org.nation]!r} "
                    "through political-direction/command relations",
                )

    arch = Architecture(
        id=spec.id,
        name_en=spec.name_en or spec.id,
        name_ja=spec.name_ja or "",
        organizations=orgs,
        relations=tuple(relations),
        plans=tuple(plans),
        guidelines=spec.guidelines,
        era=spec.era,
        description_en=spec.description_en,
        description_ja=spec.description_ja,
        source=spec.source,
        path=Path(doc.path),
        law_as_of=spec.law_as_of,
        law_as_of_source=spec.law_as_of_source,
        presupposes_reforms=tuple(spec.presupposes_reforms),
        short_name_en=spec.short_name_en,
        short_name_ja=spec.short_name_ja,
        sides=sides,
        other_nations=tuple(Nation(n.id, n.name_en or n.id, n.name_ja or "", n.source, n.assumption)
                            for n in spec.other_nations),
    )
    return arch, checker.problems


def _did_you_mean(value: str, known: Mapping[str, object]) -> str:
    """" (did you mean 'x'?)" for the closest known id, else nothing."""
    import difflib

    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    """Collects problems; `soft` ones are warnings for user files and errors under --strict."""

    def __init__(self, doc: YamlDocument, soft_severity: str) -> None:
        self.doc = doc
        self.soft_severity = soft_severity
        self.problems: list[Problem] = []

    def error(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message))

    def soft(self, loc: Loc, message: str) -> None:
        self.problems.append(self.doc.problem(loc, message, self.soft_severity))

    def names_and_source(self, loc: Loc, what: str, spec: Any) -> None:
        if not getattr(spec, "name_en", None):
            self.soft(loc, f"{what}: missing English name (name_en)")
        if not getattr(spec, "name_ja", None):
            self.soft(loc, f"{what}: missing Japanese name (name_ja)")
        if not spec.source and not spec.assumption:
            self.soft(loc, f"{what}: no source (add source: or assumption: true)")


def _home(spec: Any) -> Home | None:
    if spec is None:
        return None
    return Home(spec.name_en, spec.name_ja, spec.lat, spec.lon, spec.source, spec.assumption)


def _sides(spec: Any, checker: _Checker) -> tuple[Side, ...]:
    """Force sides: unique ids, each nation on one side, hostility only toward declared sides."""
    ids = [side.id for side in spec.sides]
    owner: dict[str, str] = {}
    sides: list[Side] = []
    for i, side in enumerate(spec.sides):
        loc: Loc = ("sides", i)
        if side.id in ids[:i]:
            checker.error((*loc, "id"), f"sides[{i}].id: duplicate side {side.id!r}")
            continue
        for nation in side.nations:
            if nation in owner:
                checker.error((*loc, "nations"), f"sides[{i}]: nation {nation} is already on side {owner[nation]!r}")
            owner.setdefault(nation, side.id)
        for other in side.hostility:
            if other not in ids or other == side.id:
                what = "itself" if other == side.id else f"unknown side {other!r}"
                checker.error((*loc, "hostility", other), f"sides[{i}].hostility: {what}")
        sides.append(
            Side(
                id=side.id,
                name_en=side.name_en or side.id,
                name_ja=side.name_ja or "",
                nations=tuple(side.nations),
                hostility=tuple(side.hostility.items()),
                c2sim_uuid=side.c2sim_uuid.lower() if side.c2sim_uuid else None,
                source=side.source,
                assumption=side.assumption,
            )
        )
    return tuple(sides)


def _unique_c2sim_uuids(spec: Any, checker: _Checker) -> None:
    """A C2SIM UUID names one entity: two organizations or sides may not share it."""
    seen: dict[str, str] = {}
    for key, items in (("organizations", spec.organizations), ("sides", spec.sides)):
        for i, item in enumerate(items):
            uuid = (item.c2sim_uuid or "").lower()
            if uuid and uuid in seen:
                checker.error((key, i, "c2sim_uuid"), f"{key}[{i}].c2sim_uuid: {uuid} is already used by {seen[uuid]!r}")
            elif uuid:
                seen[uuid] = item.id
def _known_nations(checker: _Checker, loc: Loc, where: str, org: Any, known: Sequence[str]) -> None:
    """Every nation code the organization names is known, reported at its own line: one of nations.yaml's (or the
    file's `other_nations`), else an ISO 3166-1 alpha-3 code the catalog has no names for (a warning), else an
    error with the closest known code."""
    # Imported here: only validation of a file (not the cached bundled catalog) reads the ISO list.
    from iso3166 import countries_by_alpha3

    named: list[tuple[str | tuple[str, int], str]] = [("nation", org.nation)] if org.nation else []
    named += [(("nations", j), code) for j, code in enumerate(org.nations or ())]
    named += [(key, getattr(org, key)) for key in ("commander_nation", "based_in") if getattr(org, key)]
    for key, code in named:
        if code in known:
            continue
        field = f"{key[0]}[{key[1]}]" if isinstance(key, tuple) else key
        path = (*loc, *key) if isinstance(key, tuple) else (*loc, key)
        if code in countries_by_alpha3:
            checker.soft(path, f"{where}.{field} ({org.id!r}): nation {code} ({countries_by_alpha3[code].name}) is not "
                         "in the catalog's nations: declare it under other_nations with its Japanese name")
            continue
        message = UnknownIdError(f"nation in {where}.{field} ({org.id!r})", code, list(known)).describe()
        checker.error(path, message)


def _commander(orgs: Mapping[str, Organization], org_id: str) -> str:
    """The nation of the organization's commander (see `law.national.commander_nation`; here without the chain)."""
    org = orgs[org_id]
    return org.commander_nation or org.nation


def _kept_by_law(orgs: Mapping[str, Organization], sup_id: str, sub_id: str, kind: str) -> str | None:
    """Why the relation is invalid, if the subordinate's nation's law keeps this kind of authority from any other
    nation's commander (10 U.S.C. §164 keeps combatant command of U.S. forces with the U.S. commander)."""
    sup, sub = orgs[sup_id], orgs[sub_id]
    if not sub.is_military or sub.bilateral or sup.bilateral:
        return None
    kept = vocabulary().kept_by_law.get(sub.nation)
    commander = _commander(orgs, sup_id)
    if kept is None or kind not in kept.kinds or commander == sub.nation:
        return None
    return (f"{sup_id} ({commander}) cannot hold {kind} of {sub_id} ({sub.nation}): {kept.reason_en} "
            f"({kept.rule}: {kept.article}); give it opcon or tacon")


def _known_terms(
    checker: _Checker, loc: Loc, index: int, rel: Any, kinds: Sequence[str], situations: Sequence[str]
) -> bool:
    """The relation's kind and situations are the catalog's (relation-kinds.yaml, situations.yaml)."""
    if rel.kind not in kinds:
        checker.error((*loc, "kind"), UnknownIdError(f"relation kind in relations[{index}].kind", rel.kind, list(kinds)).describe())
        return False
    known = True
    for key in ("active_in", "interpreted_in"):
        for j, situation in enumerate(getattr(rel, key) or ()):
            if situation not in situations:
                what = f"situation in relations[{index}].{key}"
                checker.error((*loc, key, j), UnknownIdError(what, situation, list(situations)).describe())
                known = False
    return known


def _check_interpreted(
    checker: _Checker,
    loc: Loc,
    index: int,
    interpreted: Sequence[str],
    active: Sequence[str] | None,
    note: str | None,
) -> None:
    """`interpreted_in` names situations where the relation is active, and says why (note_en)."""
    if not interpreted:
        return
    outside = sorted(set(interpreted) - set(active)) if active is not None else []
    if outside:
        checker.error(
            (*loc, "interpreted_in"),
            f"relations[{index}].interpreted_in: {', '.join(outside)} not in active_in (the relation is not active there)",
        )
    if not note:
        checker.soft(loc, f"relations[{index}]: interpreted_in needs a note_en saying what is interpreted")


def _heads(orgs: dict[str, Organization], org_index: dict[str, int], checker: _Checker) -> dict[str, str]:
    heads: dict[str, str] = {}
    for org in orgs.values():
        if not org.head_of_government:
            continue
        loc = ("organizations", org_index[org.id])
        if org.kind != "political-authority":
            checker.error(loc, f"organization {org.id!r}: a head of government must be a political-authority")
        elif org.bilateral:
            checker.error(loc, f"organization {org.id!r}: a head of government belongs to one nation (nation:, not nations:)")
        elif org.nation in heads:
            checker.error(loc, f"organization {org.id!r}: second head of government for {org.nation} (already {heads[org.nation]!r})")
        else:
            heads[org.nation] = org.id
    return heads


def _find_cycle(relations: list[Relation]) -> tuple[list[str], Relation] | None:
    """A cycle among command-type relations (Kahn's algorithm), with one relation on it."""
    edges = [r for r in relations if r.kind in COMMAND_KINDS]
    indegree: dict[str, int] = {}
    out: dict[str, list[Relation]] = {}
    for r in edges:
        indegree[r.to_id] = indegree.get(r.to_id, 0) + 1
        indegree.setdefault(r.from_id, 0)
        out.setdefault(r.from_id, []).append(r)
    ready = [n for n, d in indegree.items() if d == 0]
    while ready:
        n = ready.pop()
        for r in out.get(n, ()):
            indegree[r.to_id] -= 1
            if indegree[r.to_id] == 0:
                ready.append(r.to_id)
    stuck = {n for n, d in indegree.items() if d > 0}
    if not stuck:
        return None
    # Walk back along stuck edges until a node repeats: that is a cycle to name.
    into = {r.to_id: r for r in edges if r.to_id in stuck and r.from_id in stuck}
    node = min(stuck)
    seen: list[str] = []
    while node not in seen:
        seen.append(node)
        node = into[node].from_id
    cycle = seen[seen.index(node) :][::-1]
    return cycle, into[cycle[0]]


def civilian_reach(
    orgs: Any,
    relations: list[Relation] | tuple[Relation, ...],
    heads: Mapping[str, str],
    situation: str | None = None,
) -> set[str]:
    """Ids reachable downward from their own nation's head of government.

    Authority runs along political-direction and command relations within the nation, and into a
    bilateral body through the membership of the nation's organizations (see `carries_authority`).
    """
    out: dict[str, list[Relation]] = {}
    for r in relations:
        if (r.kind in CIVILIAN_CHAIN_KINDS or r.kind in MEMBERSHIP_KINDS) and r.active(situation):
            out.setdefault(r.from_id, []).append(r)
    reached: set[str] = set()
    for nation, head in heads.items():
        seen: set[str] = set()
        stack = [head]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack.extend(r.to_id for r in out.get(n, ()) if carries_authority(r, orgs[r.to_id], nation))
        reached |= seen
    return reached


Validator = Callable[[YamlDocument, bool], list[Problem]]


def validator_of(build: Callable[[YamlDocument, bool], tuple[object, list[Problem]]]) -> Validator:
    """A `validate FILE` check from a builder that returns (value, problems) or raises CatalogError."""

    def validate(doc: YamlDocument, strict: bool) -> list[Problem]:
        try:
            _, problems = build(doc, strict)
        except CatalogError as exc:
            return exc.problems
        return problems

    return validate


validate_architecture_document = validator_of(lambda doc, strict: architecture_from_document(doc, strict=strict))


def validate_file(path: str | Path, *, strict: bool = False, validators: dict[str, Validator] | None = None) -> list[Problem]:
    """Every problem in a catalog file; the file's kind comes from its top-level `kind:` key."""
    try:
        doc = read_yaml(path)
    except CatalogError as exc:
        return exc.problems
    if not isinstance(doc.data, dict):
        return [doc.problem((), "expected a mapping with a top-level 'kind:' key")]
    kinds: dict[str, Validator] = {"architecture": validate_architecture_document}
    kinds.update(validators or {})
    kind = doc.data.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        what = "missing top-level 'kind:'" if kind is None else f"unknown kind {kind!r}"
        return [doc.problem(("kind",), f"{what}; expected one of: {', '.join(sorted(kinds))}")]
    return kinds[kind](doc, strict)
