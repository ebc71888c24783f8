"""The common operational picture: a seat's units on a map of the region, drawn as SVG on the server.

Coastlines are Natural Earth's 1:50m land (public domain), vendored and clipped to the region
(`map_data/`): no tile server, nothing fetched. Units carry their APP-6 symbols (milsymbol, as the
diagram draws them). A unit stands where the last C2SIM position report its seat may see puts it, else
where the session's shared initialization locates it, else at its home (the arrangement's `home:`).
What a seat sees: the military organizations of its own nation, and any organization a position report
released and addressed to it places; control sees every organization that has a position. Organizations
outside the region (Washington, Hawaii) are listed under the map. The Kanto area, where most
headquarters sit, is drawn again in an inset.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from lxml import etree

from ...interop import organization_for
from ...interop.c2sim_server import locations, reported_positions
from ...interop.xmlsafe import parse_xml
from ...model import Architecture, CatalogError
from ...report.symbols import render_symbol
from ..service import c2sim_sessions, messages
from ..service.exercises import Seated

LAND = Path(__file__).parent / "map_data" / "land-east-asia-50m.json"
WIDTH = 640
INSET = (139.0, 35.1, 140.1, 36.0)  # west, south, east, north: Kanto
INSET_BOX = (392, 430, 236)  # x, y, width on the map (the Pacific south of Japan); height follows
SYMBOL_SIZE = 16
MAX_REPORTS = 500


@dataclass(frozen=True, slots=True)
class Placed:
    """An organization on the map: where, and by what (`home`, `initialization`, `report`)."""

    organization: str
    lat: float
    lon: float
    by: str
    place: str


@lru_cache(maxsize=1)
def _land() -> tuple[tuple[float, float, float, float], list[list[tuple[float, float]]]]:
    data = json.loads(LAND.read_text(encoding="utf-8"))
    region = tuple(data["region"])
    return (region[0], region[1], region[2], region[3]), [[(p[0], p[1]) for p in poly] for poly in data["polygons"]]


class _Projection:
    """Equirectangular, scaled at the box's middle latitude so that distances look right there."""

    def __init__(self, box: tuple[float, float, float, float], x: float, y: float, width: float) -> None:
        west, south, east, north = box
        self.box, self.x0, self.y0 = box, x, y
        self.k = width / ((east - west) * math.cos(math.radians((south + north) / 2)))
        self.cos = math.cos(math.radians((south + north) / 2))
        self.width, self.height = width, (north - south) * self.k

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        west, _, _, north = self.box
        return self.x0 + (lon - west) * self.k * self.cos, self.y0 + (north - lat) * self.k

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.box
        return west <= lon <= east and south <= lat <= north


def positions(session: Any, who: Seated) -> list[Placed]:
    """Every organization the seat may see on the map, with its position and where it comes from."""
    arch = who.arch
    placed: dict[str, Placed] = {}
    for org in arch.organizations.values():
        if org.home is not None:
            placed[org.id] = Placed(org.id, org.home.lat, org.home.lon, "home", org.home.name_en)
    if who.exercise.c2sim_state in c2sim_sessions.EXECUTING:
        shared = c2sim_sessions.initialization(session, who.exercise)
        if shared:
            for org_id, (lat, lon) in _initial_locations(arch, shared).items():
                placed[org_id] = Placed(org_id, lat, lon, "initialization", "")
    reported: dict[str, Placed] = {}
    for message in reversed(messages.visible(session, who, "report", 0, MAX_REPORTS, newest_first=True)):
        if not c2sim_sessions.is_c2sim_text(message.body):
            continue
        for org_id, lat, lon in _reported(arch, message.body):
            reported[org_id] = Placed(org_id, lat, lon, "report", "")
    if who.is_control:
        seen = set(placed) | set(reported)
    else:
        seen = {o.id for o in arch.organizations.values() if o.is_military and o.belongs_to(who.seat.nation)}
        seen |= set(reported)
    return [reported.get(o, placed.get(o)) for o in sorted(seen) if o in reported or o in placed]  # type: ignore[misc]


def _initial_locations(arch: Architecture, document: str) -> dict[str, tuple[float, float]]:
    try:
        tree = parse_xml(document.encode(), "initialization.xml")
    except CatalogError:
        return {}
    ns = etree.QName(tree.getroot()).namespace or ""
    found = {}
    for uuid, where in locations(tree.getroot(), ns).items():
        org = organization_for(arch, uuid)
        if org is not None:
            found[org] = where
    return found


def _reported(arch: Architecture, body: str) -> list[tuple[str, float, float]]:
    try:
        tree = parse_xml(body.encode(), "report.xml")
    except CatalogError:
        return []
    ns = etree.QName(tree.getroot()).namespace or ""
    out = []
    for uuid, lat, lon in reported_positions(tree.getroot(), ns):
        org = organization_for(arch, uuid)
        if org is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            out.append((org, lat, lon))
    return out


def render(who: Seated, placed: list[Placed], lang: str, names: dict[str, str]) -> str:
    """The map as one SVG document (no script, no external reference)."""
    region, land = _land()
    main = _Projection(region, 0, 0, WIDTH)
    x, y, w = INSET_BOX
    inset = _Projection(INSET, x, y, w)
    height = main.height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="cop-map" viewBox="0 0 {WIDTH} {height:.0f}" '
             f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(_title(lang))}">',
             f'<defs><clipPath id="cop-inset-clip"><rect x="{x}" y="{y}" width="{w}" height="{inset.height:.0f}"/>'
             "</clipPath></defs>",
             f'<rect class="sea" x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#dbe8f2"/>',
             _land_path(land, main), _box(main, INSET)]
    outside = []
    in_main = []
    in_inset = []
    for p in placed:
        if inset.contains(p.lon, p.lat):
            in_inset.append(p)
        elif main.contains(p.lon, p.lat):
            in_main.append(p)
        else:
            outside.append(p)
    parts += _units(who.arch, in_main, main, names)
    parts.append(f'<g class="inset"><rect x="{x}" y="{y}" width="{w}" height="{inset.height:.0f}" fill="#dbe8f2" '
                 'stroke="#333" stroke-width="1"/>')
    parts.append(f'<g clip-path="url(#cop-inset-clip)">{_land_path(land, inset)}</g>')
    parts += _units(who.arch, in_inset, inset, names)
    parts.append(f'<text x="{x + 4}" y="{y + 12}" font-size="10">{escape(_kanto(lang))}</text></g>')
    if outside:
        listed = "; ".join(f"{names.get(p.organization, p.organization)} ({_place(who.arch, p)})" for p in outside)
        parts.append(f'<text class="outside" x="6" y="{height - 8:.0f}" font-size="10">{escape(_outside(lang))}: '
                     f"{escape(listed[:400])}</text>")
        parts += [f'<g class="unit outside" data-org="{p.organization}" data-lat="{p.lat:g}" data-lon="{p.lon:g}" '
                  f'data-by="{p.by}"/>' for p in outside]
    parts.append("</svg>")
    return "".join(parts)


def _place(arch: Architecture, p: Placed) -> str:
    org = arch.organizations[p.organization]
    return org.home.name_en if p.by == "home" and org.home is not None else f"{p.lat:.2f}, {p.lon:.2f}"


def _land_path(land: list[list[tuple[float, float]]], proj: _Projection) -> str:
    d = []
    for poly in land:
        points = [proj(lon, lat) for lon, lat in poly]
        d.append("M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in points) + "Z")
    return f'<path class="land" d="{"".join(d)}" fill="#f3efe4" stroke="#7a8a99" stroke-width="0.6"/>'


def _box(proj: _Projection, box: tuple[float, float, float, float]) -> str:
    x0, y0 = proj(box[0], box[3])
    x1, y1 = proj(box[2], box[1])
    return (f'<rect class="inset-area" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
            'fill="none" stroke="#333" stroke-dasharray="3,2"/>')


def _units(arch: Architecture, placed: list[Placed], proj: _Projection, names: dict[str, str]) -> list[str]:
    """Symbols at their points; units that would cover each other are fanned out around the point."""
    clusters: dict[tuple[int, int], list[Placed]] = {}
    for p in placed:
        px, py = proj(p.lon, p.lat)
        clusters.setdefault((round(px / 14), round(py / 14)), []).append(p)
    out = []
    for group in clusters.values():
        radius = 0 if len(group) == 1 else 14 + 3 * len(group)
        for i, p in enumerate(group):
            angle = 2 * math.pi * i / len(group) - math.pi / 2
            px, py = proj(p.lon, p.lat)
            sx, sy = px + radius * math.cos(angle), py + radius * math.sin(angle)
            out.append(_unit(arch, p, px, py, sx, sy, names))
    return out


def _unit(arch: Architecture, p: Placed, px: float, py: float, sx: float, sy: float, names: dict[str, str]) -> str:
    org = arch.organizations[p.organization]
    name = names.get(org.id, org.name_en)
    head = (f'<g class="unit by-{p.by}" data-org="{org.id}" data-nation="{org.nation}" data-lat="{p.lat:g}" '
            f'data-lon="{p.lon:g}" data-by="{p.by}"><title>{escape(name)}</title>')
    leader = (f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{sx:.1f}" y2="{sy:.1f}" stroke="#555" stroke-width="0.5"/>'
              if (px, py) != (sx, sy) else "")
    dot = f'<circle cx="{px:.1f}" cy="{py:.1f}" r="1.6" fill="#222"/>'
    if org.sidc:
        symbol = render_symbol(org.sidc, SYMBOL_SIZE)
        mark = symbol.placed(sx - symbol.anchor_x, sy - symbol.anchor_y)
    else:
        mark = f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="5" fill="#fff" stroke="#000"/>'
    label = f'<text x="{sx + 11:.1f}" y="{sy + 3:.1f}" font-size="8">{escape(_short(name))}</text>'
    return head + leader + dot + mark + label + "</g>"


def _short(name: str) -> str:
    first = name.split(",")[0].split("（")[0]
    return first if len(first) <= 26 else first[:25] + "…"


def _title(lang: str) -> str:
    return "作戦状況図（共通作戦図）" if lang == "ja" else "Common operational picture"


def _kanto(lang: str) -> str:
    return "関東（拡大）" if lang == "ja" else "Kanto (enlarged)"


def _outside(lang: str) -> str:
    return "地図の範囲外" if lang == "ja" else "Outside the map"
