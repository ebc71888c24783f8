"""Monte Carlo: N seeded runs per (arrangement, scenario), on local processes or a Dask cluster.

Each run draws from PCG64(seed) advanced by run_index * 2**96, so results are identical whatever
the executor, the number of workers or the chunking.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..law import WARNING_CONSTRAINTS, default_catalog, law_date, relations_without_basis
from ..model import Architecture, UnknownIdError, load_architecture
from ..model.levels import level_ids
from ..model.scenario import Scenario, load_scenario
from .collector import METRICS, TraceEvent
from .compiled import CompiledModel, FaultEvent
from .compiler import compile_model
from .limits import check_request
from .metrics import summarize_block
from .parameters import Parameters, load_parameters
from .process import run_once, trace_once


class SimulationError(RuntimeError):
    """An internal inconsistency in one run; says how to reproduce it."""


@dataclass(frozen=True)
class Task:
    arch: str | Architecture
    scenario: str | Scenario
    params: Parameters
    faults: tuple[FaultEvent, ...]
    reforms: tuple[str, ...]
    seed: int
    start: int
    stop: int
    as_of: date | None = None
    group: int = 0  # which unit of identical work this chunk belongs to (simulate_many)
    origin: int = 0  # the first run of that unit of work (its chunk starting there reports the compiled model)


_COMPILED: dict[tuple[Any, ...], CompiledModel] = {}
# Which parameters compiling a case reads: a model compiled with the same values of those serves every
# other set of parameters, with the run-time values swapped in (sensitivity runs vary one parameter at a time).
_READS: dict[tuple[Any, ...], frozenset[str]] = {}


def _compiled(arch: str | Architecture, scenario: str | Scenario, params: Parameters,
              faults: tuple[FaultEvent, ...], reforms: tuple[str, ...], as_of: date | None) -> CompiledModel:
    """Compiled models, kept per worker process (compiling asks the law; runs should not)."""
    components = tuple(sorted((n, tuple(sorted(c.items()))) for n, c in params.components.items()))
    mechanisms = tuple(sorted(params.synchronization.items()))
    case = (arch_key(arch), scenario, faults, reforms, as_of, components, mechanisms)
    reads = _READS.get(case)
    if reads is not None:
        key = (case, tuple((k, params[k]) for k in sorted(reads) if k in params.items))
        found = _COMPILED.get(key)
        if found is not None:
            return found if found.params == params.values() else replace(found, params=params.values())
    if len(_COMPILED) > 512:
        _COMPILED.clear()
    seen: set[str] = set()
    loaded = load_architecture(arch)
    model = compile_model(loaded, load_scenario(scenario), params.recording(seen), faults, reforms,
                          law_date(loaded, as_of))
    model.params = params.values()
    _READS[case] = frozenset(seen)
    _COMPILED[(case, tuple((k, params[k]) for k in sorted(seen) if k in params.items))] = model
    return model


def arch_key(arch: str | Architecture) -> Any:
    """What identifies an arrangement for the compiled-model cache: its id or path, or its content (an object
    sent to a worker is a new object each time, and an id() can be reused by the next one)."""
    if isinstance(arch, str):
        return arch
    return ("content", arch.id, tuple(arch.organizations.values()), arch.relations, arch.plans, arch.law_as_of,
            arch.presupposes_reforms)


@dataclass(frozen=True)
class ModelInfo:
    """What a result reports of the compiled model besides the runs (sent back once per unit of work)."""

    levels: dict[str, str]
    findings: dict[str, list[str]]
    law_as_of: str
    blocked: dict[str, list[str]]
    paths: dict[str, float]
    waits: dict[str, dict[str, Any]] = field(default_factory=dict)
    war_powers: list[dict[str, Any]] = field(default_factory=list)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def of(cls, model: CompiledModel) -> ModelInfo:
        return cls(
            dict(model.levels),
            {ci.inject.id: sorted(ci.findings) for ci in model.injects},
            model.law_as_of,
            {ci.inject.id: [c for r in ci.responses for c in r.blocked] for ci in model.injects},
            model.order_paths(),
            model.waits(),
            model.war_powers(),
            dict(model.rules),
        )


def run_task(task: Task) -> tuple[Task, np.ndarray, ModelInfo | None]:
    """Runs [start, stop) of one (arrangement, scenario): array (runs, injects + 1, metrics), and for the first
    chunk of a unit of work what the result reports of its compiled model (so the caller compiles nothing)."""
    model = _compiled(task.arch, task.scenario, task.params, task.faults, task.reforms, task.as_of)
    out = np.empty((task.stop - task.start, len(model.injects) + 1, len(METRICS)))
    for i in range(task.start, task.stop):
        try:
            out[i - task.start] = run_once(model, task.seed, i)
        except Exception as exc:  # an internal inconsistency: say how to reproduce it
            raise SimulationError(
                f"run {i} of {model.arch_id} / {model.scenario_id} failed ({type(exc).__name__}: {exc}); "
                f"reproduce with seed {task.seed}, run index {i} "
                f"(alliance_c2.sim.simulate_one({model.arch_id!r}, {model.scenario_id!r}, seed={task.seed}, "
                f"run_index={i}))"
            ) from exc
    return task, out, ModelInfo.of(model) if task.start == task.origin else None


def simulate_one(arch: str | Architecture, scenario: str | Scenario, *, seed: int, run_index: int,
                 params: Parameters | None = None, faults: tuple[FaultEvent, ...] = (),
                 reforms: tuple[str, ...] = (), as_of: date | None = None) -> np.ndarray:
    """One replication, for reproducing a reported failure."""
    loaded = load_architecture(arch)
    model = compile_model(loaded, load_scenario(scenario), params or load_parameters(), faults, reforms,
                          law_date(loaded, as_of))
    return run_once(model, seed, run_index)


def trace_run(arch: str | Architecture, scenario: str | Scenario, *, seed: int, run_index: int,
              params: Parameters | None = None, faults: Iterable[str | FaultEvent] = (),
              reforms: Iterable[str] = (), as_of: date | None = None) -> list[TraceEvent]:
    """Every event of one replication, in time order: orders, approvals asked and given, refusals, engagements.

    The run is the same as run `run_index` of `simulate(..., seed=seed)`.
    """
    loaded = load_architecture(arch)
    fault_events = tuple(f if isinstance(f, FaultEvent) else parse_fault(f) for f in faults)
    _check_faults(loaded, fault_events)
    model = compile_model(loaded, load_scenario(scenario), params or load_parameters(), fault_events,
                          tuple(reforms), law_date(loaded, as_of))
    return trace_once(model, seed, run_index)[1]


@dataclass
class SimulationResult:
    """Per-run metrics for each arrangement, with summaries. `to_frame()` gives a pandas DataFrame."""

    scenario: str
    scenario_name_en: str
    scenario_name_ja: str
    runs: int
    seed: int
    injects: list[str]
    arrangements: list[str]
    data: dict[str, np.ndarray]  # arch -> (runs, injects + 1, metrics)
    levels: dict[str, dict[str, str]]
    findings: dict[str, dict[str, list[str]]]
    faults: list[str] = field(default_factory=list)
    reforms: list[str] = field(default_factory=list)
    law_as_of: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # arch -> inject -> constraints that blocked
    paths: dict[str, dict[str, float]] = field(default_factory=dict)  # arch -> CompiledModel.order_paths()
    # arch -> approval -> whose, which law, on how many executed orders (CompiledModel.waits())
    waits: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # arch -> the law's limits in time on a nation's commitment, against the scenario's length
    war_powers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # arch -> the rules behind a constraint (C6) its executed orders meet, with what lifts each
    rules: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    trace: list[TraceEvent] | None = None
    trace_run: int | None = None
    executor: str = "local"  # where the runs ran: local processes, inline, or dask (with the scheduler)
    workers: int | None = None
    _summary: dict[str, Any] | None = field(default=None, repr=False)

    def summary(self) -> dict[str, Any]:
        """Per arrangement: mean, percentiles and 95% CI of every metric, overall and per inject (computed once)."""
        if self._summary is None:
            self._summary = {a: summarize_block(self.data[a], self.injects) for a in self.arrangements}
        return self._summary

    def _repr_html_(self) -> str:
        """The result as a table in Jupyter: each metric's mean and 95% interval per arrangement."""
        # Imported on use: only a notebook displays results as HTML.
        from ..model.display import html_table

        summary = self.summary()
        rows = []
        for metric in METRICS:
            cells: list[Any] = [metric]
            for a in self.arrangements:
                s = summary[a]["overall"][metric]
                cells.append("—" if s["mean"] is None else f"{s['mean']:.2f} [{s['ci95_low']:.2f}, {s['ci95_high']:.2f}]")
            rows.append(cells)
        caption = f"{self.scenario}: {self.runs} runs, seed {self.seed}" + (
            f", faults {', '.join(self.faults)}" if self.faults else "") + (
            f", reforms {', '.join(self.reforms)}" if self.reforms else "")
        return html_table(caption, ["metric: mean [95% CI]", *self.arrangements], rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenario_name_en": self.scenario_name_en,
            "scenario_name_ja": self.scenario_name_ja,
            "runs": self.runs,
            "seed": self.seed,
            "faults": self.faults,
            "reforms": self.reforms,
            "executor": self.executor,
            "workers": self.workers,
            "metrics": list(METRICS),
            "arrangements": {
                a: {
                    "law_as_of": self.law_as_of.get(a),
                    "levels": self.levels[a],
                    "constraint_findings": self.findings[a],
                    "constraint_blocks": self.blocked.get(a, {}),
                    "executed_by_level": self.executed_by_level(a),
                    "order_paths": self.paths.get(a, {}),
                    "waits": self.waits.get(a, {}),
                    "war_powers": self.war_powers.get(a, []),
                    "rules": self.rules.get(a, {}),
                    **self.summary()[a],
                }
                for a in self.arrangements
            },
            **({"trace": {"run": self.trace_run, "events": [e.to_dict() for e in self.trace]}}
               if self.trace is not None else {}),
        }

    def executed_by_level(self, arch: str) -> dict[str, Any]:
        """Per level, orders executed per run under it (mean and per-run values): how much ran lawfully combined."""
        block = self.data[arch]
        out: dict[str, Any] = {}
        for level in level_ids():
            per_run = block[:, -1, METRICS.index(f"executed_{level}")]
            out[level] = {"mean": round(float(np.mean(per_run)), 4), "min": int(np.min(per_run)),
                          "max": int(np.max(per_run))}
        return out

    def to_frame(self) -> Any:
        """One row per (arrangement, run, inject); inject "*" is the whole scenario."""
        import pandas as pd

        frames = []
        labels = [*self.injects, "*"]
        for a in self.arrangements:
            block = self.data[a]
            runs, n, _ = block.shape
            frame = pd.DataFrame(block.reshape(runs * n, len(METRICS)), columns=list(METRICS))
            frame.insert(0, "inject", np.tile(labels, runs))
            frame.insert(0, "run", np.repeat(np.arange(runs), n))
            frame.insert(0, "scenario", self.scenario)
            frame.insert(0, "arch", a)
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def export(self, path: str | Path) -> Path:
        """Write the per-run frame as CSV or Parquet (by suffix)."""
        path = Path(path)
        frame = self.to_frame()
        if path.suffix == ".parquet":
            frame.to_parquet(path, index=False)
        elif path.suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            raise ValueError(f"{path}: unsupported output format (use .csv or .parquet)")
        return path


def parse_fault(spec: str) -> FaultEvent:
    """`ORG@MINUTES` (organization lost) or `ORG~ORG@MINUTES` (link degraded)."""
    target, sep, minutes = spec.rpartition("@")
    if not sep or not target:
        raise ValueError(f"--fault {spec!r}: expected ORG@MINUTES (or ORG~ORG@MINUTES for a link)")
    try:
        time = float(minutes)
    except ValueError:
        raise ValueError(f"--fault {spec!r}: {minutes!r} is not a number of minutes") from None
    if time < 0:
        raise ValueError(f"--fault {spec!r}: minutes must not be negative")
    return FaultEvent(target, time, "link" if "~" in target else "lost", 0.0)


def _check_faults(arch: Architecture, faults: tuple[FaultEvent, ...]) -> None:
    for f in faults:
        for org in f.target.split("~"):
            if org not in arch.organizations:
                raise UnknownIdError(f"organization in --fault for {arch.id}", org, list(arch.organizations))


def _batch_chunk(total_runs: int, workers: int) -> int:
    """Runs per task: enough tasks to keep every worker busy to the end, few enough to keep overhead small."""
    return max(1, min(250, max(40, -(-total_runs // max(1, workers * 8)))))


@dataclass(frozen=True)
class Request:
    """One simulation to run: a scenario in one or more arrangements, under given switches."""

    scenario: str | Scenario
    archs: tuple[str | Architecture, ...]
    runs: int = 100
    seed: int = 0
    faults: tuple[FaultEvent, ...] = ()
    reforms: tuple[str, ...] = ()
    params: Parameters | None = None
    as_of: date | None = None
    # The first run index: runs [start, runs) are made (a later look of a sequential evaluation extends the
    # runs it already has; run i depends only on (seed, i)).
    start: int = 0


def simulate(
    scenario: str | Scenario,
    archs: str | Architecture | Iterable[str | Architecture],
    *,
    runs: int = 100,
    seed: int = 0,
    faults: Iterable[str | FaultEvent] = (),
    reforms: Iterable[str] = (),
    params: Parameters | str | Path | None = None,
    as_of: date | None = None,
    trace: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Run `runs` seeded replications of a scenario in each arrangement and collect the metrics.

    Args:
        scenario: a bundled scenario id, a YAML path or a Scenario.
        archs: one or several arrangements (ids, paths or Architecture objects).
        runs, seed: replications and the seed; run i draws from PCG64(seed) advanced by i * 2**96.
        faults: `ORG@MINUTES` (lost) or `ORG~ORG@MINUTES` (link degraded), or FaultEvents.
        reforms: law catalog reform ids switched on.
        params: parameters object or override file.
        as_of: the date whose law applies to every arrangement (default: each arrangement's `law_as_of`).
        trace: a run index whose events to record (first arrangement only; see `trace_run`).
        executor, scheduler, workers: where runs execute (local processes, inline, or Dask).
        progress: called with (done, total) runs.

    Returns:
        A SimulationResult (`to_dict()`, `to_frame()`, `export()`).
    """
    arch_list = [archs] if isinstance(archs, str | Architecture) else list(archs)
    if trace is not None and not 0 <= trace < runs:
        raise ValueError(f"--trace {trace}: choose a run index from 0 to {runs - 1}")
    check_request(runs, seed, len(arch_list), len(load_scenario(scenario).injects))
    prm = params if isinstance(params, Parameters) else load_parameters(params)
    request = Request(scenario, tuple(arch_list), runs, seed,
                      tuple(f if isinstance(f, FaultEvent) else parse_fault(f) for f in faults),
                      tuple(reforms), prm, as_of)
    result = simulate_many([request], executor=executor, scheduler=scheduler, workers=workers, progress=progress)[0]
    result.executor = executor if scheduler is None else f"{executor} ({scheduler})"
    result.workers = workers or os.cpu_count() or 1
    if trace is not None:
        model = _compiled(arch_list[0], _scenario_ref(scenario), prm, request.faults, request.reforms, as_of)
        result.trace = trace_once(model, seed, trace)[1]
        result.trace_run = trace
    return result


def simulate_many(
    requests: Iterable[Request],
    *,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    pool: Any = None,
) -> list[SimulationResult]:
    """Run several simulations as one batch of tasks on one pool of workers (`pool`: an open
    concurrent.futures executor to use instead of starting one, e.g. a server's).

    Identical work is done once: two requests that would compile to the same model (the same arrangement,
    scenario, parameters, faults, date, seed and runs, and reforms that change the same verdicts) share
    their runs, so a variant that the law does not change costs nothing.
    """
    reqs = list(requests)
    plans: list[tuple[Request, Scenario, list[Architecture], Parameters]] = []
    for req in reqs:
        if req.runs < 1 or not 0 <= req.start < req.runs:
            raise ValueError(f"runs must be at least 1 and after the first run index, got {req.start}..{req.runs}")
        if not req.archs:
            raise ValueError("no arrangement given")
        scen = load_scenario(req.scenario)
        loaded = [load_architecture(a) for a in req.archs]
        for arch in loaded:
            _check_faults(arch, req.faults)
            law_date(arch, req.as_of)
        plans.append((req, scen, loaded, req.params or load_parameters()))
    keys = [[_work_key(ref, arch, req, prm) for ref, arch in zip(req.archs, loaded, strict=True)]
            for req, _, loaded, prm in plans]
    # Run i depends only on (seed, i): a request for fewer runs of the same work is a prefix of the larger one.
    longest: dict[tuple[Any, ...], int] = {}
    for (req, _, _, _), req_keys in zip(plans, keys, strict=True):
        for key in req_keys:
            longest[key] = max(longest.get(key, 0), req.runs)
    groups: dict[tuple[Any, ...], Task] = {}
    for (req, _, loaded, prm), req_keys in zip(plans, keys, strict=True):
        for ref, arch, key in zip(req.archs, loaded, req_keys, strict=True):
            if key not in groups:
                groups[key] = Task(ref, _scenario_ref(req.scenario), prm, req.faults,
                                   effective_reforms(arch, req.reforms), req.seed, req.start, longest[key], req.as_of,
                                   len(groups), req.start)
    size = _batch_chunk(sum(t.stop - t.start for t in groups.values()), workers or os.cpu_count() or 1)
    tasks = [replace(t, start=a, stop=min(t.stop, a + size))
             for t in groups.values() for a in range(t.start, t.stop, size)]
    done = execute(tasks, executor=executor, scheduler=scheduler, workers=workers, progress=progress,
                   total=sum(t.stop - t.start for t in tasks), pool=pool)
    parts: dict[int, list[tuple[int, np.ndarray]]] = {}
    infos: dict[int, ModelInfo] = {}
    for task, out, info in done:
        parts.setdefault(task.group, []).append((task.start, out))
        if info is not None:
            infos[task.group] = info
    whole: dict[int, np.ndarray] = {}
    results = []
    for (req, scen, loaded, _), req_keys in zip(plans, keys, strict=True):
        data: dict[str, np.ndarray] = {}
        levels, findings, law_as_of, blocked, paths = {}, {}, {}, {}, {}
        waits: dict[str, dict[str, dict[str, Any]]] = {}
        war_powers: dict[str, list[dict[str, Any]]] = {}
        rules: dict[str, dict[str, dict[str, Any]]] = {}
        for arch, key in zip(loaded, req_keys, strict=True):
            group = groups[key].group
            if group not in whole:
                whole[group] = np.concatenate([out for _, out in sorted(parts[group], key=lambda x: x[0])])
            data[arch.id] = whole[group][: req.runs - req.start]
            info = infos[group]
            levels[arch.id] = info.levels
            findings[arch.id] = info.findings
            law_as_of[arch.id] = info.law_as_of
            blocked[arch.id] = info.blocked
            paths[arch.id] = info.paths
            waits[arch.id] = info.waits
            war_powers[arch.id] = info.war_powers
            rules[arch.id] = info.rules
        results.append(SimulationResult(
            scen.id, scen.name_en, scen.name_ja, req.runs - req.start, req.seed, [i.id for i in scen.injects], [a.id for a in loaded],
            data, levels, findings, [f"{f.target}@{f.time:g}" for f in req.faults], list(req.reforms), law_as_of,
            blocked, paths=paths, waits=waits, war_powers=war_powers, rules=rules,
        ))
    return results


def _scenario_ref(scenario: str | Scenario) -> str | Scenario:
    return scenario if isinstance(scenario, str) else load_scenario(scenario)


def effective_reforms(arch: Architecture, reforms: tuple[str, ...]) -> tuple[str, ...]:
    """The reforms that can change this arrangement's verdicts: those allowing one of its relations that no law
    allows yet, or lifting a constraint the engine raises as a warning. The others (one that only eases a
    finding, or lifts a blocking constraint the arrangement never meets) change no verdict and no metric."""
    if not reforms:
        return ()
    return _effective_reforms(arch, tuple(reforms))


@lru_cache(maxsize=1024)
def _effective_reforms(arch: Architecture, reforms: tuple[str, ...]) -> tuple[str, ...]:
    law = default_catalog()
    kinds = {rel.kind for rel in relations_without_basis(arch, ())}
    present = {n for org in arch.organizations.values() for n in org.member_nations()}
    # Rules of the arrangement's nations and of the treaties between them: a reform lifting one changes verdicts.
    rules = {r.id for n, found in law.nations.items() if n in present for r in found.rules}
    rules |= {r.id for t in law.treaties.values() if set(t.parties) <= present for r in t.rules}
    return tuple(sorted(
        r for r in set(reforms)
        if law.reform(r).allows_cross_national & kinds
        or any(c in WARNING_CONSTRAINTS and how == "lifts" for c, how in law.reform(r).lifts.items())
        or law.reform(r).lifts_rules & rules
    ))


def _work_key(ref: str | Architecture, arch: Architecture, req: Request, prm: Parameters) -> tuple[Any, ...]:
    scen = req.scenario if isinstance(req.scenario, str) else id(req.scenario)
    return (ref if isinstance(ref, str) else id(ref), scen, prm.key, req.faults,
            effective_reforms(arch, req.reforms), req.as_of, req.seed, req.start)


def execute(tasks: list[Task], *, executor: str = "local", scheduler: str | None = None, workers: int | None = None,
            progress: Callable[[int, int], None] | None = None,
            total: int = 0, pool: Any = None) -> list[tuple[Task, np.ndarray, ModelInfo | None]]:
    """Run tasks on local processes (`local`), in this process (`inline`) or on Dask (`dask`); `pool` is an open
    executor to submit the local tasks to."""
    done = 0
    out: list[tuple[Task, np.ndarray, ModelInfo | None]] = []

    def tick(task: Task) -> None:
        nonlocal done
        done += task.stop - task.start
        if progress is not None:
            progress(done, total)

    if executor == "inline" or (executor == "local" and pool is None and (workers == 1 or len(tasks) == 1)):
        for task in tasks:
            out.append(run_task(task))
            tick(task)
        return out
    if executor == "local":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        if pool is not None:
            for fut in as_completed([pool.submit(run_task, t) for t in tasks]):
                res = fut.result()
                out.append(res)
                tick(res[0])
            return out
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as own:
            futures = [own.submit(run_task, t) for t in tasks]
            for fut in as_completed(futures):
                res = fut.result()
                out.append(res)
                tick(res[0])
        return out
    if executor == "dask":
        import dask.distributed as dd

        client_cls: Any = dd.Client
        cluster_cls: Any = dd.LocalCluster
        dask_completed: Any = dd.as_completed
        cluster: Any = None
        if scheduler is None:
            cluster = cluster_cls(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
        client: Any = client_cls(scheduler if scheduler is not None else cluster)
        try:
            dask_futures = client.map(run_task, tasks, pure=False)
            for fut in dask_completed(dask_futures):
                res = fut.result()
                out.append(res)
                tick(res[0])
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return out
    raise ValueError(f"unknown executor {executor!r}; choose from: local, dask")
