"""The race for the last seats, on PostgreSQL with one connection per thread.

30 people register at the same moment for 5 seats. With the event row locked, exactly 5 get
a seat and 25 join the waiting list. The negative control runs the same race with the lock
taken out and the database's seat trigger disabled, and shows the event overbooked, so the
first test is known to be able to fail. ``test_seat_check`` runs it with the lock taken out
and the trigger on.

Everything that shapes the race lives here, on the test side; the services have no switch
for it. Each thread's connection gets ``execute_wrapper``s:

- ``RaceWindow`` pauses right after the seat count, between counting and writing, so the
  window is wide enough to be observed (with the lock it only lengthens the queue);
- ``without_event_lock`` sends the services' ``SELECT … FOR UPDATE`` of the event row
  without ``FOR UPDATE``;
- ``seat_trigger_disabled`` disables the trigger of migration 0005 for the race.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from missions.events import selectors, services
from missions.events.models import Registration

from .conftest import PEOPLE, SEATS

RACE_WINDOW_SECONDS = 0.05

Status = Registration.Status


class RaceWindow:
    """Pause after the query that counts the seats held, and count the pauses (so a test
    knows it held the window open, and did not pass because the SQL changed shape)."""

    def __init__(self, seconds: float = RACE_WINDOW_SECONDS):
        self.seconds = seconds
        self.pauses = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _is_seat_count(sql):
            with self._lock:
                self.pauses += 1
            time.sleep(self.seconds)
        return result


def _is_seat_count(sql: str) -> bool:
    return (
        sql.startswith('SELECT COUNT(*) AS "__count" FROM "missions_registration"')
        and '"missions_registration"."status" IN' in sql
    )


class WithoutEventLock:
    """Send the event row's ``SELECT … FOR UPDATE`` without ``FOR UPDATE``: the services as
    they would be without their lock."""

    def __init__(self):
        self.skipped = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT") and 'FROM "missions_event"' in sql:
            unlocked = sql.removesuffix(" FOR UPDATE")
            if unlocked != sql:
                with self._lock:
                    self.skipped += 1
                sql = unlocked
        return execute(sql, params, many, context)


@contextlib.contextmanager
def seat_trigger_disabled() -> Iterator[None]:
    """The database's seat check off for this test only (a committed DDL change, undone at
    the end whatever happens)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE missions_registration DISABLE TRIGGER registration_within_capacity"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE missions_registration ENABLE TRIGGER registration_within_capacity"
            )


@contextlib.contextmanager
def wrapped(wrappers: Sequence[Callable]) -> Iterator[None]:
    """This thread's connection with ``wrappers`` around every query."""
    with contextlib.ExitStack() as stack:
        for wrapper in wrappers:
            stack.enter_context(connection.execute_wrapper(wrapper))
        yield


def race(event, people, organization, *, wrappers: Sequence[Callable] = ()) -> dict:
    """Every person registers at once (a barrier releases them together), each thread on its
    own database connection with ``wrappers`` installed. Returns what each thread saw."""
    barrier = threading.Barrier(len(people))
    outcome = {"statuses": [], "refused": [], "errors": []}
    lock = threading.Lock()

    def attempt(person):
        try:
            with wrapped(wrappers):
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
def test_thirty_concurrent_registrations_take_exactly_five_seats(crowd):
    event, people, organization = crowd
    window = RaceWindow()

    outcome = race(event, people, organization, wrappers=[window])

    assert outcome["errors"] == []
    assert window.pauses == PEOPLE
    assert sorted(outcome["statuses"]) == sorted([Status.CONFIRMED] * 5 + [Status.WAITLISTED] * 25)
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status=Status.CONFIRMED).count() == SEATS
    assert stored.filter(status=Status.WAITLISTED).count() == PEOPLE - SEATS
    positions = sorted(selectors.waitlist_position(r) for r in stored.filter(status="waitlisted"))
    assert positions == list(range(1, PEOPLE - SEATS + 1))


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_registrations_without_waiting_list_refuse_twenty_five(crowd):
    event, people, organization = crowd
    event.waiting_list_enabled = False
    event.save(update_fields=["waiting_list_enabled"])

    outcome = race(event, people, organization, wrappers=[RaceWindow()])

    assert outcome["errors"] == []
    assert outcome["statuses"] == [Status.CONFIRMED] * SEATS
    assert len(outcome["refused"]) == PEOPLE - SEATS
    assert outcome["refused"][0] == ["All seats are taken and this event keeps no waiting list."]
    assert Registration.objects.filter(event=event).count() == SEATS


@pytest.mark.django_db(transaction=True)
def test_negative_control_without_the_lock_the_event_overbooks(crowd):
    event, people, organization = crowd
    window, unlocked = RaceWindow(), WithoutEventLock()

    with seat_trigger_disabled():
        outcome = race(event, people, organization, wrappers=[unlocked, window])

    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
    print(f"negative control: {confirmed} confirmed for {SEATS} seats")  # noqa: T201
    assert outcome["errors"] == []
    assert unlocked.skipped == PEOPLE
    assert window.pauses == PEOPLE
    assert confirmed > SEATS


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_registration_requests_never_fail(crowd):
    """The same race through the registration page: every request gets its redirect (no
    500), and the seats still hold."""
    from django.test import Client
    from django.urls import reverse

    event, people, organization = crowd
    window = RaceWindow()
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
            with wrapped([window]):
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
    assert window.pauses == PEOPLE
    stored = Registration.objects.filter(event=event)
    assert stored.filter(status=Status.CONFIRMED).count() == SEATS
    assert stored.filter(status=Status.WAITLISTED).count() == PEOPLE - SEATS


@pytest.mark.django_db(transaction=True)
def test_one_person_registering_twice_at_once_is_refused_by_name_not_by_a_500(crowd):
    """Without the lock both submissions pass the "already registered?" check inside the
    window; the database's one-live-registration constraint refuses the second, and the
    service recognises it by the constraint's name (``common.db.constraint_name``)."""
    event, people, organization = crowd
    person = people[0]

    outcome = race(
        event, [person, person], organization, wrappers=[WithoutEventLock(), RaceWindow(0.3)]
    )

    assert outcome["errors"] == []
    assert outcome["statuses"] == [Status.CONFIRMED]
    assert outcome["refused"] == [["You are already registered for this event."]]
    assert Registration.objects.filter(event=event, user=person).count() == 1
