"""Render the evaluation as one self-contained HTML file (inline CSS and SVG, no external request)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..model import Architecture
from ..model.vocabulary import SITUATIONS
from .results import AnswerRow, ScenarioSensitivity
from .strings import s as string


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("alliance_c2.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(evaluation: Any, loaded: list[Architecture]) -> str:
    """The report as an HTML string, in the evaluation's language."""
    from ..analysis import LEVEL_RULES
    from ..analysis.render import LEVEL_JA, SITUATION_NAMES
    from ..law import default_catalog
    from ..sim import load_scenario
    from .charts import styles_for
    from .evaluate import METRICS, VARIANTS, format_figure
    from .references import readable, reference_list

    lang = evaluation.lang
    results = evaluation.results
    figures = evaluation.figures
    catalog = default_catalog()
    meta = results["meta"]

    def pick(en: str, ja: str) -> str:
        return ja if lang == "ja" else en

    def level_name(level: str) -> str:
        return f"{LEVEL_JA[level]}（{level}）" if lang == "ja" else level

    arch_by_id = {a.id: a for a in loaded}
    short = {a.id: a.short_name(lang) for a in loaded}
    styles = styles_for(meta["arrangements"])
    scen_short = {sc: load_scenario(sc).short_name(lang) for sc in meta["scenarios"]}
    scen_names = {sc: load_scenario(sc).name(lang) for sc in meta["scenarios"]}

    structure = results["structure"]["rows"]
    structure_rows = [
        ("organizations", pick("organizations", "組織数")),
        ("command_depth", pick("command depth", "指揮階層の深さ")),
        ("coordination_hops_mean", pick("hops for a shared task", "共同任務の経路長")),
        ("cross_national_opcon", pick("cross-national OPCON/TACON", "他国部隊への作戦統制")),
        ("single_points_of_failure", pick("single points of failure", "単一障害点")),
    ]
    situations = [(sit, pick(*SITUATION_NAMES[sit])) for sit in SITUATIONS]
    diagrams = []
    for arch in loaded:
        row = next(r for r in structure if r["id"] == arch.id)
        rule_en, rule_ja = LEVEL_RULES[row["level_armed_attack"]]
        diagrams.append({
            "id": arch.id,
            "name": arch.name(lang),
            "level": row["level_armed_attack"],
            "rule": pick(rule_en, rule_ja) + " — " + "; ".join(row["level_evidence"]),
            "svg": diagram(arch, lang),
        })

    legal = results["legal"]
    constraints = []
    for cid in legal["constraints"]:
        c = catalog.constraints[cid]
        cleared = sorted({r for a in legal["cleared_by"].values() for r in a.get(cid, [])})
        constraints.append({"id": cid, "name": pick(c.name_en, c.name_ja), "cleared_by": cleared})
    legal_view = {
        "arrangements": list(legal["matrix"]),
        "constraints": constraints,
        "matrix": legal["matrix"],
        "reforms": [
            {"id": r.id, "name": pick(r.name_en, r.name_ja), "measure": r.measure or "",
             "lifts": [f"{c} ({pick(how, '解消' if how == 'lifts' else '緩和')})" for c, how in r.lifts.items()]}
            for r in (catalog.reforms[rid] for rid in legal["reforms"])
        ],
    }

    answer = evaluation.answer
    answer_view = _answer_view(answer, lang, short, scen_names, catalog) if answer else None

    sim = results["simulation"]
    metrics = [{"id": m, "label": pick(en, ja), "digits": d} for m, (en, ja, d) in METRICS.items()]
    sim_table: list[dict[str, Any]] = []
    for scen in sim["scenarios"]:
        first = len(sim_table)
        for variant in VARIANTS:
            for arch in sim["cases"][scen][variant]:
                stats = {}
                for m in metrics:
                    key = f"simulation/{arch}/{scen}/{variant}/{m['id']}"
                    stats[m["id"]] = {"mean": figures[f"{key}/mean"], "low": figures[f"{key}/ci95_low"],
                                      "high": figures[f"{key}/ci95_high"], "key": key}
                sim_table.append({
                    "scenario": scen, "scenario_name": scen_short[scen], "arch": arch, "arch_name": short[arch],
                    "variant": variant, "variant_name": pick(*VARIANTS[variant]), "stats": stats, "first": False,
                    "context": arch in meta["context"],
                })
        if len(sim_table) > first:
            sim_table[first]["first"] = True
            sim_table[first]["span"] = len(sim_table) - first
    charts = _charts(results, lang, scen_short, short, styles)
    sensitivity = [_sensitivity_view(s, lang, short, scen_names) for s in evaluation.sensitivity]
    validation = [_validation_view(v, lang) for v in evaluation.validation]
    for v in validation:
        v["source"] = readable(v["source"], lang)[0]

    suffix = "ja" if lang == "ja" else "en"
    gl = results["guidelines"]
    guidelines = {
        "replaced": [{"from_names": r[f"from_names_{suffix}"], "to_name": r[f"to_name_{suffix}"]} for r in gl["replaced"]],
        "added": [{"name": e[f"name_{suffix}"]} for e in gl["added"]],
    }
    citations, documents = reference_list(results["sources"], lang)
    assumptions = [readable(f"{a['subject']}: {a['ja'] if lang == 'ja' else a['en']}", lang)[0]
                   for a in results["assumptions"]]
    return _env().get_template("report.html.j2").render(
        lang=lang,
        s=lambda key: string(key, lang),
        meta=meta,
        main_names=[short[a] for a in meta["main"]],
        law_dates=[(short[a], d) for a, d in meta["law_as_of"].items()],
        answer=answer_view,
        structure=structure,
        structure_rows=structure_rows,
        situations=situations,
        level_name=level_name,
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
        surprises=[x["ja"] if lang == "ja" else x["en"] for x in results.get("surprises", [])],
    )


@lru_cache(maxsize=64)
def diagram(arch: Architecture, lang: str) -> str:
    """The arrangement's diagram in an armed attack situation (drawn once per arrangement and language)."""
    from .diagram import architecture_svg

    return architecture_svg(arch, lang=lang, situation="armed-attack")


def _answer_view(answer: Any, lang: str, short: dict[str, str], scen_names: dict[str, str], catalog: Any) -> dict[str, Any]:
    def pick(en: str, ja: str) -> str:
        return ja if lang == "ja" else en

    def row_view(r: AnswerRow) -> dict[str, Any]:
        constraints = []
        for c in r.constraints:
            if c.remedy == "none":
                continue
            name = pick(catalog.constraints[c.constraint].name_en, catalog.constraints[c.constraint].name_ja)
            reforms = [pick(catalog.reforms[x].name_en, catalog.reforms[x].name_ja) for x in c.lifted_by or c.eased_by]
            if c.lifted_by:
                how = f"→ {', '.join(reforms)} ({', '.join(c.measures)})"
            elif c.eased_by:
                how = f"{string('eased_by', lang)} {', '.join(c.measures)}; {string('political_decision', lang)}"
            else:
                how = string("political_decision", lang)
            state = f"{string('blocks', lang)} {c.blocks}" if c.blocks else string("raised", lang)
            constraints.append({"id": c.constraint.split("-")[0], "name": name, "state": state, "how": how})
        return {
            "scenario": r.scenario, "scenario_name": scen_names[r.scenario], "arch": r.arch, "arch_name": short[r.arch],
            "reforms": ", ".join(r.reforms), "verdict": r.verdict, "constraints": constraints,
            "penalty": r.hq_loss_penalty, "lost": r.lost_headquarters,
        }

    by_scenario: dict[str, list[dict[str, Any]]] = {}
    for r in answer.rows:
        by_scenario.setdefault(r.scenario, []).append(row_view(r))
    return {
        "paragraph": answer.paragraph(lang),
        "scenarios": [{"id": s, "name": scen_names[s], "rows": rows} for s, rows in by_scenario.items()],
        "not_lawful": [row_view(r) for r in answer.not_lawful_today],
        "rules": answer.rules,
        "baseline": short[answer.baseline],
    }


def _validation_view(v: Any, lang: str) -> dict[str, Any]:
    def pick(en: str, ja: str) -> str:
        return ja if lang == "ja" else en

    return {
        "anchor": v.anchor, "name": pick(v.name_en, v.name_ja), "source": v.source,
        "published": pick(v.published, v.published_ja), "model": v.model, "model_label": v.model_label,
        "within": {True: string("yes", lang), False: string("no", lang), None: string("n_a", lang)}[v.within],
        "within_key": {True: "yes", False: "no", None: "n/a"}[v.within],
        "explanation": pick(v.explanation_en, v.explanation_ja),
    }


def _sensitivity_view(sens: ScenarioSensitivity, lang: str, short: dict[str, str],
                      scen_names: dict[str, str]) -> dict[str, Any]:
    from .charts import tornado

    def pick(en: str, ja: str) -> str:
        return ja if lang == "ja" else en

    target = sens.compared[-1] if sens.compared else ""
    rows = [r for r in sens.rows if r.relevant]
    shown = sorted(
        (r for r in rows if r.diff_low.get(target) is not None and r.diff_high.get(target) is not None),
        key=lambda r: -abs((r.diff_high[target] or 0) - (r.diff_low[target] or 0)),
    )[:14]
    svg = None
    if target and shown:
        svg = tornado(
            f"tornado-{sens.scenario}",
            [pick(r.name_en, r.name_ja) for r in shown],
            [r.diff_low[target] or 0.0 for r in shown],
            [r.diff_high[target] or 0.0 for r in shown],
            sens.diffs.get(target) or 0.0,
            pick(f"{scen_names[sens.scenario]}: {short[target]} − {short[sens.baseline]}, response time",
                 f"{scen_names[sens.scenario]}：{short[target]} − {short[sens.baseline]}（応答時間）"),
            pick("difference in minutes (negative: faster than today)", "差（分、負は現行より速い）"),
            string("at_low", lang), string("at_high", lang),
        )
    return {
        "scenario": sens.scenario,
        "name": scen_names[sens.scenario],
        "svg": svg,
        "runs": sens.runs,
        "compared": [(a, short[a]) for a in sens.compared],
        "verdicts": {a: sens.verdicts.get(a) for a in sens.compared},
        "rows": [{"item": r.item, "name": pick(r.name_en, r.name_ja), "low": r.low, "high": r.high,
                  "verdict_low": r.verdict_low, "verdict_high": r.verdict_high, "changes": r.changes_verdict,
                  "relevant": r.relevant} for r in sorted(sens.rows, key=lambda r: (not r.changes_verdict, not r.relevant))],
        "changing": [pick(r.name_en, r.name_ja) for r in sens.rows if r.changes_verdict],
        "not_read": sum(1 for r in sens.rows if not r.relevant),
    }


def _charts(results: dict[str, Any], lang: str, scen_short: dict[str, str], short: dict[str, str],
            styles: dict[str, Any]) -> list[dict[str, str]]:
    from .charts import grouped_bars

    sim = results["simulation"]
    scenarios = sim["scenarios"]
    archs = results["meta"]["arrangements"]
    charts = []

    def series(variant: str, metric: str, arch_list: list[str]) -> tuple[list[list[float | None]], ...]:
        means, lows, highs = [], [], []
        for arch in arch_list:
            m, lo, hi = [], [], []
            for scen in scenarios:
                stats = sim["cases"][scen][variant].get(arch, {}).get(metric)
                m.append(stats["mean"] if stats else None)
                lo.append(stats["ci95_low"] if stats else None)
                hi.append(stats["ci95_high"] if stats else None)
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
        charts.append({"id": metric, "svg": grouped_bars(
            f"chart-{metric}", labels, [short[a] for a in archs], means, lows, highs,
            title_ja if lang == "ja" else title_en, unit_ja if lang == "ja" else unit_en, fmt,
            [styles[a] for a in archs])})
    lost_archs = [a for a in archs if any(a in sim["cases"][s]["hq-loss"] for s in scenarios)]
    if lost_archs:
        base = series("lawful", "response_time", lost_archs)
        lost = series("hq-loss", "response_time", lost_archs)
        names, styles_list, filled = [], [], []
        means, lows, highs = [], [], []
        for i, arch in enumerate(lost_archs):
            for tag_en, tag_ja, data, fill in (("", "", base, False), (" — HQ lost", "・司令部喪失", lost, True)):
                names.append(short[arch] + (tag_ja if lang == "ja" else tag_en))
                styles_list.append(styles[arch])
                filled.append(fill)
                means.append(data[0][i])
                lows.append(data[1][i])
                highs.append(data[2][i])
        charts.append({"id": "hq-loss", "svg": grouped_bars(
            "chart-hq-loss", labels, names, means, lows, highs,
            "作戦司令部（JJOC・連合司令部）喪失時の応答時間" if lang == "ja" else "Response time when the operational HQ (JJOC / combined HQ) is lost",
            "分" if lang == "ja" else "minutes", "{:.0f}", styles_list, filled)})
    return charts
