"""Loading and validating catalog files: bundled ids or user paths, with FILE:LINE problems."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .architecture import Architecture, Organization, Plan, Relation, Role
from .errors import CatalogError, Problem, UnknownIdError
from .schema import ArchitectureSpec
from .vocabulary import CIVILIAN_CHAIN_KINDS, COMMAND_KINDS, MILITARY_KINDS
from .yamlsource import LineDict, LineList, line_of, read_yaml

_T = TypeVar("_T", bound=BaseModel)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog"
ARCHITECTURES_DIR = CATALOG_DIR / "architectures"


def bundled_architectures() -> list[str]:
    """Ids of the bundled arrangements, in file-name order."""
    return sorted(p.stem for p in ARCHITECTURES_DIR.glob("*.yaml"))


def resolve_architecture_path(ref: str | Path) -> Path:
    """A bundled id or a path to a YAML file -> the file; UnknownIdError otherwise."""
    ref_s = str(ref)
    bundled = ARCHITECTURES_DIR / f"{ref_s}.yaml"
    if "/" not in ref_s and not ref_s.endswith((".yaml", ".yml")) and bundled.exists():
        return bundled
    path = Path(ref_s)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    raise UnknownIdError("architecture", ref_s, bundled_architectures())


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
    return _load(Path(path), strict)


def _load(path: Path, strict: bool) -> Architecture:
    data = read_yaml(path)
    arch, problems = architecture_from_data(data, str(path), strict=strict)
    errors = [p for p in problems if p.severity == "error"]
    if errors or arch is None:
        raise CatalogError(errors or problems)
    return arch


def pydantic_problems(exc: ValidationError, data: Any, path: str) -> list[Problem]:
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
        out.append(Problem(path, line_of(data, loc), f"{field}: {msg}"))
    return out


def parse_spec(model: type[_T], data: Any, path: str, what: str) -> _T:
    """Validate parsed YAML against a pydantic model; CatalogError with lines on failure."""
    if not isinstance(data, LineDict):
        line = getattr(data, "line", 1) or 1
        raise CatalogError([Problem(path, line, f"expected a mapping with 'kind: {what}' at top level")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(pydantic_problems(exc, data, path)) from None


def architecture_from_data(
    data: Any, path: str, *, strict: bool = False
) -> tuple[Architecture | None, list[Problem]]:
    """Validate parsed YAML as an arrangement; return it (if usable) and every problem found."""
    spec = parse_spec(ArchitectureSpec, data, path, "architecture")
    orgs_data: LineList = data["organizations"]
    rels_data: LineList = data.get("relations") or LineList()
    problems: list[Problem] = []
    soft = "error" if strict else "warning"

    def org_line(i: int) -> int:
        return orgs_data.item_lines[i]

    def rel_line(i: int) -> int:
        return rels_data.item_lines[i] if i < len(getattr(rels_data, "item_lines", [])) else 1

    orgs: dict[str, Organization] = {}
    for i, o in enumerate(spec.organizations):
        line = org_line(i)
        if o.id in orgs:
            problems.append(Problem(path, line, f"organizations[{i}].id: duplicate id {o.id!r}"))
            continue
        orgs[o.id] = Organization(
            id=o.id,
            name_en=o.name_en or "",
            name_ja=o.name_ja or "",
            nation=o.nation,
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
            line=line,
        )
        _check_names_and_source(problems, path, line, f"organization {o.id!r}", o, soft)
    for i, o in enumerate(spec.organizations):
        if o.alternate is not None and o.alternate not in orgs:
            problems.append(
                Problem(path, org_line(i), f"organization {o.id!r}: alternate {o.alternate!r} is not defined")
            )

    relations: list[Relation] = []
    seen_rel: set[tuple[str, str, str]] = set()
    for i, r in enumerate(spec.relations):
        line = rel_line(i)
        bad = [ref for ref in (r.from_, r.to) if ref not in orgs]
        if bad:
            problems.append(Problem(path, line, f"relations[{i}]: unknown organization {bad[0]!r}"))
            continue
        if r.from_ == r.to:
            problems.append(Problem(path, line, f"relations[{i}]: {r.from_!r} relates to itself"))
            continue
        key = (r.from_, r.to, r.kind)
        if key in seen_rel:
            problems.append(Problem(path, line, f"relations[{i}]: duplicate {r.kind} {r.from_} -> {r.to}"))
            continue
        seen_rel.add(key)
        if not r.source and not r.assumption:
            problems.append(
                Problem(path, line, f"relations[{i}]: no source (add source: or assumption: true)", soft)
            )
        relations.append(
            Relation(
                from_id=r.from_,
                to_id=r.to,
                kind=r.kind,
                active_in=frozenset(r.active_in) if r.active_in is not None else None,
                source=r.source,
                assumption=r.assumption,
                unconfirmed=r.unconfirmed,
                note_en=r.note_en,
                note_ja=r.note_ja,
                line=line,
            )
        )

    plans: list[Plan] = []
    plans_data = data.get("plans") or LineList()
    for i, p in enumerate(spec.plans):
        line = plans_data.item_lines[i]
        if p.owner is not None and p.owner not in orgs:
            problems.append(Problem(path, line, f"plans[{i}].owner: unknown organization {p.owner!r}"))
        _check_names_and_source(problems, path, line, f"plan {p.id!r}", p, soft)
        plans.append(Plan(p.id, p.name_en or "", p.name_ja or "", p.owner, p.source, p.assumption, line))

    _check_names_and_source(problems, path, data.line, f"architecture {spec.id!r}", spec, soft)
    problems.extend(_cycle_problems(relations, path))
    heads = _check_heads(orgs, path, problems)
    problems.extend(_civilian_control_problems(orgs, relations, heads, path, soft))

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
        path=Path(path),
    )
    return arch, problems


def _check_names_and_source(
    problems: list[Problem], path: str, line: int, what: str, spec: Any, severity: str
) -> None:
    if not getattr(spec, "name_en", None):
        problems.append(Problem(path, line, f"{what}: missing English name (name_en)", severity))
    if not getattr(spec, "name_ja", None):
        problems.append(Problem(path, line, f"{what}: missing Japanese name (name_ja)", severity))
    if not spec.source and not spec.assumption:
        problems.append(Problem(path, line, f"{what}: no source (add source: or assumption: true)", severity))


def _check_heads(orgs: dict[str, Organization], path: str, problems: list[Problem]) -> dict[str, str]:
    heads: dict[str, str] = {}
    for org in orgs.values():
        if not org.head_of_government:
            continue
        if org.kind != "political-authority":
            problems.append(
                Problem(path, org.line, f"organization {org.id!r}: a head of government must be a political-authority")
            )
        elif org.nation in heads:
            problems.append(
                Problem(
                    path,
                    org.line,
                    f"organization {org.id!r}: second head of government for {org.nation} "
                    f"(already {heads[org.nation]!r})",
                )
            )
        else:
            heads[org.nation] = org.id
    return heads


def _cycle_problems(relations: list[Relation], path: str) -> list[Problem]:
    """A cycle among command-type relations, found by Kahn's algorithm (one problem per file)."""
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
        return []
    # Walk back along stuck edges until a node repeats: that is a cycle to name.
    into = {r.to_id: r for r in edges if r.to_id in stuck and r.from_id in stuck}
    node = next(iter(sorted(stuck)))
    seen: list[str] = []
    while node not in seen:
        seen.append(node)
        node = into[node].from_id
    cycle = seen[seen.index(node) :][::-1]
    first = into[cycle[0]]
    names = " -> ".join([*cycle, cycle[0]])
    return [Problem(path, first.line, f"cycle in command relations: {names}")]


def _civilian_control_problems(
    orgs: dict[str, Organization],
    relations: list[Relation],
    heads: dict[str, str],
    path: str,
    severity: str,
) -> list[Problem]:
    """Military organizations that do not reach their own head of government."""
    reached = civilian_reach(orgs, relations, heads)
    problems = []
    for org in orgs.values():
        if org.kind in MILITARY_KINDS and org.id not in reached:
            if org.nation not in heads:
                msg = f"organization {org.id!r}: nation {org.nation} has no head of government (head_of_government: true)"
            else:
                msg = (
                    f"organization {org.id!r}: no civilian chain to {heads[org.nation]!r} "
                    "through political-direction/command relations"
                )
            problems.append(Problem(path, org.line, msg, severity))
    return problems


def civilian_reach(
    orgs: dict[str, Organization] | Any,
    relations: list[Relation] | tuple[Relation, ...],
    heads: dict[str, str],
    situation: str | None = None,
) -> set[str]:
    """Ids reachable downward from their own nation's head of government by civilian-chain relations."""
    out: dict[str, list[str]] = {}
    for r in relations:
        if r.kind in CIVILIAN_CHAIN_KINDS and r.active(situation):
            out.setdefault(r.from_id, []).append(r.to_id)
    reached: set[str] = set()
    for nation, head in heads.items():
        stack = [head]
        while stack:
            n = stack.pop()
            if n in reached:
                continue
            reached.add(n)
            stack.extend(c for c in out.get(n, ()) if orgs[c].nation == nation)
    return reached


Validator = Callable[[Any, str, bool], list[Problem]]


def validate_architecture_data(data: Any, path: str, strict: bool) -> list[Problem]:
    try:
        _, problems = architecture_from_data(data, path, strict=strict)
    except CatalogError as exc:
        return exc.problems
    return problems


def validate_file(path: str | Path, *, strict: bool = False, validators: dict[str, Validator] | None = None) -> list[Problem]:
    """Every problem in a catalog file; the file's kind comes from its top-level `kind:` key."""
    p = str(path)
    try:
        data = read_yaml(p)
    except CatalogError as exc:
        return exc.problems
    if not isinstance(data, LineDict):
        return [Problem(p, getattr(data, "line", 1) or 1, "expected a mapping with a top-level 'kind:' key")]
    kinds: dict[str, Validator] = {"architecture": validate_architecture_data}
    kinds.update(validators or {})
    kind = data.get("kind")
    if kind not in kinds:
        line = data.key_lines.get("kind", data.line)
        what = "missing top-level 'kind:'" if kind is None else f"unknown kind {kind!r}"
        return [Problem(p, line, f"{what}; expected one of: {', '.join(sorted(kinds))}")]
    return kinds[kind](data, p, strict)


__all__ = [
    "ARCHITECTURES_DIR",
    "CATALOG_DIR",
    "UnknownIdError",
    "bundled_architectures",
    "civilian_reach",
    "load_architecture",
    "parse_spec",
    "validate_file",
]
