"""The Python API: what the command line does, as functions returning typed results.

`from alliance_c2 import load_architecture, analyze, check, audit, simulate, evaluate, export,
import_file`. Each function takes a bundled id or a path to a YAML file wherever it takes an
arrangement, raises `CatalogError` / `UnknownIdError` / `ValueError` on bad input with the same
one-line message the command line prints, and returns the objects the command line prints from;
`--json` prints their serialization (`to_dict()`). Tabular results turn into pandas frames with
`.to_frame()`.

Each function imports the layer it fronts when it is called (the simulation, the report and interchange
need NumPy, matplotlib and lxml, about 0.3 s to import), so that `check` and `analyze` start fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Architecture, CatalogError, Problem, bundled_architectures
from .model import load_architecture as _load_architecture
from .model.levels import VALIDATORS as LEVEL_VALIDATORS
from .model.load import validate_file
from .model.vocabulary import VALIDATORS as VOCABULARY_VALIDATORS

if TYPE_CHECKING:
    from .analysis import Analysis, ArrangementSummary, OverviewRow
    from .interop import OrderCheck
    from .law import AuditReport, Reform, Verdict
    from .model.guidelines import GuidelinesVersion
    from .model.scenario import Scenario
    from .report.results import Evaluation
    from .sim import FaultEvent, Parameters, SimulationResult, TraceEvent

ArchitectureRef = str | Path | Architecture
EXPORT_FORMATS = ("c2sim", "json", "graphml", "yaml")
IMPORT_FORMATS = ("c2sim", "json")
_SUFFIX_FORMATS = {".xml": "c2sim", ".json": "json"}


# --- arrangements and structure -----------------------------------------------------------------


def load_architecture(ref: ArchitectureRef, *, strict: bool = False) -> Architecture:
    """Load an arrangement.

    Args:
        ref: a bundled id (`"2024-proposal"`), a path to a catalog YAML file, or an Architecture.
        strict: treat incompleteness (missing names, sources, civilian chain) as errors.

    Returns:
        The validated Architecture (organizations, relations, plans).

    Raises:
        CatalogError: the file has errors (`FILE:LINE: message`).
        UnknownIdError: no bundled arrangement has that id.
    """
    return _load_architecture(ref, strict=strict)


def architectures() -> list[ArrangementSummary]:
    """Every bundled arrangement with its size and its levels in the reference and ordinary situations."""
    # Imported on call: the structural analysis costs start-up time that `check` does not need.
    from .analysis import summarize

    return [summarize(_load_architecture(a)) for a in bundled_architectures()]


def analyze(arch: ArchitectureRef, situation: str | None = None) -> Analysis:
    """Derive the interoperability level, chains of command, civilian control and single points of failure.

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        situation: a situation id (see `alliance-c2 situations`); default: the catalog's reference situation.

    Returns:
        An Analysis: `.level`, `.level_evidence`, `.chains`, `.single_points_of_failure`, `.to_dict()`.
    """
    # Imported on call: the structural analysis costs start-up time that `check` does not need.
    from .analysis import analyze as run

    return run(_load_architecture(arch), situation)


def compare(a: ArchitectureRef, b: ArchitectureRef, situation: str | None = None) -> dict[str, Any]:
    """Two arrangements side by side in one situation, and what exists or is related in only one of them."""
    # Imported on call: the structural analysis costs start-up time that `check` does not need.
    from .analysis import compare as run

    return run(_load_architecture(a), _load_architecture(b), situation)


def compare_all(archs: Iterable[ArchitectureRef] | None = None) -> list[OverviewRow]:
    """Several arrangements (default: every bundled one): levels in every situation, structure in the reference one."""
    # Imported on call: the structural analysis costs start-up time that `check` does not need.
    from .analysis import overview

    refs = list(archs) if archs else list(bundled_architectures())
    return overview([_load_architecture(a) for a in refs])


def diagram(arch: ArchitectureRef, *, lang: str = "en", situation: str | None = None) -> str:
    """The arrangement as a self-contained SVG diagram with a legend, in `situation` (default: the reference one)."""
    # Imported on call: drawing needs the APP-6 symbol engine (quickjs).
    from .report.diagram import architecture_svg

    return architecture_svg(_load_architecture(arch), lang=lang, situation=situation)


def new_arrangement(new_id: str, source: ArchitectureRef, file_hint: str = "FILE.yaml") -> str:
    """A commented catalog YAML copy of `source` under `new_id`, to edit into one's own arrangement.

    Raises ValueError when `new_id` is not a valid id or is a bundled arrangement's.
    """
    # Imported on call: interchange needs lxml.
    from .interop.yamlio import is_valid_id, template_yaml

    if not is_valid_id(new_id):
        raise ValueError(f"ID: {new_id!r} is not a valid id; use lower-case letters, digits and hyphens "
                         "(e.g. my-arrangement)")
    if new_id in bundled_architectures():
        raise ValueError(f"ID: {new_id!r} is a bundled arrangement's id; choose another (e.g. {new_id}-variant)")
    return template_yaml(_load_architecture(source), new_id, file_hint)


def validate(path: str | Path, *, strict: bool = False) -> list[Problem]:
    """Every problem in one catalog file of any kind (told by its top-level `kind:` key)."""
    # Imported on call: the law's, the Guidelines', the simulation's and interchange's checks need pydantic,
    # NumPy and lxml.
    from .interop.task_verbs import VALIDATORS as TASK_VALIDATORS
    from .law.validation import VALIDATORS as LAW_VALIDATORS
    from .model.guidelines import VALIDATORS as GUIDELINES_VALIDATORS
    from .model.scenario import VALIDATORS as SCENARIO_VALIDATORS
    from .report.references import VALIDATORS as REFERENCE_VALIDATORS
    from .sim.parameters import VALIDATORS as PARAMETER_VALIDATORS

    validators = {**LEVEL_VALIDATORS, **SCENARIO_VALIDATORS, **VOCABULARY_VALIDATORS, **LAW_VALIDATORS,
                  **PARAMETER_VALIDATORS, **GUIDELINES_VALIDATORS, **TASK_VALIDATORS, **REFERENCE_VALIDATORS}
    return validate_file(path, strict=strict, validators=validators)


def guidelines() -> list[GuidelinesVersion]:
    """Every version of the Guidelines, oldest first."""
    # Imported on call: the Guidelines' schema is pydantic, whose import costs start-up time.
    from .model.guidelines import guidelines_versions, load_guidelines

    return [load_guidelines(v) for v in guidelines_versions()]


def guidelines_version(version: str) -> GuidelinesVersion:
    """One version of the Guidelines: context, sections, elements it set up, laws that followed."""
    # Imported on call: the Guidelines' schema is pydantic, whose import costs start-up time.
    from .model.guidelines import load_guidelines

    return load_guidelines(version)


def guidelines_diff(a: str, b: str) -> dict[str, Any]:
    """What version `b` of the Guidelines added, replaced, changed and removed against `a`."""
    # Imported on call: the Guidelines' schema is pydantic, whose import costs start-up time.
    from .model.guidelines import diff_guidelines

    return diff_guidelines(a, b)


# --- law ------------------------------------------------------------------------------------------


def check(
    arch: ArchitectureRef,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None = None,
    reforms: Iterable[str] = (),
    *,
    as_of: date | None = None,
) -> Verdict:
    """May `unit` carry out `action` in `situation` on the order of `ordered_by`, and who must approve first?

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        situation: the legal situation (see `alliance-c2 situations`).
        action: the action, e.g. "use-of-force" (see `alliance-c2 actions`).
        unit: the organization that would act, e.g. "usa-7th-fleet".
        ordered_by: who gives the order (default: the unit's own national chain).
        reforms: reforms to switch on, e.g. ["opcon-transfer-act"].
        as_of: apply the law in force on this date (default: the arrangement's `law_as_of`).

    Returns:
        A Verdict: `.allowed`, `.blocked_by`, `.approval_steps` in order, `.chain`, `.findings`, `.citations`.
    """
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import check as run

    return run(_load_architecture(arch), situation, action, unit, ordered_by, reforms, as_of=as_of)


def audit(arch: ArchitectureRef, reforms: Iterable[str] = (), *, as_of: date | None = None) -> AuditReport:
    """Every legal finding an arrangement produces, as the study's constraints × situations.

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        reforms: reforms to switch on.
        as_of: apply the law in force on this date (default: the arrangement's `law_as_of`).

    Returns:
        An AuditReport: `.matrix()`, `.reforms_that_clear()`, `.relations`, `.to_frame()` (one row per cell).
    """
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import audit as run

    return run(_load_architecture(arch), reforms, as_of=as_of)


def situations() -> list[dict[str, Any]]:
    """The legal situations as the law catalog describes them (names, basis, procedure, earlier definitions)."""
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import default_catalog

    catalog = default_catalog()
    return [catalog.describe_situation(s) for s in catalog.situations]


def actions() -> list[dict[str, Any]]:
    """The actions as the law catalog describes them (every dated version of the rule per situation)."""
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import default_catalog

    catalog = default_catalog()
    return [catalog.describe_action(a) for a in catalog.actions]


def approvals() -> list[dict[str, Any]]:
    """Every approval (procedural step) with whose authority gives it, the law that asks for it, its kind and source,
    and the rules of each nation's law and treaty that ask for it."""
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import default_catalog

    catalog = default_catalog()
    asking: dict[str, list[str]] = {}
    for rule in catalog.rules.values():
        if rule.approval:
            asking.setdefault(rule.approval, []).append(rule.id)
    return [{**a.to_dict(), "rules": asking.get(a.id, [])} for a in catalog.approvals.values()]


def law_rules() -> list[dict[str, Any]]:
    """Every rule of each nation's law and of the treaties: kind, dates, what it does, source."""
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import default_catalog

    return [r.to_dict() for r in default_catalog().rules.values()]


def reforms() -> list[Reform]:
    """The reforms (switches) and the constraints each lifts or eases."""
    # Imported on call: the law costs start-up time that `analyze` and the listings do not need.
    from .law import default_catalog

    return list(default_catalog().reforms.values())


# --- simulation and the report --------------------------------------------------------------------


def scenarios() -> list[Scenario]:
    """The bundled scenarios."""
    # Imported on call: scenarios cost start-up time that `check` and `analyze` do not need.
    from .model.scenario import load_scenario, scenario_ids

    return [load_scenario(s) for s in scenario_ids()]


def simulate(
    scenario: str | Scenario,
    archs: ArchitectureRef | Iterable[ArchitectureRef],
    *,
    runs: int = 100,
    seed: int = 0,
    faults: Iterable[str | FaultEvent] = (),
    reforms: Iterable[str] = (),
    params: Parameters | str | Path | None = None,
    as_of: date | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Monte Carlo runs of a scenario in one or more arrangements, reproducible by seed.

    Args:
        scenario: a bundled scenario id (e.g. "bmd-salvo") or a scenario file.
        archs: one arrangement or several (bundled ids, YAML paths or Architectures).
        runs: runs per arrangement, 1 to `alliance_c2.sim.limits.MAX_RUNS`; more than memory can hold is refused.
        seed: a whole number 0 or greater; the same seed gives the same results.
        faults: "ORG@MINUTES" (organization lost) or "ORG~ORG@MINUTES" (link degraded).
        reforms: reforms to switch on.
        params: parameter overrides (a file or Parameters).
        as_of: apply the law in force on this date (default: each arrangement's `law_as_of`).
        executor: "local" (processes on this machine), "inline" or "dask".
        scheduler: a Dask scheduler address (with executor="dask").
        workers: worker processes (default: all cores).
        progress: called with (runs done, runs in total).

    Returns:
        A SimulationResult: `.summary()`, `.to_dict()`, `.to_frame()` (one row per arrangement, run and inject).
    """
    # Imported on call: NumPy and the worker pool cost start-up time the other commands should not pay.
    from .sim import simulate as run

    return run(scenario, _arch_refs(archs), runs=runs, seed=seed, faults=faults, reforms=reforms, params=params,
               as_of=as_of, executor=executor, scheduler=scheduler, workers=workers, progress=progress)


def trace(
    scenario: str | Scenario,
    arch: ArchitectureRef,
    *,
    seed: int = 0,
    run_index: int = 0,
    faults: Iterable[str | FaultEvent] = (),
    reforms: Iterable[str] = (),
    params: str | Path | None = None,
    as_of: date | None = None,
) -> list[TraceEvent]:
    """Every event of one run, in time order: the same run as run `run_index` of `simulate(..., seed=seed)`."""
    # Imported on call: NumPy and the worker pool cost start-up time the other commands should not pay.
    from .sim import load_parameters, trace_run

    ref = arch if isinstance(arch, Architecture) else str(arch)
    return trace_run(ref, scenario, seed=seed, run_index=run_index, faults=faults, reforms=reforms,
                     params=load_parameters(params), as_of=as_of)


def sensitivity(
    scenario: str,
    archs: Iterable[str],
    *,
    runs: int = 200,
    seed: int = 0,
    params: str | Path | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Each parameter at both ends of its range: which arrangement is best, and where the comparison flips."""
    # Imported on call: NumPy and the worker pool cost start-up time the other commands should not pay.
    from .sim.sensitivity import sensitivity as run

    return run(scenario, list(archs), runs=runs, seed=seed, params=params, workers=workers, progress=progress)


def evaluate(
    *,
    runs: int | None = None,
    archs: Iterable[str] | None = None,
    scenarios: Iterable[str] | None = None,
    lang: str = "en",
    out: str | Path = "alliance-c2-report",
    seed: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    pdf: bool = True,
) -> Evaluation:
    """The main job: structure, legal audit, simulation suite and sensitivity, written as a report.

    Args:
        runs: Monte Carlo runs per case (default: `report.evaluate.DEFAULT_RUNS`).
        archs: arrangement ids (default: every bundled one).
        scenarios: scenario ids (default: every bundled one).
        lang: "en" or "ja", the report's language.
        out: the directory for report.html, results.json and results.csv.
        seed: a whole number 0 or greater; the same seed gives the same report (default: `DEFAULT_SEED`).
        progress: called with (stage, done, total).
        pdf: also print report.pdf (headless Chromium); `.pdf_problem` says why when it could not.

    Returns:
        An Evaluation: typed results (`.structure`, `.legal`, `.simulation`, `.answer` ...), `.to_dict()`
        (results.json), `.report_path`, `.to_frame()` (every figure).
    """
    # Imported on call: the report needs NumPy, matplotlib and jinja2.
    from .report.evaluate import DEFAULT_RUNS, DEFAULT_SEED
    from .report.evaluate import evaluate as run

    return run(runs=DEFAULT_RUNS if runs is None else runs, archs=archs, scenarios=scenarios, lang=lang, out=out,
               seed=DEFAULT_SEED if seed is None else seed, progress=progress, pdf=pdf)


def _arch_refs(archs: ArchitectureRef | Iterable[ArchitectureRef]) -> list[str | Architecture]:
    """One or several arrangements as the runner takes them (paths as text)."""
    items = [archs] if isinstance(archs, str | Path | Architecture) else list(archs)
    return [a if isinstance(a, Architecture) else str(a) for a in items]


# --- interchange ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """An arrangement in an interchange format, with what the format could not carry."""

    format: str
    content: bytes
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The content as text (every format is UTF-8)."""
        return self.content.decode("utf-8")

    def write(self, path: str | Path) -> Path:
        """Write the content to `path` and return it."""
        target = Path(path)
        target.write_bytes(self.content)
        return target


def export(
    arch: ArchitectureRef,
    format: str,
    *,
    c2sim_schema: str | None = None,
    situation: str | None = None,
) -> Exported:
    """An arrangement as C2SIM initialization XML, JSON, GraphML or catalog YAML.

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        format: "c2sim", "json", "graphml" or "yaml".
        c2sim_schema: C2SIM edition (default: the newest supported).
        situation: C2SIM only: export just the relations active in this situation.

    Returns:
        Exported: `.content` (bytes), `.text`, `.warnings` (what C2SIM left out), `.write(path)`.
    """
    # Imported on call: interchange needs lxml.
    from . import interop
    from .interop.yamlio import export_yaml

    architecture = _load_architecture(arch)
    if format == "yaml":
        return Exported(format, export_yaml(architecture).encode("utf-8"))
    if format == "json":
        return Exported(format, interop.export_json(architecture).encode("utf-8"))
    if format == "graphml":
        return Exported(format, interop.export_graphml(architecture))
    if format == "c2sim":
        result = (interop.export_c2sim(architecture, schema=c2sim_schema, situation=situation) if c2sim_schema
                  else interop.export_c2sim(architecture, situation=situation))
        return Exported(format, result.xml, tuple(result.warnings))
    raise ValueError(f"format: unknown value {format!r}; choose from: {', '.join(EXPORT_FORMATS)}")


@dataclass(frozen=True)
class Imported:
    """An arrangement read from an interchange file, as catalog YAML and as a validated Architecture."""

    architecture: Architecture
    yaml: str
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...]
    path: str = ""
    edition: str | None = None  # the C2SIM edition read (None for JSON)

    def write(self, path: str | Path) -> Path:
        """Write the catalog YAML to `path` and return it."""
        target = Path(path)
        target.write_text(self.yaml, encoding="utf-8")
        return target

    @property
    def validation_warnings(self) -> list[Problem]:
        """What `alliance-c2 validate` would warn about in the imported arrangement."""
        return [p for p in self.problems if p.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        """What was imported, as `alliance-c2 import --json` prints it."""
        arch = self.architecture
        return {"file": self.path, "edition": self.edition, "id": arch.id, "organizations": len(arch.organizations),
                "relations": len(arch.relations), "sides": len(arch.sides), "warnings": list(self.warnings),
                "validation_warnings": len(self.validation_warnings)}


def import_file(
    path: str | Path, format: str | None = None, *, c2sim_schema: str | None = None, yaml_path: str | None = None
) -> Imported:
    """Read a C2SIM initialization message or a JSON arrangement.

    The source's arrangement id is kept unless a bundled arrangement has it; then it becomes
    `ID-imported` and a warning says so.

    Args:
        path: the file to read (at most 64 MiB; pipes and devices count the bytes actually read).
        format: "c2sim" or "json" (default: from the suffix, .xml or .json).
        c2sim_schema: force one C2SIM edition (default: told by the namespace and the schemas).
        yaml_path: where the YAML will be written, so that problems name that file.

    Returns:
        Imported: `.architecture`, `.yaml` (catalog YAML), `.warnings`, `.problems` (validation warnings).

    Raises:
        CatalogError: the file cannot be read as an arrangement (`FILE:LINE: message`).
    """
    # Imported on call: interchange needs lxml.
    from . import interop
    from .interop.yamlio import distinct_from_bundled

    kind = format or _SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if kind not in IMPORT_FORMATS:
        raise CatalogError([Problem(str(path), 1, f"give the format: one of {', '.join(IMPORT_FORMATS)}")])
    warnings: tuple[str, ...] = ()
    edition = None
    if kind == "json":
        arch, _, found = interop.import_json(path)
        text, problems = interop.arrangement_yaml(interop.arrangement_data(arch)), tuple(found)
    else:
        result = interop.import_c2sim(path, yaml_path=yaml_path, edition=c2sim_schema)
        arch, text, warnings, problems = result.architecture, result.yaml(), tuple(result.warnings), result.problems
        edition = result.edition_label
    text, arch, notice = distinct_from_bundled(text, arch)
    notes = (*warnings, notice) if notice else warnings
    return Imported(arch, text, notes, tuple(problems), str(path), edition)


def order(arch: ArchitectureRef, action: str, unit: str, ordered_by: str, *, c2sim_schema: str | None = None,
          issued: datetime | None = None) -> bytes:
    """A C2SIM order message: `ordered_by` orders `unit` to do `action` (unit UUIDs as in the C2SIM export).

    Raises ValueError when the unit cannot take a C2SIM task (not a military organization of the arrangement).
    """
    # Imported on call: interchange needs lxml.
    from .interop import OrderRecord, order_message

    now = issued or datetime.now(UTC).replace(microsecond=0)
    records = [OrderRecord(ordered_by, unit, action, now)]
    architecture = _load_architecture(arch)
    if c2sim_schema:
        return order_message(architecture, records, schema=c2sim_schema, issued=now)
    return order_message(architecture, records, issued=now)


def check_order_file(
    path: str | Path, arch: ArchitectureRef, situation: str | None = None, reforms: Iterable[str] = (), *,
    c2sim_schema: str | None = None,
) -> OrderCheck:
    """Every task of a partner's C2SIM order checked against the law (default: the ordinary situation)."""
    # Imported on call: interchange needs lxml.
    from .interop import check_order, read_order

    architecture = _load_architecture(arch)
    return check_order(architecture, read_order(path, edition=c2sim_schema), situation, reforms)
