"""Each list and page costs the same number of queries with 1 and with 3 items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import services
from programmes.selectors import programme_figures

from ..factories import make_organization
from ..missions.events.factories import make_member
from .factories import (
    make_held_meeting,
    make_outcome,
    make_partnership,
    make_past_event,
    make_programme,
    make_published_mission,
)

pytestmark = pytest.mark.django_db


def build_programme(organiser, staff, count: int):
    """A programme with ``count`` missions, events, meetings, partners and verified
    outcomes."""
    programme = make_programme(organiser)
    organizations = [make_organization(country=c) for c in ("DK", "US", "BE")[:count]]
    for number in range(count):
        mission = make_published_mission(
            organiser,
            title=f"Mission {programme.pk}-{number}",
            start="2018-11-06",
            end="2018-11-09",
        )
        event = make_past_event(organiser, days_ago=10 + number)
        for activity in (mission, event):
            services.programme_link_activity(programme=programme, activity=activity, by=organiser)
        services.programme_partner_set(
            programme=programme, organization=organizations[number], role="partner", by=organiser
        )
        make_outcome(
            organiser,
            mission,
            date=dt.date(2018, 11, 8),
            organizations=organizations[: number + 1],
            verified_by=staff,
            title=f"Outcome {number}",
        )
        org = organizations[number]
        make_held_meeting(
            user_a=make_member(org), org_a=org, user_b=make_member(org), org_b=org, event=event
        )
    return programme


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["detail", "figures", "feed", "figure_csv"])
def test_programme_page_query_count_independent_of_size(
    client, organiser, staff_member, django_assert_num_queries, page
):
    small = build_programme(organiser, staff_member, 1)
    large = build_programme(organiser, staff_member, 3)
    extra = {"key": "outcomes-by-type"} if page == "figure_csv" else {}
    expected = count(client, reverse(f"programmes:{page}", kwargs={"slug": small.slug, **extra}))
    with django_assert_num_queries(expected):
        client.get(reverse(f"programmes:{page}", kwargs={"slug": large.slug, **extra}))


def test_programme_figures_take_six_queries(organiser, staff_member, django_assert_num_queries):
    for size in (1, 3):
        programme = build_programme(organiser, staff_member, size)
        with django_assert_num_queries(6):
            programme_figures(programme)


@pytest.mark.parametrize(
    "name", ["programmes:list", "partnerships:list", "outcomes:list", "outcomes:review"]
)
@pytest.mark.parametrize("item_count", [1, 3])
def test_list_query_count(
    client, organiser, staff_member, django_assert_num_queries, name, item_count
):
    for _number in range(item_count):
        programme = build_programme(organiser, staff_member, 1)
        partners = [make_organization(), make_organization()]
        partnership = make_partnership(organiser, partners)
        services.outcome_report(
            by=organiser,
            source=partnership,
            kind="living_lab",
            title="Living lab",
            date=dt.date(2015, 1, 1),
            organizations=partners,
        )
        assert programme
    client.force_login(staff_member)
    # Signed in as staff: session, user, roles, then the page's own queries.
    expected = {
        "programmes:list": 5,
        "partnerships:list": 8,
        "outcomes:list": 8,
        "outcomes:review": 6,
    }[name]
    with django_assert_num_queries(expected):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("item_count", [1, 3])
def test_partnership_page_query_count(
    client, organiser, staff_member, django_assert_num_queries, item_count
):
    partners = [make_organization(country=c) for c in ("DK", "US", "BE")[:item_count]]
    partnership = make_partnership(organiser, partners)
    for number in range(item_count):
        make_outcome(
            organiser,
            partnership,
            date=dt.date(2015, 1, 1 + number),
            organizations=partners,
            kind="mou" if number % 2 else "living_lab",
            verified_by=staff_member,
        )
    with django_assert_num_queries(9):
        assert client.get(partnership.get_absolute_url()).status_code == 200
