"""Response-time distributions of a simulation, one per arrangement, in the report's chart style.

Two panels: hatched box plots (median, quartiles, 5th-95th percentile whiskers, mean marked) and
the cumulative share of runs that had responded by each minute, one line style per arrangement,
so the chart reads in grayscale as the report's bars do.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from ..labels import constraint_label, level_name, org_name, pick, situation_name
from ..sim import METRICS, SimulationResult
from .charts import GRAYS, HATCHES
from .fonts import pyplot

LINE_STYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3))]
_TEXT = {
    "title": ("Response time per run: {scenario}", "試行ごとの応答時間: {scenario}"),
    "minutes": ("minutes", "分"),
    "share": ("share of runs responded", "応答済みの試行の割合"),
    "runs": ("{runs} runs, seed {seed}", "{runs}回、シード{seed}"),
    "none": ("no response in any run", "どの試行でも応答なし"),
}


def _s(key: str, lang: str, **values: Any) -> str:
    return pick(lang, *_TEXT[key]).format(**values)


def response_times(result: SimulationResult, arrangement: str) -> np.ndarray:
    """The whole-scenario response time of every run in `arrangement` that responded (minutes)."""
    values: np.ndarray = result.data[arrangement][:, -1, METRICS.index("response_time")]
    finite: np.ndarray = values[np.isfinite(values)]
    return finite


def response_time_figure(result: SimulationResult, lang: str = "en", labels: dict[str, str] | None = None) -> Any:
    """A matplotlib Figure of the response-time distributions (for Jupyter, or to save).

    Args:
        result: what `simulate` returned.
        lang: "en" or "ja" for titles and axis labels.
        labels: arrangement id -> label to show (default: the ids).

    Returns:
        The matplotlib Figure; call `.savefig(path)` or let Jupyter display it.
    """
    plt = pyplot()
    names = [(labels or {}).get(a, a) for a in result.arrangements]
    samples = [response_times(result, a) for a in result.arrangements]
    height = max(3.0, 0.45 * len(names) + 1.8)
    fig, (box_ax, cdf_ax) = plt.subplots(1, 2, figsize=(9.5, height), gridspec_kw={"width_ratios": [1.1, 1]})
    _boxes(box_ax, names, samples, lang)
    _cumulative(cdf_ax, names, samples, lang)
    scenario = result.scenario_name_ja if lang == "ja" and result.scenario_name_ja else result.scenario_name_en
    fig.suptitle(_s("title", lang, scenario=scenario), fontsize=10, x=0.01, ha="left")
    footer = _s("runs", lang, runs=result.runs, seed=result.seed)
    if result.faults:
        footer += pick(lang, "; faults: ", "、障害：") + ", ".join(result.faults)
    footer += f"; {result.executor}"
    fig.text(0.99, 0.01, footer, fontsize=7, ha="right", color="#555555")
    fig.tight_layout()
    return fig


def _boxes(ax: Any, names: list[str], samples: list[np.ndarray], lang: str) -> None:
    rows = [i for i, sample in enumerate(samples) if sample.size]
    if rows:
        parts = ax.boxplot(
            [samples[i] for i in rows], positions=rows, orientation="horizontal", widths=0.55, whis=(5, 95),
            showmeans=True, showfliers=False, patch_artist=True,
            meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "#222222", "markersize": 4},
            medianprops={"color": "#222222", "linewidth": 1.2},
        )
        for box, i in zip(parts["boxes"], rows, strict=True):
            box.set(facecolor="white", edgecolor=GRAYS[i % len(GRAYS)], hatch=HATCHES[i % len(HATCHES)], linewidth=1.2)
    for i, sample in enumerate(samples):
        if not sample.size:
            ax.text(0.0, i, _s("none", lang), va="center", fontsize=7, color="#555555")
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=7.5)
    ax.invert_yaxis()
    ax.set_xlabel(_s("minutes", lang))


def _cumulative(ax: Any, names: list[str], samples: list[np.ndarray], lang: str) -> None:
    for i, (name, sample) in enumerate(zip(names, samples, strict=True)):
        if not sample.size:
            continue
        xs = np.sort(sample)
        ys = np.arange(1, xs.size + 1) / xs.size
        ax.step(xs, ys, where="post", label=name, color=GRAYS[i % len(GRAYS)],
                linestyle=LINE_STYLES[i % len(LINE_STYLES)], linewidth=1.4)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(_s("minutes", lang))
    ax.set_ylabel(_s("share", lang))
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, frameon=False, loc="lower right")


def response_time_svg(result: SimulationResult, lang: str = "en", labels: dict[str, str] | None = None) -> str:
    """The response-time chart as a standalone SVG document (text kept as text)."""
    plt = pyplot()
    fig = response_time_figure(result, lang, labels)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buf.getvalue()


def write_response_time_svg(result: SimulationResult, path: str | Path, lang: str = "en") -> Path:
    """Write the response-time chart to `path` (SVG) and return the path; the legend says which arrangements'
    orders were refused and re-issued nationally, or ran the same runs as another, and the footer the faults."""
    target = Path(path)
    target.write_text(response_time_svg(result, lang, legend_labels(result, lang)), encoding="utf-8")
    return target


def what_happened(result: SimulationResult, lang: str = "en") -> dict[str, list[str]]:
    """Per arrangement, what a reader of the numbers must know: orders the law refused and re-issued through the
    national chains (and the reforms that lift the constraints behind them), runs identical to another
    arrangement's, and who synchronizes the nations. Under the key "*": the faults and where the runs ran."""
    # Imported on call: the law and the compiler are needed only when the notes are written.
    from ..law import default_catalog, relations_without_basis
    from ..model import load_architecture
    from ..model.scenario import load_scenario
    from ..sim.compiler import level_and_body, successors
    from ..sim.parameters import load_parameters

    law = default_catalog()
    params = load_parameters(None)
    scenario = load_scenario(result.scenario)
    situations = list(dict.fromkeys(i.situation for i in scenario.injects))
    out: dict[str, list[str]] = {"*": []}
    first = load_architecture(result.arrangements[0]) if result.arrangements[0] in _bundled() else None
    for fault in result.faults:
        target, _, minute = fault.rpartition("@")
        who = " ~ ".join(org_name(first, t, lang) for t in target.split("~"))
        out["*"].append(pick(lang, f"fault: {who} lost at minute {minute}; work reaching it passes to its alternate "
                                   "or own-nation superior after detection and succession",
                             f"障害：{minute}分に{who}を喪失。以後その組織に届く業務は探知と継承の後に代替組織又は自国の上級組織へ移る"))
    out["*"].append(pick(lang, f"executor: {result.executor}, {result.workers or 1} worker(s); {result.runs} runs, "
                               f"seed {result.seed}",
                         f"実行：{result.executor}、ワーカー{result.workers or 1}、{result.runs}回、シード{result.seed}"))
    rt = {a: response_times(result, a) for a in result.arrangements}
    for arch_id in result.arrangements:
        notes: list[str] = []
        refused = float(np.mean(result.data[arch_id][:, -1, METRICS.index("refused")]))
        if refused > 0:
            blocked = sorted({c for found in result.blocked.get(arch_id, {}).values() for c in found})
            lifts = sorted({r for c in blocked for r in law.reforms_for(c, "lifts")} - set(result.reforms))
            names = ", ".join(law.reforms[r].name(lang) for r in lifts)
            why = ", ".join(constraint_label(law, c, lang) for c in blocked) or "—"
            head = pick(lang, f"{refused:.1f} orders per run refused by the law ({why}) and "
                              "re-issued through the national chain",
                        f"1試行あたり{refused:.1f}件の命令が法により認められず（{why}）自国の指揮系統で再発令")
            if lifts:
                head += pick(lang, f": without the {names} its orders are refused and it runs as today's chains do",
                             f"：{names}がなければ命令は認められず、現行の指揮系統と同じに動く")
            notes.append(head)
        for other in result.arrangements:
            if other != arch_id and rt[arch_id].size and np.array_equal(rt[arch_id], rt[other]):
                notes.append(pick(lang, f"response times identical to those of {other}, run for run",
                                  f"応答時間は{other}と試行ごとに同一"))
                break
        arch = load_architecture(arch_id) if arch_id in _bundled() else None
        if arch is not None:
            unlawful = set(relations_without_basis(arch, tuple(result.reforms)))
            lawful = arch.with_relations(tuple(r for r in arch.relations if r not in unlawful))
            succ = successors(arch)
            for situation in situations:
                level, body = level_and_body(lawful, situation, params)
                if body is not None:
                    where, lv = situation_name(situation, lang), level_name(level, lang)
                    sync = org_name(arch, body, lang)
                    then = org_name(arch, succ[body], lang) if body in succ else None
                    notes.append(pick(lang, f"in {where}: {lv}, synchronized by {sync}"
                                            + (f" (if lost: {then})" if then else ""),
                                      f"{where}：{lv}、同期は{sync}" + (f"（喪失時：{then}）" if then else "")))
        out[arch_id] = notes
    return out


def _bundled() -> set[str]:
    # Imported on use: the list of bundled ids is read only when notes are written.
    from ..model import bundled_architectures

    return set(bundled_architectures())


def legend_labels(result: SimulationResult, lang: str = "en") -> dict[str, str]:
    """Each arrangement's label for a chart legend, with what happened to its orders."""
    labels = {}
    rt = {a: response_times(result, a) for a in result.arrangements}
    for arch_id in result.arrangements:
        tags = []
        if float(np.mean(result.data[arch_id][:, -1, METRICS.index("refused")])) > 0:
            tags.append(pick(lang, "orders refused, re-issued nationally", "命令拒否・自国系統で再発令"))
        twin = next((o for o in result.arrangements if o != arch_id and rt[arch_id].size
                     and np.array_equal(rt[arch_id], rt[o])), None)
        if twin is not None:
            tags.append(pick(lang, f"same runs as {twin}", f"{twin}と同一"))
        labels[arch_id] = arch_id + (f" ({'; '.join(tags)})" if tags else "")
    return labels
