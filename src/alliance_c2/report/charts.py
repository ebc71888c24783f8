"""Charts for the report as inline SVG (matplotlib), readable without color and with Japanese text.

Text stays text (`svg.fonttype: none`) so Japanese renders with the reader's CJK font and remains
searchable; bars carry hatch patterns and value labels so the charts survive grayscale printing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .fonts import pyplot

HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++"]
GRAYS = ["#1f3b73", "#c0392b", "#2e8b57", "#8e6c00", "#6c3483", "#555555", "#0e6655", "#a04000"]


def _pyplot() -> Any:
    return pyplot()


def _to_svg(fig: Any, chart_id: str) -> str:
    plt = _pyplot()
    plt.rcParams["svg.hashsalt"] = chart_id  # stable, distinct element ids for every inline chart
    buf = io.StringIO()
    # The figures use constrained layout, so the SVG is drawn once (bbox_inches="tight" draws it twice).
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # Prefix ids so several charts can sit in one HTML page without clashing.
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{chart_id}" ', 1)


def _wrap(label: str, width: float = 12.0) -> str:
    """Break a label at word boundaries into lines of about `width` characters (a CJK character counts two)."""
    words = label.split(" ") if " " in label else list(label)
    joiner = " " if " " in label else ""
    lines: list[str] = []
    line, size = "", 0.0
    for word in words:
        w = sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in word) + (1.0 if joiner and line else 0.0)
        if size + w > width and line:
            lines.append(line)
            line, size = word, w - (1.0 if joiner else 0.0)
        else:
            line = f"{line}{joiner}{word}" if line else word
            size += w
    lines.append(line)
    return "\n".join(lines[:3])


@dataclass(frozen=True, slots=True)
class SeriesStyle:
    """How one arrangement is drawn in every chart: outline colour and hatch."""

    color: str
    hatch: str


def styles_for(names: Sequence[str]) -> dict[str, SeriesStyle]:
    """One style per arrangement, fixed by its place in the evaluation, for every chart of the report."""
    return {n: SeriesStyle(GRAYS[i % len(GRAYS)], HATCHES[i % len(HATCHES)]) for i, n in enumerate(names)}


def grouped_bars(
    chart_id: str,
    groups: Sequence[str],
    series: Sequence[str],
    means: Sequence[Sequence[float | None]],
    lows: Sequence[Sequence[float | None]],
    highs: Sequence[Sequence[float | None]],
    title: str,
    ylabel: str,
    value_format: str = "{:.1f}",
    styles: Sequence[SeriesStyle] | None = None,
    filled: Sequence[bool] | None = None,
) -> str:
    """Bars per group (e.g. scenario) and series (e.g. arrangement) with 95% CI whiskers.

    Values are written vertically above each bar so that neighbouring labels never overlap; `styles` keeps
    each arrangement's colour and hatch the same across charts; `filled` tints a series (e.g. "HQ lost").
    """
    plt = _pyplot()
    n_series = max(1, len(series))
    width = 0.8 / n_series
    styles = styles or [SeriesStyle(GRAYS[i % len(GRAYS)], HATCHES[i % len(HATCHES)]) for i in range(n_series)]
    fig, ax = plt.subplots(figsize=(max(6.8, 1.25 * len(groups) + 1.5), 4.2), layout="constrained")
    top = 0.0
    for s, name in enumerate(series):
        xs, ys, err_lo, err_hi = [], [], [], []
        for g in range(len(groups)):
            mean = means[s][g]
            if mean is None:
                continue
            lo = lows[s][g] if lows[s][g] is not None else mean
            hi = highs[s][g] if highs[s][g] is not None else mean
            xs.append(g - 0.4 + width * (s + 0.5))
            ys.append(mean)
            err_lo.append(max(0.0, mean - lo))  # type: ignore[operator]
            err_hi.append(max(0.0, hi - mean))  # type: ignore[operator]
        style = styles[s]
        tinted = filled is not None and filled[s]
        bars = ax.bar(
            xs, ys, width * 0.9, label=name, color=style.color if tinted else "white", alpha=1.0,
            edgecolor=style.color, hatch=style.hatch, linewidth=1.2,
        )
        if tinted:
            for bar in bars:
                bar.set_facecolor((*_rgb(style.color), 0.25))
        ax.errorbar(xs, ys, yerr=[err_lo, err_hi], fmt="none", ecolor="#222222", capsize=2, linewidth=0.8)
        for bar, y, up in zip(bars, ys, err_hi, strict=True):
            top = max(top, y + up)
            ax.annotate(
                value_format.format(y), (bar.get_x() + bar.get_width() / 2, y + up), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=6, rotation=90,
            )
    ax.set_ylim(0, top * 1.3 if top > 0 else 1)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([_wrap(g) for g in groups], fontsize=7.5)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, ncol=min(3, n_series), loc="upper center", bbox_to_anchor=(0.5, -0.2))
    return _to_svg(fig, chart_id)


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def tornado(
    chart_id: str,
    labels: Sequence[str],
    low: Sequence[float],
    high: Sequence[float],
    baseline: float,
    title: str,
    xlabel: str,
    low_label: str,
    high_label: str,
) -> str:
    """Horizontal bars from the baseline to the outcome at each parameter's low and high value."""
    plt = _pyplot()
    order = sorted(range(len(labels)), key=lambda i: abs(high[i] - low[i]))
    fig, ax = plt.subplots(figsize=(7.6, max(2.4, 0.42 * len(labels) + 1.2)), layout="constrained")
    for row, i in enumerate(order):
        ax.barh(row, low[i] - baseline, left=baseline, color="white", edgecolor="#1f3b73", hatch="///", height=0.6,
                label=low_label if row == 0 else None)
        ax.barh(row, high[i] - baseline, left=baseline, color="white", edgecolor="#c0392b", hatch="...", height=0.6,
                label=high_label if row == 0 else None)
    ax.axvline(baseline, color="#222222", linewidth=0.8)
    ax.axvline(0.0, color="#888888", linewidth=0.6, linestyle=":")
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([_wrap(labels[i], 44) for i in order], fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    return _to_svg(fig, chart_id)
