"""The Python API: what the command line does, as functions returning typed results.

`from alliance_c2 import load_architecture, analyze, check, audit, simulate, evaluate, export,
import_file`. Each function takes a bundled id or a path to a YAML file wherever it takes an
arrangement, raises `CatalogError` / `UnknownIdError` / `ValueError` on bad input with the same
one-line message the command line prints, and returns the objects the command line prints from.
Tabular results turn into pandas frames with `.to_frame()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .analysis import DEFAULT_SITUATION, Analysis
from .analysis import analyze as _analyze
from .interop import arrangement_data, arrangement_yaml, export_c2sim, export_graphml, export_json
from .interop import import_c2sim as _import_c2sim
from .interop import import_json as _import_json
from .interop.yamlio import distinct_from_bundled, export_yaml
from .law.audit import AuditReport
from .law.audit import audit as _audit
from .law.engine import Verdict
from .law.engine import check as _check
from .model import Architecture, CatalogError, Problem
from .model import load_architecture as _load_architecture
from .report.evaluate import DEFAULT_RUNS, DEFAULT_SEED, Evaluation
from .report.evaluate import evaluate as _evaluate
from .sim import FaultEvent, Parameters, Scenario, SimulationResult
from .sim import simulate as _simulate

ArchitectureRef = str | Path | Architecture
EXPORT_FORMATS = ("c2sim", "json", "graphml", "yaml")
IMPORT_FORMATS = ("c2sim", "json")
_SUFFIX_FORMATS = {".xml": "c2sim", ".json": "json"}


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


def analyze(arch: ArchitectureRef, situation: str = DEFAULT_SITUATION) -> Analysis:
    """Derive the interoperability level, chains of command, civilian control and single points of failure.

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        situation: the legal situation, e.g. "peacetime" or "armed-attack".

    Returns:
        An Analysis: `.level`, `.level_evidence`, `.chains`, `.single_points_of_failure`, `.to_dict()`.
    """
    return _analyze(_load_architecture(arch), situation)


def check(
    arch: ArchitectureRef,
    situation: str,
    action: str,
    unit: str,
    ordered_by: str | None = None,
    reforms: Iterable[str] = (),
) -> Verdict:
    """May `unit` carry out `action` in `situation` on the order of `ordered_by`, and who must approve first?

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        situation: the legal situation, e.g. "peacetime".
        action: the action, e.g. "use-of-force" (see `alliance-c2 actions`).
        unit: the organization that would act, e.g. "usa-7th-fleet".
        ordered_by: who gives the order (default: the unit's own national chain).
        reforms: reforms to switch on, e.g. ["opcon-transfer-act"].

    Returns:
        A Verdict: `.allowed`, `.blocked_by`, `.approval_steps` in order, `.chain`, `.findings`, `.citations`.
    """
    return _check(_load_architecture(arch), situation, action, unit, ordered_by, reforms)


def audit(arch: ArchitectureRef, reforms: Iterable[str] = ()) -> AuditReport:
    """Every legal finding an arrangement produces, as the study's constraints × situations.

    Args:
        arch: the arrangement (bundled id, YAML path or Architecture).
        reforms: reforms to switch on.

    Returns:
        An AuditReport: `.matrix()`, `.reforms_that_clear()`, `.relations`, `.to_frame()` (one row per cell).
    """
    return _audit(_load_architecture(arch), reforms)


def simulate(
    scenario: str | Scenario,
    archs: ArchitectureRef | Iterable[ArchitectureRef],
    *,
    runs: int = 100,
    seed: int = 0,
    faults: Iterable[str | FaultEvent] = (),
    reforms: Iterable[str] = (),
    params: Parameters | str | Path | None = None,
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
        executor: "local" (processes on this machine), "inline" or "dask".
        scheduler: a Dask scheduler address (with executor="dask").
        workers: worker processes (default: all cores).
        progress: called with (runs done, runs in total).

    Returns:
        A SimulationResult: `.summary()`, `.to_dict()`, `.to_frame()` (one row per arrangement, run and inject).
    """
    return _simulate(
        scenario, _arch_refs(archs), runs=runs, seed=seed, faults=faults, reforms=reforms, params=params,
        executor=executor, scheduler=scheduler, workers=workers, progress=progress,
    )


def evaluate(
    *,
    runs: int = DEFAULT_RUNS,
    archs: Iterable[str] | None = None,
    scenarios: Iterable[str] | None = None,
    lang: str = "en",
    out: str | Path = "alliance-c2-report",
    seed: int = DEFAULT_SEED,
    progress: Callable[[str, int, int], None] | None = None,
) -> Evaluation:
    """The main job: structure, legal audit, simulation suite and sensitivity, written as a report.

    Args:
        runs: Monte Carlo runs per case.
        archs: arrangement ids (default: every bundled one).
        scenarios: scenario ids (default: every bundled one).
        lang: "en" or "ja", the report's language.
        out: the directory for report.html, results.json and results.csv.
        seed: a whole number 0 or greater; the same seed gives the same report.
        progress: called with (stage, done, total).

    Returns:
        An Evaluation: `.results` (everything in results.json), `.report_path`, `.to_frame()` (every figure).
    """
    return _evaluate(runs=runs, archs=archs, scenarios=scenarios, lang=lang, out=out, seed=seed, progress=progress)


def _arch_refs(archs: ArchitectureRef | Iterable[ArchitectureRef]) -> list[str | Architecture]:
    """One or several arrangements as the runner takes them (paths as text)."""
    items = [archs] if isinstance(archs, str | Path | Architecture) else list(archs)
    return [a if isinstance(a, Architecture) else str(a) for a in items]


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
    architecture = _load_architecture(arch)
    if format == "yaml":
        return Exported(format, export_yaml(architecture).encode("utf-8"))
    if format == "json":
        return Exported(format, export_json(architecture).encode("utf-8"))
    if format == "graphml":
        return Exported(format, export_graphml(architecture))
    if format == "c2sim":
        result = (
            export_c2sim(architecture, schema=c2sim_schema, situation=situation)
            if c2sim_schema
            else export_c2sim(architecture, situation=situation)
        )
        return Exported(format, result.xml, tuple(result.warnings))
    raise ValueError(f"format: unknown value {format!r}; choose from: {', '.join(EXPORT_FORMATS)}")


@dataclass(frozen=True)
class Imported:
    """An arrangement read from an interchange file, as catalog YAML and as a validated Architecture."""

    architecture: Architecture
    yaml: str
    warnings: tuple[str, ...]
    problems: tuple[Problem, ...]

    def write(self, path: str | Path) -> Path:
        """Write the catalog YAML to `path` and return it."""
        target = Path(path)
        target.write_text(self.yaml, encoding="utf-8")
        return target


def import_file(path: str | Path, format: str | None = None) -> Imported:
    """Read a C2SIM initialization message or a JSON arrangement.

    The source's arrangement id is kept unless a bundled arrangement has it; then it becomes
    `ID-imported` and a warning says so.

    Args:
        path: the file to read (at most 64 MiB; pipes and devices count the bytes actually read).
        format: "c2sim" or "json" (default: from the suffix, .xml or .json).

    Returns:
        Imported: `.architecture`, `.yaml` (catalog YAML), `.warnings`, `.problems` (validation warnings).

    Raises:
        CatalogError: the file cannot be read as an arrangement (`FILE:LINE: message`).
    """
    warnings: tuple[str, ...] = ()
    kind = format or _SUFFIX_FORMATS.get(Path(path).suffix.lower())
    if kind not in IMPORT_FORMATS:
        raise CatalogError([Problem(str(path), 1, f"give the format: one of {', '.join(IMPORT_FORMATS)}")])
    if kind == "json":
        arch, _, problems = _import_json(path)
        text = arrangement_yaml(arrangement_data(arch))
    else:
        result = _import_c2sim(path)
        arch, text, warnings, problems = result.architecture, result.yaml(), tuple(result.warnings), list(result.problems)
    text, arch, notice = distinct_from_bundled(text, arch)
    notes = (*warnings, notice) if notice else warnings
    return Imported(arch, text, notes, tuple(problems))
