"""A self-contained SVG map of a mission's visits and travel legs, drawn on the server.

No tiles and no CDN (venues and tests have no network): the bounding box of the points is
projected equirectangularly, with longitudes scaled by the cosine of the middle latitude so
distances look right at European latitudes. Only presentation attributes are used, no
``style`` (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class MapPoint:
    number: int
    latitude: float
    longitude: float
    label: str
    kind: str  # "visit" or "session"


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
        f"<title id=\"map-title\">{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef3f8"/>',
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

    # A graticule every degree gives a sense of scale without any base map data.
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
    placed: dict[tuple[float, float], int] = {}
    for point in points:
        x, y = project(point)
        # Items at the same place stack their labels instead of overprinting them.
        stacked = placed.get((x, y), 0)
        placed[(x, y)] = stacked + 1
        fill = "#0b4f8a" if point.kind == "visit" else "#1e6b35"
        if stacked == 0:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="6" fill="{fill}" stroke="#ffffff" '
                f'stroke-width="2" class="point"><title>{escape(point.label)}</title></circle>'
            )
        parts.append(
            f'<text x="{x + 9}" y="{y + 4 + 13 * stacked}" font-family="sans-serif" '
            f'font-size="12" fill="#1b1f24" data-number={quoteattr(str(point.number))}>'
            f"{point.number}. {escape(point.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def map_for_items(items, *, title: str) -> str:
    """The map of already-fetched itinerary items (in time order): numbered visits and
    sessions, and each travel leg drawn from where the delegation was to where it went next."""
    located = []
    points: list[MapPoint] = []
    number = 0
    for item in items:
        if item.kind == "visit" and item.visit_status == "cancelled":
            continue
        if item.kind == "travel":
            located.append(item)
            continue
        if item.latitude is None:
            continue
        number += 1
        point = MapPoint(number, float(item.latitude), float(item.longitude), item.title, item.kind)
        points.append(point)
        located.append(point)
    legs = []
    for index, entry in enumerate(located):
        if isinstance(entry, MapPoint):
            continue
        before = next((p for p in reversed(located[:index]) if isinstance(p, MapPoint)), None)
        after = next((p for p in located[index + 1 :] if isinstance(p, MapPoint)), None)
        if before and after and (before.latitude, before.longitude) != (
            after.latitude,
            after.longitude,
        ):
            legs.append(MapLeg(before, after, entry.title))
    return render_map(points, legs, title=title)
