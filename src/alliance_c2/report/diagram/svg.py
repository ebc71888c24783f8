"""The diagram as SVG: edges styled by relation kind (dash, marker and colour, so it reads in black and
white), boxes coloured by nation with APP-6 symbols, the title, bands, column headings and the legend.
Plain string building keeps the import cheap and the output byte-for-byte deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from xml.sax.saxutils import escape

from ...analysis import interoperability_level
from ...labels import level_name, nation_name, relation_kind_name, situation_name
from ...model import Architecture, Organization, Side, reference_situation, require_situation
from ...model.vocabulary import relation_kind_ids
from ..symbols import render_symbol
from .layout import (
    A4_LANDSCAPE_PX,
    BANDS,
    MARGIN,
    NAME_LINE,
    NAME_PX,
    OTHER_LINE,
    OTHER_PX,
    PAD_Y,
    ROW_GAP,
    SYMBOL_GAP,
    SYMBOL_SIZE,
    TAG_H,
    TAG_PX,
    Edge,
    Layout,
    Node,
    assign_ports,
    assign_y,
    layout_of,
    symbol_scale,
    tag_height,
)
from .text import other_lang, pair, text_width, wrap

FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAexGothic', sans-serif"
_FADED = 0.25


@dataclass(frozen=True, slots=True)
class _EdgeStyle:
    color: str
    width: float
    dash: str | None
    end: str  # marker at the target: arrow | open | square | dot
    both_ends: bool = False
    dotted: bool = False


_EDGE_STYLES: dict[str, _EdgeStyle] = {
    "political-direction": _EdgeStyle("#1a1a1a", 3.0, None, "arrow"),
    "command": _EdgeStyle("#1f3f8f", 1.8, None, "arrow"),
    "opcon": _EdgeStyle("#c0392b", 2.0, "8 4", "arrow"),
    "tacon": _EdgeStyle("#d35400", 2.2, "0.1 4.5", "arrow", dotted=True),
    "adcon": _EdgeStyle("#6d4c41", 1.1, "9 3 2 3", "arrow"),
    "support": _EdgeStyle("#2e7d32", 1.1, None, "open"),
    "coordination": _EdgeStyle("#7a7a7a", 1.8, "0.1 4", "arrow", both_ends=True, dotted=True),
    "consultation": _EdgeStyle("#00796b", 1.5, "14 5", "square"),
    "liaison": _EdgeStyle("#7b1fa2", 1.2, "0.1 3", "dot", dotted=True),
}
_DEFAULT_STYLE = _EdgeStyle("#555555", 1.2, "4 2", "arrow")
_NATION_FILL = {"JPN": "#fbe4e1", "USA": "#dfe9f8", "ROK": "#e2f2df", "UN": "#dcf1f5", "TWN": "#fcf1cc"}
_NATION_STROKE = {"JPN": "#b0574e", "USA": "#4b6fa6", "ROK": "#4f8a4b", "UN": "#3a8896", "TWN": "#a3852b"}
_COMBINED_STROKE = "#4a2377"
_BILATERAL_STROKE = "#333333"
_BILATERAL_DASH = "5 2.5"


def architecture_svg(arch: Architecture, lang: str = "en", situation: str | None = None) -> str:
    """The arrangement as a standalone SVG document (a string), labels in `lang` first.

    Relations not active in `situation` (default: the catalog's reference situation) are drawn faded;
    the title carries the interoperability level derived for it. The same input always gives the same bytes.
    """
    situation = require_situation(situation or reference_situation())
    prefix = "ac2-" + re.sub(r"[^A-Za-z0-9-]", "-", f"{arch.id}-{situation}")
    layout = layout_of(arch, lang, situation)
    title, title_h = _title(arch, lang, situation)
    top = MARGIN + title_h + 22.0
    assign_y(layout, top)
    legend, legend_w, legend_h = _legend(arch, layout, lang, situation, prefix)
    width = max(layout.right + MARGIN, legend_w + 2 * MARGIN, _title_width(title) + 2 * MARGIN)
    diagram_bottom = layout.row_bottom[-1] + ROW_GAP / 2 if layout.rows else top
    height = diagram_bottom + 14.0 + legend_h + MARGIN
    parts = [
        _svg_open(width, height, arch, lang, situation),
        _defs(prefix),
        f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>',
        _bands(layout, lang, width),
        _headers(layout, lang, top - 8.0),
        _svg_title(title),
        _edges(layout, prefix),
        _nodes(layout, lang),
        f'<g class="legend" transform="translate({_f(MARGIN)},{_f(diagram_bottom + 14.0)})">{legend}</g>',
        "</svg>\n",
    ]
    return "\n".join(p for p in parts if p)


def _f(value: float) -> str:
    """A coordinate with at most one decimal, never '-0'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _edge_path(layout: Layout, edge: Edge) -> str:
    nodes = layout.nodes
    first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
    sx, tx = edge.ports["s"], edge.ports["t"]
    if first.row == last.row:
        sy, ty = first.y + first.height / 2, last.y + last.height / 2
        depth = min(ROW_GAP * 0.62, 16.0 + abs(tx - sx) * 0.08)
        return f"M{_f(sx)},{_f(sy)} C{_f(sx)},{_f(sy + depth)} {_f(tx)},{_f(ty + depth)} {_f(tx)},{_f(ty)}"
    downward = last.row > first.row
    sign = 1.0 if downward else -1.0
    points = [(sx, first.y + sign * first.height / 2)]
    for key in edge.chain[1:-1]:
        node = nodes[key]
        entry, leave = (layout.row_top[node.row], layout.row_bottom[node.row])
        points += [(node.x, entry), (node.x, leave)] if downward else [(node.x, leave), (node.x, entry)]
    points.append((tx, last.y - sign * last.height / 2))
    path = [f"M{_f(points[0][0])},{_f(points[0][1])}"]
    for i, ((x0, y0), (x1, y1)) in enumerate(pairwise(points)):
        if i % 2 == 1:  # through a routing point: straight down the row
            path.append(f"L{_f(x1)},{_f(y1)}")
        else:
            mid = (y1 - y0) / 2
            path.append(f"C{_f(x0)},{_f(y0 + mid)} {_f(x1)},{_f(y1 - mid)} {_f(x1)},{_f(y1)}")
    return " ".join(path)


def _style(kind: str) -> _EdgeStyle:
    return _EDGE_STYLES.get(kind, _DEFAULT_STYLE)


def _stroke_attrs(kind: str, prefix: str) -> str:
    style = _style(kind)
    attrs = f'fill="none" stroke="{style.color}" stroke-width="{_f(style.width)}"'
    if style.dash:
        attrs += f' stroke-dasharray="{style.dash}"'
    if style.dotted:
        attrs += ' stroke-linecap="round"'
    marker = f"url(#{prefix}-m-{_slug(kind)})"
    attrs += f' marker-end="{marker}"'
    if style.both_ends:
        attrs += f' marker-start="{marker}"'
    return attrs


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", text)


def _edges(layout: Layout, prefix: str) -> str:
    assign_ports(layout)
    out = ['<g class="edges">']
    for edge in sorted(layout.edges, key=lambda e: (e.active, e.index)):
        rel = edge.rel
        path = f'<path d="{_edge_path(layout, edge)}" {_stroke_attrs(rel.kind, prefix)}/>'
        state = "active" if edge.active else "inactive"
        label = escape(f"{rel.from_id} → {rel.to_id}: {rel.kind}")
        opacity = "" if edge.active else f' opacity="{_FADED}"'
        out.append(
            f'<g class="edge {state}" data-kind="{rel.kind}" data-from="{escape(rel.from_id)}" '
            f'data-to="{escape(rel.to_id)}"{opacity}><title>{label}</title>{path}</g>'
        )
    out.append("</g>")
    return "\n".join(out)


def _marker_shape(style: _EdgeStyle) -> str:
    if style.end == "open":
        return f'<path d="M1,1 L9,5 L1,9" fill="none" stroke="{style.color}" stroke-width="1.4"/>'
    if style.end == "square":
        return f'<rect x="2.5" y="2.5" width="5" height="5" fill="{style.color}" transform="rotate(45 5 5)"/>'
    if style.end == "dot":
        return f'<circle cx="5" cy="5" r="3" fill="#ffffff" stroke="{style.color}" stroke-width="1.4"/>'
    return f'<path d="M0,1 L10,5 L0,9 z" fill="{style.color}"/>'


def _defs(prefix: str) -> str:
    out = ["<defs>"]
    for kind in (*relation_kind_ids(), "other"):
        style = _style(kind)
        ref_x = "5" if style.end in ("square", "dot") else "9"
        out.append(
            f'<marker id="{prefix}-m-{_slug(kind)}" viewBox="0 0 10 10" refX="{ref_x}" refY="5" '
            f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f"{_marker_shape(style)}</marker>"
        )
    out.append("</defs>")
    return "\n".join(out)


def _nodes(layout: Layout, lang: str) -> str:
    boxes = sorted((n for n in layout.nodes.values() if n.org is not None), key=lambda n: (n.row, n.x))
    out = ['<g class="nodes">']
    out += [_node_svg(node, node.org, lang) for node in boxes if node.org is not None]
    out.append("</g>")
    return "\n".join(out)


def _node_svg(node: Node, org: Organization, lang: str) -> str:
    x0, y0 = node.x - node.width / 2, node.y - node.height / 2
    fill = _NATION_FILL.get(org.nation, "#ececec")
    stroke = _NATION_STROKE.get(org.nation, "#777777")
    box = f'x="{_f(x0)}" y="{_f(y0)}" width="{_f(node.width)}" height="{_f(node.height)}" rx="7"'
    title = escape(f"{org.name_en} / {org.name_ja} ({org.id})")
    out = [
        f'<g class="node" data-org="{escape(org.id)}" data-nation="{escape(org.nation)}">',
        f"<title>{title}</title>",
    ]
    if org.bilateral:
        out += _bilateral_box(x0, y0, node.width, node.height, org.member_nations())
    elif org.combined:
        out.append(
            f'<rect class="node-box" {box} fill="{fill}" stroke="{_COMBINED_STROKE}" stroke-width="3.2"/>'
        )
        inner = (
            f'x="{_f(x0 + 4)}" y="{_f(y0 + 4)}" width="{_f(node.width - 8)}" '
            f'height="{_f(node.height - 8)}" rx="4"'
        )
        out.append(f'<rect {inner} fill="none" stroke="{_COMBINED_STROKE}" stroke-width="1"/>')
    else:
        out.append(f'<rect class="node-box" {box} fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>')
    y = y0 + PAD_Y + (4 if org.combined else 0)
    for line in node.names:
        y += NAME_LINE
        out.append(_text(node.x, y - 4, line, NAME_PX, "name", weight="600"))
    for line in node.others:
        y += OTHER_LINE
        out.append(_text(node.x, y - 3.5, line, OTHER_PX, "name-other", fill="#444444"))
    if node.tag:
        out.append(_tag(node.x, y + 3, node.tag))
    if org.sidc:
        out.append(_symbol(org.sidc, x0 + SYMBOL_GAP, node.y, node.height))
    out.append("</g>")
    return "\n".join(out)


def _bilateral_box(
    x0: float, y0: float, width: float, height: float, nations: Sequence[str], cls: str = "node-box"
) -> list[str]:
    """A box split into one vertical band per member nation's colour, with a dashed dark border."""
    out = [f'<g class="bilateral" data-nations="{escape(" ".join(nations))}">']
    band = width / len(nations)
    for i, nation in enumerate(nations):
        out.append(f'<path d="{_band_path(x0, y0, width, height, i * band, band)}" fill="{_NATION_FILL.get(nation, "#ececec")}"/>')
    box = f'x="{_f(x0)}" y="{_f(y0)}" width="{_f(width)}" height="{_f(height)}" rx="7"'
    out.append(
        f'<rect class="{cls}" {box} fill="none" stroke="{_BILATERAL_STROKE}" stroke-width="1.6" '
        f'stroke-dasharray="{_BILATERAL_DASH}"/></g>'
    )
    return out


def _band_path(x0: float, y0: float, width: float, height: float, start: float, band: float) -> str:
    """One vertical slice of a box with 7 px rounded corners: rounded only where it meets the box's sides."""
    r = min(7.0, band / 2, height / 2)
    left, right, top, bottom = x0 + start, x0 + start + band, y0, y0 + height
    first, last = start <= 0, start + band >= width - 1e-6
    d = [f"M{_f(left + r if first else left)},{_f(top)}"]
    d.append(f"H{_f(right - r)} A{_f(r)},{_f(r)} 0 0 1 {_f(right)},{_f(top + r)} V{_f(bottom - r)} "
             f"A{_f(r)},{_f(r)} 0 0 1 {_f(right - r)},{_f(bottom)}" if last else f"H{_f(right)} V{_f(bottom)}")
    d.append(f"H{_f(left + r)} A{_f(r)},{_f(r)} 0 0 1 {_f(left)},{_f(bottom - r)} V{_f(top + r)} "
             f"A{_f(r)},{_f(r)} 0 0 1 {_f(left + r)},{_f(top)}" if first else f"H{_f(left)}")
    return " ".join(d) + " Z"


def _text(x: float, y: float, text: str, px: float, cls: str, weight: str = "", fill: str = "#111111") -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text class="{cls}" x="{_f(x)}" y="{_f(y)}" font-size="{_f(px)}"{bold} fill="{fill}" '
        f'text-anchor="middle">{escape(text)}</text>'
    )


def _tag(cx: float, top: float, lines: Sequence[str]) -> str:
    """The roles an organization holds, as a white pill."""
    width = max(text_width(t, TAG_PX) * 1.06 for t in lines) + 10
    out = [
        f'<rect class="role-tag" x="{_f(cx - width / 2)}" y="{_f(top)}" width="{_f(width)}" '
        f'height="{_f(tag_height(lines))}" rx="7" fill="#ffffff" stroke="#555555" stroke-width="0.8"/>'
    ]
    for i, line in enumerate(lines):
        out.append(
            _text(
                cx, top + TAG_H - 4 + i * (TAG_PX + 2), line, TAG_PX, "role", weight="600", fill="#333333"
            )
        )
    return "".join(out)


def _symbol(sidc: str, x: float, cy: float, box_height: float) -> str:
    """The organization's APP-6 symbol, vertically centred in its box at the left edge."""
    symbol, width = symbol_scale(sidc, box_height)
    scale = width / symbol.width
    return symbol.placed(x, cy - symbol.height * scale / 2, scale)


def _title(arch: Architecture, lang: str, situation: str) -> tuple[list[tuple[str, float, str]], float]:
    """Title lines as (text, font size, weight) and their total height."""
    level, _ = interoperability_level(arch, situation)
    situation_ja = situation_name(situation, "ja")
    level_ja = level_name(level, "ja")
    if lang == "ja":
        status = f"事態: {situation_ja} ({situation}) ・ 相互運用性レベル: {level_ja} ({level})"
    else:
        status = f"Situation: {situation} ({situation_ja}) · Interoperability level: {level} ({level_ja})"
    heading = f"{arch.name(lang)} ({arch.id})"
    lines = [(t, 18.0, "700") for t in wrap(heading, 18.0 * 1.08, A4_LANDSCAPE_PX - 2 * MARGIN)]
    other = arch.name(other_lang(lang))
    if other and other != arch.name(lang):
        lines.append((other, 12.0, ""))
    lines.append((status, 12.0, ""))
    return lines, sum(size * 1.45 for _, size, _ in lines)


def _title_width(lines: Sequence[tuple[str, float, str]]) -> float:
    return max(text_width(text, size) * (1.08 if weight else 1.0) for text, size, weight in lines)


def _svg_title(lines: Sequence[tuple[str, float, str]]) -> str:
    out = ['<g class="title">']
    y = MARGIN
    for text, size, weight in lines:
        y += size * 1.45
        bold = f' font-weight="{weight}"' if weight else ""
        out.append(
            f'<text x="{_f(MARGIN)}" y="{_f(y - size * 0.35)}" font-size="{_f(size)}"{bold} '
            f'fill="#111111">{escape(text)}</text>'
        )
    out.append("</g>")
    return "\n".join(out)


def _svg_open(width: float, height: float, arch: Architecture, lang: str, situation: str) -> str:
    font = escape(FONT_FAMILY, {'"': "&quot;"})
    desc = escape(f"{arch.name(lang)} ({arch.id}), {situation}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" font-family="{font}" role="img" '
        f'data-architecture="{escape(arch.id)}" data-situation="{escape(situation)}">\n<title>{desc}</title>'
    )


def _bands(layout: Layout, lang: str, width: float) -> str:
    """Alternating stripes behind each band of rows, labelled at the left margin."""
    out = ['<g class="bands">']
    for i, (band_index, first, last) in enumerate(_band_spans(layout.row_band)):
        band = BANDS[band_index]
        top = layout.row_top[first] - ROW_GAP / 2 + 2
        bottom = layout.row_bottom[last] + ROW_GAP / 2 - 2
        fill = "#f4f5f7" if i % 2 == 0 else "#fbfbfc"
        out.append(
            f'<rect x="{_f(MARGIN / 2)}" y="{_f(top)}" width="{_f(width - MARGIN)}" '
            f'height="{_f(bottom - top)}" rx="6" fill="{fill}"/>'
        )
        primary, other = (band.name_ja, band.name_en) if lang == "ja" else (band.name_en, band.name_ja)
        out.append(_band_label(primary, MARGIN + 10, (top + bottom) / 2, 12, "#555555", "700"))
        if text_width(other, 11) < bottom - top - 8:
            out.append(_band_label(other, MARGIN + 24, (top + bottom) / 2, 11, "#777777", ""))
    out.append("</g>")
    return "\n".join(out)


def _band_label(text: str, x: float, y: float, px: float, fill: str, weight: str) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text class="band" x="{_f(x)}" y="{_f(y)}" font-size="{_f(px)}"{bold} fill="{fill}" '
        f'text-anchor="middle" transform="rotate(-90 {_f(x)} {_f(y)})">{escape(text)}</text>'
    )


def _band_spans(row_band: Sequence[int]) -> list[tuple[int, int, int]]:
    spans: list[tuple[int, int, int]] = []
    for row, band in enumerate(row_band):
        if spans and spans[-1][0] == band:
            spans[-1] = (band, spans[-1][1], row)
        else:
            spans.append((band, row, row))
    return spans


def _headers(layout: Layout, lang: str, y: float) -> str:
    """Headings over the host nation (left), the combined bodies (centre) and the U.S. (right)."""
    placed = {node.col: node.org.nation for node in layout.nodes.values() if node.org is not None}

    out = ['<g class="columns">']
    for col, x, anchor in ((0.0, layout.left, "start"), (2.0, layout.right, "end")):
        if col in placed:
            nation = placed[col]
            out.append(
                _header(pair(lang, nation_name(nation, "en"), nation_name(nation, "ja")), x, y, anchor)
            )
    if 1.0 in placed:
        centre = (layout.left + layout.right) / 2
        out.append(_header(pair(lang, "Combined / consultative", "共同・協議"), centre, y, "middle"))
    out.append("</g>")
    return "\n".join(out)


def _header(text: str, x: float, y: float, anchor: str) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="12" font-weight="700" fill="#444444" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _kind_pair(kind: str, lang: str) -> str:
    return pair(lang, relation_kind_name(kind, "en"), relation_kind_name(kind, "ja"))


def _legend(
    arch: Architecture, layout: Layout, lang: str, situation: str, prefix: str
) -> tuple[str, float, float]:
    """The legend group (drawn at the origin), its width and its height."""
    entries: list[tuple[str, str]] = []
    kinds = {e.rel.kind for e in layout.edges}
    known = relation_kind_ids()
    for kind in (*known, *sorted(kinds - set(known))):
        if kind in kinds:
            entries.append((_line_sample(kind, prefix, faded=False), _kind_pair(kind, lang)))
    inactive = {e.rel.kind for e in layout.edges if not e.active}
    if inactive:
        label = pair(
            lang,
            f"faded: inactive in {situation}",
            f"淡色: {situation_name(situation, 'ja')}では無効",
        )
        sample = min(inactive, key=lambda k: known.index(k) if k in known else 99)
        entries.append((_line_sample(sample, prefix, faded=True), label))
    for nation in arch.nations:
        label = pair(lang, nation_name(nation, "en"), nation_name(nation, "ja"))
        entries.append((_swatch(nation, combined=False), label))
    if any(o.combined for o in arch.organizations.values()):
        entries.append((_swatch(arch.nations[0], combined=True), pair(lang, "combined HQ", "連合司令部")))
    entries += [(_side_sample(side.nations), _side_label(arch, side, lang)) for side in arch.sides]
    if any(o.sidc for o in arch.organizations.values()):
        entries.append((_symbol_sample(), pair(lang, "APP-6 symbol (from the SIDC)", "APP-6記号（SIDCから描画）")))
    bilateral = next((o for o in arch.organizations.values() if o.bilateral), None)
    if bilateral is not None:
        sample = "".join(_bilateral_box(8, 1, 34, 18, bilateral.member_nations(), cls="swatch"))
        entries.append((sample, pair(lang, "bilateral body", "二国間機関")))
    widths = _legend_columns([text_width(label, 11) + 70 for _, label in entries])
    columns = len(widths)
    rows = -(-len(entries) // columns)
    width, height = sum(widths) + 16, 30 + 22 * rows + 4
    heading = pair(lang, "Legend", "凡例")
    out = [
        f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" rx="6" fill="#ffffff" stroke="#999999" '
        f'stroke-width="0.8"/>',
        f'<text x="10" y="18" font-size="12" font-weight="700" fill="#333333">{escape(heading)}</text>',
    ]
    for i, (sample, label) in enumerate(entries):
        x, y = 10 + sum(widths[: i % columns]), 30 + 22 * (i // columns)
        out.append(f'<g class="legend-entry" transform="translate({_f(x)},{_f(y)})">{sample}')
        out.append(f'<text x="56" y="14" font-size="11" fill="#222222">{escape(label)}</text></g>')
    return "\n".join(out), width, height


def _legend_columns(cells: Sequence[float]) -> list[float]:
    """Column widths of the widest grid (entries row by row) that fits the A4 width."""
    for columns in range(min(len(cells), 6), 1, -1):
        widths = [max(cells[j::columns]) for j in range(columns)]
        if sum(widths) + 16 <= A4_LANDSCAPE_PX - 2 * MARGIN:
            return widths
    return [max(cells, default=100.0)]


def _line_sample(kind: str, prefix: str, faded: bool) -> str:
    opacity = f' opacity="{_FADED}"' if faded else ""
    return f'<g{opacity}><path d="M4,10 L46,10" {_stroke_attrs(kind, prefix)}/></g>'


def _side_label(arch: Architecture, side: Side, lang: str) -> str:
    """'Force side NATO (NLD, DEU): HO → Opposing side' in the diagram's language first."""
    names = {other.id: other.name(lang) for other in arch.sides}
    ties = ", ".join(f"{code} → {names.get(other, other)}" for other, code in side.hostility)
    nations = ", ".join(side.nations)
    text = pair(lang, f"force side {side.name('en')}", f"勢力 {side.name('ja')}")
    return f"{text} ({nations})" + (f": {ties}" if ties else "")


def _side_sample(nations: Sequence[str]) -> str:
    fill = _NATION_FILL.get(nations[0], "#ececec") if nations else "#ececec"
    return (
        f'<rect x="8" y="2" width="34" height="16" rx="4" fill="{fill}" stroke="#333333" '
        'stroke-width="1" stroke-dasharray="3 2"/>'
    )


def _symbol_sample() -> str:
    """A friendly land unit, drawn by the same renderer as the boxes."""
    symbol = render_symbol("SFGPU----------", SYMBOL_SIZE)
    scale = 18.0 / symbol.height
    return symbol.placed(25 - symbol.width * scale / 2, 1, scale)


def _swatch(nation: str, combined: bool) -> str:
    fill = _NATION_FILL.get(nation, "#ececec")
    if combined:
        return (
            f'<rect x="8" y="1" width="34" height="18" rx="4" fill="{fill}" '
            f'stroke="{_COMBINED_STROKE}" stroke-width="3"/>'
            f'<rect x="12" y="5" width="26" height="10" rx="2" fill="none" '
            f'stroke="{_COMBINED_STROKE}" stroke-width="1"/>'
        )
    stroke = _NATION_STROKE.get(nation, "#777777")
    return (
        f'<rect x="8" y="2" width="34" height="16" rx="4" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="1.2"/>'
    )
