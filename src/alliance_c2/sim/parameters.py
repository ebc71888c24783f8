"""Simulation parameters (`catalog/sim-parameters.yaml`): every tunable number of the model, with its range.

Pydantic specs at the edge, frozen dataclasses inside; `VALIDATORS` plugs the file kind into
`alliance-c2 validate`. Each parameter cites a source or is marked `assumption: true`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..model.errors import CatalogError, Problem, UnknownIdError
from ..model.levels import level_ids
from ..model.load import parse_spec
from ..model.paths import CATALOG_DIR
from ..model.vocabulary import COMPONENTS
from ..model.yamlsource import YamlDocument, read_yaml

PARAMETERS_FILE = CATALOG_DIR / "sim-parameters.yaml"
# How the nations synchronize at a level: each acts when ready, or the named mechanism (sync.MECHANISM).
MECHANISMS = ("none", "coordination-meeting", "combined-staff", "unified-order")
Mechanism = Literal["none", "coordination-meeting", "combined-staff", "unified-order"]


class _Sourced(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str | None = None
    assumption: bool = False
    note_en: str | None = None
    note_ja: str | None = None


class ParameterSpec(_Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    name_en: str | None = None
    name_ja: str | None = None
    value: float
    low: float | None = None
    high: float | None = None
    unit: Literal["minutes", "count", "probability", "factor", "switch"] | None = None


class SynchronizationSpec(_Sourced):
    """The mechanism by which the nations synchronize at each interoperability level (level id -> mechanism)."""

    levels: dict[str, Mechanism]


class StandInSpec(_Sourced):
    """Which nation's forces answer for a nation a scenario names, in an arrangement without that nation's forces."""

    nations: dict[str, list[str]]


class ParametersSpec(_Sourced):
    kind: Literal["sim-parameters"]
    parameters: list[ParameterSpec] = []
    synchronization: SynchronizationSpec | None = None
    components: dict[str, dict[str, list[str]]] = {}
    stand_ins: StandInSpec | None = None


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
    synchronization: dict[str, str] = field(default_factory=dict)  # level -> mechanism (MECHANISMS)
    # nation a scenario names -> nations whose forces answer for it where the arrangement has none of its own
    stand_ins: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[object, ...]:
        """A hashable fingerprint of the values (for caches shared across pickled copies)."""
        comps = tuple(sorted((n, tuple(sorted(c.items()))) for n, c in self.components.items()))
        return (tuple(sorted(self.values().items())), comps, tuple(sorted(self.synchronization.items())),
                tuple(sorted(self.stand_ins.items())))

    def mechanism(self, level: str) -> str:
        """How the nations synchronize at `level`."""
        return self.synchronization.get(level, "none")

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
        return Parameters(items, self.components, self.synchronization, self.stand_ins)

    def values(self) -> dict[str, float]:
        return {k: p.value for k, p in self.items.items()}

    def recording(self, seen: set[str]) -> Parameters:
        """The same parameters, adding to `seen` the id of every one that is read."""
        return _RecordingParameters(self, seen)


class _RecordingParameters(Parameters):
    """Parameters that remember which were read (to know what a compiled model depends on)."""

    def __init__(self, base: Parameters, seen: set[str]) -> None:
        super().__init__(base.items, base.components, base.synchronization, base.stand_ins)
        object.__setattr__(self, "_seen", seen)

    def __getitem__(self, key: str) -> float:
        self._seen.add(key)  # type: ignore[attr-defined]
        return super().__getitem__(key)

    def get(self, key: str, default: float) -> float:
        self._seen.add(key)  # type: ignore[attr-defined]
        return super().get(key, default)


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
        params = Parameters(params.items, merged, params.synchronization, params.stand_ins)
    if spec.synchronization is not None:
        params = Parameters(params.items, params.components, {**params.synchronization, **spec.synchronization.levels},
                            params.stand_ins)
    if spec.stand_ins is not None:
        params = Parameters(params.items, params.components, params.synchronization,
                            {**params.stand_ins, **{n: tuple(v) for n, v in spec.stand_ins.nations.items()}})
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
    if spec.synchronization is None:
        raise CatalogError([doc.problem((), "synchronization: missing (the mechanism of each interoperability level)")])
    stand_ins = {n: tuple(v) for n, v in spec.stand_ins.nations.items()} if spec.stand_ins else {}
    return Parameters(items, components, dict(spec.synchronization.levels), stand_ins)


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
    problems += _synchronization_problems(doc, spec.synchronization, soft)
    for nation, comps in spec.components.items():
        for comp in comps:
            if comp not in COMPONENTS:
                problems.append(doc.problem(("components", nation, comp), f"components.{nation}: unknown component "
                                            f"{comp!r}; choose from: {', '.join(COMPONENTS)}"))
    return problems


def _synchronization_problems(doc: YamlDocument, spec: SynchronizationSpec | None, soft: str) -> list[Problem]:
    """Every interoperability level (levels.yaml) has one mechanism; the mapping is sourced or assumed."""
    if spec is None:
        return []
    levels = level_ids()
    problems = [doc.problem(("synchronization", "levels", level), f"synchronization.levels: unknown level {level!r}; "
                            f"choose from: {', '.join(levels)}") for level in spec.levels if level not in levels]
    missing = [level for level in levels if level not in spec.levels]
    if missing:
        problems.append(doc.problem(("synchronization", "levels"), f"synchronization.levels: no mechanism for "
                                    f"{', '.join(missing)}"))
    if not spec.source and not spec.assumption:
        problems.append(doc.problem(("synchronization",), "synchronization: no source (add source: or assumption: true)",
                                    soft))
    return problems


VALIDATORS = {"sim-parameters": validate_parameters_document}
