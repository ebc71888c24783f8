"""Trim Natural Earth's 1:50m land polygons to the exercise map's region (run by hand; its output is vendored).

Input: `land-50m.json` of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 as TopoJSON; `npm pack
world-atlas@2.0.2`). Output: `src/alliance_c2/exercise/web/map_data/land-east-asia-50m.json`, the land
polygons clipped to the region (Sutherland-Hodgman against its rectangle), lon/lat rounded to 0.01 degree.

    python tools/trim_coastlines.py path/to/land-50m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# West, south, east, north (degrees): Japan, the Korean peninsula, Taiwan, the East China Sea.
REGION = (118.0, 20.0, 148.0, 46.0)
OUT = Path(__file__).resolve().parents[1] / "src/alliance_c2/exercise/web/map_data/land-east-asia-50m.json"


def arcs_of(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (delta-decoded and de-quantized)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def clip(points: list[tuple[float, float]], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the polygon cut to the rectangle."""
    west, south, east, north = box
    edges = ((lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
             (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
             (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
             (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)))
    for inside, cross in edges:
        if not points:
            return []
        out = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        points = out
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = arcs_of(topology)
    polygons = []
    for geometry in topology["objects"]["land"]["geometries"]:
        shapes = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for shape in shapes:
            outer = clip(ring(arcs, shape[0]), REGION)
            rounded: list[list[float]] = []
            for lon, lat in outer:
                point = [round(lon, 2), round(lat, 2)]
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(rounded) >= 3:
                polygons.append(rounded)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({
        "source": "Natural Earth 1:50m land polygons, version 4.1.0 (public domain), via world-atlas 2.0.2 "
                  "(ISC); clipped to the region by tools/trim_coastlines.py",
        "region": list(REGION), "polygons": polygons}, separators=(",", ":")) + "\n")
    print(f"{len(polygons)} polygons, {sum(len(p) for p in polygons)} points -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
