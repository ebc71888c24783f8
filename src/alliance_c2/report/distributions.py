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

from ..labels import pick
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
    fig.text(0.99, 0.01, _s("runs", lang, runs=result.runs, seed=result.seed), fontsize=7, ha="right", color="#555555")
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
    """Write the response-time chart to `path` (SVG) and return the path."""
    target = Path(path)
    target.write_text(response_time_svg(result, lang), encoding="utf-8")
    return target
