"""The race for the last seats, on PostgreSQL with one connection per thread.

30 people register at the same moment for 5 seats. With the event row locked, exactly 5 get
a seat and 25 join the waiting list. The negative control runs the same race with the lock
switched off, and the database's seat trigger with it (test-only settings), and shows the
event overbooked, so the first test is known to be able to fail. ``test_seat_check`` runs it
with the lock off and the trigger on.

To make the race window observable, both runs set ``EVENTS_TEST_RACE_WINDOW_SECONDS``: the
service sleeps that long between counting the seats held and writing the registration.
With the lock, the sleep only makes the queue on the lock longer.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from missions.events import services
from missions.events.models import Registration

from .conftest import PEOPLE, SEATS

RACE_WINDOW_SECONDS = 0.05

Status = Registration.Status


def race(event, people, organization) -> dict:
    """Every person registers at once (a barrier releases them together), each thread on its
    own database connection. Returns what each thread saw."""
    barrier = threading.Barrier(len(people))
    outcome = {"statuses": [], "refused": [], "errors": []}
    lock = threading.Lock()

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            registration = services.registration_create(
                event=event, user=person, organization=organization
            )
            with lock:
                outcome["statuses"].append(registration.status)
        except ValidationError as refusal:
            with lock:
                outcome["refused"].append(refusal.messages)
        except Exception as error:  # noqa: BLE001 - a crash is what the test looks for
            with lock:
                outcome["errors"].append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_registrations_take_exactly_five_seats(crowd, settings):
    event, people, organization = crowd
    settings.EVENTS_TEST_RACE_WINDOW_SECONDS = RACE_WINDOW_SECONDS

    outcome = race(event, people, organization)

    assert outcome["errors"] == []
    assert sorted(outcome["statuses"]) == sorted([Status.CONFIRMED] * 5 + [Status.WAITLISTED] * 25)
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status=Status.CONFIRMED).count() == SEATS
    assert stored.filter(status=Status.WAITLISTED).count() == PEOPLE - SEATS
    positions = sorted(services.waitlist_position(r) for r in stored.filter(status="waitlisted"))
    assert positions == list(range(1, PEOPLE - SEATS + 1))


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_registrations_without_waiting_list_refuse_twenty_five(crowd, settings):
    event, people, organization = crowd
    event.waiting_list_enabled = False
    event.save(update_fields=["waiting_list_enabled"])
    settings.EVENTS_TEST_RACE_WINDOW_SECONDS = RACE_WINDOW_SECONDS

    outcome = race(event, people, organization)

    assert outcome["errors"] == []
    assert outcome["statuses"] == [Status.CONFIRMED] * SEATS
    assert len(outcome["refused"]) == PEOPLE - SEATS
    assert outcome["refused"][0] == ["All seats are taken and this event keeps no waiting list."]
    assert Registration.objects.filter(event=event).count() == SEATS


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_event_overbooks(crowd, settings):
    event, people, organization = crowd
    settings.EVENTS_SEAT_LOCK_ENABLED = False
    settings.EVENTS_SEAT_CHECK_ENABLED = False
    settings.EVENTS_TEST_RACE_WINDOW_SECONDS = RACE_WINDOW_SECONDS

    outcome = race(event, people, organization)

    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
    print(f"negative control: {confirmed} confirmed for {SEATS} seats")  # noqa: T201
    assert outcome["errors"] == []
    assert confirmed > SEATS


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_registration_requests_never_fail(crowd, settings):
    """The same race through the registration page: every request gets its redirect (no
    500), and the seats still hold."""
    from django.test import Client
    from django.urls import reverse

    event, people, organization = crowd
    settings.EVENTS_TEST_RACE_WINDOW_SECONDS = RACE_WINDOW_SECONDS
    url = reverse("events:register", args=[event.slug])
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    codes, errors, lock = [], [], threading.Lock()

    def attempt(client):
        try:
            barrier.wait(timeout=30)
            response = client.post(url, {"organization": organization.pk})
            with lock:
                codes.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - a crash is what the test looks for
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert codes == [302] * PEOPLE
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status=Status.CONFIRMED).count() == SEATS
    assert stored.filter(status=Status.WAITLISTED).count() == PEOPLE - SEATS
