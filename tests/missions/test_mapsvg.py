"""The mission map: land outlines shipped with the project, and labels that never overlap."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import reverse

from missions import demo
from missions.mapsvg import MapPoint, points_and_legs, render_map
from organizations import demo as organizations_demo


def label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    return [tuple(float(v) for v in box.split()) for box in re.findall(r'data-box="([^"]+)"', svg)]


def overlapping(boxes):
    return [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
    ]


@pytest.mark.django_db
def test_map_of_the_2018_mission_has_land_and_no_overlapping_labels(client):
    organizations_demo.seed()
    mission = demo.seed()

    response = client.get(reverse("missions:map", kwargs={"slug": mission.slug}))

    svg = response.content.decode()
    assert response.status_code == 200
    land = re.search(r'<path class="land" d="([^"]+)"', svg)
    assert land, "the map draws land outlines"
    # Denmark, Sweden, the Netherlands, Belgium, Germany…: many rings, many points.
    assert land.group(1).count("M") > 5 and land.group(1).count("L") > 300
    boxes = label_boxes(svg)
    assert len(boxes) == svg.count('class="point"') >= 4
    assert overlapping(boxes) == []
    assert all(x >= 0 and x + w <= 800 and y >= 0 and y + h <= 520 for x, y, w, h in boxes)
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_map_ten_visits_in_one_city_labels_never_overlap():
    # Ten hosts scattered over Copenhagen, a few hundred metres apart.
    points = [
        MapPoint(
            n + 1,
            55.66 + (n % 4) * 0.012,
            12.52 + (n // 4) * 0.02,
            f"Visit {n + 1}",
            "visit",
            "Copenhagen",
        )
        for n in range(10)
    ]

    svg = render_map(points, [], title="Ten visits in Copenhagen")

    boxes = label_boxes(svg)
    assert len(boxes) == svg.count('class="point"') > 1
    assert overlapping(boxes) == []
    assert '<path class="land"' in svg
    # Every visit is still numbered on the map.
    numbers = ",".join(re.findall(r'data-numbers="([^"]+)"', svg))
    for n in range(1, 11):
        assert str(n) in numbers


def test_map_in_north_america_draws_land_too():
    points = [
        MapPoint(1, 42.36, -71.06, "Boston", "visit", "Boston"),
        MapPoint(2, 40.71, -74.0, "New York", "visit", "New York"),
    ]

    svg = render_map(points, [], title="US East coast")

    assert '<path class="land"' in svg


def test_map_without_points_has_no_land_and_says_so():
    svg = render_map([], [], title="Nothing yet")

    assert '<path class="land"' not in svg and "–" in svg


def test_map_points_and_legs_still_number_in_time_order():
    assert points_and_legs([]) == ([], [])
