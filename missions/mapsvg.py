"""A self-contained SVG map of a mission's visits and travel legs, drawn on the server.

No tiles and no CDN (venues and tests have no network): the bounding box of the points is
projected equirectangularly, with longitudes scaled by the cosine of the middle latitude so
distances look right at European latitudes. Land, coastlines and borders come from Natural
Earth's public-domain 1:50m outlines shipped in ``missions/data/outlines-50m.json`` (Europe and
North America; see OUTLINES-LICENSE.md there). Labels never overlap: each is placed at the
first free spot (right, left, above, below, then further down or up) and carries its box in
``data-box``. Only presentation attributes are used, no ``style`` (the Content-Security-Policy
forbids inline styles).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

OUTLINES = Path(__file__).resolve().parent / "data" / "outlines-50m.json"
LAND = "#f4f1e8"
SEA = "#dbe8f3"
BORDER = "#9aa5b1"
LABEL_SIZE = 14
LABEL_HEIGHT = 17
# A rough advance of the bold sans-serif label font, per character, in font-size units.
CHAR_WIDTH = 0.62


@functools.cache
def _outline_rings() -> list[tuple[tuple[float, float, float, float], list[float]]]:
    """Every ring of every country, with its bounding box (west, south, east, north)."""
    with OUTLINES.open() as handle:
        countries = json.load(handle)["countries"]
    rings = []
    for country in countries:
        for ring in country["rings"]:
            xs, ys = ring[0::2], ring[1::2]
            rings.append(((min(xs), min(ys), max(xs), max(ys)), ring))
    return rings


def _land_paths(west, south, east, north, to_xy) -> list[str]:
    """SVG path data of the rings that show in the box, points under half a pixel apart merged."""
    paths = []
    for (r_west, r_south, r_east, r_north), ring in _outline_rings():
        if r_east < west or r_west > east or r_north < south or r_south > north:
            continue
        commands = []
        last = None
        for index in range(0, len(ring), 2):
            x, y = to_xy(ring[index], ring[index + 1])
            if last and abs(x - last[0]) < 0.5 and abs(y - last[1]) < 0.5:
                continue
            commands.append(f"{x:.1f} {y:.1f}")
            last = (x, y)
        if len(commands) >= 3:
            paths.append("M" + "L".join(commands) + "Z")
    return paths


def _intersects(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _place_label(x, y, text_width, taken, width, height):
    """The first spot near the marker at (x, y) whose box meets no box in ``taken``.

    Tries right, left, above and below the marker, then the same spots a line further down and
    up, and so on: it always ends, because the boxes are finite. Returns (left, baseline, box).
    """
    h = LABEL_HEIGHT
    candidates = [
        (x + 11, y - h / 2),
        (x - 11 - text_width, y - h / 2),
        (x - text_width / 2, y - 10 - h),
        (x - text_width / 2, y + 10),
    ]
    for step in range(0, 400):
        shift = ((step + 1) // 2) * h * (1 if step % 2 else -1) if step else 0
        for left, top in candidates:
            left = min(max(left, 2), width - text_width - 2)
            box = (round(left, 1), round(top + shift, 1), round(text_width, 1), h)
            if box[1] < 0 or box[1] + h > height and step < 399:
                continue
            if not any(_intersects(box, other) for other in taken):
                return box[0], round(box[1] + h - 4, 1), box
    return box[0], round(box[1] + h - 4, 1), box


@dataclass(frozen=True)
class MapPoint:
    number: int
    latitude: float
    longitude: float
    label: str
    kind: str  # "visit" or "session"
    place: str = ""


@dataclass(frozen=True)
class MapLeg:
    start: MapPoint
    end: MapPoint
    label: str


def render_map(
    points: list[MapPoint],
    legs: list[MapLeg],
    *,
    title: str,
    width: int = 800,
    height: int = 520,
    margin: int = 60,
) -> str:
    """The SVG document, as text. An empty itinerary gives a map saying so."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="map-title">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{SEA}"/>',
    ]
    if not points:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="16" fill="#4a5360">–</text></svg>'
        )
        return "".join(parts)
    latitudes = [p.latitude for p in points]
    longitudes = [p.longitude for p in points]
    # Pad the box so a single point or a north–south line still has room around it.
    pad = 0.3
    south, north = min(latitudes) - pad, max(latitudes) + pad
    west, east = min(longitudes) - pad, max(longitudes) + pad
    stretch = math.cos(math.radians((south + north) / 2))
    span_x = (east - west) * stretch
    span_y = north - south
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(point: MapPoint) -> tuple[float, float]:
        x = offset_x + (point.longitude - west) * stretch * scale
        y = offset_y + (north - point.latitude) * scale
        return round(x, 1), round(y, 1)

    # Land and borders under everything else; the box covers the whole canvas, not only the
    # points' box.
    def to_xy(longitude: float, latitude: float) -> tuple[float, float]:
        return offset_x + (longitude - west) * stretch * scale, offset_y + (
            north - latitude
        ) * scale

    view_west = west - offset_x / (stretch * scale)
    view_east = west + (width - offset_x) / (stretch * scale)
    view_north = north + offset_y / scale
    view_south = north - (height - offset_y) / scale
    land = _land_paths(view_west, view_south, view_east, view_north, to_xy)
    if land:
        parts.append(
            f'<path class="land" d="{"".join(land)}" fill="{LAND}" stroke="{BORDER}" '
            f'stroke-width="0.8" stroke-linejoin="round" fill-rule="evenodd"/>'
        )
    # A graticule every degree gives a sense of scale.
    for degree in range(math.ceil(west), math.floor(east) + 1):
        x = round(offset_x + (degree - west) * stretch * scale, 1)
        parts.append(
            f'<line x1="{x}" y1="0" x2="{x}" y2="{height}" stroke="#d4dde8" stroke-width="1"/>'
            f'<text x="{x + 2}" y="{height - 4}" font-family="sans-serif" font-size="10" '
            f'fill="#4a5360">{degree}°</text>'
        )
    for degree in range(math.ceil(south), math.floor(north) + 1):
        y = round(offset_y + (north - degree) * scale, 1)
        parts.append(
            f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#d4dde8" stroke-width="1"/>'
            f'<text x="2" y="{y - 2}" font-family="sans-serif" font-size="10" '
            f'fill="#4a5360">{degree}°</text>'
        )
    for leg in legs:
        (x1, y1), (x2, y2) = project(leg.start), project(leg.end)
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#b3261e" stroke-width="2" '
            f'stroke-dasharray="6 4" class="leg"><title>{escape(leg.label)}</title></line>'
        )
    # Points closer than a marker's width share one marker, labelled with their numbers and
    # place (``1–5 Copenhagen``); the full titles are in the marker's tooltip and in the
    # numbered list printed beside the map.
    groups: list[tuple[float, float, list[MapPoint]]] = []
    for point in points:
        x, y = project(point)
        for gx, gy, members in groups:
            if abs(gx - x) < 14 and abs(gy - y) < 14:
                members.append(point)
                break
        else:
            groups.append((x, y, [point]))
    # Markers first, so that no label covers one; then each label at its first free spot.
    taken: list[tuple[float, float, float, float]] = [(x - 8, y - 8, 16, 16) for x, y, _ in groups]
    for x, y, members in groups:
        fill = "#0b4f8a" if any(m.kind == "visit" for m in members) else "#1e6b35"
        numbers = [m.number for m in members]
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            label = f"{numbers[0]}–{numbers[-1]}"
        else:
            label = ", ".join(str(n) for n in numbers)
        place = members[0].place
        text = f"{label} {place}" if place else label
        left, baseline, box = _place_label(
            x, y, len(text) * LABEL_SIZE * CHAR_WIDTH, taken, width, height
        )
        taken.append(box)
        tooltip = "; ".join(f"{m.number}. {m.label}" for m in members)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="7" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="2" class="point"><title>{escape(tooltip)}</title></circle>'
            f'<text x="{left}" y="{baseline}" font-family="sans-serif" font-size="{LABEL_SIZE}" '
            f'font-weight="bold" fill="#1b1f24" stroke="#ffffff" stroke-width="3" '
            f'paint-order="stroke" class="label" data-box="{" ".join(str(v) for v in box)}" '
            f"data-numbers={quoteattr(label)}>{escape(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def points_and_legs(items) -> tuple[list[MapPoint], list[MapLeg]]:
    """Numbered points for the located visits and sessions of already-fetched items (in time
    order), and each travel leg from where the delegation was to where it went next."""
    located: list = []
    points: list[MapPoint] = []
    for item in items:
        if item.kind == "visit" and item.visit_status == "cancelled":
            continue
        if item.kind == "travel":
            located.append(item)
            continue
        if item.latitude is None:
            continue
        point = MapPoint(
            len(points) + 1,
            float(item.latitude),
            float(item.longitude),
            item.title,
            item.kind,
            item.city,
        )
        points.append(point)
        located.append(point)
    legs = []
    for index, entry in enumerate(located):
        if isinstance(entry, MapPoint):
            continue
        before = next((p for p in reversed(located[:index]) if isinstance(p, MapPoint)), None)
        after = next((p for p in located[index + 1 :] if isinstance(p, MapPoint)), None)
        if (
            before
            and after
            and (before.latitude, before.longitude)
            != (
                after.latitude,
                after.longitude,
            )
        ):
            legs.append(MapLeg(before, after, entry.title))
    return points, legs


def map_for_items(items, *, title: str) -> str:
    """The map of already-fetched itinerary items, in time order."""
    points, legs = points_and_legs(items)
    return render_map(points, legs, title=title)
