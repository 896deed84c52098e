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
    labels: list[tuple[float, float]] = []
    for x, y, members in groups:
        # A label that would overprint an earlier one moves down a line.
        label_y = y + 5
        while any(abs(lx - x) < 120 and abs(ly - label_y) < 15 for lx, ly in labels):
            label_y += 16
        labels.append((x, label_y))
        fill = "#0b4f8a" if any(m.kind == "visit" for m in members) else "#1e6b35"
        numbers = [m.number for m in members]
        if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            label = f"{numbers[0]}–{numbers[-1]}"
        else:
            label = ", ".join(str(n) for n in numbers)
        place = members[0].place
        tooltip = "; ".join(f"{m.number}. {m.label}" for m in members)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="7" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="2" class="point"><title>{escape(tooltip)}</title></circle>'
            f'<text x="{x + 11}" y="{label_y}" font-family="sans-serif" font-size="14" '
            f'font-weight="bold" fill="#1b1f24" data-numbers={quoteattr(label)}>'
            f"{escape(label)}{(' ' + escape(place)) if place else ''}</text>"
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
        if before and after and (before.latitude, before.longitude) != (
            after.latitude,
            after.longitude,
        ):
            legs.append(MapLeg(before, after, entry.title))
    return points, legs


def map_for_items(items, *, title: str) -> str:
    """The map of already-fetched itinerary items, in time order."""
    points, legs = points_and_legs(items)
    return render_map(points, legs, title=title)
