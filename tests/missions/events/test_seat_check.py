"""The database's own seat check (migration 0005), behind the services' lock.

Writes that bypass the services (the ORM directly, as a shell or a data migration would)
are refused by the database when they would hold more seats than the event has; seats are
approved, confirmed and offered registrations. On PostgreSQL the check also holds under
concurrency with the services' lock taken out (on the test side, see ``test_race``).
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from missions.events import selectors, services
from missions.events.models import Event, Registration

from .conftest import PEOPLE, SEATS
from .factories import make_event, make_member, register
from .test_race import RaceWindow, WithoutEventLock, race

Status = Registration.Status


def raw_registration(event, person, organization, status, **fields) -> Registration:
    """A registration written by the ORM alone, as code that skips the services would."""
    return Registration.objects.create(
        event=event, user=person, organization=organization, status=status, **fields
    )


def refused_by_the_database():
    return pytest.raises(IntegrityError, match="registration_within_capacity")


@pytest.fixture
def full_event(organiser, organization):
    """One seat, taken through the services."""
    event = make_event(organiser, capacity=1, title="One seat")
    register(event, make_member(organization, "holder@test.example.org"), organization)
    return event


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.APPROVED])
def test_inserting_a_seat_beyond_capacity_is_refused_by_the_database(
    full_event, organization, status
):
    person = make_member(organization, "intruder@test.example.org")

    with refused_by_the_database(), transaction.atomic():
        raw_registration(full_event, person, organization, status)

    assert selectors.seats_held(full_event) == 1
    assert not Registration.objects.filter(user=person).exists()


def test_an_offer_beyond_capacity_is_refused_by_the_database(full_event, organization):
    person = make_member(organization, "waiting@test.example.org")
    waiting = register(full_event, person, organization)
    assert waiting.status == Status.WAITLISTED

    with refused_by_the_database(), transaction.atomic():
        Registration.objects.filter(pk=waiting.pk).update(
            status=Status.OFFERED, offer_expires_at=full_event.starts_at
        )

    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_statuses_that_hold_no_seat_are_not_counted(full_event, organization):
    for n, status in enumerate([Status.PENDING, Status.REJECTED, Status.CANCELLED]):
        person = make_member(organization, f"seatless{n}@test.example.org")
        raw_registration(full_event, person, organization, status)
    person = make_member(organization, "queued@test.example.org")
    raw_registration(
        full_event, person, organization, Status.WAITLISTED, waitlisted_at=full_event.starts_at
    )

    assert Registration.objects.filter(event=full_event).count() == 5
    assert selectors.seats_held(full_event) == 1


def test_lowering_capacity_below_the_seats_held_is_refused_by_the_database(full_event):
    with refused_by_the_database(), transaction.atomic():
        Event.objects.filter(pk=full_event.pk).update(capacity=0)

    full_event.refresh_from_db()
    assert full_event.capacity == 1
    # Raising it, or leaving it at the seats held, is fine.
    Event.objects.filter(pk=full_event.pk).update(capacity=3)
    Event.objects.filter(pk=full_event.pk).update(capacity=1)


def test_freeing_a_seat_lets_the_next_one_in(full_event, organization):
    holder = Registration.objects.get(event=full_event)
    holder.status = Status.CANCELLED
    holder.save(update_fields=["status"])

    person = make_member(organization, "next@test.example.org")
    raw_registration(full_event, person, organization, Status.CONFIRMED)

    assert selectors.seats_held(full_event) == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_database_check_alone_never_overbooks(crowd):
    """The services' lock taken out, the race window open: threads count 0 seats held and
    write a confirmed registration. The trigger queues them on the event row: 5 get a
    seat, the others are refused with a message or join the waiting list, none sees a 500."""
    event, people, organization = crowd
    unlocked = WithoutEventLock()

    outcome = race(event, people, organization, wrappers=[unlocked, RaceWindow()])

    assert outcome["errors"] == []
    assert unlocked.skipped == PEOPLE
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status=Status.CONFIRMED).count() == SEATS
    assert selectors.seats_held(event) == SEATS
    refused = outcome["refused"]
    waitlisted = stored.filter(status=Status.WAITLISTED).count()
    print(f"database check alone: {SEATS} seats, {len(refused)} refused, {waitlisted} waitlisted")  # noqa: T201
    # Threads that counted after a seat was committed join the waiting list instead.
    assert len(refused) + waitlisted == PEOPLE - SEATS
    assert refused, "the race window should let some threads count a free seat that was gone"
    assert all(messages == [str(services.SEAT_CHECK_MESSAGE)] for messages in refused)


def test_the_database_check_has_no_switch_to_turn_it_off(postgres, full_event, organization):
    """Migration 0005 let a session setting skip the check, for the race test alone;
    migration 0008 removed it. The setting now changes nothing."""
    person = make_member(organization, "switch@test.example.org")

    with refused_by_the_database(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('clustermissions.seat_check', 'off', true)")
        raw_registration(full_event, person, organization, Status.CONFIRMED)

    assert selectors.seats_held(full_event) == 1
