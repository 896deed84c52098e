"""The demo roundtable: the 2018 agenda in Copenhagen time, registrations in every status."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
from django.core import mail

from missions import demo as missions_demo
from missions.events import demo, selectors, services
from missions.events.models import Event, Registration
from organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def seeded():
    organizations_demo.seed()
    missions_demo.seed()
    return demo.seed()


def clock(value: dt.datetime) -> str:
    return value.astimezone(CPH).strftime("%H:%M")


def test_demo_roundtable_has_the_seed_agenda_in_copenhagen_time(seeded):
    event = selectors.event_page(seeded.organisers.first(), seeded.slug)

    assert (event.venue_name, event.latitude, event.longitude) == (
        "BLOXHUB",
        Decimal("55.672136"),
        Decimal("12.578678"),
    )
    assert event.mission is not None and event.mission.title == demo.MISSION_TITLE
    assert event.registration_deadline == dt.datetime(2018, 10, 26, 12, 0, tzinfo=dt.UTC)
    assert [(clock(item.starts_at), item.title[:20]) for item in event.agenda] == [
        ("08:30", "Registration & netwo"),
        ("09:00", "Welcome and Introduc"),
        ("09:10", "Understanding Transn"),
        ("09:20", "European support too"),
        ("09:30", "Business-Academia Co"),
        ("09:40", "Speed presentation o"),
        ("10:00", "Good Practices and E"),
        ("10:45", "Networking coffee br"),
        ("11:00", "Co-creation and idea"),
        ("12:20", "Summary, closing rem"),
        ("12:30", "Networking Lunch"),
    ]
    panel = event.agenda[6]
    assert [
        (clock(slot.starts_at), clock(slot.ends_at), slot.people.all()[0].side)
        for slot in panel.children.all()
    ] == [
        ("10:00", "10:10", "eu"),
        ("10:10", "10:20", "eu"),
        ("10:20", "10:30", "us"),
        ("10:30", "10:40", "us"),
    ]
    assert str(panel.people.all()[0]) == "inno TSD, BILAT USA 4.0"


def test_demo_registrations_cover_every_status_and_respect_the_seats(seeded):
    statuses = Counter(seeded.registrations.values_list("status", flat=True))

    assert set(statuses) == set(Registration.Status.values)
    counts = selectors.seat_counts(seeded)
    assert counts.held == counts.capacity == demo.CAPACITY
    assert counts.checked_in == 3
    manager = seeded.registrations.get(user__email="manager@example.org")
    assert manager.status == Registration.Status.APPROVED
    assert all(
        email.endswith("@example.org")
        for email in seeded.registrations.values_list("user__email", flat=True)
    )


def test_demo_seed_is_idempotent_and_emails_nobody(seeded):
    mail.outbox.clear()

    again = demo.seed()

    assert again == seeded
    assert Event.objects.count() == 1
    assert Registration.objects.count() == len(demo.REGISTRANTS)
    # Every registration is recorded as announced: the email task finds nothing to send.
    assert [services.registration_notify(registration=r) for r in Registration.objects.all()] == [
        0
    ] * len(demo.REGISTRANTS)
    assert mail.outbox == []
