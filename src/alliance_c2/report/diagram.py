"""An arrangement as a hand-written SVG briefing diagram.

Layered top-down (political level, consultative bodies, headquarters, component commands, units,
liaison cells), nations in columns (the host nation left, combined and consultative bodies in the
centre, the United States right). Relation kinds differ by dash pattern, marker and colour, so the
diagram still reads in black and white. Plain string building keeps the import cheap and the output
byte-for-byte deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from xml.sax.saxutils import escape

from ..analysis import interoperability_level
from ..model import Architecture, Organization, Relation, Role, Side
from ..model.tree import kind_label, nation_label
from ..model.vocabulary import COMMAND_KINDS, RELATION_KINDS
from .symbols import Symbol, render_symbol

FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAexGothic', sans-serif"
A4_LANDSCAPE_PX = 1123  # 297 mm at 96 px per inch: the width the font sizes are chosen for

_NAME_PX = 13.0
_OTHER_PX = 11.0
_TAG_PX = 11.0
_NAME_LINE = 16.0
_OTHER_LINE = 14.0
_TAG_H = 16.0
_WRAP = 136.0
_PAD_X = 8.0
_PAD_Y = 6.0
_MIN_BOX = 92.0
# APP-6 symbols (milsymbol): rendered at this size, then scaled to fit the box beside the names.
_SYMBOL_SIZE = 19.0
_SYMBOL_MAX_W = 40.0
_SYMBOL_GAP = 5.0
_MARGIN = 16.0
_BAND_LABEL_W = 30.0
_ROW_GAP = 46.0
_NODE_GAP = 14.0
_COLUMN_GAP = 26.0
_DUMMY_W = 3.0
_DUMMY_GAP = 5.0
# Boxes per row are limited so that the page stays within A4 width at these font sizes.
_ROW_BUDGET = (A4_LANDSCAPE_PX - 2 * 16.0 - 30.0) * 0.9
_FADED = 0.25
_ANCHOR_PULL = 0.3

# Same wording as analysis.render, repeated so that drawing does not import the terminal renderer.
_LEVEL_JA = {"deconflict": "競合防止", "coordinated": "調整", "integrated": "一体化", "unified": "統一"}
_SITUATION_JA = {
    "peacetime": "平時",
    "gray-zone": "グレーゾーン事態",
    "important-influence": "重要影響事態",
    "anticipated-armed-attack": "武力攻撃予測事態",
    "armed-attack": "武力攻撃事態",
    "survival-threatening": "存立危機事態",
    "international-peace-cooperation": "国際平和協力",
    "emergency-response": "緊急対処事態",
}
_SHORT_KIND_EN = {"opcon": "OPCON", "tacon": "TACON", "adcon": "ADCON"}


@dataclass(frozen=True, slots=True)
class _Band:
    kinds: frozenset[str]
    name_en: str
    name_ja: str


_BANDS = (
    _Band(frozenset({"political-authority", "ministry"}), "Political level", "政治レベル"),
    _Band(frozenset({"consultative-body"}), "Consultation", "協議・調整機関"),
    _Band(frozenset({"headquarters"}), "Headquarters", "司令部"),
    _Band(frozenset({"component-command"}), "Components", "構成部隊"),
    _Band(frozenset({"unit"}), "Units", "部隊"),
    _Band(frozenset({"liaison-cell"}), "Liaison", "連絡"),
)
_UNIT_BAND = 4


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


@dataclass(slots=True)
class _Node:
    """An organization's box, or (org None) a routing point where a long edge crosses a row."""

    key: str
    row: int
    col: float
    seq: int
    org: Organization | None = None
    width: float = _DUMMY_W
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0
    names: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()


@dataclass(slots=True)
class _Edge:
    rel: Relation
    index: int
    chain: list[str]
    active: bool
    ports: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Layout:
    nodes: dict[str, _Node]
    rows: list[list[str]]
    row_band: list[int]
    edges: list[_Edge]
    row_top: list[float] = field(default_factory=list)
    row_bottom: list[float] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0


def architecture_svg(arch: Architecture, lang: str = "en", situation: str = "armed-attack") -> str:
    """The arrangement as a standalone SVG document (a string), labels in `lang` first.

    Relations not active in `situation` are drawn faded; the title carries the interoperability
    level derived for `situation`. The same input always gives the same bytes.
    """
    prefix = "ac2-" + re.sub(r"[^A-Za-z0-9-]", "-", f"{arch.id}-{situation}")
    layout = _layout(arch, lang, situation)
    title, title_h = _title(arch, lang, situation)
    top = _MARGIN + title_h + 22.0
    _assign_y(layout, top)
    legend, legend_w, legend_h = _legend(arch, layout, lang, situation, prefix)
    width = max(layout.right + _MARGIN, legend_w + 2 * _MARGIN, _title_width(title) + 2 * _MARGIN)
    diagram_bottom = layout.row_bottom[-1] + _ROW_GAP / 2 if layout.rows else top
    height = diagram_bottom + 14.0 + legend_h + _MARGIN
    parts = [
        _svg_open(width, height, arch, lang, situation),
        _defs(prefix),
        f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>',
        _bands(layout, lang, width),
        _headers(layout, lang, top - 8.0),
        _svg_title(title),
        _edges(layout, prefix),
        _nodes(layout, lang),
        f'<g class="legend" transform="translate({_f(_MARGIN)},{_f(diagram_bottom + 14.0)})">{legend}</g>',
        "</svg>\n",
    ]
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------------------
# Text measurement


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in " .,:;'|!()[]-/·":
        return 0.34
    if ch.isupper() or ch in "mwMW@%&":
        return 0.7
    return 0.58


def _text_width(text: str, px: float) -> float:
    """Estimated advance of `text` at `px` (CJK about 1 em, Latin about 0.6 em)."""
    return sum(_char_em(ch) for ch in text) * px


def _break_points(text: str) -> Iterable[tuple[int, int, float]]:
    """(end of first line, start of second line, bonus) for each place the text may wrap."""
    opening, closing = "（「『(〔", "）」』)、。・ー〕"
    for i in range(1, len(text)):
        before, ch = text[i - 1], text[i]
        if ch == " ":
            yield i, i + 1, 0.0
        elif before == "-" and ch != " ":
            yield i, i, 0.0
        elif ch in opening and before != " ":
            yield i, i, 1.5
        elif (_char_em(ch) == 1.0 or _char_em(before) == 1.0) and ch not in closing and before not in opening:
            yield i, i, 0.0


def _wrap(text: str, px: float, limit: float = _WRAP) -> tuple[str, ...]:
    """`text` on the fewest balanced lines (at most three) that fit `limit`."""
    if _text_width(text, px) <= limit:
        return (text,)
    best: tuple[float, tuple[str, ...]] | None = None
    for end, start, bonus in _break_points(text):
        first, rest = text[:end].rstrip(), text[start:].lstrip()
        if not first or not rest:
            continue
        lines = (
            (first, *_wrap_two(rest, px))
            if _text_width(first, px) <= limit < _text_width(rest, px)
            else (first, rest)
        )
        score = (
            max(_text_width(t, px) for t in lines)
            - bonus * px
            + (limit * len(lines) if len(lines) > 2 else 0.0)
        )
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else (text,)


def _wrap_two(text: str, px: float) -> tuple[str, ...]:
    """`text` on its two most balanced lines."""
    best: tuple[float, str, str] | None = None
    for end, start, _ in _break_points(text):
        first, second = text[:end].rstrip(), text[start:].lstrip()
        if first and second:
            score = max(_text_width(first, px), _text_width(second, px))
            if best is None or score < best[0]:
                best = (score, first, second)
    return (best[1], best[2]) if best else (text,)


def _f(value: float) -> str:
    """A coordinate with at most one decimal, never '-0'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _other_lang(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def _pair(lang: str, en: str, ja: str) -> str:
    """Both languages, `lang` first: 'OPCON / 作戦統制'."""
    return f"{ja} / {en}" if lang == "ja" else f"{en} / {ja}"


def _org_name(org: Organization, lang: str) -> str:
    return org.name_ja if lang == "ja" else org.name_en


def _role_tag(role: Role, lang: str) -> str:
    """A short id as an acronym (JFACC), otherwise the role's name up to its first ' / '."""
    if len(role.id) <= 6 and role.id.isalnum():
        return role.id.upper()
    name = (role.name_ja if lang == "ja" and role.name_ja else role.name_en) or role.id
    return re.split(r" / |／", name)[0]


# ---------------------------------------------------------------------------------------------------
# Layout: rows, columns, ordering, coordinates


def _layout(arch: Architecture, lang: str, situation: str) -> _Layout:
    columns = _columns(arch)
    boxes = {
        oid: _Node(oid, 0, columns[oid], i, org=org)
        for i, (oid, org) in enumerate(arch.organizations.items())
    }
    for node in boxes.values():
        _measure(node, arch.organizations[node.key], lang)
    rows_of, row_band = _rows(arch, boxes)
    nodes, edges = _graph(arch, boxes, rows_of, situation)
    rows: list[list[str]] = [[] for _ in row_band]
    for node in sorted(nodes.values(), key=lambda n: (n.col, n.seq)):
        rows[node.row].append(node.key)
    up, down = _neighbours(edges, nodes)
    rows = _order(rows, nodes, up, down)
    layout = _Layout(nodes, rows, row_band, edges)
    _assign_x(layout, up, down)
    return layout


def _band_of(org: Organization) -> int:
    return next((i for i, band in enumerate(_BANDS) if org.kind in band.kinds), _UNIT_BAND)


def _deepens(arch: Architecture, rel: Relation) -> bool:
    """Whether `rel` puts its subordinate a row lower: national command-type relations do."""
    if rel.kind not in COMMAND_KINDS:
        return False
    orgs = arch.organizations
    return rel.kind not in ("opcon", "tacon") or orgs[rel.from_id].nation == orgs[rel.to_id].nation


def _rows(arch: Architecture, boxes: dict[str, _Node]) -> tuple[dict[str, int], list[int]]:
    """Each organization's row (band by kind, then depth inside the band) and each row's band."""
    orgs = arch.organizations
    band = {oid: _band_of(org) for oid, org in orgs.items()}
    links = [
        (r.from_id, r.to_id) for r in arch.relations if band[r.from_id] == band[r.to_id] and _deepens(arch, r)
    ]
    depth = dict.fromkeys(orgs, 0)
    for _ in range(len(orgs)):  # longest path; bounded so that a cycle cannot loop forever
        changed = False
        for a, b in links:
            if depth[b] < depth[a] + 1:
                depth[b] = depth[a] + 1
                changed = True
        if not changed:
            break
    parents = {a for a, _ in links}
    for index in sorted(set(band.values())):
        d = 0
        while any(band[o] == index and depth[o] >= d for o in orgs):
            row = [boxes[o] for o in orgs if band[o] == index and depth[o] == d]
            for moved in _overflow(row, parents):
                depth[moved] = d + 1
            d += 1
    row_band: list[int] = []
    first_row: dict[int, int] = {}
    for index in sorted(set(band.values())):
        first_row[index] = len(row_band)
        row_band.extend([index] * (1 + max(depth[o] for o in orgs if band[o] == index)))
    return {oid: first_row[band[oid]] + depth[oid] for oid in orgs}, row_band


def _row_width(row: Sequence[_Node]) -> float:
    return sum(n.width for n in row) + sum(
        _separation(a, b) - (a.width + b.width) / 2 for a, b in pairwise(row)
    )


def _overflow(row: Sequence[_Node], parents: set[str]) -> list[str]:
    """Boxes without children in their band that go one row down so the row fits an A4 page.

    Every other box of a column goes first, widest column first, so the two rows interleave.
    """
    excess = _row_width(sorted(row, key=lambda n: (n.col, n.seq))) - _ROW_BUDGET
    if excess <= 0:
        return []
    column_width: dict[float, float] = {}
    for node in row:
        column_width[node.col] = column_width.get(node.col, 0.0) + node.width
    leaves: dict[float, list[_Node]] = {}
    for node in sorted(row, key=lambda n: n.seq):
        if node.key not in parents:
            leaves.setdefault(node.col, []).append(node)
    ranked = sorted(
        (
            (i % 2 == 0, -column_width[col], i, node)
            for col, nodes in leaves.items()
            for i, node in enumerate(nodes)
        ),
        key=lambda item: item[:3],
    )
    moved: list[str] = []
    for *_, node in ranked:
        if excess <= 0 or len(moved) + 1 >= len(row):
            break
        moved.append(node.key)
        excess -= node.width + _NODE_GAP
    return moved


def _columns(arch: Architecture) -> dict[str, float]:
    """Host nation left (Japan, else Korea), combined and consultative bodies centre, U.S. right."""
    nations = arch.nations
    left = next((n for n in ("JPN", "ROK") if n in nations), next((n for n in nations if n != "USA"), None))
    others = sorted(n for n in nations if n not in (left, "USA"))
    columns: dict[str, float] = {}
    for oid, org in arch.organizations.items():
        if org.combined or _joins_nations(arch, org):
            columns[oid] = 1.0
        elif org.kind == "liaison-cell" and org.nation not in (left, "USA"):
            columns[oid] = 1.0  # a third nation's officers sit with an alliance headquarters
        elif org.nation == left:
            columns[oid] = 0.0
        elif org.nation == "USA":
            columns[oid] = 2.0
        else:
            columns[oid] = 3.0 + others.index(org.nation)
    return columns


def _joins_nations(arch: Architecture, org: Organization) -> bool:
    """A bilateral body, or a consultative body whose participants come from more than one nation."""
    if org.bilateral:
        return True
    if org.kind != "consultative-body":
        return False
    ties = (*arch.relations_to(org.id), *arch.relations_from(org.id))
    nations = {arch.organizations[r.from_id if r.to_id == org.id else r.to_id].nation for r in ties}
    return len(nations | {org.nation}) > 1


def _graph(
    arch: Architecture, boxes: dict[str, _Node], rows: dict[str, int], situation: str
) -> tuple[dict[str, _Node], list[_Edge]]:
    """Organization nodes plus one routing point per row that a longer edge crosses."""
    nodes = dict(boxes)
    for oid, node in nodes.items():
        node.row = rows[oid]
    cols = {oid: node.col for oid, node in nodes.items()}
    edges: list[_Edge] = []
    for i, rel in enumerate(arch.relations):
        a, b = rel.from_id, rel.to_id
        span = abs(rows[b] - rows[a])
        step = 1 if rows[b] > rows[a] else -1
        chain = [a]
        for k in range(1, span):
            key = f"~{i}.{k}"
            col = cols[a] + (cols[b] - cols[a]) * k / span
            nodes[key] = _Node(key, rows[a] + step * k, col, len(nodes))
            chain.append(key)
        chain.append(b)
        edges.append(_Edge(rel, i, chain, rel.active(situation)))
    return nodes, edges


def _neighbours(
    edges: Sequence[_Edge], nodes: dict[str, _Node]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """For each node, its neighbours one row up and one row down along the edges."""
    up: dict[str, list[str]] = {k: [] for k in nodes}
    down: dict[str, list[str]] = {k: [] for k in nodes}
    for edge in edges:
        for a, b in pairwise(edge.chain):
            if nodes[a].row < nodes[b].row:
                down[a].append(b)
                up[b].append(a)
            elif nodes[a].row > nodes[b].row:
                up[a].append(b)
                down[b].append(a)
    return up, down


def _positions(row: Sequence[str]) -> dict[str, float]:
    return {k: (i + 0.5) / len(row) for i, k in enumerate(row)}


def _order(
    rows: list[list[str]], nodes: dict[str, _Node], up: dict[str, list[str]], down: dict[str, list[str]]
) -> list[list[str]]:
    """Barycentre sweeps (down, then up) inside each nation column; keep the fewest crossings."""
    best, best_crossings = [list(r) for r in rows], _crossings(rows, down)
    current = [list(r) for r in rows]
    for sweep in range(8):
        downward = sweep % 2 == 0
        order = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for r in order:
            ref = _positions(current[r - 1] if downward else current[r + 1])
            own = _positions(current[r])
            link = up if downward else down

            def key(
                k: str,
                ref: dict[str, float] = ref,
                own: dict[str, float] = own,
                link: dict[str, list[str]] = link,
            ) -> tuple[float, float, float]:
                near = [ref[m] for m in link[k] if m in ref]
                return nodes[k].col, sum(near) / len(near) if near else own[k], own[k]

            current[r] = sorted(current[r], key=key)
        crossings = _crossings(current, down)
        if crossings < best_crossings:
            best, best_crossings = [list(r) for r in current], crossings
    return best


def _crossings(rows: Sequence[Sequence[str]], down: dict[str, list[str]]) -> int:
    total = 0
    for r in range(len(rows) - 1):
        here, below = _positions(rows[r]), _positions(rows[r + 1])
        segments = [(here[a], below[b]) for a in rows[r] for b in down[a] if b in below]
        for i, (a1, b1) in enumerate(segments):
            total += sum(1 for a2, b2 in segments[i + 1 :] if (a1 - a2) * (b1 - b2) < 0)
    return total


def _measure(node: _Node, org: Organization, lang: str) -> None:
    """Wrap the names and size the box to its text."""
    node.names = _wrap(_org_name(org, lang) or org.id, _NAME_PX)
    other = _org_name(org, _other_lang(lang))
    node.others = _wrap(other, _OTHER_PX) if other else ()
    tag = " · ".join(_role_tag(r, lang) for r in org.roles)
    node.tag = _wrap(tag, _TAG_PX) if tag else ()
    text_w = max(
        [_text_width(t, _NAME_PX) * 1.06 for t in node.names]
        + [_text_width(t, _OTHER_PX) for t in node.others]
        + [_text_width(t, _TAG_PX) * 1.06 + 14 for t in node.tag]
    )
    node.height = 2 * _PAD_Y + len(node.names) * _NAME_LINE + len(node.others) * _OTHER_LINE
    node.height += _tag_height(node.tag) + 4 if node.tag else 0.0
    # The symbol sits left of the names; the same room on the right keeps the names centred.
    room = 2 * (_symbol_scale(org.sidc, node.height)[1] + _SYMBOL_GAP) if org.sidc else 0.0
    node.width = max(_MIN_BOX, text_w + 2 * _PAD_X + room)


def _separation(a: _Node, b: _Node) -> float:
    if a.org is None or b.org is None:
        gap = _DUMMY_GAP
    else:
        gap = _NODE_GAP if int(a.col) == int(b.col) else _COLUMN_GAP
    return (a.width + b.width) / 2 + gap


def _place_row(
    keys: Sequence[str], desired: Sequence[float], nodes: dict[str, _Node], width: float
) -> list[float]:
    """Closest centres to `desired` (least squares) that keep the order, the gaps and [0, width].

    Pool-adjacent-violators on the gap-free coordinates, then clipped to the page: with one
    interval for every coordinate, clipping keeps the solution optimal.
    """
    offsets = [0.0]
    for a, b in pairwise(keys):
        offsets.append(offsets[-1] + _separation(nodes[a], nodes[b]))
    blocks: list[list[float]] = []  # [sum, count, size]
    for target in (d - o for d, o in zip(desired, offsets, strict=True)):
        blocks.append([target, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    lo = nodes[keys[0]].width / 2
    hi = max(lo, width - nodes[keys[-1]].width / 2 - offsets[-1])
    values = [min(max(total / count, lo), hi) for total, count in blocks for _ in range(int(count))]
    return [v + o for v, o in zip(values, offsets, strict=True)]


def _column_anchors(layout: _Layout, width: float) -> Callable[[float], float]:
    """Where each nation column is centred on an A4-wide page, in proportion to its typical width."""
    totals: dict[int, list[float]] = {}
    for row in layout.rows:
        boxes = [layout.nodes[k] for k in row if layout.nodes[k].org is not None]
        for col in sorted({int(n.col) for n in boxes}):
            totals.setdefault(col, []).append(_row_width([n for n in boxes if int(n.col) == col]))
    widths = {col: sum(v) / len(v) for col, v in totals.items()}
    scale = width / max(sum(widths.values()), 1.0)
    centres: list[tuple[float, float]] = []
    x = 0.0
    for col in sorted(widths):
        centres.append((float(col), x + widths[col] * scale / 2))
        x += widths[col] * scale

    def anchor(col: float) -> float:
        if not centres:
            return 0.0
        if col <= centres[0][0]:
            return centres[0][1]
        for (c0, x0), (c1, x1) in pairwise(centres):
            if col <= c1:
                return x0 + (x1 - x0) * (col - c0) / (c1 - c0)
        return centres[-1][1]

    return anchor


def _sweep_x(layout: _Layout, up: dict[str, list[str]], down: dict[str, list[str]], width: float) -> None:
    """Boxes under the mean of their neighbours, pulled a little toward their column, rows kept apart."""
    nodes = layout.nodes
    anchor = _column_anchors(layout, width)
    for row in layout.rows:
        for key, x in zip(
            row, _place_row(row, [anchor(nodes[k].col) for k in row], nodes, width), strict=True
        ):
            nodes[key].x = x
    for sweep in range(16):
        order = layout.rows if sweep % 2 == 0 else list(reversed(layout.rows))
        for row in order:
            desired = []
            for key in row:
                near = [nodes[m].x for m in (*up[key], *down[key])]
                home = anchor(nodes[key].col)
                desired.append(
                    (1 - _ANCHOR_PULL) * sum(near) / len(near) + _ANCHOR_PULL * home if near else home
                )
            for key, x in zip(row, _place_row(row, desired, nodes, width), strict=True):
                nodes[key].x = x


def _assign_x(layout: _Layout, up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    """Horizontal centres: as straight as the edges allow, within an A4-wide page where rows fit."""
    nodes = layout.nodes
    width = max([_ROW_BUDGET / 0.9] + [_row_width([nodes[k] for k in row]) for row in layout.rows])
    _sweep_x(layout, up, down, width)
    real = [n for n in nodes.values() if n.org is not None] or list(nodes.values())
    shift = _MARGIN + _BAND_LABEL_W - min((n.x - n.width / 2 for n in real), default=0.0)
    for node in nodes.values():
        node.x += shift
    layout.left = _MARGIN + _BAND_LABEL_W
    layout.right = max((n.x + n.width / 2 for n in nodes.values()), default=layout.left)


def _assign_y(layout: _Layout, top: float) -> None:
    y = top + _ROW_GAP / 2
    for row in layout.rows:
        height = max((layout.nodes[k].height for k in row), default=0.0) or 20.0
        layout.row_top.append(y)
        layout.row_bottom.append(y + height)
        for key in row:
            layout.nodes[key].y = y + height / 2
        y += height + _ROW_GAP


# ---------------------------------------------------------------------------------------------------
# Edges


def _side(nodes: dict[str, _Node], at: str, towards: str) -> str:
    return "top" if nodes[towards].row < nodes[at].row else "bottom"


def _assign_ports(layout: _Layout) -> None:
    """Spread the edges meeting one side of a box along it, ordered by where they come from."""
    nodes = layout.nodes
    sides: dict[tuple[str, str], list[tuple[float, int, int, str]]] = {}
    for edge in layout.edges:
        for end, at, nxt in (("s", edge.chain[0], edge.chain[1]), ("t", edge.chain[-1], edge.chain[-2])):
            other = nodes[nxt].x
            rank = RELATION_KINDS.index(edge.rel.kind) if edge.rel.kind in RELATION_KINDS else 99
            sides.setdefault((at, _side(nodes, at, nxt)), []).append((other, rank, edge.index, end))
    by_index = {e.index: e for e in layout.edges}
    for (at, _), entries in sorted(sides.items()):
        node = nodes[at]
        span = min(node.width * 0.7, 14.0 * (len(entries) - 1))
        for i, (_, _, index, end) in enumerate(sorted(entries)):
            offset = 0.0 if len(entries) == 1 else -span / 2 + span * i / (len(entries) - 1)
            by_index[index].ports[end] = node.x + offset


def _edge_path(layout: _Layout, edge: _Edge) -> str:
    nodes = layout.nodes
    first, last = nodes[edge.chain[0]], nodes[edge.chain[-1]]
    sx, tx = edge.ports["s"], edge.ports["t"]
    if first.row == last.row:
        sy, ty = first.y + first.height / 2, last.y + last.height / 2
        depth = min(_ROW_GAP * 0.62, 16.0 + abs(tx - sx) * 0.08)
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


def _edges(layout: _Layout, prefix: str) -> str:
    _assign_ports(layout)
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
    for kind in (*RELATION_KINDS, "other"):
        style = _style(kind)
        ref_x = "5" if style.end in ("square", "dot") else "9"
        out.append(
            f'<marker id="{prefix}-m-{_slug(kind)}" viewBox="0 0 10 10" refX="{ref_x}" refY="5" '
            f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
            f"{_marker_shape(style)}</marker>"
        )
    out.append("</defs>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------
# Boxes


def _nodes(layout: _Layout, lang: str) -> str:
    boxes = sorted((n for n in layout.nodes.values() if n.org is not None), key=lambda n: (n.row, n.x))
    out = ['<g class="nodes">']
    out += [_node_svg(node, node.org, lang) for node in boxes if node.org is not None]
    out.append("</g>")
    return "\n".join(out)


def _node_svg(node: _Node, org: Organization, lang: str) -> str:
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
    y = y0 + _PAD_Y + (4 if org.combined else 0)
    for line in node.names:
        y += _NAME_LINE
        out.append(_text(node.x, y - 4, line, _NAME_PX, "name", weight="600"))
    for line in node.others:
        y += _OTHER_LINE
        out.append(_text(node.x, y - 3.5, line, _OTHER_PX, "name-other", fill="#444444"))
    if node.tag:
        out.append(_tag(node.x, y + 3, node.tag))
    if org.sidc:
        out.append(_symbol(org.sidc, x0 + _SYMBOL_GAP, node.y, node.height))
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


def _tag_height(lines: Sequence[str]) -> float:
    return _TAG_H + (len(lines) - 1) * (_TAG_PX + 2)


def _tag(cx: float, top: float, lines: Sequence[str]) -> str:
    """The roles an organization holds, as a white pill."""
    width = max(_text_width(t, _TAG_PX) * 1.06 for t in lines) + 10
    out = [
        f'<rect class="role-tag" x="{_f(cx - width / 2)}" y="{_f(top)}" width="{_f(width)}" '
        f'height="{_f(_tag_height(lines))}" rx="7" fill="#ffffff" stroke="#555555" stroke-width="0.8"/>'
    ]
    for i, line in enumerate(lines):
        out.append(
            _text(
                cx, top + _TAG_H - 4 + i * (_TAG_PX + 2), line, _TAG_PX, "role", weight="600", fill="#333333"
            )
        )
    return "".join(out)


def _symbol_scale(sidc: str, box_height: float) -> tuple[Symbol, float]:
    """The rendered symbol and its width once scaled to fit beside the names in a box this tall."""
    symbol = render_symbol(sidc, _SYMBOL_SIZE)
    scale = min(1.0, (box_height - 6) / symbol.height, _SYMBOL_MAX_W / symbol.width)
    return symbol, symbol.width * scale


def _symbol(sidc: str, x: float, cy: float, box_height: float) -> str:
    """The organization's APP-6 symbol, vertically centred in its box at the left edge."""
    symbol, width = _symbol_scale(sidc, box_height)
    scale = width / symbol.width
    return symbol.placed(x, cy - symbol.height * scale / 2, scale)


# ---------------------------------------------------------------------------------------------------
# Frame: title, bands, column headers, legend


def _title(arch: Architecture, lang: str, situation: str) -> tuple[list[tuple[str, float, str]], float]:
    """Title lines as (text, font size, weight) and their total height."""
    level, _ = interoperability_level(arch, situation)
    situation_ja = _SITUATION_JA.get(situation, situation)
    level_ja = _LEVEL_JA.get(level, level)
    if lang == "ja":
        status = f"事態: {situation_ja} ({situation}) ・ 相互運用性レベル: {level_ja} ({level})"
    else:
        status = f"Situation: {situation} ({situation_ja}) · Interoperability level: {level} ({level_ja})"
    heading = f"{arch.name(lang)} ({arch.id})"
    lines = [(t, 18.0, "700") for t in _wrap(heading, 18.0 * 1.08, A4_LANDSCAPE_PX - 2 * _MARGIN)]
    other = arch.name(_other_lang(lang))
    if other and other != arch.name(lang):
        lines.append((other, 12.0, ""))
    lines.append((status, 12.0, ""))
    return lines, sum(size * 1.45 for _, size, _ in lines)


def _title_width(lines: Sequence[tuple[str, float, str]]) -> float:
    return max(_text_width(text, size) * (1.08 if weight else 1.0) for text, size, weight in lines)


def _svg_title(lines: Sequence[tuple[str, float, str]]) -> str:
    out = ['<g class="title">']
    y = _MARGIN
    for text, size, weight in lines:
        y += size * 1.45
        bold = f' font-weight="{weight}"' if weight else ""
        out.append(
            f'<text x="{_f(_MARGIN)}" y="{_f(y - size * 0.35)}" font-size="{_f(size)}"{bold} '
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


def _bands(layout: _Layout, lang: str, width: float) -> str:
    """Alternating stripes behind each band of rows, labelled at the left margin."""
    out = ['<g class="bands">']
    for i, (band_index, first, last) in enumerate(_band_spans(layout.row_band)):
        band = _BANDS[band_index]
        top = layout.row_top[first] - _ROW_GAP / 2 + 2
        bottom = layout.row_bottom[last] + _ROW_GAP / 2 - 2
        fill = "#f4f5f7" if i % 2 == 0 else "#fbfbfc"
        out.append(
            f'<rect x="{_f(_MARGIN / 2)}" y="{_f(top)}" width="{_f(width - _MARGIN)}" '
            f'height="{_f(bottom - top)}" rx="6" fill="{fill}"/>'
        )
        primary, other = (band.name_ja, band.name_en) if lang == "ja" else (band.name_en, band.name_ja)
        out.append(_band_label(primary, _MARGIN + 10, (top + bottom) / 2, 12, "#555555", "700"))
        if _text_width(other, 11) < bottom - top - 8:
            out.append(_band_label(other, _MARGIN + 24, (top + bottom) / 2, 11, "#777777", ""))
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


def _headers(layout: _Layout, lang: str, y: float) -> str:
    """Headings over the host nation (left), the combined bodies (centre) and the U.S. (right)."""
    placed = {node.col: node.org.nation for node in layout.nodes.values() if node.org is not None}

    out = ['<g class="columns">']
    for col, x, anchor in ((0.0, layout.left, "start"), (2.0, layout.right, "end")):
        if col in placed:
            nation = placed[col]
            out.append(
                _header(_pair(lang, nation_label(nation, "en"), nation_label(nation, "ja")), x, y, anchor)
            )
    if 1.0 in placed:
        centre = (layout.left + layout.right) / 2
        out.append(_header(_pair(lang, "Combined / consultative", "共同・協議"), centre, y, "middle"))
    out.append("</g>")
    return "\n".join(out)


def _header(text: str, x: float, y: float, anchor: str) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="12" font-weight="700" fill="#444444" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _kind_pair(kind: str, lang: str) -> str:
    en = _SHORT_KIND_EN.get(kind, kind_label(kind, "en"))
    return _pair(lang, en, kind_label(kind, "ja"))


def _legend(
    arch: Architecture, layout: _Layout, lang: str, situation: str, prefix: str
) -> tuple[str, float, float]:
    """The legend group (drawn at the origin), its width and its height."""
    entries: list[tuple[str, str]] = []
    kinds = {e.rel.kind for e in layout.edges}
    for kind in (*RELATION_KINDS, *sorted(kinds - set(RELATION_KINDS))):
        if kind in kinds:
            entries.append((_line_sample(kind, prefix, faded=False), _kind_pair(kind, lang)))
    inactive = {e.rel.kind for e in layout.edges if not e.active}
    if inactive:
        label = _pair(
            lang,
            f"faded: inactive in {situation}",
            f"淡色: {_SITUATION_JA.get(situation, situation)}では無効",
        )
        sample = min(inactive, key=lambda k: RELATION_KINDS.index(k) if k in RELATION_KINDS else 99)
        entries.append((_line_sample(sample, prefix, faded=True), label))
    for nation in arch.nations:
        label = _pair(lang, nation_label(nation, "en"), nation_label(nation, "ja"))
        entries.append((_swatch(nation, combined=False), label))
    if any(o.combined for o in arch.organizations.values()):
        entries.append((_swatch(arch.nations[0], combined=True), _pair(lang, "combined HQ", "連合司令部")))
    entries += [(_side_sample(side.nations), _side_label(arch, side, lang)) for side in arch.sides]
    if any(o.sidc for o in arch.organizations.values()):
        entries.append((_symbol_sample(), _pair(lang, "APP-6 symbol (from the SIDC)", "APP-6記号（SIDCから描画）")))
    bilateral = next((o for o in arch.organizations.values() if o.bilateral), None)
    if bilateral is not None:
        sample = "".join(_bilateral_box(8, 1, 34, 18, bilateral.member_nations(), cls="swatch"))
        entries.append((sample, _pair(lang, "bilateral body", "二国間機関")))
    widths = _legend_columns([_text_width(label, 11) + 70 for _, label in entries])
    columns = len(widths)
    rows = -(-len(entries) // columns)
    width, height = sum(widths) + 16, 30 + 22 * rows + 4
    heading = _pair(lang, "Legend", "凡例")
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
        if sum(widths) + 16 <= A4_LANDSCAPE_PX - 2 * _MARGIN:
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
    text = _pair(lang, f"force side {side.name('en')}", f"勢力 {side.name('ja')}")
    return f"{text} ({nations})" + (f": {ties}" if ties else "")


def _side_sample(nations: Sequence[str]) -> str:
    fill = _NATION_FILL.get(nations[0], "#ececec") if nations else "#ececec"
    return (
        f'<rect x="8" y="2" width="34" height="16" rx="4" fill="{fill}" stroke="#333333" '
        'stroke-width="1" stroke-dasharray="3 2"/>'
    )


def _symbol_sample() -> str:
    """A friendly land unit, drawn by the same renderer as the boxes."""
    symbol = render_symbol("SFGPU----------", _SYMBOL_SIZE)
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
