"""The figures page from hand-built data where the right numbers are obvious."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from missions import services as mission_services
from missions.events import services as event_services
from missions.models import Event
from programmes import services
from programmes.models import Outcome
from programmes.selectors import programme_figures

from ..factories import make_organization, make_user
from ..missions.events.factories import make_event, make_member
from ..missions.factories import make_day, make_mission, make_visit
from .factories import make_held_meeting, make_outcome, make_past_event, make_programme

pytestmark = pytest.mark.django_db


def register_before_deadline(event: Event, user, organization):
    return event_services.registration_create(
        event=event,
        user=user,
        organization=organization,
        now=event.registration_deadline - dt.timedelta(days=1),
    )


@pytest.fixture
def figures_world(organiser, staff_member):
    programme = make_programme(organiser, name="Figures programme")
    link = lambda activity: services.programme_link_activity(  # noqa: E731
        programme=programme, activity=activity, by=organiser
    )
    dk = make_organization("Danish cluster", country="DK")
    us = make_organization("US cluster", country="US", city="Denver")
    be = make_organization("Belgian host", country="BE", city="Genk")
    nl = make_organization("Dutch host", country="NL", city="Rotterdam")

    # Two events held: 3 and 1 participants. An upcoming and a cancelled one do not count.
    held_one = make_past_event(organiser, days_ago=10, title="Held workshop one", capacity=10)
    held_two = make_past_event(organiser, days_ago=40, title="Held conference", capacity=10)
    upcoming = make_event(organiser, title="Upcoming workshop", capacity=10)
    cancelled = make_past_event(organiser, days_ago=5, title="Cancelled workshop")
    for event in (held_one, held_two, upcoming, cancelled):
        link(event)
    for _number in range(3):
        register_before_deadline(held_one, make_member(dk), dk)
    register_before_deadline(held_two, make_member(us), us)
    register_before_deadline(upcoming, make_member(us), us)
    event_services.event_cancel(event=cancelled, by=organiser)

    # One mission held with 2 delegates visiting 2 hosts (one of them twice).
    mission = make_mission(organiser, start="2018-11-06", end="2018-11-09")
    day = make_day(organiser, mission, "2018-11-07")
    make_visit(organiser, day, [be], "09:00", "10:00")
    make_visit(organiser, day, [be, nl], "11:00", "12:00")
    for person in (make_user(), make_user()):
        mission_services.delegation_member_add(
            mission=mission, by=organiser, user=person, organization=us
        )
    mission_services.mission_publish(mission=mission, by=organiser, override_reason="test")
    link(mission)
    # A draft mission of the programme counts for nothing.
    draft = make_mission(organiser, title="Draft mission", start="2019-01-01", end="2019-01-02")
    link(draft)

    # Meetings: 2 held and 1 no-show in a session at the first event.
    people = [make_member(dk), make_member(us), make_member(dk), make_member(us)]
    first = make_held_meeting(
        user_a=people[0], org_a=dk, user_b=people[1], org_b=us, event=held_one
    )
    make_held_meeting(user_a=people[2], org_a=dk, user_b=people[3], org_b=us, session=first.session)
    make_held_meeting(
        user_a=people[0],
        org_a=dk,
        user_b=people[3],
        org_b=us,
        session=first.session,
        status="no_show",
    )

    # Outcomes: one MoU reported by both sides (counts once), one roadmap (DK only), all
    # verified; a reported MoU and a rejected market study do not count.
    day_met = first.slot.starts_at.date()
    mou = services.outcome_report(by=people[0], source=first, kind="mou", title="MoU", date=day_met)
    services.outcome_report(by=people[1], source=first, kind="mou", title="MoU", date=day_met)
    services.outcome_verify(outcome=mou, by=staff_member)
    make_outcome(
        organiser,
        mission,
        kind="joint_roadmap",
        date=dt.date(2018, 11, 9),
        organizations=[dk],
        verified_by=staff_member,
    )
    make_outcome(organiser, mission, kind="mou", date=dt.date(2018, 11, 8), organizations=[nl])
    rejected = make_outcome(
        organiser, mission, kind="market_study", date=dt.date(2018, 11, 8), organizations=[be]
    )
    services.outcome_reject(outcome=rejected, by=staff_member)
    return programme


def rows(figures, key):
    return dict(next(f for f in figures if f.key == key).rows)


def test_programme_figures_count_what_ran(figures_world):
    ran = rows(programme_figures(figures_world), "ran")
    assert ran == {
        "Events held": 2,
        "Event participants": 4,
        "Missions": 1,
        "Delegates": 2,
        "Organisations met": 2,
        "Matchmaking meetings held": 2,
    }


def test_programme_figures_count_verified_outcomes_once(figures_world):
    figures = programme_figures(figures_world)
    by_type = rows(figures, "outcomes-by-type")
    assert by_type["Memorandum of understanding"] == 1
    assert by_type["Joint internationalisation roadmap"] == 1
    assert sum(by_type.values()) == 2
    assert rows(figures, "outcomes-by-country") == {"Denmark": 2, "United States of America": 1}
    assert Outcome.objects.filter(programme=figures_world).count() == 4


def test_programme_figures_page_says_only_verified_count(client, figures_world):
    response = client.get(reverse("programmes:figures", kwargs={"slug": figures_world.slug}))
    body = response.content.decode()
    assert "Outcomes count only once staff have verified them" in body
    assert body.count("<svg") == 3
    assert 'data-figure="ran-2">4<' in body


def test_programme_figure_csv(client, figures_world):
    response = client.get(
        reverse(
            "programmes:figure_csv",
            kwargs={"slug": figures_world.slug, "key": "outcomes-by-country"},
        )
    )
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table == [["Country", "Count"], ["Denmark", "2"], ["United States of America", "1"]]
