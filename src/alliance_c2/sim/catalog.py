"""Scenario and simulation-parameter files: pydantic specs at the edge, frozen dataclasses inside.

`VALIDATORS` plugs both kinds into `alliance-c2 validate` (see `alliance_c2.validators`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.errors import CatalogError, Problem, UnknownIdError
from ..model.load import CATALOG_DIR, parse_spec
from ..model.schema import Situation
from ..model.vocabulary import SITUATIONS
from ..model.yamlsource import YamlDocument, read_yaml

SCENARIOS_DIR = CATALOG_DIR / "scenarios"
PARAMETERS_FILE = CATALOG_DIR / "sim-parameters.yaml"
COMPONENTS = ("ground", "maritime", "air", "missile-defense", "cyber", "space", "joint")
DOMAINS = ("air-missile", "maritime", "ground", "air", "cyber", "space", "disaster", "multi")
Component = Literal["ground", "maritime", "air", "missile-defense", "cyber", "space", "joint"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Sourced(_Spec):
    source: str | None = None
    assumption: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class ForceSpec(_Spec):
    nation: str = Field(pattern=r"^[A-Z]{2,3}$")
    component: Component


class ResponseSpec(_Sourced):
    action: str
    nation: str = Field(pattern=r"^[A-Z]{2,3}$")
    component: Component
    deadline_minutes: float = Field(gt=0)


class FaultSpec(_Sourced):
    organization: str
    effect: Literal["lost", "degraded"] = "degraded"
    factor: float = Field(default=3.0, ge=1.0)


class TargetingSpec(_Sourced):
    """Targets must be nominated before strike orders: quickly from an agreed target list, slowly without one."""

    plan: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")


class InjectSpec(_Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    time: float = Field(ge=0)
    name_en: str | None = None
    name_ja: str | None = None
    domain: str
    place: str
    detected_by: list[ForceSpec] = Field(min_length=1)
    detection_minutes: float = Field(default=1.0, ge=0)
    situation: Situation | None = None
    synchronize: bool = False
    responses: list[ResponseSpec] = Field(min_length=1)
    faults: list[FaultSpec] = []
    targeting: TargetingSpec | None = None


class RecognitionSpec(_Sourced):
    """The moment the political process to recognize a situation begins (before the first inject in it)."""

    situation: Situation
    time: float = Field(ge=0)


class ScenarioSpec(_Sourced):
    kind: Literal["scenario"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_en: str | None = None
    name_ja: str | None = None
    short_name_en: str | None = None  # for chart axes and table headers
    short_name_ja: str | None = None
    description_en: str | None = None
    description_ja: str | None = None
    situation: Situation
    standing_orders: list[str] = []
    standing_orders_source: str | None = None
    recognitions: list[RecognitionSpec] = []
    # One of the situations the study itself puts its weight on (IAMD with counterstrike, Taiwan, compound).
    study_focus: bool = False
    injects: list[InjectSpec] = Field(min_length=1)


class ParameterSpec(_Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    name_en: str | None = None
    name_ja: str | None = None
    value: float
    low: float | None = None
    high: float | None = None
    unit: Literal["minutes", "count", "probability", "factor", "switch"] | None = None


class ParametersSpec(_Sourced):
    kind: Literal["sim-parameters"]
    parameters: list[ParameterSpec] = []
    components: dict[str, dict[str, list[str]]] = {}


# ---- plain objects used by the process model --------------------------------------------------


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

    def name(self, lang: str = "en") -> str:
        return self.name_ja if lang == "ja" and self.name_ja else self.name_en

    def short_name(self, lang: str = "en") -> str:
        found = self.short_name_ja if lang == "ja" else self.short_name_en
        return found or self.name(lang)


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    value: float
    low: float
    high: float
    unit: str
    source: str | None
    assumption: bool
    name_en: str = ""
    name_ja: str = ""
    note_en: str | None = None

    def name(self, lang: str = "en") -> str:
        return (self.name_ja if lang == "ja" else self.name_en) or self.id


@dataclass(frozen=True, eq=False)
class Parameters:
    """Every tunable number of the model, with its range; `with_values` gives a changed copy."""

    items: dict[str, Parameter]
    components: dict[str, dict[str, tuple[str, ...]]]

    @property
    def key(self) -> tuple[object, ...]:
        """A hashable fingerprint of the values (for caches shared across pickled copies)."""
        comps = tuple(sorted((n, tuple(sorted(c.items()))) for n, c in self.components.items()))
        return (tuple(sorted(self.values().items())), comps)

    def __getitem__(self, key: str) -> float:
        return self.items[key].value

    def get(self, key: str, default: float) -> float:
        item = self.items.get(key)
        return item.value if item is not None else default

    def with_values(self, values: dict[str, float]) -> Parameters:
        items = dict(self.items)
        for key, value in values.items():
            if key not in items:
                raise UnknownIdError("simulation parameter", key, sorted(items))
            old = items[key]
            items[key] = Parameter(key, float(value), old.low, old.high, old.unit, old.source, old.assumption,
                                   old.name_en, old.name_ja, old.note_en)
        return Parameters(items, self.components)

    def values(self) -> dict[str, float]:
        return {k: p.value for k, p in self.items.items()}

    def recording(self, seen: set[str]) -> Parameters:
        """The same parameters, adding to `seen` the id of every one that is read."""
        return _RecordingParameters(self, seen)


class _RecordingParameters(Parameters):
    """Parameters that remember which were read (to know what a compiled model depends on)."""

    def __init__(self, base: Parameters, seen: set[str]) -> None:
        super().__init__(base.items, base.components)
        object.__setattr__(self, "_seen", seen)

    def __getitem__(self, key: str) -> float:
        self._seen.add(key)  # type: ignore[attr-defined]
        return super().__getitem__(key)

    def get(self, key: str, default: float) -> float:
        self._seen.add(key)  # type: ignore[attr-defined]
        return super().get(key, default)


# ---- loading ----------------------------------------------------------------------------------


def scenario_ids() -> list[str]:
    """Ids of the bundled scenarios."""
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


def _scenario_path(ref: str | Path) -> Path:
    ref_s = str(ref)
    bundled = SCENARIOS_DIR / f"{ref_s}.yaml"
    if "/" not in ref_s and not ref_s.endswith((".yaml", ".yml")) and bundled.exists():
        return bundled
    path = Path(ref_s)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    raise UnknownIdError("scenario", ref_s, scenario_ids())


def load_scenario(ref: str | Path | Scenario) -> Scenario:
    """A scenario by bundled id or path; CatalogError (FILE:LINE) or UnknownIdError on bad input."""
    if isinstance(ref, Scenario):
        return ref
    return _load_scenario_cached(str(_scenario_path(ref)))


@lru_cache(maxsize=64)
def _load_scenario_cached(path: str) -> Scenario:
    doc = read_yaml(path)
    problems = validate_scenario_document(doc, strict=False)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    spec = parse_spec(ScenarioSpec, doc, "scenario")
    return _scenario_from_spec(spec, path)


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
        short_name_en=spec.short_name_en,
        short_name_ja=spec.short_name_ja,
    )


def _known_actions() -> set[str]:
    try:
        data = read_yaml(CATALOG_DIR / "actions.yaml").data
        return {item["id"] for item in data.get("items", [])}
    except (CatalogError, AttributeError, KeyError, TypeError):
        return set()


def validate_scenario_document(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Every problem in a scenario file: structure, ids, names and sources."""
    try:
        spec = parse_spec(ScenarioSpec, doc, "scenario")
    except CatalogError as exc:
        return exc.problems
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    actions = _known_actions()
    path = Path(doc.path)
    if path.parent == SCENARIOS_DIR and path.stem != spec.id:
        problems.append(doc.problem(("id",), f"id {spec.id!r} does not match the file name {path.stem!r}"))
    for key in ("name_en", "name_ja", "description_en", "description_ja"):
        if not getattr(spec, key):
            problems.append(doc.problem((), f"scenario {spec.id!r}: missing {key}", soft))
    if not spec.source and not spec.assumption:
        problems.append(doc.problem((), f"scenario {spec.id!r}: no source (add source: or assumption: true)", soft))
    for j, action in enumerate(spec.standing_orders):
        if actions and action not in actions:
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
        if inj.situation is not None and inj.situation not in SITUATIONS:
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
            if actions and resp.action not in actions:
                problems.append(doc.problem((*rloc, "action"), f"injects[{i}].responses[{k}].action: unknown action "
                                            f"{resp.action!r}"))
            if not resp.source and not resp.assumption:
                problems.append(doc.problem(rloc, f"inject {inj.id!r} response {k}: deadline has no source "
                                            "(add source: or assumption: true)", soft))
        if inj.synchronize and len({r.nation for r in inj.responses}) < 2:
            problems.append(doc.problem((*loc, "synchronize"), f"inject {inj.id!r}: synchronize needs responses "
                                        "of two nations"))
    return problems


def load_parameters(override: str | Path | None = None) -> Parameters:
    """The bundled parameters, with values from an override file (same kind, `id` + `value`) if given."""
    base = _bundled_parameters()
    if override is None:
        return base
    doc = read_yaml(override)
    spec = parse_spec(ParametersSpec, doc, "sim-parameters")
    values: dict[str, float] = {}
    for i, item in enumerate(spec.parameters):
        if item.id not in base.items:
            close = UnknownIdError("simulation parameter", item.id, sorted(base.items)).describe()
            raise CatalogError([doc.problem(("parameters", i, "id"), f"parameters[{i}].id: {close}")])
        values[item.id] = item.value
    params = base.with_values(values)
    if spec.components:
        merged = dict(params.components)
        for nation, comps in spec.components.items():
            merged[nation] = {**merged.get(nation, {}), **{c: tuple(ids) for c, ids in comps.items()}}
        params = Parameters(params.items, merged)
    return params


@lru_cache(maxsize=1)
def _bundled_parameters() -> Parameters:
    doc = read_yaml(PARAMETERS_FILE)
    errors = [p for p in validate_parameters_document(doc, strict=False) if p.severity == "error"]
    if errors:
        raise CatalogError(errors)
    spec = parse_spec(ParametersSpec, doc, "sim-parameters")
    items = {
        p.id: Parameter(
            p.id,
            p.value,
            p.low if p.low is not None else p.value,
            p.high if p.high is not None else p.value,
            p.unit or "minutes",
            p.source,
            p.assumption,
            p.name_en or "",
            p.name_ja or "",
            p.note_en,
        )
        for p in spec.parameters
    }
    components = {n: {c: tuple(ids) for c, ids in comps.items()} for n, comps in spec.components.items()}
    return Parameters(items, components)


def validate_parameters_document(doc: YamlDocument, strict: bool) -> list[Problem]:
    """Every problem in a sim-parameters file: ids, ranges, sources."""
    try:
        spec = parse_spec(ParametersSpec, doc, "sim-parameters")
    except CatalogError as exc:
        return exc.problems
    soft = "error" if strict else "warning"
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, p in enumerate(spec.parameters):
        loc: tuple[int | str, ...] = ("parameters", i)
        if p.id in seen:
            problems.append(doc.problem((*loc, "id"), f"parameters[{i}].id: duplicate id {p.id!r}"))
        seen.add(p.id)
        if p.low is not None and p.high is not None:
            if not p.low <= p.value <= p.high:
                problems.append(doc.problem((*loc, "value"), f"parameter {p.id!r}: value {p.value} outside "
                                            f"[{p.low}, {p.high}]"))
        else:
            problems.append(doc.problem(loc, f"parameter {p.id!r}: no sensitivity range (low:, high:)", soft))
        if p.value < 0:
            problems.append(doc.problem((*loc, "value"), f"parameter {p.id!r}: negative value"))
        if not p.source and not p.assumption:
            problems.append(doc.problem(loc, f"parameter {p.id!r}: no source (add source: or assumption: true)", soft))
        if not p.name_en or not p.name_ja:
            problems.append(doc.problem(loc, f"parameter {p.id!r}: missing name_en or name_ja", soft))
    for nation, comps in spec.components.items():
        for comp in comps:
            if comp not in COMPONENTS:
                problems.append(doc.problem(("components", nation, comp), f"components.{nation}: unknown component "
                                            f"{comp!r}; choose from: {', '.join(COMPONENTS)}"))
    return problems


VALIDATORS = {
    "scenario": validate_scenario_document,
    "sim-parameters": validate_parameters_document,
}
