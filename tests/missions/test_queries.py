"""The mission page and the itinerary cost the same number of queries however long."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions import services

from ..factories import make_organization
from .factories import make_day, make_mission, make_travel, make_visit

DATES = ["2018-11-06", "2018-11-07", "2018-11-08"]
SLOTS = [("09:00", "10:00"), ("11:00", "12:00"), ("14:00", "15:00")]


def build(organiser, *, days: int, visits_per_day: int):
    mission = make_mission(organiser, title=f"Mission {days}x{visits_per_day}")
    for date in DATES[:days]:
        day = make_day(organiser, mission, date)
        for start, end in SLOTS[:visits_per_day]:
            hosts = [make_organization(), make_organization()]
            make_visit(organiser, day, hosts, start, end)
        make_travel(organiser, day, "Copenhagen", "Copenhagen", "18:00", "18:30")
    services.mission_publish(mission=mission, by=organiser, override_reason="test data")
    return mission


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["detail", "itinerary", "print", "map", "public_feed"])
def test_page_query_count_independent_of_size(client, organiser, django_assert_num_queries, page):
    small = build(organiser, days=1, visits_per_day=1)
    large = build(organiser, days=3, visits_per_day=3)
    expected = count(client, reverse(f"missions:{page}", kwargs={"slug": small.slug}))
    with django_assert_num_queries(expected):
        client.get(reverse(f"missions:{page}", kwargs={"slug": large.slug}))


def test_itinerary_query_count_for_signed_in_delegate(
    client, organiser, us_org, django_assert_num_queries
):
    from ..factories import make_user

    small = build(organiser, days=1, visits_per_day=1)
    large = build(organiser, days=3, visits_per_day=3)
    person = make_user("traveller@test.example.org", home_time_zone="America/New_York")
    for mission in (small, large):
        services.delegation_member_add(
            mission=mission, by=organiser, user=person, organization=us_org
        )
    client.force_login(person)
    expected = count(client, reverse("missions:itinerary", kwargs={"slug": small.slug}))
    with django_assert_num_queries(expected):
        client.get(reverse("missions:itinerary", kwargs={"slug": large.slug}))


def test_plan_page_query_count_independent_of_size(client, organiser, django_assert_num_queries):
    small = build(organiser, days=1, visits_per_day=1)
    large = build(organiser, days=3, visits_per_day=3)
    client.force_login(organiser)
    expected = count(client, reverse("missions:plan", kwargs={"slug": small.slug}))
    with django_assert_num_queries(expected):
        client.get(reverse("missions:plan", kwargs={"slug": large.slug}))


def test_mission_list_query_count_independent_of_size(client, organiser, django_assert_num_queries):
    build(organiser, days=1, visits_per_day=1)
    expected = count(client, reverse("missions:list"))
    build(organiser, days=1, visits_per_day=1)
    build(organiser, days=1, visits_per_day=1)
    with django_assert_num_queries(expected):
        response = client.get(reverse("missions:list"))
    assert response.content.decode().count('<li class="card">') == 3
    # The cards from the cache: the tables' version alone.
    with django_assert_num_queries(1):
        again = client.get(reverse("missions:list"))
    assert again.content == response.content


def test_host_visits_query_count_independent_of_size(client, organiser, django_assert_num_queries):
    from organizations.models import Membership
    from organizations.services import membership_add

    from ..factories import make_user

    host = make_user("many.visits@test.example.org")
    small = build(organiser, days=1, visits_per_day=1)
    for item in small.days.get().items.filter(kind="visit"):
        membership_add(organization=item.hosts.first(), user=host, role=Membership.Role.MEMBER)
    client.force_login(host)
    expected = count(client, reverse("missions:host_visits"))
    large = build(organiser, days=3, visits_per_day=3)
    for day in large.days.all():
        for item in day.items.filter(kind="visit"):
            membership_add(organization=item.hosts.first(), user=host, role=Membership.Role.MEMBER)
    with django_assert_num_queries(expected):
        response = client.get(reverse("missions:host_visits"))
    assert len(response.context["visits"]) == 10
