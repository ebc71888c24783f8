"""Charts for the report as inline SVG, written directly: readable without colour and with Japanese text.

The report's charts are bars with intervals, so they are drawn here as plain SVG elements rather than
through a plotting library: text stays text (the reader's CJK font draws it, and it stays searchable and
selectable in the PDF), every bar carries a hatch pattern and its value so the charts survive grayscale
printing, and titles and labels are wrapped to the width they have instead of being clipped. A chart is a
few kilobytes and takes about a millisecond (matplotlib took a second to import and a few tenths of a second
per chart; its hatches made the PDF slow to print). `simulate --plot` and the notebooks still draw their
distributions with matplotlib (`distributions.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Hatch names as matplotlib knows them (distributions.py draws with these) and their SVG patterns here.
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++"]
GRAYS = ["#1f3b73", "#c0392b", "#2e8b57", "#8e6c00", "#6c3483", "#555555", "#0e6655", "#a04000"]
# How each hatch is drawn: the directions of its lines ("/" rising, "\\" falling, "-" level, "|" upright).
_STROKES = {"": "", "///": "/", "...": "|", "xxx": "/\\", "\\\\\\": "\\", "ooo": "-|", "---": "-", "+++": "/-"}
_SPACING = 5.0
FONT = 11.0  # px, the charts' text size; titles are a little larger
TITLE = 12.5


@dataclass(frozen=True, slots=True)
class SeriesStyle:
    """How one arrangement is drawn in every chart: outline colour and hatch."""

    color: str
    hatch: str


def styles_for(names: Sequence[str]) -> dict[str, SeriesStyle]:
    """One style per arrangement, fixed by its place in the evaluation, for every chart of the report."""
    return {n: SeriesStyle(GRAYS[i % len(GRAYS)], HATCHES[i % len(HATCHES)]) for i, n in enumerate(names)}


def text_width(text: str, size: float = FONT) -> float:
    """About how wide `text` is drawn at `size` px: a CJK character is a full em, a Latin one a little over half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def wrap(text: str, width: float, size: float = FONT, max_lines: int = 4) -> list[str]:
    """`text` broken into lines no wider than `width` px: at spaces, or between CJK characters."""
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line}{joiner}{word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], joiner.join(lines[max_lines - 1:])]
    return lines


def _lines(x: float, y: float, lines: list[str], size: float, anchor: str = "start", weight: str = "normal",
           step: float | None = None) -> str:
    step = step or size * 1.25
    spans = "".join(f'<tspan x="{x:.1f}" y="{y + i * step:.1f}">{escape(t)}</tspan>' for i, t in enumerate(lines))
    return f'<text font-size="{size}" text-anchor="{anchor}" font-weight="{weight}">{spans}</text>'


def hatch(x: float, y: float, w: float, h: float, style: SeriesStyle) -> str:
    """The bar's hatch as plain line segments inside the rectangle (Chromium prints SVG patterns as images,
    which made the PDF slow and large)."""
    if w <= 0 or h <= 0:
        return ""
    segments: list[str] = []
    for direction in _STROKES.get(style.hatch, "/"):
        if direction == "-":
            segments += [f"M{x:.1f},{y + k:.1f}h{w:.1f}" for k in _steps(h)]
        elif direction == "|":
            segments += [f"M{x + k:.1f},{y:.1f}v{h:.1f}" for k in _steps(w)]
        else:
            rising = direction == "/"
            for k in _steps(w + h):
                # The line x + y' = k (rising) or x - y' = k - h (falling), clipped to the rectangle.
                a = max(0.0, k - h)
                b = min(w, k)
                if b <= a:
                    continue
                ya, yb = (k - a, k - b) if rising else (h - (k - a), h - (k - b))
                segments.append(f"M{x + a:.1f},{y + ya:.1f}L{x + b:.1f},{y + yb:.1f}")
    if not segments:
        return ""
    return f'<path d="{"".join(segments)}" stroke="{style.color}" stroke-width="0.7" fill="none"/>'


def _steps(length: float) -> list[float]:
    return [k * _SPACING for k in range(1, int(length / _SPACING) + 1)]


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [round(step * k, 10) for k in range(math.ceil(top / step) + 1)]


def _svg(chart_id: str, width: float, height: float, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" id="{chart_id}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
            f'font-family="Noto Sans CJK JP, Noto Sans JP, IPAexGothic, sans-serif">{"".join(body)}</svg>')


def _number(value: float, value_format: str) -> str:
    return value_format.format(value)


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
    """Bars per group (e.g. scenario) and series (e.g. arrangement) with 95% CI whiskers, as SVG.

    Each bar's value is written above its whisker; `styles` keeps each arrangement's colour and hatch the same
    across charts; `filled` tints a series (e.g. "HQ lost").
    """
    n_series = max(1, len(series))
    styles = list(styles or [SeriesStyle(GRAYS[i % len(GRAYS)], HATCHES[i % len(HATCHES)]) for i in range(n_series)])
    slot = max(22.0, 9.0 * n_series + 8)
    group_width = slot * n_series / 0.8
    left, right, top_margin = 58.0, 12.0, 0.0
    plot_width = max(560.0, group_width * len(groups))
    width = left + plot_width + right
    title_lines = wrap(title, width - 8, TITLE, 3)
    top_margin = 10 + len(title_lines) * TITLE * 1.25 + 8
    plot_height = 220.0
    label_lines = [wrap(g, plot_width / max(1, len(groups)) - 6, FONT - 1, 3) for g in groups]
    label_height = max((len(x) for x in label_lines), default=1) * (FONT - 1) * 1.25 + 8
    legend_columns = max(1, min(n_series, int((width - 16) // 230)))
    legend_rows = math.ceil(n_series / legend_columns)
    legend_y = top_margin + plot_height + label_height + 10
    height = legend_y + legend_rows * 18 + 6
    top = max([h for row in highs for h in row if h is not None] + [m for row in means for m in row if m is not None]
              + [0.0])
    ticks = nice_ticks(top * 1.18 if top > 0 else 1.0)
    y_max = ticks[-1] or 1.0

    def y(value: float) -> float:
        return top_margin + plot_height * (1 - max(0.0, value) / y_max)

    body = [_lines(4, 10 + TITLE, title_lines, TITLE, weight="bold")]
    for t in ticks:
        body.append(f'<line x1="{left:.1f}" x2="{left + plot_width:.1f}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                    f'stroke="#e3e6ea" stroke-width="0.8"/>')
        body.append(f'<text x="{left - 4:.1f}" y="{y(t) + 3.5:.1f}" font-size="{FONT - 1}" text-anchor="end">'
                    f'{escape(_tick(t))}</text>')
    body.append(f'<text font-size="{FONT - 1}" text-anchor="middle" transform="translate(12,'
                f'{top_margin + plot_height / 2:.1f}) rotate(-90)">{escape(ylabel)}</text>')
    body.append(f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{top_margin:.1f}" y2="{top_margin + plot_height:.1f}" '
                f'stroke="#222"/>')
    body.append(f'<line x1="{left:.1f}" x2="{left + plot_width:.1f}" y1="{top_margin + plot_height:.1f}" '
                f'y2="{top_margin + plot_height:.1f}" stroke="#222"/>')
    per_group = plot_width / max(1, len(groups))
    bar = per_group * 0.8 / n_series
    for g, lines in enumerate(label_lines):
        cx = left + per_group * (g + 0.5)
        body.append(_lines(cx, top_margin + plot_height + FONT + 2, lines, FONT - 1, "middle"))
        for s in range(n_series):
            mean = means[s][g] if s < len(means) else None
            if mean is None:
                continue
            x0 = left + per_group * g + per_group * 0.1 + bar * s
            style = styles[s]
            tinted = filled is not None and filled[s]
            y0 = y(mean)
            bar_height = max(0.0, top_margin + plot_height - y0)
            body.append(f'<rect x="{x0 + bar * 0.05:.1f}" y="{y0:.1f}" width="{bar * 0.9:.1f}" '
                        f'height="{bar_height:.1f}" fill="white" stroke="{style.color}" stroke-width="1.2"/>')
            body.append(hatch(x0 + bar * 0.05, y0, bar * 0.9, bar_height, style))
            if tinted:
                body.append(f'<rect x="{x0 + bar * 0.05:.1f}" y="{y0:.1f}" width="{bar * 0.9:.1f}" '
                            f'height="{max(0.0, top_margin + plot_height - y0):.1f}" fill="{style.color}" '
                            f'fill-opacity="0.25" stroke="none"/>')
            lo, hi = lows[s][g], highs[s][g]
            xm = x0 + bar / 2
            whisker_top = y0
            if lo is not None and hi is not None:
                whisker_top = y(hi)
                body.append(f'<path d="M{xm:.1f},{y(lo):.1f} V{y(hi):.1f} M{xm - 2:.1f},{y(lo):.1f} H{xm + 2:.1f} '
                            f'M{xm - 2:.1f},{y(hi):.1f} H{xm + 2:.1f}" stroke="#222" stroke-width="0.8" fill="none"/>')
            body.append(f'<text font-size="{FONT - 3}" transform="translate({xm + 2.5:.1f},{whisker_top - 3:.1f}) '
                        f'rotate(-90)">{escape(_number(mean, value_format))}</text>')
    body.append(_legend(chart_id, series, styles, filled, legend_y, legend_columns, width))
    return _svg(chart_id, width, height, body, title)


def _tick(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.2e}"


def _legend(chart_id: str, names: Sequence[str], styles: Sequence[SeriesStyle], filled: Sequence[bool] | None,
            y0: float, columns: int, width: float) -> str:
    column_width = (width - 16) / columns
    out = []
    for i, name in enumerate(names):
        x = 8 + column_width * (i % columns)
        y = y0 + 18 * (i // columns)
        style = styles[i]
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="10" fill="white" '
                   f'stroke="{style.color}" stroke-width="1.2"/>{hatch(x, y, 14, 10, style)}')
        if filled is not None and filled[i]:
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="10" fill="{style.color}" fill-opacity="0.25"/>')
        label = wrap(name, column_width - 24, FONT - 1, 1)[0]
        out.append(f'<text x="{x + 19:.1f}" y="{y + 9:.1f}" font-size="{FONT - 1}">{escape(label)}</text>')
    return "".join(out)


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
    """Horizontal bars from the baseline to the outcome at each parameter's low and high value, as SVG.

    The widest swing is drawn on top; the title and the labels wrap rather than being cut off.
    """
    order = sorted(range(len(labels)), key=lambda i: -abs(high[i] - low[i]))
    width = 760.0
    label_width = 270.0
    title_lines = wrap(title, width - 8, TITLE, 3)
    top = 10 + len(title_lines) * TITLE * 1.25 + 8
    rows = [wrap(labels[i], label_width - 8, FONT - 1, 2) for i in order]
    row_height = [max(20.0, len(r) * (FONT - 1) * 1.2 + 6) for r in rows]
    plot_height = sum(row_height)
    left = label_width
    plot_width = width - left - 16
    values = [*low, *high, baseline, 0.0]
    lo_v, hi_v = min(values), max(values)
    span = (hi_v - lo_v) or 1.0
    lo_v, hi_v = lo_v - span * 0.06, hi_v + span * 0.06

    def x(value: float) -> float:
        return left + plot_width * (value - lo_v) / (hi_v - lo_v)

    styles = [SeriesStyle("#1f3b73", "///"), SeriesStyle("#c0392b", "...")]
    body = [_lines(4, 10 + TITLE, title_lines, TITLE, weight="bold")]
    y = top
    for rank, i in enumerate(order):
        h = row_height[rank]
        mid = y + h / 2
        text_y = mid - (len(rows[rank]) - 1) * (FONT - 1) * 0.6 + (FONT - 1) * 0.35
        body.append(_lines(left - 6, text_y, rows[rank], FONT - 1, "end", step=(FONT - 1) * 1.2))
        for k, value in enumerate((low[i], high[i])):
            a, b = sorted((x(baseline), x(value)))
            body.append(f'<rect x="{a:.1f}" y="{mid - 6 + 6 * k:.1f}" width="{max(0.8, b - a):.1f}" height="6" '
                        f'fill="white" stroke="{styles[k].color}" stroke-width="1"/>'
                        f'{hatch(a, mid - 6 + 6 * k, b - a, 6, styles[k])}')
        y += h
    body.append(f'<line x1="{x(baseline):.1f}" x2="{x(baseline):.1f}" y1="{top:.1f}" y2="{top + plot_height:.1f}" '
                f'stroke="#222" stroke-width="1"/>')
    body.append(f'<line x1="{x(0.0):.1f}" x2="{x(0.0):.1f}" y1="{top:.1f}" y2="{top + plot_height:.1f}" '
                f'stroke="#888" stroke-width="0.8" stroke-dasharray="2,2"/>')
    axis_y = top + plot_height
    body.append(f'<line x1="{left:.1f}" x2="{left + plot_width:.1f}" y1="{axis_y:.1f}" y2="{axis_y:.1f}" stroke="#222"/>')
    for t in _axis_ticks(lo_v, hi_v):
        body.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{axis_y:.1f}" y2="{axis_y + 3:.1f}" stroke="#222"/>')
        body.append(f'<text x="{x(t):.1f}" y="{axis_y + 14:.1f}" font-size="{FONT - 1}" text-anchor="middle">'
                    f'{escape(_tick(t))}</text>')
    body.append(_lines(left + plot_width / 2, axis_y + 30, wrap(xlabel, plot_width, FONT - 1, 2), FONT - 1, "middle"))
    legend_y = axis_y + 44 + (FONT - 1) * 1.25
    body.append(_legend(chart_id, [low_label, high_label], styles, None, legend_y, 2, width))
    return _svg(chart_id, width, legend_y + 24, body, title)


def _axis_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) / step) + 1)]
