"""Registration emails and offer expiry, through the real worker when Redis is configured.

These tests run in real transactions (``task_worker``), so the tasks enqueued on commit
actually run. Other tests' leftover tasks may still be delivered to the shared worker, so
every assertion looks only at the emails sent to this test's own people.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from missions.events import services
from missions.events.models import Registration
from missions.events.tasks import task_offers_expire, task_registration_notify
from tests.conftest import wait_for

from .factories import make_event, make_member, register

Status = Registration.Status


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_registration_email_is_sent_once_when_the_task_runs_twice(
    task_worker, organiser, organization
):
    event = make_event(organiser, approval_required=True, title="Cleantech roundtable")
    person = make_member(organization, "once@test.example.org")

    registration = register(event, person, organization)

    assert wait_for(lambda: len(emails_to(person.email)) == 1)
    # The same task delivered again (a retry, a redelivery after a worker crash).
    assert task_registration_notify.delay(registration_id=registration.pk).get(timeout=15) == 0
    sent = emails_to(person.email)
    assert [message.subject for message in sent] == ["Registration received: Cleantech roundtable"]
    assert "subject to the organisers' approval" in sent[0].body


def test_decision_email_carries_the_organisers_message(task_worker, organiser, organization):
    event = make_event(organiser, approval_required=True, title="Cleantech roundtable")
    person = make_member(organization, "approved@test.example.org")
    registration = register(event, person, organization)
    assert wait_for(lambda: len(emails_to(person.email)) == 1)

    services.registrations_decide(
        event=event,
        by=organiser,
        registration_ids=[registration.pk],
        approve=True,
        message="See you at BLOXHUB.",
    )

    assert wait_for(lambda: len(emails_to(person.email)) == 2)
    decision = emails_to(person.email)[1]
    assert decision.subject == "Your seat is confirmed: Cleantech roundtable"
    assert decision.body.endswith(
        "Message from the organisers:\nSee you at BLOXHUB.\n\n"
        f"Your registration: http://127.0.0.1:8000/events/registrations/{registration.pk}/"
    )


def test_offer_expiry_task_run_twice_moves_the_offer_on_once(task_worker, organiser, organization):
    event = make_event(organiser, capacity=1, offer_hours=1, title="One seat")
    holder, first, second = (
        make_member(organization, f"{name}@test.example.org")
        for name in ("holder", "first", "second")
    )
    held = register(event, holder, organization)
    register(event, first, organization)
    register(event, second, organization)
    # Each queued email is sent by the worker in its own time: wait for the waiting-list
    # ones, so the offer below is the next email these two people get, not a race with them.
    for person in (first, second):
        assert wait_for(lambda person=person: len(emails_to(person.email)) == 1)
        assert emails_to(person.email)[0].subject == "On the waiting list: One seat"
    services.registration_cancel(registration=held, by=holder)
    assert wait_for(lambda: len(emails_to(first.email)) == 2)
    offer = emails_to(first.email)[1]
    assert offer.subject == "A seat is free for you: One seat"
    # The offer says where to accept it: the person's own registration page.
    offered = Registration.objects.get(user=first)
    link = f"http://127.0.0.1:8000/events/registrations/{offered.pk}/"
    assert offer.body.endswith(f"Your registration: {link}")

    # An hour later nobody has accepted; the periodic task runs, and runs again.
    Registration.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert task_offers_expire.delay().get(timeout=15) == 1
    assert task_offers_expire.delay().get(timeout=15) == 0

    assert wait_for(lambda: len(emails_to(second.email)) == 2)
    assert wait_for(lambda: len(emails_to(first.email)) == 3)
    assert emails_to(first.email)[2].subject == "Registration cancelled: One seat"
    assert "not accepted in time" in emails_to(first.email)[2].body
    assert emails_to(second.email)[1].subject == "A seat is free for you: One seat"
    assert Registration.objects.get(user=second).status == Status.OFFERED


@pytest.mark.django_db(transaction=True)
def test_notify_task_for_a_deleted_registration_does_nothing(task_worker):
    assert task_registration_notify.delay(registration_id=987654).get(timeout=15) == 0


def test_beat_schedule_names_the_registered_offer_expiry_task(settings):
    from clustermissions.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["events-expire-seat-offers"]

    assert entry["task"] == task_offers_expire.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 600
