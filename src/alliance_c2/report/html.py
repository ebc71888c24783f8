"""Render the evaluation as one self-contained HTML file (inline CSS and SVG, no external request)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..analysis import level_rule_texts
from ..labels import level_name, metric_label, name_of, pick, situation_name, situation_names
from ..law import LawCatalog, default_catalog
from ..model import Architecture, reference_situation
from ..model.scenario import load_scenario
from .charts import grouped_bars, styles_for, tornado
from .diagram import architecture_svg
from .figures import METRIC_DIGITS, VARIANTS, format_figure
from .references import readable, reference_list
from .results import Answer, AnswerRow, Evaluation, ScenarioSensitivity, SimulationSuite, ValidationRow
from .strings import s as string


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("alliance_c2.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(evaluation: Evaluation, loaded: list[Architecture]) -> str:
    """The report as an HTML string, in the evaluation's language."""
    lang = evaluation.lang
    meta = evaluation.meta
    figures = evaluation.figures
    catalog = default_catalog()

    def say(en: str, ja: str) -> str:
        return pick(lang, en, ja)

    def level_label(level: str) -> str:
        # The level's id is its figure in results.json; the Japanese label adds the study's term.
        return pick(lang, level, f"{level_name(level, 'ja')}（{level}）")

    arch_by_id = {a.id: a for a in loaded}
    short = {a.id: a.short_name(lang) for a in loaded}
    styles = styles_for(meta.arrangements)
    scen_short = {sc: load_scenario(sc).short_name(lang) for sc in meta.scenarios}
    scen_names = {sc: load_scenario(sc).name(lang) for sc in meta.scenarios}

    structure_rows = [
        ("organizations", say("organizations", "組織数")),
        ("command_depth", say("command depth", "指揮階層の深さ")),
        ("coordination_hops_mean", say("hops for a shared task", "共同任務の経路長")),
        ("cross_national_opcon", say("cross-national OPCON/TACON", "他国部隊への作戦統制")),
        ("single_points_of_failure", say("single points of failure", "単一障害点")),
    ]
    situations = list(situation_names(lang).items())
    rules = level_rule_texts()
    diagrams = []
    for arch in loaded:
        row = next(r for r in evaluation.structure if r.id == arch.id)
        diagrams.append({
            "id": arch.id,
            "name": arch.name(lang),
            "level": row.reference_level,
            "rule": say(*rules[row.reference_level]) + " — " + "; ".join(row.reference_evidence),
            "svg": diagram(arch, lang),
        })

    legal = evaluation.legal
    constraints = []
    for cid in legal.constraints:
        c = catalog.constraints[cid]
        cleared = sorted({r for a in legal.cleared_by.values() for r in a.get(cid, [])})
        constraints.append({"id": cid, "name": name_of(c, lang), "cleared_by": cleared})
    legal_view = {
        "arrangements": list(legal.matrix),
        "constraints": constraints,
        "matrix": legal.matrix,
        "reforms": [
            {"id": r.id, "name": name_of(r, lang), "measure": r.measure or "",
             "lifts": [f"{c} ({say(how, '解消' if how == 'lifts' else '緩和')})" for c, how in r.lifts.items()]}
            for r in (catalog.reforms[rid] for rid in legal.reforms)
        ],
        "c6": _c6_view(legal.c6, lang, catalog),
    }

    answer_view = _answer_view(evaluation.answer, lang, short, scen_names, catalog)

    sim = evaluation.simulation
    metrics = [{"id": m, "label": metric_label(m, lang), "digits": d} for m, d in METRIC_DIGITS.items()]
    sim_table: list[dict[str, Any]] = []
    for scen in sim.scenarios:
        first = len(sim_table)
        for variant in VARIANTS:
            for arch_id in sim.cases[scen][variant]:
                stats = {}
                for m in metrics:
                    key = f"simulation/{arch_id}/{scen}/{variant}/{m['id']}"
                    stats[m["id"]] = {"mean": figures[f"{key}/mean"], "low": figures[f"{key}/ci95_low"],
                                      "high": figures[f"{key}/ci95_high"], "key": key}
                sim_table.append({
                    "scenario": scen, "scenario_name": scen_short[scen], "arch": arch_id, "arch_name": short[arch_id],
                    "variant": variant, "variant_name": say(*VARIANTS[variant]), "stats": stats, "first": False,
                    "context": arch_id in meta.context,
                })
        if len(sim_table) > first:
            sim_table[first]["first"] = True
            sim_table[first]["span"] = len(sim_table) - first
    chart_jobs = _chart_jobs(sim, meta.arrangements, lang, scen_short, short, styles)
    sensitivity = [_sensitivity_view(s, lang, short, scen_names) for s in evaluation.sensitivity]
    tornados = [view for view in sensitivity if view["chart"] is not None]
    svgs = iter(_draw([job for _, job in chart_jobs] + [view["chart"] for view in tornados]))
    charts = [{"id": chart_id, "svg": next(svgs)} for chart_id, _ in chart_jobs]
    for view in sensitivity:
        view["svg"] = next(svgs) if view.pop("chart") is not None else None
    validation = [_validation_view(v, lang) for v in evaluation.validation]
    for v in validation:
        v["source"] = readable(v["source"], lang)[0]

    suffix = "ja" if lang == "ja" else "en"
    gl = evaluation.guidelines
    guidelines = {
        "replaced": [{"from_names": r[f"from_names_{suffix}"], "to_name": r[f"to_name_{suffix}"]} for r in gl["replaced"]],
        "added": [{"name": e[f"name_{suffix}"]} for e in gl["added"]],
    }
    citations, documents = reference_list(evaluation.sources, lang)
    assumptions = [readable(f"{a.subject}: {say(a.en, a.ja)}", lang)[0] for a in evaluation.assumptions]
    return _env().get_template("report.html.j2").render(
        lang=lang,
        s=lambda key: string(key, lang),
        meta=meta,
        main_names=[short[a] for a in meta.main],
        law_dates=[(short[a], d) for a, d in meta.law_as_of.items()],
        answer=answer_view,
        structure=evaluation.structure,
        structure_rows=structure_rows,
        situations=situations,
        reference_situation=situation_name(reference_situation(), lang),
        level_name=level_label,
        short=short,
        diagrams=diagrams,
        legal=legal_view,
        charts=charts,
        metrics=metrics,
        sim_table=sim_table,
        fmt=format_figure,
        validation=validation,
        sensitivity=sensitivity,
        guidelines=guidelines,
        assumptions=assumptions,
        citations=citations,
        documents=[{"title": d.title(lang), "url": d.url, "id": d.id} for d in documents],
        arch_count=len(arch_by_id),
        figures_of=figures.get,
        surprises=[x.text(lang) for x in evaluation.surprises],
    )


@lru_cache(maxsize=64)
def diagram(arch: Architecture, lang: str) -> str:
    """The arrangement's diagram in the reference situation (drawn once per arrangement and language)."""
    return architecture_svg(arch, lang=lang)


def _c6_view(c6: dict[str, list[dict[str, Any]]], lang: str, catalog: Any) -> list[dict[str, Any]]:
    """C6 computed: one row per rule of U.S. law and the treaty, its orders in each arrangement, what lifts it."""
    rows: dict[str, dict[str, Any]] = {}
    for arch, rules in c6.items():
        for c in rules:
            row = rows.setdefault(c["rule"], {
                "rule": c["rule"], "name": c["name_ja"] if lang == "ja" else c["name_en"], "article": c["article"] or "",
                "law": c["law_name_ja"] if lang == "ja" else c["law_name_en"], "kind": c["kind"], "orders": {},
                "lifted_by": ", ".join(name_of(catalog.reforms[r], lang) for r in c["lifted_by"])
                or ((c["lifted_by_note_ja"] if lang == "ja" else c["lifted_by_note_en"]) or ""),
            })
            row["orders"][arch] = c["orders"]
    return list(rows.values())


def _answer_view(answer: Answer, lang: str, short: dict[str, str], scen_names: dict[str, str],
                 catalog: LawCatalog) -> dict[str, Any]:
    def say(en: str, ja: str) -> str:
        return pick(lang, en, ja)

    def row_view(r: AnswerRow) -> dict[str, Any]:
        constraints = []
        for c in r.constraints:
            if c.remedy == "none":
                continue
            name = name_of(catalog.constraints[c.constraint], lang)
            reforms = [name_of(catalog.reforms[x], lang) for x in c.lifted_by or c.eased_by]
            if c.lifted_by:
                how = f"→ {', '.join(reforms)} ({', '.join(c.measures)})"
            elif c.eased_by:
                how = f"{string('eased_by', lang)} {', '.join(c.measures)}; {string('political_decision', lang)}"
            else:
                how = string("political_decision", lang)
            state = f"{string('blocks', lang)} {c.blocks}" if c.blocks else string("raised", lang)
            constraints.append({"id": c.constraint.split("-")[0], "name": name, "state": state, "how": how})
        refused = r.metrics["refused"].mean or 0.0
        return {
            "scenario": r.scenario, "scenario_name": scen_names[r.scenario], "arch": r.arch, "arch_name": short[r.arch],
            "reforms": ", ".join(name_of(catalog.reforms[x], lang) for x in r.reforms), "verdict": r.verdict,
            "constraints": constraints, "penalty": r.hq_loss_penalty, "lost": r.lost_headquarters,
            "criterion": string(f"criterion_{r.criterion}", lang) if r.criterion else "", "runs": r.runs,
            "reissued": say(f"{refused:.1f} orders per run refused and re-issued through the national chain",
                            f"1試行あたり{refused:.1f}件の命令が認められず自国の指揮系統で再発令")
            if refused > 0 else "",
        }

    by_scenario: dict[str, list[dict[str, Any]]] = {}
    for r in answer.rows:
        by_scenario.setdefault(r.scenario, []).append(row_view(r))
    return {
        "bottom_line": answer.bottom_line(lang),
        "bottom_line_other": answer.bottom_line("en" if lang == "ja" else "ja"),
        "bottom_line_rule": answer.bottom_line_rule(lang),
        "paragraph": answer.paragraph(lang),
        "scenarios": [{"id": s, "name": scen_names[s], "rows": rows} for s, rows in by_scenario.items()],
        "not_lawful": [row_view(r) for r in answer.not_lawful_today],
        "rules": answer.rules_in(lang),
        "baseline": short[answer.baseline],
    }


def _validation_view(v: ValidationRow, lang: str) -> dict[str, Any]:
    def say(en: str, ja: str) -> str:
        return pick(lang, en, ja)

    return {
        "anchor": v.anchor, "name": say(v.name_en, v.name_ja), "source": v.source,
        "published": say(v.published, v.published_ja), "model": v.model, "model_label": v.model_label,
        "within": {True: string("yes", lang), False: string("no", lang), None: string("n_a", lang)}[v.within],
        "within_key": {True: "yes", False: "no", None: "n/a"}[v.within],
        "explanation": say(v.explanation_en, v.explanation_ja),
    }


def _sensitivity_view(sens: ScenarioSensitivity, lang: str, short: dict[str, str],
                      scen_names: dict[str, str]) -> dict[str, Any]:
    def say(en: str, ja: str) -> str:
        return pick(lang, en, ja)

    target = sens.compared[-1] if sens.compared else ""
    rows = [r for r in sens.rows if r.relevant]
    shown = sorted(
        (r for r in rows if r.diff_low.get(target) is not None and r.diff_high.get(target) is not None),
        key=lambda r: -abs((r.diff_high[target] or 0) - (r.diff_low[target] or 0)),
    )[:14]
    chart: Chart | None = None
    if target and shown:
        chart = (tornado, (
            f"tornado-{sens.scenario}",
            [say(r.name_en, r.name_ja) for r in shown],
            [r.diff_low[target] or 0.0 for r in shown],
            [r.diff_high[target] or 0.0 for r in shown],
            sens.diffs.get(target) or 0.0,
            say(f"{scen_names[sens.scenario]}: {short[target]} − {short[sens.baseline]}, response time",
                 f"{scen_names[sens.scenario]}：{short[target]} − {short[sens.baseline]}（応答時間）"),
            say("difference in minutes (negative: faster than today)", "差（分、負は現行より速い）"),
            string("at_low", lang), string("at_high", lang),
        ))
    return {
        "scenario": sens.scenario,
        "name": scen_names[sens.scenario],
        "chart": chart,  # drawn with the other charts (`_draw`), then replaced by "svg"
        "runs": sens.runs,
        "compared": [(a, short[a]) for a in sens.compared],
        "verdicts": {a: sens.verdicts.get(a) for a in sens.compared},
        "rows": [{"item": r.item, "name": say(r.name_en, r.name_ja), "low": r.low, "high": r.high,
                  "verdict_low": r.verdict_low, "verdict_high": r.verdict_high, "changes": r.changes_verdict,
                  "relevant": r.relevant} for r in sorted(sens.rows, key=lambda r: (not r.changes_verdict, not r.relevant))],
        "changing": [say(r.name_en, r.name_ja) for r in sens.rows if r.changes_verdict],
        "not_read": sum(1 for r in sens.rows if not r.relevant),
    }


def _chart_jobs(sim: SimulationSuite, archs: list[str], lang: str, scen_short: dict[str, str], short: dict[str, str],
                styles: dict[str, Any]) -> list[tuple[str, Chart]]:
    """The simulation charts to draw, each as (id, (function, arguments))."""
    scenarios = sim.scenarios
    jobs: list[tuple[str, Chart]] = []

    def series(variant: str, metric: str, arch_list: list[str]) -> tuple[list[list[float | None]], ...]:
        means, lows, highs = [], [], []
        for arch in arch_list:
            m, lo, hi = [], [], []
            for scen in scenarios:
                case = sim.cases[scen][variant].get(arch)
                stats = case.metrics[metric] if case is not None else None
                m.append(_float(stats["mean"]) if stats else None)
                lo.append(_float(stats["ci95_low"]) if stats else None)
                hi.append(_float(stats["ci95_high"]) if stats else None)
            means.append(m)
            lows.append(lo)
            highs.append(hi)
        return means, lows, highs

    labels = [scen_short[s] for s in scenarios]
    for metric, title_en, title_ja, unit_en, unit_ja, fmt in (
        ("response_time", "Response time by scenario (lawful variants)", "シナリオ別の応答時間（適法な形）", "minutes", "分", "{:.0f}"),
        ("deadline_met", "Share of responses within their deadline", "期限内に対処できた割合", "share", "割合", "{:.2f}"),
        ("messages", "Messages per run (coordination traffic)", "1試行あたりのメッセージ数（調整の負荷）", "messages", "件", "{:.0f}"),
    ):
        means, lows, highs = series("lawful", metric, archs)
        jobs.append((metric, (grouped_bars, (
            f"chart-{metric}", labels, [short[a] for a in archs], means, lows, highs,
            pick(lang, title_en, title_ja), pick(lang, unit_en, unit_ja), fmt,
            [styles[a] for a in archs]))))
    lost_archs = [a for a in archs if any(a in sim.cases[s]["hq-loss"] for s in scenarios)]
    if lost_archs:
        base = series("lawful", "response_time", lost_archs)
        lost = series("hq-loss", "response_time", lost_archs)
        names, styles_list, filled = [], [], []
        means, lows, highs = [], [], []
        for i, arch in enumerate(lost_archs):
            for tag_en, tag_ja, data, fill in (("", "", base, False), (" — HQ lost", "・司令部喪失", lost, True)):
                names.append(short[arch] + pick(lang, tag_en, tag_ja))
                styles_list.append(styles[arch])
                filled.append(fill)
                means.append(data[0][i])
                lows.append(data[1][i])
                highs.append(data[2][i])
        jobs.append(("hq-loss", (grouped_bars, (
            "chart-hq-loss", labels, names, means, lows, highs,
            pick(lang, "Response time when the operational HQ (JJOC / combined HQ) is lost",
                 "作戦司令部（JJOC・連合司令部）喪失時の応答時間"),
            pick(lang, "minutes", "分"), "{:.0f}", styles_list, filled))))
    return jobs


Chart = tuple[Callable[..., str], tuple[Any, ...]]


def _draw(jobs: list[Chart]) -> list[str]:
    """The charts' SVG, in order (a millisecond each: plain SVG, no plotting library)."""
    return [_call(job) for job in jobs]


def _call(job: Chart) -> str:
    function, args = job
    return function(*args)


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)
