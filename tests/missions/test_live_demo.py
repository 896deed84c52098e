"""The live part of the demo: a mission, call and roundtable dated from the day it runs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from missions import live_demo
from missions.calls.models import Application, Call
from missions.events.models import Event, Registration
from missions.models import ItineraryItem, Mission
from organizations import demo as organizations_demo
from organizations.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people():
    organizations_demo.seed()


def counts() -> tuple[int, ...]:
    return (
        Mission.objects.count(),
        Call.objects.count(),
        Event.objects.count(),
        ItineraryItem.objects.count(),
    )


def test_live_demo_is_open_today_for_each_demo_login(demo_people):
    live = live_demo.seed()
    today = timezone.localdate()
    now = timezone.now()

    mission, call, event = live["mission"], live["call"], live["event"]
    assert mission.is_public
    assert mission.start_date > today + dt.timedelta(days=49)
    # applicant@ can apply: the call is open and they have not applied.
    assert call.is_published and call.opens_at < now < call.closes_at
    applicant = User.objects.get(email="applicant@example.org")
    assert not Application.objects.filter(call=call, contact=applicant).exists()
    # manager@ can register: registration is open and they are not registered.
    assert event.is_public and event.registration_opens_at < now < event.registration_deadline
    manager = User.objects.get(email="manager@example.org")
    assert not Registration.objects.filter(event=event, user=manager).exists()
    # host@ (EnergyVille) has a visit to confirm.
    proposed = ItineraryItem.objects.filter(
        day__mission=mission,
        visit_status=ItineraryItem.VisitStatus.PROPOSED,
        hosts__name="EnergyVille",
    )
    assert proposed.count() == 1


def test_live_demo_twice_creates_nothing_twice(demo_people):
    first = live_demo.seed()
    sizes = counts()

    second = live_demo.seed()

    assert counts() == sizes
    assert second["mission"].pk == first["mission"].pk
    assert second["call"].pk == first["call"].pk
    assert second["event"].pk == first["event"].pk


def test_live_demo_after_the_call_deadline_still_works_and_creates_nothing(demo_people):
    first = live_demo.seed()
    sizes = counts()
    after_deadline = first["call"].closes_at + dt.timedelta(days=2)

    with time_machine.travel(after_deadline, tick=False):
        again = live_demo.seed()

    assert counts() == sizes
    assert again["mission"].pk == first["mission"].pk


def test_live_demo_after_the_mission_ended_makes_a_new_current_one(demo_people):
    first = live_demo.seed()
    later = first["mission"].end_date + dt.timedelta(days=3)

    with time_machine.travel(dt.datetime.combine(later, dt.time(12), tzinfo=dt.UTC), tick=False):
        again = live_demo.seed()
        assert again["mission"].start_date > later

    assert again["mission"].pk != first["mission"].pk
    assert Mission.objects.filter(title=live_demo.TITLE).count() == 2
