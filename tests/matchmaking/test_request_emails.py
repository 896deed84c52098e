"""Emails people expect from matchmaking (as b2match sends them): a new request emails the
receiver; an accepted or declined request (with the reason) emails the sender. Each from a
task after commit, exactly once, whatever the number of runs.

These tests run in real transactions (``task_worker``): with ``REDIS_URL`` a real Celery
worker picks the tasks up, without it they run in-process on commit.
"""

from __future__ import annotations

from django.core import mail

from matchmaking.models import MeetingRequest
from matchmaking.services import requests as services
from matchmaking.tasks import task_request_notify_answered, task_request_notify_received
from tests.conftest import outbox_cleared, wait_for
from tests.factories import make_user

from .factories import make_participant, send

ALICE, BOB = "alice@test.example.org", "bob@test.example.org"


def emails_to(address: str, word: str) -> list:
    return [m for m in mail.outbox if address in m.to and word in m.subject]


def test_new_request_emails_the_receiver_once(task_worker, alice, bob):
    request = send(alice, bob, message="Shall we talk about batteries?")

    assert wait_for(lambda: len(emails_to(BOB, "asks to meet you")) == 1)
    email = emails_to(BOB, "asks to meet you")[0]
    assert email.subject == "Alice Weber asks to meet you (EU-US cluster matchmaking)"
    assert "Shall we talk about batteries?" in email.body
    assert f"/requests/{request.pk}/" in email.body and email.body.count("http") == 1
    # Sent through common/email.py: the same text as HTML in the shared layout.
    assert email.alternatives[0].mimetype == "text/html"
    assert "Shall we talk about batteries?" in email.alternatives[0].content
    # The task delivered twice (a retry): still one email.
    assert task_request_notify_received(request_id=request.pk) == 0
    assert task_request_notify_received(request_id=request.pk) == 0
    assert len(emails_to(BOB, "asks to meet you")) == 1
    assert emails_to(ALICE, "") == []
    assert MeetingRequest.objects.get(pk=request.pk).received_notified_at is not None


def test_accepted_request_emails_the_sender_once(task_worker, alice, bob):
    request = send(alice, bob)
    services.request_accept(request=request, by=bob.user)

    assert wait_for(lambda: len(emails_to(ALICE, "accepted")) == 1)
    assert emails_to(ALICE, "accepted")[0].subject == (
        "Bob Miller accepted your meeting request (EU-US cluster matchmaking)"
    )
    assert task_request_notify_answered(request_id=request.pk) == 0
    assert task_request_notify_answered(request_id=request.pk) == 0
    assert len(emails_to(ALICE, "accepted")) == 1
    assert emails_to(BOB, "accepted") == []


def test_declined_request_emails_the_sender_the_reason_once(task_worker, alice, bob):
    request = send(alice, bob)
    services.request_decline(request=request, by=bob.user, reason="We only buy from the US.")

    assert wait_for(lambda: len(emails_to(ALICE, "declined")) == 1)
    assert "We only buy from the US." in emails_to(ALICE, "declined")[0].body
    assert task_request_notify_answered(request_id=request.pk) == 0
    assert len(emails_to(ALICE, "declined")) == 1


def test_a_request_cancelled_before_the_email_goes_emails_nothing(task_worker, alice, bob):
    request = send(alice, bob)
    wait_for(lambda: len(emails_to(BOB, "asks to meet you")) == 1)
    MeetingRequest.objects.filter(pk=request.pk).update(
        status=MeetingRequest.Status.CANCELLED, received_notified_at=None
    )
    outbox_cleared()

    assert task_request_notify_received(request_id=request.pk) == 0
    assert task_request_notify_answered(request_id=request.pk) == 0
    assert mail.outbox == []


def test_a_meeting_made_at_once_tells_the_receiver_it_is_on(task_worker, alice):
    session = alice.session
    session.requests_need_acceptance = False
    session.save(update_fields=["requests_need_acceptance"])
    carol = make_participant(session, make_user(full_name="Carol Ng"), side="us")
    send(alice, carol)

    assert wait_for(lambda: len(emails_to(carol.user.email, "Meeting with Alice Weber")) == 1)
    # No one answered: the sender gets no "accepted" email.
    assert emails_to(ALICE, "accepted") == []


def test_tasks_for_a_deleted_request_do_nothing(task_worker):
    assert task_request_notify_received(request_id=987654) == 0
    assert task_request_notify_answered(request_id=987654) == 0
