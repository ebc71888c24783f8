"""What the studio shows for an arrangement, computed by the library's own functions: its level in every
situation, the law (orders refused, the study's constraints and what lifts each), and the answer against today
in every bundled scenario, with the one-sentence bottom line.

The runs are the evaluation's: seed `DEFAULT_SEED`, the arrangement's lawful variant (the reforms it
presupposes), and the same sequential looks (`report.evaluate.LOOKS`): each scenario first makes 100 runs and
stops there when its verdict is settled at 99.9%, else goes on to 250 and at most 500 runs. Today's runs are
made once, when the studio starts (500 per scenario). So a verdict in the studio is the verdict `evaluate`
gives for the same arrangement at its defaults.
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from ..analysis import level_of
from ..labels import pick
from ..law import default_catalog
from ..model import Architecture, load_architecture, situation_ids
from ..model.levels import level_catalog
from ..model.scenario import load_scenario, scenario_ids
from ..report.answer import BOTTOM_LINE_RULE, Names, answer_rows, bottom_line, per_run
from ..report.evaluate import BASELINE, DEFAULT_RUNS, DEFAULT_SEED, clear_of_zero, extended, looks
from ..sim import SimulationResult, load_parameters
from ..sim.compiler import level_and_body
from ..sim.runner import Request, simulate_many

RUNS = DEFAULT_RUNS


class Engine:
    """Today's results, made once, and the computation of any arrangement against them on a pool of workers."""

    def __init__(self, workers: int | None = None, pool: Executor | None = None) -> None:
        self.workers = workers or min(2, os.cpu_count() or 1)
        self._pool = pool
        self._own_pool = pool is None
        self._today: dict[str, SimulationResult] | None = None
        self._lock = threading.Lock()
        self.baseline = load_architecture(BASELINE)
        self.scenarios = scenario_ids()
        self.params = load_parameters(None)

    @property
    def pool(self) -> Executor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        return self._pool

    def close(self) -> None:
        if self._own_pool and self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def today(self) -> dict[str, SimulationResult]:
        """Today's arrangement in every bundled scenario, 500 runs each (made once)."""
        with self._lock:
            if self._today is None:
                reqs = [Request(s, (BASELINE,), RUNS, DEFAULT_SEED) for s in self.scenarios]
                self._today = dict(zip(self.scenarios, simulate_many(reqs, pool=self.pool), strict=True))
            return self._today

    def simulate(self, arch: Architecture) -> dict[str, SimulationResult]:
        """`arch`'s lawful variant in every scenario, each scenario to the look where its verdict settles."""
        today = self.today()
        reforms = tuple(arch.presupposes_reforms)
        at = looks(RUNS)
        first = [Request(s, (arch,), at[0], DEFAULT_SEED, (), reforms) for s in self.scenarios]
        results = dict(zip(self.scenarios, simulate_many(first, pool=self.pool), strict=True))
        for previous, look in itertools.pairwise(at):
            open_ = [s for s in self.scenarios if not _settled(results[s], arch.id, today[s])]
            if not open_:
                break
            more = [Request(s, (arch,), look, DEFAULT_SEED, (), reforms, start=previous) for s in open_]
            for scen, res in zip(open_, simulate_many(more, pool=self.pool), strict=True):
                results[scen] = extended(results[scen], res)
        return results

    def today_outcome(self) -> dict[str, Any]:
        """Today's arrangement as `changes` compares it: its levels, bodies, and no difference from itself."""
        today = self.today()
        return {"levels": levels(self.baseline), "bodies": bodies(self.baseline, self.params),
                "scenarios": [{"id": s, "verdict": "no-difference", "criterion": None,
                               "refused": float(per_run(r, BASELINE, "refused").mean())} for s, r in today.items()]}

    def outcome(self, arch: Architecture) -> dict[str, Any]:
        """Everything the page shows for `arch` (plain JSON data, both languages)."""
        results = self.simulate(arch)
        return describe(arch, results, self.today(), self.baseline, self.params)


def _settled(res: SimulationResult, arch_id: str, today: SimulationResult) -> bool:
    n = res.runs
    for metric in ("response_time", "deadline_met"):
        if not clear_of_zero(per_run(res, arch_id, metric), per_run(today, BASELINE, metric)[:n]):
            return False
    return True


def _prefix(result: SimulationResult, arch: str, runs: int) -> SimulationResult:
    """Today's first `runs` runs (the candidate's verdict compares like with like)."""
    return replace(result, runs=runs, data={arch: result.data[arch][:runs]}, _summary=None)


def levels(arch: Architecture) -> list[dict[str, Any]]:
    """The level in every situation, with the rule's evidence and the study's definition."""
    catalog = level_catalog()
    out = []
    for situation in situation_ids():
        found = level_of(arch, situation)
        definition = catalog.definition(found.level)
        out.append({"situation": situation, "level": found.level, "rule": found.rule, "body": found.body,
                    "evidence_en": list(found.evidence), "evidence_ja": list(found.evidence_ja),
                    "name_en": definition.name_en, "name_ja": definition.name_ja,
                    "definition_en": definition.definition_en, "definition_ja": definition.definition_ja})
    return out


def bodies(arch: Architecture, params: Any) -> dict[str, str | None]:
    """Per situation, the organization that synchronizes the nations at the arrangement's level (the combined
    commander, the combined staff, or the coordinating body closest to the forces)."""
    return {s: level_and_body(arch, s, params)[1] for s in situation_ids()}


def describe(arch: Architecture, results: dict[str, SimulationResult], today: dict[str, SimulationResult],
             baseline: Architecture, params: Any) -> dict[str, Any]:
    """The page's data for `arch`: levels, law, answer per scenario and the bottom line."""
    law = default_catalog()
    reforms = tuple(arch.presupposes_reforms)
    rows = []
    scenarios: list[dict[str, Any]] = []
    for scen, res in results.items():
        same = _prefix(today[scen], BASELINE, res.runs)
        r, _ = answer_rows(scen, BASELINE, [BASELINE, arch.id], {BASELINE: same, arch.id: res}, {}, {},
                           {BASELINE: (), arch.id: reforms}, law)
        rows.extend(r)
        row = next(x for x in r if x.arch == arch.id)
        scenario = load_scenario(scen)
        blocked = sorted({c for found in res.blocked.get(arch.id, {}).values() for c in found})
        raised = sorted({c for found in res.findings.get(arch.id, {}).values() for c in found})
        diff, share = row.difference, row.deadline_difference
        scenarios.append({
            "id": scen, "name_en": scenario.short_name("en"), "name_ja": scenario.short_name("ja"),
            "verdict": row.verdict, "criterion": row.criterion, "runs": row.runs,
            "response_time": _stat(row.metrics["response_time"]), "today": _stat(
                next(x for x in r if x.arch == BASELINE).metrics["response_time"]),
            "difference": _stat(diff), "deadline_difference": _stat(share),
            "refused": row.metrics["refused"].mean or 0.0, "blocked": blocked, "raised": raised,
            "levels": res.levels.get(arch.id, {}),
        })
    names = Names(
        {s: (load_scenario(s).short_name("en"), load_scenario(s).short_name("ja")) for s in results},
        {BASELINE: (baseline.short_name("en"), baseline.short_name("ja")),
         arch.id: (arch.short_name("en"), arch.short_name("ja"))},
        {r.id: (r.name_en, r.name_ja) for r in law.reforms.values()},
        {c.id: (c.name_en, c.name_ja) for c in law.constraints.values()},
    )
    constraints = []
    for cid, c in law.constraints.items():
        raised_in = [s["id"] for s in scenarios if cid in s["raised"]]
        blocks_in = [s["id"] for s in scenarios if cid in s["blocked"]]
        constraints.append({
            "id": cid, "name_en": c.name_en, "name_ja": c.name_ja, "raised_in": raised_in, "blocks_in": blocks_in,
            "lifted_by": list(law.reforms_for(cid, "lifts")), "eased_by": list(law.reforms_for(cid, "eases")),
        })
    refused = any(s["refused"] > 0 for s in scenarios)
    missing = sorted({r for c in constraints if c["blocks_in"] for r in c["lifted_by"]} - set(reforms))
    return {
        "id": arch.id, "name_en": arch.name("en"), "name_ja": arch.name("ja"),
        "short_en": arch.short_name("en"), "short_ja": arch.short_name("ja"),
        "reforms": list(reforms), "levels": levels(arch), "bodies": bodies(arch, params),
        "scenarios": scenarios, "constraints": constraints,
        "refused_and_reissued": refused, "reforms_that_would_lift": missing,
        "bottom_line_en": bottom_line(rows, BASELINE, names, "en", first=arch.id),
        "bottom_line_ja": bottom_line(rows, BASELINE, names, "ja", first=arch.id),
        "bottom_line_rule_en": BOTTOM_LINE_RULE[0], "bottom_line_rule_ja": BOTTOM_LINE_RULE[1],
        "runs_total": sum(s["runs"] for s in scenarios),
    }


def _stat(stat: Any) -> dict[str, float | None] | None:
    if stat is None:
        return None
    return {"mean": stat.mean, "low": stat.ci95_low, "high": stat.ci95_high}


def changes(before: dict[str, Any] | None, after: dict[str, Any], today: dict[str, Any] | None,
            names: dict[str, str] | None = None) -> dict[str, Any]:
    """What differs between two outcomes (levels, bodies, verdicts, refusals), and whether the edit was absorbed:
    the arrangement changed but no level and no verdict did, the coordination passing to another body."""
    def diff(a: dict[str, Any] | None) -> dict[str, Any]:
        if a is None:
            return {"levels": [], "verdicts": [], "bodies": [], "refused": []}
        lv = [{"situation": x["situation"], "before": x["level"], "after": y["level"]}
              for x, y in zip(a["levels"], after["levels"], strict=True) if x["level"] != y["level"]]
        vd = [{"scenario": x["id"], "before": x["verdict"], "after": y["verdict"],
               "before_criterion": x["criterion"], "after_criterion": y["criterion"]}
              for x, y in zip(a["scenarios"], after["scenarios"], strict=True)
              if (x["verdict"], x["criterion"]) != (y["verdict"], y["criterion"])]
        bd = [{"situation": s, "before": a["bodies"].get(s), "after": b}
              for s, b in after["bodies"].items() if a["bodies"].get(s) != b]
        rf = [{"scenario": x["id"], "before": x["refused"], "after": y["refused"]}
              for x, y in zip(a["scenarios"], after["scenarios"], strict=True) if abs(x["refused"] - y["refused"]) > 1e-9]
        return {"levels": lv, "verdicts": vd, "bodies": bd, "refused": rf}

    previous = diff(before)
    absorbed = before is not None and not previous["levels"] and not previous["verdicts"] and bool(previous["bodies"])
    return {"previous": previous, "today": diff(today), "absorbed": absorbed}


def say(lang: str, en: str, ja: str) -> str:
    return pick(lang, en, ja)
