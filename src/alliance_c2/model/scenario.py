"""Scenarios: injects that arrive over time, the responses each calls for, and the situations they are in.

A scenario is catalog data (`catalog/scenarios/ID.yaml`, `kind: scenario`), loaded into frozen dataclasses
that the simulation and the exercise both read. Situation and action ids are checked against the catalog's
vocabulary, with the file and line of each problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CatalogError, Problem, UnknownIdError
from .load import parse_spec, resolve_catalog_ref
from .paths import CATALOG_DIR
from .vocabulary import DOMAINS, action_ids, situation_ids
from .yamlsource import YamlDocument, read_yaml

if TYPE_CHECKING:
    from .scenario_schema import ScenarioSpec

SCENARIOS_DIR = CATALOG_DIR / "scenarios"


@dataclass(frozen=True, slots=True)
class Response:
    action: str
    nation: str
    component: str
    deadline: float


@dataclass(frozen=True, slots=True)
class Fault:
    organization: str
    effect: str  # "lost" | "degraded"
    factor: float = 3.0


@dataclass(frozen=True, slots=True)
class Inject:
    id: str
    time: float
    name_en: str
    name_ja: str
    domain: str
    place: str
    detected_by: tuple[tuple[str, str], ...]  # (nation, component) of each sensor that sees it
    detection_minutes: float
    situation: str
    synchronize: bool
    responses: tuple[Response, ...]
    faults: tuple[Fault, ...] = ()
    targeting_plan: str | None = None  # the plan (e.g. joint-target-list) that speeds target nomination


@dataclass(frozen=True, slots=True)
class Recognition:
    situation: str
    time: float


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    name_en: str
    name_ja: str
    description_en: str
    description_ja: str
    situation: str
    standing_orders: frozenset[str]
    injects: tuple[Inject, ...]
    path: str = ""
    recognitions: tuple[Recognition, ...] = ()
    source: str | None = None
    study_focus: bool = False
    short_name_en: str | None = None
    short_name_ja: str | None = None
    duration_days: float | None = None  # the contingency's expected length (an assumption where given)
    duration_note_en: str | None = None

    def name(self, lang: str = "en") -> str:
        """The scenario's name in `lang`."""
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en

    def short_name(self, lang: str = "en") -> str:
        """The short name for chart axes and table headers (the name when there is none)."""
        found = self.short_name_ja if lang == "ja" else self.short_name_en
        return found or self.name(lang)

    def to_dict(self) -> dict[str, Any]:
        """The scenario's outline as `alliance-c2 scenarios --json` prints it."""
        return {
            "id": self.id, "name_en": self.name_en, "name_ja": self.name_ja, "situation": self.situation,
            "duration_days": self.duration_days,
            "injects": [
                {"id": i.id, "time": i.time, "situation": i.situation,
                 "responses": [{"action": r.action, "nation": r.nation, "component": r.component,
                                "deadline_minutes": r.deadline} for r in i.responses]}
                for i in self.injects
            ],
        }


def scenario_ids() -> list[str]:
    """Ids of the bundled scenarios."""
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


def load_scenario(ref: str | Path | Scenario) -> Scenario:
    """A scenario by bundled id or path; CatalogError (FILE:LINE) or UnknownIdError on bad input."""
    if isinstance(ref, Scenario):
        return ref
    return _load_scenario_cached(str(resolve_catalog_ref(ref, SCENARIOS_DIR, "scenario", scenario_ids)))


@lru_cache(maxsize=64)
def _load_scenario_cached(path: str) -> Scenario:
    doc = read_yaml(path)
    problems = validate_scenario_document(doc, strict=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return _scenario_from_spec(_spec(doc), path)


def _scenario_from_spec(spec: ScenarioSpec, path: str) -> Scenario:
    situation = spec.situation
    injects = []
    for inj in sorted(spec.injects, key=lambda i: i.time):
        situation = inj.situation or situation
        injects.append(
            Inject(
                id=inj.id,
                time=inj.time,
                name_en=inj.name_en or inj.id,
                name_ja=inj.name_ja or "",
                domain=inj.domain,
                place=inj.place,
                detected_by=tuple((d.nation, d.component) for d in inj.detected_by),
                detection_minutes=inj.detection_minutes,
                situation=situation,
                synchronize=inj.synchronize,
                responses=tuple(Response(r.action, r.nation, r.component, r.deadline_minutes) for r in inj.responses),
                faults=tuple(Fault(f.organization, f.effect, f.factor) for f in inj.faults),
                targeting_plan=inj.targeting.plan if inj.targeting else None,
            )
        )
    return Scenario(
        id=spec.id,
        name_en=spec.name_en or spec.id,
        name_ja=spec.name_ja or "",
        description_en=spec.description_en or "",
        description_ja=spec.description_ja or "",
        situation=spec.situation,
        standing_orders=frozenset(spec.standing_orders),
        injects=tuple(injects),
        path=path,
        recognitions=tuple(Recognition(r.situation, r.time) for r in spec.recognitions),
        source=spec.source,
        study_focus=spec.study_focus,
        duration_days=spec.duration.days if spec.duration is not None else None,
        duration_note_en=spec.duration.note_en if spec.duration is not None else None,
        short_name_en=spec.short_name_en,
        short_name_ja=spec.short_name_ja,
    )


def validate_scenario_document(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Every problem in a scenario file: structure, ids, names and sources."""
    try:
        spec = _spec(doc)
    except CatalogError as exc:
        return exc.problems
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    actions = set(action_ids())
    situations = situation_ids()
    path = Path(doc.path)
    if path.parent == SCENARIOS_DIR and path.stem != spec.id:
        problems.append(doc.problem(("id",), f"id {spec.id!r} does not match the file name {path.stem!r}"))
    if spec.situation not in situations:
        problems.append(doc.problem(("situation",), UnknownIdError("situation", spec.situation, list(situations)).describe()))
    for key in ("name_en", "name_ja", "description_en", "description_ja"):
        if not getattr(spec, key):
            problems.append(doc.problem((), f"scenario {spec.id!r}: missing {key}", soft))
    if not spec.source and not spec.assumption:
        problems.append(doc.problem((), f"scenario {spec.id!r}: no source (add source: or assumption: true)", soft))
    for j, action in enumerate(spec.standing_orders):
        if action not in actions:
            problems.append(doc.problem(("standing_orders", j), f"standing_orders[{j}]: unknown action {action!r}"))
    if spec.standing_orders and not spec.standing_orders_source:
        problems.append(doc.problem(("standing_orders",), "standing_orders: no standing_orders_source", soft))
    for i, rec in enumerate(spec.recognitions):
        if not rec.source and not rec.assumption:
            problems.append(doc.problem(("recognitions", i), f"recognitions[{i}]: timing has no source "
                                        "(add source: or assumption: true)", soft))
        if rec.situation not in {inj.situation for inj in spec.injects if inj.situation}:
            problems.append(doc.problem(("recognitions", i, "situation"), f"recognitions[{i}]: no inject is in "
                                        f"{rec.situation!r}, so nothing waits for its recognition"))
    seen: set[str] = set()
    for i, inj in enumerate(spec.injects):
        loc: tuple[int | str, ...] = ("injects", i)
        if inj.id in seen:
            problems.append(doc.problem((*loc, "id"), f"injects[{i}].id: duplicate id {inj.id!r}"))
        seen.add(inj.id)
        if inj.situation is not None and inj.situation not in situations:
            problems.append(doc.problem((*loc, "situation"), f"injects[{i}].situation: unknown {inj.situation!r}"))
        if inj.domain not in DOMAINS:
            problems.append(doc.problem((*loc, "domain"), f"injects[{i}].domain: unknown domain {inj.domain!r}; "
                                        f"choose from: {', '.join(DOMAINS)}"))
        for key in ("name_en", "name_ja"):
            if not getattr(inj, key):
                problems.append(doc.problem(loc, f"inject {inj.id!r}: missing {key}", soft))
        if not inj.source and not inj.assumption:
            problems.append(doc.problem(loc, f"inject {inj.id!r}: timing has no source (add source: or assumption: true)", soft))
        for k, resp in enumerate(inj.responses):
            rloc = (*loc, "responses", k)
            if resp.action not in actions:
                problems.append(doc.problem((*rloc, "action"), f"injects[{i}].responses[{k}].action: unknown action "
                                            f"{resp.action!r}"))
            if not resp.source and not resp.assumption:
                problems.append(doc.problem(rloc, f"inject {inj.id!r} response {k}: deadline has no source "
                                            "(add source: or assumption: true)", soft))
        if inj.synchronize and len({r.nation for r in inj.responses}) < 2:
            problems.append(doc.problem((*loc, "synchronize"), f"inject {inj.id!r}: synchronize needs responses "
                                        "of two nations"))
    return problems


def _spec(doc: YamlDocument) -> ScenarioSpec:
    # Imported here: pydantic costs start-up time that commands not reading scenarios should not pay.
    from .scenario_schema import ScenarioSpec

    return parse_spec(ScenarioSpec, doc, "scenario")


VALIDATORS = {"scenario": validate_scenario_document}
