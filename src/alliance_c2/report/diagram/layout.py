"""Where everything goes: organizations in rows by band (political level to liaison cells) and in columns by
nation (host nation left, combined and consultative bodies centre, the United States right), long edges
routed through the rows they cross, coordinates and the ports edges leave and enter by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ...model import Architecture, Organization, Relation
from ...model.vocabulary import COMMAND_KINDS, relation_kind_ids
from ..symbols import Symbol, render_symbol
from .text import box_name, other_lang, role_tag, text_width, wrap

A4_LANDSCAPE_PX = 1123  # 297 mm at 96 px per inch: the width the font sizes are chosen for
NAME_PX = 13.0
OTHER_PX = 11.0
TAG_PX = 11.0
NAME_LINE = 16.0
OTHER_LINE = 14.0
TAG_H = 16.0
_PAD_X = 8.0
PAD_Y = 6.0
_MIN_BOX = 92.0
# APP-6 symbols (milsymbol): rendered at this size, then scaled to fit the box beside the names.
SYMBOL_SIZE = 19.0
_SYMBOL_MAX_W = 40.0
SYMBOL_GAP = 5.0
MARGIN = 16.0
_BAND_LABEL_W = 30.0
ROW_GAP = 46.0
_NODE_GAP = 14.0
_COLUMN_GAP = 26.0
_DUMMY_W = 3.0
_DUMMY_GAP = 5.0
# Boxes per row are limited so that the page stays within A4 width at these font sizes.
_ROW_BUDGET = (A4_LANDSCAPE_PX - 2 * 16.0 - 30.0) * 0.9
_ANCHOR_PULL = 0.3


@dataclass(frozen=True, slots=True)
class _Band:
    kinds: frozenset[str]
    name_en: str
    name_ja: str


BANDS = (
    _Band(frozenset({"political-authority", "ministry"}), "Political level", "政治レベル"),
    _Band(frozenset({"consultative-body"}), "Consultation", "協議・調整機関"),
    _Band(frozenset({"headquarters"}), "Headquarters", "司令部"),
    _Band(frozenset({"component-command"}), "Components", "構成部隊"),
    _Band(frozenset({"unit"}), "Units", "部隊"),
    _Band(frozenset({"liaison-cell"}), "Liaison", "連絡"),
)
_UNIT_BAND = 4


@dataclass(slots=True)
class Node:
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
class Edge:
    rel: Relation
    index: int
    chain: list[str]
    active: bool
    ports: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Layout:
    nodes: dict[str, Node]
    rows: list[list[str]]
    row_band: list[int]
    edges: list[Edge]
    row_top: list[float] = field(default_factory=list)
    row_bottom: list[float] = field(default_factory=list)
    left: float = 0.0
    right: float = 0.0


def layout_of(arch: Architecture, lang: str, situation: str) -> Layout:
    columns = _columns(arch)
    boxes = {
        oid: Node(oid, 0, columns[oid], i, org=org)
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
    layout = Layout(nodes, rows, row_band, edges)
    _assign_x(layout, up, down)
    return layout


def _band_of(org: Organization) -> int:
    return next((i for i, band in enumerate(BANDS) if org.kind in band.kinds), _UNIT_BAND)


def _deepens(arch: Architecture, rel: Relation) -> bool:
    """Whether `rel` puts its subordinate a row lower: national command-type relations do."""
    if rel.kind not in COMMAND_KINDS:
        return False
    orgs = arch.organizations
    return rel.kind not in ("opcon", "tacon") or orgs[rel.from_id].nation == orgs[rel.to_id].nation


def _rows(arch: Architecture, boxes: dict[str, Node]) -> tuple[dict[str, int], list[int]]:
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


def _row_width(row: Sequence[Node]) -> float:
    return sum(n.width for n in row) + sum(
        _separation(a, b) - (a.width + b.width) / 2 for a, b in pairwise(row)
    )


def _overflow(row: Sequence[Node], parents: set[str]) -> list[str]:
    """Boxes without children in their band that go one row down so the row fits an A4 page.

    Every other box of a column goes first, widest column first, so the two rows interleave.
    """
    excess = _row_width(sorted(row, key=lambda n: (n.col, n.seq))) - _ROW_BUDGET
    if excess <= 0:
        return []
    column_width: dict[float, float] = {}
    for node in row:
        column_width[node.col] = column_width.get(node.col, 0.0) + node.width
    leaves: dict[float, list[Node]] = {}
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
    arch: Architecture, boxes: dict[str, Node], rows: dict[str, int], situation: str
) -> tuple[dict[str, Node], list[Edge]]:
    """Organization nodes plus one routing point per row that a longer edge crosses."""
    nodes = dict(boxes)
    for oid, node in nodes.items():
        node.row = rows[oid]
    cols = {oid: node.col for oid, node in nodes.items()}
    edges: list[Edge] = []
    for i, rel in enumerate(arch.relations):
        a, b = rel.from_id, rel.to_id
        span = abs(rows[b] - rows[a])
        step = 1 if rows[b] > rows[a] else -1
        chain = [a]
        for k in range(1, span):
            key = f"~{i}.{k}"
            col = cols[a] + (cols[b] - cols[a]) * k / span
            nodes[key] = Node(key, rows[a] + step * k, col, len(nodes))
            chain.append(key)
        chain.append(b)
        edges.append(Edge(rel, i, chain, rel.active(situation)))
    return nodes, edges


def _neighbours(
    edges: Sequence[Edge], nodes: dict[str, Node]
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
    rows: list[list[str]], nodes: dict[str, Node], up: dict[str, list[str]], down: dict[str, list[str]]
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


def _measure(node: Node, org: Organization, lang: str) -> None:
    """Wrap the names and size the box to its text."""
    node.names = wrap(box_name(org, lang) or org.id, NAME_PX)
    other = box_name(org, other_lang(lang))
    node.others = wrap(other, OTHER_PX) if other else ()
    tag = " · ".join(role_tag(r, lang) for r in org.roles)
    node.tag = wrap(tag, TAG_PX) if tag else ()
    text_w = max(
        [text_width(t, NAME_PX) * 1.06 for t in node.names]
        + [text_width(t, OTHER_PX) for t in node.others]
        + [text_width(t, TAG_PX) * 1.06 + 14 for t in node.tag]
    )
    node.height = 2 * PAD_Y + len(node.names) * NAME_LINE + len(node.others) * OTHER_LINE
    node.height += tag_height(node.tag) + 4 if node.tag else 0.0
    # The symbol sits left of the names; the same room on the right keeps the names centred.
    room = 2 * (symbol_scale(org.sidc, node.height)[1] + SYMBOL_GAP) if org.sidc else 0.0
    node.width = max(_MIN_BOX, text_w + 2 * _PAD_X + room)


def _separation(a: Node, b: Node) -> float:
    if a.org is None or b.org is None:
        gap = _DUMMY_GAP
    else:
        gap = _NODE_GAP if int(a.col) == int(b.col) else _COLUMN_GAP
    return (a.width + b.width) / 2 + gap


def _place_row(
    keys: Sequence[str], desired: Sequence[float], nodes: dict[str, Node], width: float
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


def _column_anchors(layout: Layout, width: float) -> Callable[[float], float]:
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


def _sweep_x(layout: Layout, up: dict[str, list[str]], down: dict[str, list[str]], width: float) -> None:
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


def _assign_x(layout: Layout, up: dict[str, list[str]], down: dict[str, list[str]]) -> None:
    """Horizontal centres: as straight as the edges allow, within an A4-wide page where rows fit."""
    nodes = layout.nodes
    width = max([_ROW_BUDGET / 0.9] + [_row_width([nodes[k] for k in row]) for row in layout.rows])
    _sweep_x(layout, up, down, width)
    real = [n for n in nodes.values() if n.org is not None] or list(nodes.values())
    shift = MARGIN + _BAND_LABEL_W - min((n.x - n.width / 2 for n in real), default=0.0)
    for node in nodes.values():
        node.x += shift
    layout.left = MARGIN + _BAND_LABEL_W
    layout.right = max((n.x + n.width / 2 for n in nodes.values()), default=layout.left)


def assign_y(layout: Layout, top: float) -> None:
    y = top + ROW_GAP / 2
    for row in layout.rows:
        height = max((layout.nodes[k].height for k in row), default=0.0) or 20.0
        layout.row_top.append(y)
        layout.row_bottom.append(y + height)
        for key in row:
            layout.nodes[key].y = y + height / 2
        y += height + ROW_GAP


def _side(nodes: dict[str, Node], at: str, towards: str) -> str:
    return "top" if nodes[towards].row < nodes[at].row else "bottom"


def assign_ports(layout: Layout) -> None:
    """Spread the edges meeting one side of a box along it, ordered by where they come from."""
    nodes = layout.nodes
    kinds = relation_kind_ids()
    sides: dict[tuple[str, str], list[tuple[float, int, int, str]]] = {}
    for edge in layout.edges:
        for end, at, nxt in (("s", edge.chain[0], edge.chain[1]), ("t", edge.chain[-1], edge.chain[-2])):
            other = nodes[nxt].x
            rank = kinds.index(edge.rel.kind) if edge.rel.kind in kinds else 99
            sides.setdefault((at, _side(nodes, at, nxt)), []).append((other, rank, edge.index, end))
    by_index = {e.index: e for e in layout.edges}
    for (at, _), entries in sorted(sides.items()):
        node = nodes[at]
        span = min(node.width * 0.7, 14.0 * (len(entries) - 1))
        for i, (_, _, index, end) in enumerate(sorted(entries)):
            offset = 0.0 if len(entries) == 1 else -span / 2 + span * i / (len(entries) - 1)
            by_index[index].ports[end] = node.x + offset


def tag_height(lines: Sequence[str]) -> float:
    """The height of a role tag of these lines."""
    return TAG_H + (len(lines) - 1) * (TAG_PX + 2)


def symbol_scale(sidc: str, box_height: float) -> tuple[Symbol, float]:
    """The rendered symbol and its width once scaled to fit beside the names in a box this tall."""
    symbol = render_symbol(sidc, SYMBOL_SIZE)
    scale = min(1.0, (box_height - 6) / symbol.height, _SYMBOL_MAX_W / symbol.width)
    return symbol, symbol.width * scale
