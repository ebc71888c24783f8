"""Render the evaluation as one self-contained HTML file (inline CSS and SVG, no external request)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..model import Architecture
from ..model.vocabulary import SITUATIONS
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
    from ..analysis.render import LEVEL_JA, SITUATION_NAMES
    from ..law import default_catalog
    from ..sim import load_scenario
    from .charts import grouped_bars, tornado
    from .diagram import architecture_svg
    from .evaluate import METRICS, VARIANTS, format_figure

    lang = evaluation.lang
    results = evaluation.results
    figures = evaluation.figures
    catalog = default_catalog()

    def level_name(level: str) -> str:
        return f"{LEVEL_JA[level]}（{level}）" if lang == "ja" else level

    def pick(en: str, ja: str) -> str:
        return ja if lang == "ja" else en

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
        from ..analysis import LEVEL_RULES

        rule_en, rule_ja = LEVEL_RULES[row["level_armed_attack"]]
        diagrams.append(
            {
                "id": arch.id,
                "name": arch.name(lang),
                "level": row["level_armed_attack"],
                "rule": pick(rule_en, rule_ja) + " — " + "; ".join(row["level_evidence"]),
                "svg": architecture_svg(arch, lang=lang, situation="armed-attack"),
            }
        )

    legal = results["legal"]
    constraints = []
    for cid in legal["constraints"]:
        c = catalog.constraints[cid]
        cleared = sorted({r for a in legal["cleared_by"].values() for r in a.get(cid, [])})
        constraints.append({"id": cid, "name": pick(c.name_en, c.name_ja), "cleared_by": cleared})
    legal_view = {
        "arrangements": list(legal["matrix"]),
        "constraints": constraints,
        "matrix": {
            a: {c: {"count": n, "situations": []} for c, n in cells.items()} for a, cells in legal["matrix"].items()
        },
        "reforms": [
            {
                "id": r.id,
                "name": pick(r.name_en, r.name_ja),
                "lifts": [f"{c} ({pick(how, '解消' if how == 'lifts' else '緩和')})" for c, how in r.lifts.items()],
                "source": r.source or "",
            }
            for r in (catalog.reforms[rid] for rid in legal["reforms"])
        ],
    }

    sim = results["simulation"]
    scen_names = {sc: pick(*sim["names"][sc]) for sc in sim["scenarios"]}
    metrics = [{"id": m, "label": pick(en, ja), "digits": d} for m, (en, ja, d) in METRICS.items()]
    sim_table: list[dict[str, Any]] = []
    for scen in sim["scenarios"]:
        first = len(sim_table)
        for variant, archs in sim["cases"][scen].items():
            for arch in archs:
                sim_table.append(
                    {
                        "scenario": scen,
                        "scenario_name": scen_names[scen],
                        "arch": arch,
                        "variant": variant,
                        "variant_name": pick(*VARIANTS[variant]) + (f" ({archs[arch]['lost']})" if "lost" in archs[arch] else ""),
                        "stats": {m["id"]: {"mean": figures[f"simulation/{arch}/{scen}/{variant}/{m['id']}/mean"]} for m in metrics},
                        "first": False,
                    }
                )
        if len(sim_table) > first:
            sim_table[first]["first"] = True
            sim_table[first]["span"] = len(sim_table) - first
    charts = _charts(results, lang, scen_names, grouped_bars)
    sens = results.get("sensitivity")
    tornado_svg = None
    sensitivity_rows: list[dict[str, Any]] = []
    if sens:
        from ..sim import load_parameters

        params = load_parameters(None)
        shown = sorted(sens["rows"], key=lambda r: -abs(r["diff_high"] - r["diff_low"]))[:15]
        tornado_svg = tornado(
            "tornado",
            [r["param"] for r in shown],
            [r["diff_low"] for r in shown],
            [r["diff_high"] for r in shown],
            sens["baseline_diff"],
            pick(
                f"{sens['scenario']}: {sens['metric']} ({sens['compared'][1]} − {sens['compared'][0]})",
                f"{scen_names.get(sens['scenario'], sens['scenario'])}：{sens['metric']}（{sens['compared'][1]} − {sens['compared'][0]}）",
            ),
            pick("difference (proposal − today)", "差（提案 − 現行）"),
            pick("parameter at its low value", "パラメータ下限"),
            pick("parameter at its high value", "パラメータ上限"),
        )
        for r in sensitivity_rows_sorted(sens["rows"]):
            item = params.items.get(r["param"])
            note = getattr(item, "note_en", None) if item is not None else None
            sensitivity_rows.append({**r, "name": note or r["param"]})

    suffix = "ja" if lang == "ja" else "en"
    gl = results["guidelines"]
    guidelines = {
        "replaced": [{"from_names": r[f"from_names_{suffix}"], "to_name": r[f"to_name_{suffix}"]} for r in gl["replaced"]],
        "added": [{"name": e[f"name_{suffix}"]} for e in gl["added"]],
    }
    _ = load_scenario
    return _env().get_template("report.html.j2").render(
        lang=lang,
        s=lambda key: string(key, lang),
        meta=results["meta"],
        summary=results["summary"],
        structure=structure,
        structure_rows=structure_rows,
        situations=situations,
        level_name=level_name,
        diagrams=diagrams,
        legal=legal_view,
        charts=charts,
        metrics=metrics,
        sim_table=sim_table,
        fmt=format_figure,
        tornado=tornado_svg,
        sensitivity=sensitivity_rows,
        guidelines=guidelines,
        assumptions=results["assumptions"],
        sources=results["sources"],
    )


def sensitivity_rows_sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Largest swing first: the parameters that matter most lead the table."""
    return sorted(rows, key=lambda r: -abs(r["diff_high"] - r["diff_low"]))


def _charts(results: dict[str, Any], lang: str, scen_names: dict[str, str], grouped_bars: Any) -> list[dict[str, str]]:
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

    labels = [scen_names[s] for s in scenarios]
    for metric, title_en, title_ja, unit_en, unit_ja, fmt in (
        ("response_time", "Response time by scenario", "シナリオ別の応答時間", "minutes", "分", "{:.0f}"),
        ("deadline_met", "Share of responses within their deadline", "期限内に対処できた割合", "share", "割合", "{:.2f}"),
        ("messages", "Messages per run (coordination traffic)", "1試行あたりのメッセージ数（調整の負荷）", "messages", "件", "{:.0f}"),
    ):
        means, lows, highs = series("baseline", metric, archs)
        charts.append(
            {
                "id": metric,
                "svg": grouped_bars(
                    f"chart-{metric}", labels, archs, means, lows, highs,
                    title_ja if lang == "ja" else title_en, unit_ja if lang == "ja" else unit_en, fmt,
                ),
            }
        )
    lost_archs = [a for a in archs if any(a in sim["cases"][s]["hq-loss"] for s in scenarios)]
    if lost_archs:
        base = series("baseline", "response_time", lost_archs)
        lost = series("hq-loss", "response_time", lost_archs)
        names = []
        means, lows, highs = [], [], []
        for i, arch in enumerate(lost_archs):
            for tag_en, tag_ja, data in (("", "", base), (" HQ lost", "・司令部喪失", lost)):
                names.append(arch + (tag_ja if lang == "ja" else tag_en))
                means.append(data[0][i])
                lows.append(data[1][i])
                highs.append(data[2][i])
        charts.append(
            {
                "id": "hq-loss",
                "svg": grouped_bars(
                    "chart-hq-loss", labels, names, means, lows, highs,
                    "作戦司令部（JJOC・連合司令部）喪失時の応答時間" if lang == "ja" else "Response time when the operational HQ (JJOC / combined HQ) is lost",
                    "分" if lang == "ja" else "minutes", "{:.0f}",
                ),
            }
        )
    return charts
