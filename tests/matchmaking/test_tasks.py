"""Emails sent by tasks after commit, exactly once: cancellations and invitations.

These tests run in real transactions (``task_worker``): with ``REDIS_URL`` a real Celery
worker picks the tasks up, without it they run in-process on commit.
"""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from matchmaking.models import Meeting, Session
from matchmaking.services import requests as services
from matchmaking.services.sessions import session_phase_set
from matchmaking.tasks import task_request_notify_cancelled, task_session_invite_registrants
from tests.conftest import wait_for
from tests.factories import make_organization, make_user

from .factories import accept, make_session, send


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def cancellations_to(address: str) -> list:
    """The cancellation emails (a request and its answer send their own emails too)."""
    return [message for message in emails_to(address) if "cancelled" in message.subject]


def invitations_to(address: str) -> list:
    return [m for m in emails_to(address) if "Create your matchmaking profile" in m.subject]


def test_request_cancel_emails_the_other_side_once(task_worker, alice, bob):
    request = accept(send(alice, bob))
    services.request_cancel(request=request, by=bob.user)
    assert wait_for(lambda: len(cancellations_to("alice@test.example.org")) == 1)
    assert "Bob Miller" in cancellations_to("alice@test.example.org")[0].subject
    assert task_request_notify_cancelled(request_id=request.pk) == 0
    assert len(cancellations_to("alice@test.example.org")) == 1
    assert cancellations_to("bob@test.example.org") == []
    assert Meeting.objects.get(request=request).status == Meeting.Status.CANCELLED


def test_request_cancel_by_organiser_emails_both(task_worker, organiser, alice, bob):
    request = send(alice, bob)
    services.request_cancel(request=request, by=organiser)
    assert wait_for(lambda: len(cancellations_to("alice@test.example.org")) == 1)
    assert wait_for(lambda: len(cancellations_to("bob@test.example.org")) == 1)
    assert "organisers cancelled" in cancellations_to("bob@test.example.org")[0].body


def test_notify_task_for_a_deleted_request_does_nothing(task_worker):
    assert task_request_notify_cancelled(request_id=987654) == 0


def test_opening_profiles_invites_registrants_who_asked_once(task_worker, organiser):
    from tests.missions.events.factories import make_event, register

    event = make_event(organiser, capacity=5)
    wants, does_not = make_user("wants@test.example.org"), make_user("no@test.example.org")
    register(event, wants, make_organization(manager=wants), wants_matchmaking=True)
    register(event, does_not, make_organization(manager=does_not), wants_matchmaking=False)
    session = make_session(organiser, phase=Session.Phase.DRAFT, event=event)
    session_phase_set(session=session, phase=Session.Phase.PROFILES_OPEN, by=organiser)
    assert wait_for(lambda: len(invitations_to("wants@test.example.org")) == 1), [
        (m.to, m.subject) for m in mail.outbox
    ]
    invitation = invitations_to("wants@test.example.org")[0]
    assert reverse("matchmaking:profile", kwargs={"slug": session.slug}) in invitation.body
    session_phase_set(session=session, phase=Session.Phase.REQUESTS_OPEN, by=organiser)
    assert task_session_invite_registrants(session_id=session.pk) == 0
    assert len(invitations_to("wants@test.example.org")) == 1
    assert invitations_to("no@test.example.org") == []
