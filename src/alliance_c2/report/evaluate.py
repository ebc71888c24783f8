"""`evaluate`: the main job. Structure, legal audit and simulation over the bundled arrangements,
written as a self-contained HTML briefing, results.json and results.csv.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import Architecture, bundled_architectures, load_architecture

DEFAULT_RUNS = 500
DEFAULT_SEED = 2024
PROPOSAL = "2024-proposal"
CURRENT = "2015-guidelines"
SENSITIVITY_SCENARIO = "compound-contingency"
SENSITIVITY_METRIC = "deadline_met"
SENSITIVITY_RUNS = 40
FAULT_MINUTES = 5.0

METRICS: dict[str, tuple[str, str, int]] = {
    "response_time": ("response time (min)", "応答時間（分）", 1),
    "deadline_met": ("deadline met (share)", "期限内対処率", 2),
    "sync_gap": ("synchronization gap (min)", "日米の行動時刻差（分）", 1),
    "messages": ("messages", "メッセージ数", 1),
    "refused": ("orders refused", "拒否された命令", 2),
    "conflicts": ("conflicts", "競合", 2),
}
VARIANTS: dict[str, tuple[str, str]] = {
    "baseline": ("baseline", "基準"),
    "reforms": ("with the proposal's reforms", "提案の法整備あり"),
    "hq-loss": ("operational HQ lost", "作戦司令部の喪失"),
}


@dataclass
class Evaluation:
    """What `evaluate` found; `figures` holds every number the report prints, by key."""

    out_dir: Path
    lang: str
    results: dict[str, Any]
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def report_path(self) -> Path:
        return self.out_dir / "report.html"

    def to_frame(self) -> Any:
        """Every figure the report prints, one row each: the same `key, value` rows as results.csv."""
        import pandas as pd

        return pd.DataFrame({"key": list(self.figures), "value": list(self.figures.values())})


def reforms_of_proposal() -> list[str]:
    """The reforms the study's measures call for (every reform in the catalog)."""
    from ..law import default_catalog

    return list(default_catalog().reforms)


def lost_headquarters(arch: Architecture) -> str | None:
    """The organization whose loss the report tests: the combined HQ, else JJOC, else none."""
    combined = [o.id for o in arch.organizations.values() if o.combined and o.is_military]
    if combined:
        return combined[0]
    return "jpn-jjoc" if "jpn-jjoc" in arch.organizations else None


def evaluate(
    *,
    runs: int = DEFAULT_RUNS,
    archs: Iterable[str] | None = None,
    scenarios: Iterable[str] | None = None,
    lang: str = "en",
    out: str | Path = "alliance-c2-report",
    seed: int = DEFAULT_SEED,
    sensitivity_runs: int = SENSITIVITY_RUNS,
    progress: Callable[[str, int, int], None] | None = None,
) -> Evaluation:
    """Run the whole evaluation and write report.html, results.json and results.csv into `out`."""
    from ..sim import scenario_ids

    start = time.perf_counter()
    if runs < 1:
        raise ValueError(f"--runs must be at least 1, got {runs}")
    arch_ids = list(archs) if archs else bundled_architectures()
    loaded = [load_architecture(a) for a in arch_ids]
    scen_ids = list(scenarios) if scenarios else scenario_ids()
    out_dir = Path(out)
    tick = progress or (lambda _stage, _done, _total: None)

    results: dict[str, Any] = {
        "meta": {
            "version": __version__,
            "runs": runs,
            "seed": seed,
            "lang": lang,
            "arrangements": [a.id for a in loaded],
            "scenarios": scen_ids,
        }
    }
    tick("structure", 0, 1)
    results["structure"] = _structure(loaded)
    tick("law", 0, len(loaded))
    results["legal"] = _legal(loaded, tick)
    results["simulation"] = _simulation(loaded, scen_ids, runs, seed, tick)
    results["sensitivity"] = _sensitivity(loaded, scen_ids, seed, sensitivity_runs, tick)
    results["guidelines"] = _guidelines_diff()
    results["assumptions"], results["sources"] = _assumptions_and_sources(loaded, scen_ids)
    figures = collect_figures(results)
    results["figures"] = figures
    evaluation = Evaluation(out_dir, lang, results, figures)
    evaluation.seconds = time.perf_counter() - start
    results["meta"]["seconds"] = round(evaluation.seconds, 2)
    return write_report(evaluation, lang, out_dir)


def write_report(evaluation: Evaluation, lang: str, out: str | Path) -> Evaluation:
    """Write report.html, results.json and results.csv for `evaluation` in `lang` into `out`.

    The same figures can be written in the other language without running anything again.
    """
    results = dict(evaluation.results)
    results["meta"] = {**results["meta"], "lang": lang}
    results["summary"] = summary_points(results, lang)
    written = Evaluation(Path(out), lang, results, evaluation.figures, evaluation.seconds)
    loaded = [load_architecture(a) for a in results["meta"]["arrangements"]]
    _write(written, loaded)
    return written


def _structure(loaded: list[Architecture]) -> dict[str, Any]:
    from ..analysis import interoperability_level
    from ..analysis.render import comparison_rows

    rows = comparison_rows(loaded)
    for row, arch in zip(rows, loaded, strict=True):
        level, evidence = interoperability_level(arch, "armed-attack")
        row["level_armed_attack"] = level
        row["level_evidence"] = evidence
    return {"rows": rows}


def _legal(loaded: list[Architecture], tick: Callable[[str, int, int], None]) -> dict[str, Any]:
    from ..law import audit, default_catalog

    catalog = default_catalog()
    constraints = list(catalog.constraints)
    reforms = list(catalog.reforms)
    out: dict[str, Any] = {
        "constraints": constraints,
        "reforms": reforms,
        "matrix": {},
        "with_reform": {},
        "cleared_by": {},
    }
    for n, arch in enumerate(loaded):
        base = audit(arch)
        matrix = base.matrix()
        out["matrix"][arch.id] = {c: sum(matrix.get(c, {}).values()) for c in constraints}
        out["cleared_by"][arch.id] = base.reforms_that_clear()
        out["with_reform"][arch.id] = {}
        for reform in reforms:
            m = audit(arch, (reform,)).matrix()
            out["with_reform"][arch.id][reform] = {c: sum(m.get(c, {}).values()) for c in constraints}
        m_all = audit(arch, tuple(reforms)).matrix()
        out["with_reform"][arch.id]["all"] = {c: sum(m_all.get(c, {}).values()) for c in constraints}
        tick("law", n + 1, len(loaded))
    return out


def _simulation(
    loaded: list[Architecture], scen_ids: list[str], runs: int, seed: int, tick: Callable[[str, int, int], None]
) -> dict[str, Any]:
    from ..sim import load_scenario, simulate

    reforms = reforms_of_proposal()
    ids = [a.id for a in loaded]
    cases: dict[str, dict[str, dict[str, Any]]] = {}
    names: dict[str, tuple[str, str]] = {}
    total = len(scen_ids) * 3
    done = 0
    for scen in scen_ids:
        scenario = load_scenario(scen)
        names[scen] = (scenario.name_en, scenario.name_ja)
        cases[scen] = {"baseline": {}, "reforms": {}, "hq-loss": {}}
        base = simulate(scen, ids, runs=runs, seed=seed)
        cases[scen]["baseline"] = _overall(base)
        done += 1
        tick("simulation", done, total)
        cases[scen]["reforms"] = _overall(simulate(scen, ids, runs=runs, seed=seed, reforms=reforms))
        done += 1
        tick("simulation", done, total)
        for arch in loaded:
            hq = lost_headquarters(arch)
            if hq is None:
                continue
            lost = simulate(scen, [arch.id], runs=runs, seed=seed, faults=[f"{hq}@{FAULT_MINUTES:g}"])
            cases[scen]["hq-loss"].update(_overall(lost))
            cases[scen]["hq-loss"][arch.id]["lost"] = hq
        done += 1
        tick("simulation", done, total)
    return {"scenarios": scen_ids, "names": names, "reforms": reforms, "fault_minutes": FAULT_MINUTES, "cases": cases}


def _overall(result: Any) -> dict[str, dict[str, Any]]:
    summary = result.summary()
    return {
        arch: {m: {k: v for k, v in summary[arch]["overall"][m].items()} for m in METRICS}
        for arch in result.arrangements
    }


def _sensitivity(
    loaded: list[Architecture], scen_ids: list[str], seed: int, runs: int, tick: Callable[[str, int, int], None]
) -> dict[str, Any] | None:
    from ..sim.sensitivity import sensitivity

    ids = [a.id for a in loaded]
    if PROPOSAL not in ids or CURRENT not in ids:
        return None
    scen = SENSITIVITY_SCENARIO if SENSITIVITY_SCENARIO in scen_ids else scen_ids[0]
    raw = sensitivity(
        scen,
        [CURRENT, PROPOSAL],
        runs=runs,
        seed=seed,
        metric=SENSITIVITY_METRIC,
        executor="inline",
        progress=lambda d, t: tick("sensitivity", d, t),
    )
    metric = raw["metric"]
    base_diff = raw["baseline"][PROPOSAL] - raw["baseline"][CURRENT]
    rows = []
    for r in raw["parameters"]:
        low = r[f"{metric}_at_low"]
        high = r[f"{metric}_at_high"]
        rows.append(
            {
                "param": r["parameter"],
                "value": r["value"],
                "low": r["low"],
                "high": r["high"],
                "diff_low": round(low[PROPOSAL] - low[CURRENT], 4),
                "diff_high": round(high[PROPOSAL] - high[CURRENT], 4),
                "flips": r["flips"],
            }
        )
    return {
        "scenario": scen,
        "metric": metric,
        "runs": runs,
        "compared": [CURRENT, PROPOSAL],
        "baseline_diff": round(base_diff, 4),
        "baseline_best": raw["baseline_best"],
        "rows": rows,
        "flipping": raw["flipping"],
    }


def _guidelines_diff() -> dict[str, Any]:
    from ..model.guidelines import diff_guidelines

    return diff_guidelines("2015", "2024-proposal")


def _assumptions_and_sources(loaded: list[Architecture], scen_ids: list[str]) -> tuple[list[str], list[str]]:
    from ..sim import load_parameters, load_scenario

    assumptions: list[str] = []
    sources: set[str] = set()
    for arch in loaded:
        if arch.source:
            sources.add(arch.source)
        for org in arch.organizations.values():
            if org.source:
                sources.add(org.source)
            if org.assumption and org.note_en:
                assumptions.append(f"{arch.id} / {org.id}: {org.note_en}")
        for rel in arch.relations:
            if rel.source:
                sources.add(rel.source)
            if rel.assumption and rel.note_en:
                assumptions.append(f"{arch.id} / {rel.from_id} → {rel.to_id} ({rel.kind}): {rel.note_en}")
    params = load_parameters(None)
    for p in params.items.values():
        if p.assumption:
            assumptions.append(f"simulation parameter {p.id} = {p.value:g} {p.unit} (range {p.low:g}–{p.high:g})")
        elif p.source:
            sources.add(p.source)
    for scen in scen_ids:
        source = getattr(load_scenario(scen), "source", None)
        if isinstance(source, str) and source:
            sources.add(source)
    return sorted(set(assumptions)), sorted(sources)


def collect_figures(results: dict[str, Any]) -> dict[str, Any]:
    """Every figure the report prints, keyed as the HTML's data-key attributes."""
    figures: dict[str, Any] = {}
    for row in results["structure"]["rows"]:
        for key in ("organizations", "command_depth", "coordination_hops_mean", "cross_national_opcon", "single_points_of_failure"):
            figures[f"structure/{row['id']}/{key}"] = row[key]
        for sit, level in row["levels"].items():
            figures[f"structure/{row['id']}/levels/{sit}"] = level
    for arch, cells in results["legal"]["matrix"].items():
        for c, n in cells.items():
            figures[f"legal/{arch}/{c}/count"] = n
        for c, n in results["legal"]["with_reform"][arch]["all"].items():
            figures[f"legal/{arch}/{c}/count_with_reforms"] = n
    for scen, variants in results["simulation"]["cases"].items():
        for variant, archs in variants.items():
            for arch, metrics in archs.items():
                for metric in METRICS:
                    stats = metrics[metric]
                    for stat in ("mean", "ci95_low", "ci95_high"):
                        figures[f"simulation/{arch}/{scen}/{variant}/{metric}/{stat}"] = stats[stat]
    sens = results.get("sensitivity")
    if sens:
        figures["sensitivity/baseline_diff"] = sens["baseline_diff"]
        for r in sens["rows"]:
            figures[f"sensitivity/{r['param']}/diff_low"] = r["diff_low"]
            figures[f"sensitivity/{r['param']}/diff_high"] = r["diff_high"]
    return figures


def format_figure(value: Any, digits: int = 2) -> str:
    """How a figure is printed in the report (and compared with results.json by the tests)."""
    if value is None:
        return "—"
    if isinstance(value, bool | str | int):
        return str(value)
    return f"{value:.{digits}f}"


def summary_points(results: dict[str, Any], lang: str) -> list[str]:
    """The one-screen answer, computed from the figures (HTML fragments)."""
    from .summary import findings

    return findings(results, lang)


def _write(evaluation: Evaluation, loaded: list[Architecture]) -> None:
    from .html import render_report

    out = evaluation.out_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(evaluation.results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    with (out / "results.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["key", "value"])
        for key, value in evaluation.figures.items():
            writer.writerow([key, value])
    evaluation.report_path.write_text(render_report(evaluation, loaded), encoding="utf-8")
