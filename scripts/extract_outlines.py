"""Extract the country outlines the mission maps need from Natural Earth (world-atlas).

One-off, re-runnable: `npm pack world-atlas@2.0.2`, unpack it, then
`python scripts/extract_outlines.py package/countries-50m.json missions/data/outlines-50m.json`.
Keeps the countries that touch Europe and North America (longitude -170..50, latitude 10..84),
decodes the TopoJSON arcs into plain rings of (longitude, latitude) rounded to 0.01°, and
writes compact JSON: {"source": …, "countries": [{"name": …, "rings": [[lon, lat, lon, lat…]]}]}.
Nothing is fetched at render time; missions/mapsvg.py reads the file once.
"""

from __future__ import annotations

import json
import sys

WEST, EAST, SOUTH, NORTH = -170.0, 50.0, 10.0, 84.0


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def main(source: str, target: str) -> None:
    with open(source) as handle:
        topology = json.load(handle)
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = []
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(ring, arcs)
                if not any(WEST <= x <= EAST and SOUTH <= y <= NORTH for x, y in points):
                    continue
                flat = []
                last = None
                for x, y in points:
                    rounded = (round(x, 2), round(y, 2))
                    if rounded != last:
                        flat.extend(rounded)
                        last = rounded
                if len(flat) >= 8:
                    rings.append(flat)
        if rings:
            countries.append(
                {"name": geometry.get("properties", {}).get("name", ""), "rings": rings}
            )
    payload = {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), world-atlas 2.0.2",
        "countries": countries,
    }
    with open(target, "w") as handle:
        json.dump(payload, handle, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
