"""`evaluate`: the main job. Structure, legal audit, the simulation suite, the answer, validation against
published timelines and sensitivity, written as a self-contained HTML report, results.json and results.csv.

Every simulation of the evaluation is one batch on one pool of workers (`sim.simulate_many`), so cases the
law does not change (a reform an arrangement does not need) are run once.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from ..analysis import OverviewRow, overview
from ..labels import level_name, level_rank, nation_name
from ..law import Reform, audit, default_catalog
from ..model import Architecture, bundled_architectures, load_architecture
from ..model.guidelines import diff_guidelines
from ..model.scenario import load_scenario, scenario_ids
from ..sim import SimulationResult, load_parameters
from ..sim.runner import Request, effective_reforms, parse_fault, simulate_many
from .answer import Names, answer_rows, build_answer, per_run
from .figures import VARIANTS, collect_figures
from .html import diagram, render_report
from .pdf import PdfJob
from .results import (
    Answer,
    Assumption,
    CaseResult,
    Evaluation,
    LegalAudit,
    Meta,
    SimulationSuite,
    Surprise,
)
from .robustness import plan_sensitivity
from .validation import validation_rows

try:  # the distribution's version, not the package root's (which imports this layer): no import runs upward
    __version__ = version("alliance-c2")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

DEFAULT_RUNS = 500
DEFAULT_SEED = 2024
# Sequential evaluation (Haybittle-Peto): every case first makes LOOKS[0] runs; a scenario stops at a look when
# each of its verdicts is settled at 99.9% (z >= SETTLED_Z), else it runs on to the next look and at most to `runs`.
# Run i depends only on (seed, i), so a later look extends the runs already made and the report is the same
# for the same seed.
LOOKS = (100, 250)
SETTLED_Z = 3.29
SENSITIVITY_RUNS = 40
FAULT_MINUTES = 5.0
BASELINE = "2015-guidelines"
# Arrangements shown for context, beside the main comparison (today, the Integrated alternative, the proposal).
CONTEXT = ("1978-guidelines", "1997-guidelines", "us-rok-cfc", "us-rok-future-cfc")

class EvaluationInputError(ValueError):
    """Bad input found before any simulation runs (an arrangement, a scenario or the output directory)."""


def lost_headquarters(arch: Architecture) -> str | None:
    """The organization whose loss the report tests: the combined HQ, else JJOC, else none."""
    combined = [o.id for o in arch.organizations.values() if o.combined and o.is_military]
    if combined:
        return combined[0]
    return "jpn-jjoc" if "jpn-jjoc" in arch.organizations else None


def study_scenarios(scen_ids: list[str]) -> list[str]:
    """The scenarios the study puts its weight on (`study_focus: true` in the scenario file)."""
    return [s for s in scen_ids if load_scenario(s).study_focus]


def check_inputs(archs: Iterable[str] | None, scenarios: Iterable[str] | None, out: str | Path) -> None:
    """Every arrangement and scenario exists and `out` can be written: before any simulation runs."""
    for a in archs or ():
        load_architecture(a)
    for s in scenarios or ():
        load_scenario(s)
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise EvaluationInputError(f"{out}: cannot write the report there ({exc.strerror or exc})") from None


def evaluate(
    *,
    runs: int = DEFAULT_RUNS,
    archs: Iterable[str] | None = None,
    scenarios: Iterable[str] | None = None,
    lang: str = "en",
    out: str | Path = "alliance-c2-report",
    seed: int = DEFAULT_SEED,
    sensitivity_runs: int = SENSITIVITY_RUNS,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    pdf: bool = True,
) -> Evaluation:
    """Run the whole evaluation and write report.html, report.pdf, results.json and results.csv into `out`.

    Args:
        runs: Monte Carlo runs per case (each arrangement × scenario × variant).
        archs, scenarios: ids to include (default: every bundled one).
        lang: the report's language, en or ja.
        out: the output directory.
        seed: the seed; the same seed gives the same report.
        sensitivity_runs: runs per end of each parameter in the sensitivity analysis.
        workers: worker processes (default: every core).
        progress: called with (stage, done, total).
        pdf: also print report.pdf (headless Chromium; `pdf_problem` says why when it could not).

    Returns:
        The Evaluation (typed results; `to_dict()` is what results.json holds).
    """
    start = time.perf_counter()
    if runs < 1:
        raise ValueError(f"--runs must be at least 1, got {runs}")
    arch_ids = list(archs) if archs else bundled_architectures()
    scen_ids = list(scenarios) if scenarios else scenario_ids()
    check_inputs(arch_ids, scen_ids, out)
    loaded = [load_architecture(a) for a in arch_ids]
    tick = progress or (lambda _stage, _done, _total: None)
    baseline = BASELINE if BASELINE in arch_ids else arch_ids[0]
    main = [a for a in arch_ids if a not in CONTEXT or a == baseline]
    reforms = {a.id: tuple(a.presupposes_reforms) for a in loaded}
    study = study_scenarios(scen_ids) or scen_ids[:1]

    meta = Meta(__version__, runs, seed, lang, arch_ids, scen_ids, baseline, main, [a for a in arch_ids if a not in main],
                study, sensitivity_runs, {a.id: a.law_as_of.isoformat() if a.law_as_of else None for a in loaded},
                looks=looks(runs), executor="local", workers=workers or os.cpu_count() or 1)
    params = load_parameters(None)
    cases = _cases(loaded, scen_ids, main, reforms, runs, seed)
    plans = [plan_sensitivity(s, baseline, main, {a: reforms[a] for a in main}, params, sensitivity_runs, seed)
             for s in study] if len(main) > 1 else []
    extra = [r for plan in plans for r in plan.requests()]
    # The worker processes simulate while this process audits the law: the two overlap on the machine's cores.
    with ThreadPoolExecutor(max_workers=1) as background:
        running = background.submit(run_sequentially, cases, extra, looks(runs), baseline, main, workers,
                                    lambda d, t: tick("simulation", d, t))
        tick("structure", 0, 1)
        structure = overview(loaded)
        legal = _legal(loaded, reforms, tick)
        for arch in loaded:
            diagram(arch, lang)
        case_results, done = running.result()
    rest = iter(done)
    sensitivity = [plan.read(rest) for plan in plans]

    lawful = {s: {a: case_results[(s, a, "lawful")] for a in arch_ids} for s in scen_ids}
    simulation = _simulation(scen_ids, case_results, reforms)
    answer = _answer(scen_ids, baseline, main, case_results, lawful, loaded, reforms, study)
    validation = validation_rows(lawful, baseline, main, params, study)
    assumptions, sources = _assumptions_and_sources(loaded, scen_ids)
    evaluation = Evaluation(
        Path(out), meta, structure, legal, simulation, answer, validation, sensitivity,
        _surprises(answer, simulation, structure, meta), diff_guidelines("2015", "2024-proposal"),
        assumptions, sources, write_pdf=pdf,
    )
    evaluation.figures = collect_figures(evaluation)
    evaluation.meta = replace(meta, seconds=round(time.perf_counter() - start, 2))
    return write_report(evaluation, lang, out)


def looks(runs: int) -> list[int]:
    """The run counts at which a scenario may stop: the LOOKS below `runs`, then `runs`."""
    return [n for n in LOOKS if n < runs] + [runs]


Case = tuple[str, str, str]  # (scenario, arrangement, variant)


def run_sequentially(
    cases: list[tuple[Case, Request]], extra: list[Request], at: list[int], baseline: str, main: list[str],
    workers: int | None = None, progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[Case, SimulationResult], list[SimulationResult]]:
    """Every case to the first look (with `extra`, run once in full), then each unsettled scenario's cases to the next.

    Returns the cases' results (each with the runs its scenario made) and the results of `extra` in order.
    """
    first = [replace(r, runs=min(r.runs, at[0])) for _, r in cases]
    # One pool for every look: its workers keep the models they compiled, so a later look compiles nothing again.
    with _pool(workers) as pool:
        done = simulate_many(first + extra, workers=workers, progress=progress, pool=pool)
        results = dict(zip((k for k, _ in cases), done[: len(cases)], strict=True))
        for previous, look in itertools.pairwise(at):
            open_ = {k[0] for k in results if not settled(k[0], results, baseline, main)}
            more = [(k, replace(r, runs=look, start=previous)) for k, r in cases if k[0] in open_]
            if not more:
                break
            extensions = simulate_many([r for _, r in more], workers=workers, progress=progress, pool=pool)
            for (key, _), extension in zip(more, extensions, strict=True):
                results[key] = extended(results[key], extension)
    return results, done[len(cases):]


@contextlib.contextmanager
def _pool(workers: int | None) -> Iterator[ProcessPoolExecutor | None]:
    """The evaluation's worker processes (none for one worker: the runs are made in this process)."""
    count = workers or os.cpu_count() or 1
    if count == 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        yield pool


def extended(result: SimulationResult, more: SimulationResult) -> SimulationResult:
    """`result` with the runs of `more` (the next runs of the same work) appended."""
    data = {a: np.concatenate([result.data[a], more.data[a]]) for a in result.arrangements}
    return replace(result, runs=result.runs + more.runs, data=data, _summary=None)


def settled(scenario: str, results: dict[Case, SimulationResult], baseline: str, main: list[str]) -> bool:
    """Whether every verdict of `scenario` (each main arrangement, lawful and not lawful today, against today) is
    settled at 99.9%: each difference it rests on clear of zero by SETTLED_Z standard errors, or both samples equal."""
    today = results.get((scenario, baseline, "lawful"))
    if today is None:
        return True
    for (scen, arch, variant), res in results.items():
        if scen != scenario or arch == baseline or arch not in main or variant == "hq-loss":
            continue
        for metric in ("response_time", "deadline_met"):
            if not clear_of_zero(per_run(res, arch, metric), per_run(today, baseline, metric)):
                return False
    return True


def clear_of_zero(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether mean(a) - mean(b) is settled at 99.9%: clear of zero by SETTLED_Z standard errors, or no spread."""
    fa, fb = a[np.isfinite(a)], b[np.isfinite(b)]
    if fa.size < 2 or fb.size < 2:
        return bool(fa.size == 0 and fb.size == 0)
    se = math.sqrt(float(fa.var(ddof=1)) / fa.size + float(fb.var(ddof=1)) / fb.size)
    diff = float(fa.mean() - fb.mean())
    if se == 0:
        return True
    return bool(abs(diff) / se >= SETTLED_Z)


def _cases(loaded: list[Architecture], scen_ids: list[str], main: list[str], reforms: dict[str, tuple[str, ...]],
           runs: int, seed: int) -> list[tuple[tuple[str, str, str], Request]]:
    """Every (scenario, arrangement, variant) the report shows, as simulation requests."""
    out: list[tuple[tuple[str, str, str], Request]] = []
    for scen in scen_ids:
        for arch in loaded:
            out.append(((scen, arch.id, "lawful"), Request(scen, (arch.id,), runs, seed, (), reforms[arch.id])))
            if reforms[arch.id]:
                out.append(((scen, arch.id, "not-lawful-today"), Request(scen, (arch.id,), runs, seed, (), ())))
            hq = lost_headquarters(arch)
            if arch.id in main and hq is not None:
                fault = parse_fault(f"{hq}@{FAULT_MINUTES:g}")
                out.append(((scen, arch.id, "hq-loss"), Request(scen, (arch.id,), runs, seed, (fault,), reforms[arch.id])))
    return out


def _simulation(scen_ids: list[str], cases: dict[tuple[str, str, str], SimulationResult],
                reforms: dict[str, tuple[str, ...]]) -> SimulationSuite:
    names = {}
    table: dict[str, dict[str, dict[str, CaseResult]]] = {}
    for scen in scen_ids:
        scenario = load_scenario(scen)
        names[scen] = (scenario.name_en, scenario.name_ja)
        table[scen] = {v: {} for v in VARIANTS}
    for (scen, arch, variant), res in cases.items():
        lost = (res.faults[0].split("@")[0] if res.faults else None) if variant == "hq-loss" else None
        table[scen][variant][arch] = CaseResult(
            dict(res.summary()[arch]["overall"]), res.levels[arch], res.executed_by_level(arch),
            res.paths.get(arch, {}), list(res.reforms), res.law_as_of.get(arch), lost,
        )
    return SimulationSuite(scen_ids, names, FAULT_MINUTES, table, {a: list(r) for a, r in reforms.items() if r})


def _answer(scen_ids: list[str], baseline: str, main: list[str], cases: dict[tuple[str, str, str], SimulationResult],
            lawful: dict[str, dict[str, SimulationResult]], loaded: list[Architecture],
            reforms: dict[str, tuple[str, ...]], study: list[str]) -> Answer:
    law = default_catalog()
    rows, not_lawful = [], []
    for scen in scen_ids:
        unlawful = {a: cases[(scen, a, "not-lawful-today")] for a in main if (scen, a, "not-lawful-today") in cases}
        lost = {}
        for a in main:
            if (scen, a, "hq-loss") in cases:
                res = cases[(scen, a, "hq-loss")]
                lost[a] = (res.faults[0].split("@")[0], res)
        r, n = answer_rows(scen, baseline, main, lawful[scen], unlawful, lost, reforms, law)
        rows.extend(r)
        not_lawful.extend(n)
    names = Names(
        {s: (load_scenario(s).short_name("en"), load_scenario(s).short_name("ja")) for s in scen_ids},
        {a.id: (a.short_name("en"), a.short_name("ja")) for a in loaded},
        {r.id: (r.name_en, r.name_ja) for r in law.reforms.values()},
        {c.id: (c.name_en, c.name_ja) for c in law.constraints.values()},
        {o.id: (o.name("en"), o.name("ja")) for a in loaded for o in a.organizations.values()},
        {a.id: (a.name_en, a.name_ja) for a in law.approvals.values()},
        {n: (nation_name(n, "en"), nation_name(n, "ja")) for a in loaded for n in a.nations},
        {r.id: (r.name_en, r.name_ja) for r in law.rules.values()},
        {r.id: (r.lifted_by_note_en, r.lifted_by_note_ja or r.lifted_by_note_en) for r in law.rules.values()
         if r.lifted_by_note_en},
    )
    return build_answer(rows, not_lawful, baseline, main, names, study)


def _surprises(answer: Answer, sim: SimulationSuite, structure: list[OverviewRow], meta: Meta) -> list[Surprise]:
    """Results a reader would not expect, each with the mechanism of the model behind it (rules, not prose by hand)."""
    integration = {row.id: level_rank(row.reference_level) for row in structure}
    return [
        *_more_integrated_slower(sim, meta.main, integration),
        *_hq_loss_faster(answer, sim),
        *_older_better(sim, meta.baseline, meta.context),
    ]


def _arch_name(arch_id: str, lang: str, start: bool = False) -> str:
    """Short name of an arrangement; "The ..." lower-cased when it does not open the sentence."""
    name = load_architecture(arch_id).short_name(lang)
    return name if start or not name.startswith("The ") else "the " + name[4:]


def _scen_name(scen_id: str, lang: str) -> str:
    return load_scenario(scen_id).short_name(lang)


def _stat(case: CaseResult, metric: str, key: str) -> float:
    """One number of a metric's summary (NaN when nothing was observed)."""
    value = case.metrics[metric][key]
    return float(value) if value is not None else math.nan


def _more_integrated_slower(sim: SimulationSuite, main: list[str], integration: dict[str, int]) -> list[Surprise]:
    """A more integrated arrangement slower than a less integrated one: what its orders carry explains it."""
    out = []
    for scen, variants in sim.cases.items():
        lawful = variants["lawful"]
        for more in main:
            for less in main:
                a, b = lawful.get(more), lawful.get(less)
                if a is None or b is None or integration.get(more, 0) <= integration.get(less, 0):
                    continue
                pa, pb = a.order_paths, b.order_paths
                if a.mean("response_time") is None or b.mean("response_time") is None or not pa or not pb \
                        or _stat(a, "response_time", "ci95_low") <= _stat(b, "response_time", "ci95_high"):
                    continue
                times = f"{_stat(a, 'response_time', 'mean'):.0f}", f"{_stat(b, 'response_time', 'mean'):.0f}"
                approvals = f"{pa['approvals_per_order']:.2f}", f"{pb['approvals_per_order']:.2f}"
                foreign = f"{pa['foreign_approvals_per_order']:.2f}", f"{pb['foreign_approvals_per_order']:.2f}"
                hops = f"{pa['hops_per_order']:.1f}", f"{pb['hops_per_order']:.1f}"
                out.append(Surprise(
                    f"{_arch_name(more, 'en', True)} is more integrated than {_arch_name(less, 'en')} but slower "
                    f"in {_scen_name(scen, 'en')} ({times[0]} vs {times[1]} min): its executed orders carry "
                    f"{approvals[0]} approvals each against {approvals[1]} ({foreign[0]} against {foreign[1]} held "
                    "by the other nation: a unit under the other nation's operational control waits for that "
                    f"nation's decisions as well as its own) and pass {hops[0]} hops against {hops[1]}.",
                    f"{_scen_name(scen, 'ja')}で{_arch_name(more, 'ja')}は{_arch_name(less, 'ja')}より統合度が高いが"
                    f"遅い（{times[0]}分対{times[1]}分）。実行された命令1件あたりの承認は{approvals[0]}件対"
                    f"{approvals[1]}件（うち相手国が持つ承認 {foreign[0]}件対{foreign[1]}件：他国の作戦統制下にある"
                    f"部隊は自国の決定に加えその国の決定も待つ）、経由する段数は{hops[0]}対{hops[1]}。",
                ))
    return out


def _hq_loss_faster(answer: Answer, sim: SimulationSuite) -> list[Surprise]:
    """Losing the combined headquarters makes an arrangement faster: national chains carry fewer approvals."""
    out = []
    for row in answer.rows:
        p = row.hq_loss_penalty
        if p is None or not p.below_zero() or p.mean is None:
            continue
        base = sim.cases[row.scenario]["lawful"][row.arch].mean("conflicts") or 0.0
        lost = sim.cases[row.scenario]["hq-loss"][row.arch].mean("conflicts") or 0.0
        org = load_architecture(row.arch).organizations.get(row.lost_headquarters or "")
        hq = {lang: org.name(lang) if org is not None else str(row.lost_headquarters) for lang in ("en", "ja")}
        out.append(Surprise(
            f"Losing {hq['en']} makes {_arch_name(row.arch, 'en')} faster in {_scen_name(row.scenario, 'en')} "
            f"({p.mean:+.0f} min): its orders then go down national chains that need only their own nation's "
            "approvals (under the combined headquarters every order carries both nations'), and the nations act "
            f"less synchronized (conflicts per run {base:.2f} → {lost:.2f}).",
            f"{_scen_name(row.scenario, 'ja')}で{hq['ja']}を失うと{_arch_name(row.arch, 'ja')}は速くなる"
            f"（{p.mean:+.0f}分）。命令は自国の承認だけを要する各国の指揮系統を通る（連合司令部の下では全命令が"
            f"両国の承認を要する）一方、同期が弱まる（1試行あたりの競合 {base:.2f} → {lost:.2f}）。",
        ))
    return out


def _older_better(sim: SimulationSuite, baseline: str, context: list[str]) -> list[Surprise]:
    """An arrangement shown for context beating today: refused orders or skipped synchronization explain it."""
    return [found for scen, variants in sim.cases.items() if baseline in variants["lawful"]
            for arch in context if arch in variants["lawful"]
            for found in _context_surprises(scen, arch, variants["lawful"][arch], variants["lawful"][baseline])]


def _context_surprises(scen: str, arch: str, other: CaseResult, today: CaseResult) -> list[Surprise]:
    """What makes one context arrangement look better than today in one scenario."""
    if other.mean("deadline_met") is None or today.mean("deadline_met") is None:
        return []
    out = []
    name_en, name_ja = _arch_name(arch, "en", True), _arch_name(arch, "ja")
    where_en, where_ja = _scen_name(scen, "en"), _scen_name(scen, "ja")
    share = f"{_stat(other, 'deadline_met', 'mean'):.2f}", f"{_stat(today, 'deadline_met', 'mean'):.2f}"
    refused = other.mean("refused") or 0.0
    ro, rt = other.mean("response_time"), today.mean("response_time")
    if refused > 0 and ro is not None and rt is not None \
            and _stat(other, "response_time", "ci95_high") < _stat(today, "response_time", "ci95_low"):
        out.append(Surprise(
            f"{name_en} responds faster than today in {where_en} ({ro:.0f} vs {rt:.0f} min) only because the law of "
            f"its date refuses {refused:.1f} orders per run: response time counts only injects where every order ran "
            f"(deadline share {share[0]} vs {share[1]}).",
            f"{where_ja}で{name_ja}が現行より速く見える（{ro:.0f}分対{rt:.0f}分）のは、当時の法が1試行あたり{refused:.1f}件の"
            f"命令を認めないためである。応答時間は全命令が実行されたインジェクトのみで計算する（期限内対処率 "
            f"{share[0]}対{share[1]}）。",
        ))
    if _stat(other, "deadline_met", "ci95_low") > _stat(today, "deadline_met", "ci95_high"):
        levels = sorted(set(other.levels.values()), key=level_rank)
        conflicts = f"{_stat(other, 'conflicts', 'mean'):.2f}", f"{_stat(today, 'conflicts', 'mean'):.2f}"
        out.append(Surprise(
            f"{name_en} meets more deadlines than today in {where_en} ({share[0]} vs {share[1]}): its orders run at "
            f"{', '.join(levels)} and do not wait for the synchronization today's arrangement performs; conflicts "
            f"per run {conflicts[0]} vs {conflicts[1]}, orders refused {refused:.1f}.",
            f"{where_ja}で{name_ja}は現行より期限内対処率が高い（{share[0]}対{share[1]}）。その命令は"
            f"{'、'.join(level_name(x, 'ja') for x in levels)}で実行され、現行の体制が行う同期を待たない。"
            f"1試行あたりの競合 {conflicts[0]}対{conflicts[1]}、拒否された命令 {refused:.1f}。",
        ))
    return out


def write_report(evaluation: Evaluation, lang: str, out: str | Path) -> Evaluation:
    """Write report.html, results.json and results.csv for `evaluation` in `lang` into `out`.

    The same figures can be written in the other language without running anything again.
    """
    written = replace(evaluation, out_dir=Path(out), meta=replace(evaluation.meta, lang=lang))
    loaded = [load_architecture(a) for a in written.meta.arrangements]
    _write(written, loaded)
    return written


def _legal(loaded: list[Architecture], presupposed: dict[str, tuple[str, ...]],
           tick: Callable[[str, int, int], None]) -> LegalAudit:
    catalog = default_catalog()
    constraints = list(catalog.constraints)
    reforms = list(catalog.reforms)
    audit_ = LegalAudit(constraints, reforms, {}, {}, {})
    for n, arch in enumerate(loaded):
        base = audit(arch)
        counts = _counts(base.matrix(), constraints)
        audit_.matrix[arch.id] = counts
        audit_.cleared_by[arch.id] = base.reforms_that_clear()
        lawful = audit(arch, presupposed.get(arch.id, ())) if presupposed.get(arch.id) else base
        audit_.c6[arch.id] = [c.to_dict() for c in lawful.c6()]
        with_reform = audit_.with_reform.setdefault(arch.id, {})
        # A reform that can change no verdict and lift no finding of this arrangement leaves its audit as it is; one
        # that only lifts rules of a nation's law changes nothing where no order of the audit meets those rules.
        met = {rule for rule, c in base.collisions.items() if c.orders}
        for reform in [*reforms, None]:
            effective = tuple(r for r in effective_reforms(arch, (reform,) if reform else tuple(reforms))
                              if _changes_audit(catalog.reform(r), met))
            with_reform[reform or "all"] = _counts(audit(arch, effective).matrix(), constraints) if effective else counts
        tick("law", n + 1, len(loaded))
    return audit_


def _changes_audit(reform: Reform, met: set[str]) -> bool:
    """Whether the reform can change an audit whose orders meet the rules `met`: it allows a relation or lifts a
    constraint, or it lifts one of those rules (a rule no order meets changes nothing when lifted)."""
    return bool(reform.allows_cross_national or reform.lifts or reform.lifts_rules & met)


def _counts(matrix: dict[str, dict[str, int]], constraints: list[str]) -> dict[str, int]:
    return {c: sum(matrix.get(c, {}).values()) for c in constraints}


def _assumptions_and_sources(loaded: list[Architecture], scen_ids: list[str]) -> tuple[list[Assumption], list[str]]:
    assumptions: list[Assumption] = []
    sources: set[str] = set()
    for arch in loaded:
        if arch.source:
            sources.add(arch.source)
        for org in arch.organizations.values():
            if org.source:
                sources.add(org.source)
            if org.assumption and org.note_en:
                assumptions.append(Assumption(f"{arch.id} / {org.id}", org.note_en, org.note_ja or org.note_en))
        for rel in arch.relations:
            if rel.source:
                sources.add(rel.source)
            if rel.assumption and rel.note_en:
                assumptions.append(Assumption(f"{arch.id} / {rel.from_id} → {rel.to_id} ({rel.kind})", rel.note_en,
                                              rel.note_ja or rel.note_en))
    for p in load_parameters(None).items.values():
        if p.assumption:
            assumptions.append(Assumption(p.id, f"{p.name('en')} = {p.value:g} ({p.low:g}–{p.high:g})",
                                          f"{p.name('ja')} = {p.value:g}（{p.low:g}〜{p.high:g}）"))
        if p.source:
            sources.add(p.source)
    for scen in scen_ids:
        source = load_scenario(scen).source
        if source:
            sources.add(source)
    unique = {a.subject + a.en: a for a in assumptions}
    return sorted(unique.values(), key=lambda a: a.subject), sorted(sources)


def _write(evaluation: Evaluation, loaded: list[Architecture]) -> None:
    out = evaluation.out_dir
    out.mkdir(parents=True, exist_ok=True)
    html = render_report(evaluation, loaded)
    tmp = out / f".report-{os.getpid()}.html"
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(evaluation.report_path)
    # Chromium prints the PDF while results.json and results.csv are written.
    printing = PdfJob(evaluation.report_path, evaluation.pdf_path).start() if evaluation.write_pdf else None
    (out / "results.json").write_text(
        json.dumps(evaluation.to_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    with (out / "results.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["key", "value"])
        for key, value in evaluation.figures.items():
            writer.writerow([key, value])
    if printing is not None:
        evaluation.pdf_problem = printing.wait()
