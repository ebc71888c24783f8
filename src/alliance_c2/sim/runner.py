"""Monte Carlo: N seeded runs per (arrangement, scenario), on local processes or a Dask cluster.

Each run draws from SeedSequence(seed, spawn_key=(run_index,)), so results are identical whatever
the executor, the number of workers or the chunking.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..model import Architecture, UnknownIdError, load_architecture
from .catalog import Parameters, Scenario, load_parameters, load_scenario
from .limits import check_request
from .metrics import summarize_block
from .process import METRICS, CompiledModel, FaultEvent, compile_model, run_once


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


_COMPILED: dict[tuple[Any, ...], CompiledModel] = {}


def _compiled(arch: str | Architecture, scenario: str | Scenario, params: Parameters,
              faults: tuple[FaultEvent, ...], reforms: tuple[str, ...]) -> CompiledModel:
    """Compiled models, kept per worker process (compiling asks the law; runs should not)."""
    key = (arch if isinstance(arch, str) else id(arch), scenario, params.key, faults, reforms)
    model = _COMPILED.get(key)
    if model is None:
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        model = _COMPILED[key] = compile_model(load_architecture(arch), load_scenario(scenario), params, faults, reforms)
    return model


def run_task(task: Task) -> tuple[Task, np.ndarray]:
    """Runs [start, stop) of one (arrangement, scenario): array (runs, injects + 1, metrics)."""
    model = _compiled(task.arch, task.scenario, task.params, task.faults, task.reforms)
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
    return task, out


def simulate_one(arch: str | Architecture, scenario: str | Scenario, *, seed: int, run_index: int,
                 params: Parameters | None = None, faults: tuple[FaultEvent, ...] = (),
                 reforms: tuple[str, ...] = ()) -> np.ndarray:
    """One replication, for reproducing a reported failure."""
    model = compile_model(load_architecture(arch), load_scenario(scenario), params or load_parameters(), faults, reforms)
    return run_once(model, seed, run_index)


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

    def summary(self) -> dict[str, Any]:
        return {a: summarize_block(self.data[a], self.injects) for a in self.arrangements}

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenario_name_en": self.scenario_name_en,
            "scenario_name_ja": self.scenario_name_ja,
            "runs": self.runs,
            "seed": self.seed,
            "faults": self.faults,
            "reforms": self.reforms,
            "metrics": list(METRICS),
            "arrangements": {
                a: {"levels": self.levels[a], "constraint_findings": self.findings[a], **self.summary()[a]}
                for a in self.arrangements
            },
        }

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


def _chunks(runs: int, workers: int) -> list[tuple[int, int]]:
    size = max(1, min(250, -(-runs // max(1, workers * 4))))
    return [(s, min(runs, s + size)) for s in range(0, runs, size)]


def simulate(
    scenario: str | Scenario,
    archs: str | Architecture | Iterable[str | Architecture],
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
    """Run `runs` seeded replications of a scenario in each arrangement and collect the metrics."""
    scen = load_scenario(scenario)
    arch_list = [archs] if isinstance(archs, str | Architecture) else list(archs)
    if not arch_list:
        raise ValueError("no arrangement given")
    check_request(runs, seed, len(arch_list), len(scen.injects))
    loaded = [load_architecture(a) for a in arch_list]
    fault_events = tuple(f if isinstance(f, FaultEvent) else parse_fault(f) for f in faults)
    for arch in loaded:
        _check_faults(arch, fault_events)
    prm = params if isinstance(params, Parameters) else load_parameters(params)
    reform_t = tuple(reforms)
    refs: list[str | Architecture] = list(arch_list)
    scen_ref: str | Scenario = scenario if isinstance(scenario, str) else scen
    tasks = [
        Task(ref, scen_ref, prm, fault_events, reform_t, seed, start, stop)
        for ref in refs
        for start, stop in _chunks(runs, workers or os.cpu_count() or 1)
    ]
    results = execute(tasks, executor=executor, scheduler=scheduler, workers=workers, progress=progress, total=runs * len(refs))
    ids = [a.id for a in loaded]
    data: dict[str, np.ndarray] = {}
    for ref, arch_id in zip(refs, ids, strict=True):
        parts = sorted(((t.start, out) for t, out in results if t.arch is ref or t.arch == ref), key=lambda x: x[0])
        data[arch_id] = np.concatenate([out for _, out in parts])
    levels, findings = {}, {}
    for ref, arch_id in zip(refs, ids, strict=True):
        model = _compiled(ref, scen_ref, prm, fault_events, reform_t)
        levels[arch_id] = dict(model.levels)
        findings[arch_id] = {ci.inject.id: sorted(ci.findings) for ci in model.injects}
    return SimulationResult(
        scen.id, scen.name_en, scen.name_ja, runs, seed, [i.id for i in scen.injects], ids, data, levels, findings,
        [f"{f.target}@{f.time:g}" for f in fault_events], list(reform_t),
    )


def execute(tasks: list[Task], *, executor: str = "local", scheduler: str | None = None, workers: int | None = None,
            progress: Callable[[int, int], None] | None = None, total: int = 0) -> list[tuple[Task, np.ndarray]]:
    """Run tasks on local processes (`local`), in this process (`inline`) or on Dask (`dask`)."""
    done = 0
    out: list[tuple[Task, np.ndarray]] = []

    def tick(task: Task) -> None:
        nonlocal done
        done += task.stop - task.start
        if progress is not None:
            progress(done, total)

    if executor == "inline" or (executor == "local" and (workers == 1 or len(tasks) == 1)):
        for task in tasks:
            out.append(run_task(task))
            tick(task)
        return out
    if executor == "local":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            futures = [pool.submit(run_task, t) for t in tasks]
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
