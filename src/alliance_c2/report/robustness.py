"""Which assumptions and switches change the answer: one at a time, each to both ends of its range.

Every parameter the model reads in a scenario is moved to its low and its high value, and every reform is
switched off and on; for each end the verdict of every main arrangement against today is computed again by
the answer's rule. A parameter the model never reads in that scenario cannot change anything and is listed as
such (found by recording what the compiled model and a replay of its runs read).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..law import default_catalog
from ..model import load_architecture
from ..model.scenario import load_scenario
from ..sim import Parameters, SimulationResult
from ..sim.compiler import compile_model
from ..sim.process import run_once
from ..sim.runner import Request
from .answer import verdict
from .results import ScenarioSensitivity, SensitivityRow


class _Recording(dict[str, float]):
    """The parameter values, remembering which were read."""

    def __init__(self, values: Mapping[str, float], seen: set[str]) -> None:
        super().__init__(values)
        self.seen = seen

    def __getitem__(self, key: str) -> float:
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)


def parameters_read(scenario: str, archs: Mapping[str, tuple[str, ...]], params: Parameters,
                    runs: int = 40) -> dict[str, set[str]]:
    """Per arrangement, every parameter its compiled model of `scenario` and a replay of `runs` runs read."""
    scen = load_scenario(scenario)
    out: dict[str, set[str]] = {}
    for arch_id, reforms in archs.items():
        seen: set[str] = set()
        arch = load_architecture(arch_id)
        model = compile_model(arch, scen, params.recording(seen), (), reforms, arch.law_as_of)
        model.params = _Recording(model.params, seen)
        for i in range(runs):
            run_once(model, 0, i)
        out[arch_id] = seen
    return out


@dataclass(frozen=True)
class _End:
    item: str
    end: str  # "low" | "high"
    params: Parameters
    reforms: Mapping[str, tuple[str, ...]]


@dataclass
class SensitivityPlan:
    """The runs one scenario's sensitivity needs, and how to read their results back."""

    scenario: str
    baseline: str
    main: list[str]
    runs: int
    seed: int
    params: Parameters
    reforms: Mapping[str, tuple[str, ...]]
    relevant: dict[str, set[str]]  # arch -> parameters its model reads
    ends: list[_End]

    def _changes(self, end: _End, arch: str) -> bool:
        """Whether `end` can change `arch`'s runs at all (else its base runs are the answer, exactly)."""
        if end.item.startswith("reform:"):
            return end.reforms[arch] != self.reforms[arch]
        return end.item in self.relevant[arch]

    def requests(self) -> Iterator[Request]:
        for arch in self.main:
            yield Request(self.scenario, (arch,), self.runs, self.seed, (), self.reforms[arch], self.params)
        for end in self.ends:
            for arch in self.main:
                if self._changes(end, arch):
                    yield Request(self.scenario, (arch,), self.runs, self.seed, (), end.reforms[arch], end.params)

    def read(self, results: Iterator[SimulationResult]) -> ScenarioSensitivity:
        base = {arch: next(results) for arch in self.main}
        at: dict[tuple[str, str], dict[str, SimulationResult]] = {}
        for end in self.ends:
            at[(end.item, end.end)] = {arch: next(results) if self._changes(end, arch) else base[arch]
                                       for arch in self.main}
        compared = [a for a in self.main if a != self.baseline]
        base_verdicts = {a: verdict(base[a], a, base[self.baseline], self.baseline) for a in compared}
        rows = []
        for item, kind, name_en, name_ja, low, high in self._items():
            if item not in {e.item for e in self.ends}:
                rows.append(SensitivityRow(item, kind, name_en, name_ja, low, high, {}, {}, {}, {}, False, False))
                continue
            diffs: dict[str, dict[str, float | None]] = {"low": {}, "high": {}}
            verdicts: dict[str, dict[str, str | None]] = {"low": {}, "high": {}}
            for side in ("low", "high"):
                res = at[(item, side)]
                for a in compared:
                    v, diff, _ = verdict(res[a], a, res[self.baseline], self.baseline)
                    verdicts[side][a] = v
                    diffs[side][a] = diff.mean
            changes = any(verdicts[e][a] != base_verdicts[a][0] for e in ("low", "high") for a in compared)
            rows.append(SensitivityRow(item, kind, name_en, name_ja, low, high, diffs["low"], diffs["high"],
                                       verdicts["low"], verdicts["high"], changes, True))
        return ScenarioSensitivity(
            self.scenario, self.runs, tuple(compared), self.baseline,
            {a: v[0] for a, v in base_verdicts.items()}, {a: v[1].mean for a, v in base_verdicts.items()}, tuple(rows),
        )

    def _items(self) -> Iterator[tuple[str, str, str, str, float | str, float | str]]:
        law = default_catalog()
        for reform in law.reforms.values():
            yield (f"reform:{reform.id}", "reform", f"Reform: {reform.name_en}", f"改革：{reform.name_ja}", "off", "on")
        for p in self.params.items.values():
            if p.low != p.high:
                kind = "switch" if p.unit == "switch" else "parameter"
                yield (p.id, kind, p.name("en"), p.name("ja"), p.low, p.high)


def plan_sensitivity(scenario: str, baseline: str, main: list[str], reforms: Mapping[str, tuple[str, ...]],
                     params: Parameters, runs: int, seed: int) -> SensitivityPlan:
    """The items to vary in `scenario` (every reform, every parameter the model reads) and their runs."""
    relevant = parameters_read(scenario, reforms, params)
    read_by_any = set().union(*relevant.values())
    ends: list[_End] = []
    for reform in default_catalog().reforms:
        off = {a: tuple(r for r in reforms[a] if r != reform) for a in main}
        on = {a: tuple(sorted({*reforms[a], reform})) for a in main}
        ends.append(_End(f"reform:{reform}", "low", params, off))
        ends.append(_End(f"reform:{reform}", "high", params, on))
    for p in params.items.values():
        if p.low == p.high or p.id not in read_by_any:
            continue
        ends.append(_End(p.id, "low", params.with_values({p.id: p.low}), reforms))
        ends.append(_End(p.id, "high", params.with_values({p.id: p.high}), reforms))
    return SensitivityPlan(scenario, baseline, main, runs, seed, params, reforms, relevant, ends)
