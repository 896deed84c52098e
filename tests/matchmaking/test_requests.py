"""Meeting requests: send, accept, decline, cancel, expire, and organisers' meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchmaking.models import Meeting, MeetingRequest, Session
from matchmaking.services import requests as services
from matchmaking.services.sessions import session_phase_set, session_update
from matchmaking.tasks import task_requests_expire

from .factories import accept, make_participant, make_session, send

Status = MeetingRequest.Status


def test_request_send_then_accept_makes_a_planned_meeting(alice, bob):
    request = send(alice, bob, message="Clean hydrogen?")
    assert request.status == Status.PENDING
    assert request.expires_at > timezone.now() + dt.timedelta(days=6)
    accepted = accept(request)
    assert accepted.status == Status.ACCEPTED
    meeting = Meeting.objects.get(request=request)
    assert (meeting.status, meeting.slot, meeting.table) == (Meeting.Status.PLANNED, None, None)


def test_request_send_to_oneself_is_refused(alice):
    with pytest.raises(ValidationError, match="yourself"):
        send(alice, alice)
    assert MeetingRequest.objects.count() == 0


def test_request_send_twice_either_way_is_refused(alice, bob):
    send(alice, bob)
    with pytest.raises(ValidationError, match="already a request"):
        send(alice, bob)
    with pytest.raises(ValidationError, match="already a request"):
        send(bob, alice)
    assert MeetingRequest.objects.count() == 1


def test_request_send_again_after_decline_is_allowed(alice, bob):
    services.request_decline(request=send(alice, bob), by=bob.user, reason="No time")
    assert send(alice, bob).status == Status.PENDING


def test_request_send_outside_request_phase_is_refused(organiser, session, alice, bob):
    session_phase_set(session=session, phase=Session.Phase.PROFILES_OPEN, by=organiser)
    alice.session.refresh_from_db()
    with pytest.raises(ValidationError, match="does not take requests"):
        send(alice, bob)
    assert MeetingRequest.objects.count() == 0


def test_request_send_to_hidden_profile_is_refused(alice, bob):
    bob.is_visible = False
    bob.save()
    with pytest.raises(ValidationError, match="does not take requests"):
        send(alice, bob)


def test_request_send_by_someone_else_is_refused(alice, bob, other_user):
    with pytest.raises(PermissionDenied):
        services.request_send(sender=alice, receiver=bob, by=other_user)
    assert MeetingRequest.objects.count() == 0


def test_request_send_without_acceptance_accepts_at_once(organiser, session, alice, bob):
    session_update(session=session, by=organiser, requests_need_acceptance=False)
    alice.session.refresh_from_db()
    assert send(alice, bob).status == Status.ACCEPTED
    assert Meeting.objects.count() == 1


def test_request_accept_by_the_sender_is_refused(alice, bob):
    request = send(alice, bob)
    with pytest.raises(PermissionDenied):
        services.request_accept(request=request, by=alice.user)
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_request_accept_expired_is_refused(alice, bob):
    request = send(alice, bob)
    later = request.expires_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="expired"):
        accept(request, now=later)
    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert not Meeting.objects.exists()


def test_request_accept_cancelled_is_refused(alice, bob):
    request = send(alice, bob)
    services.request_cancel(request=request, by=alice.user)
    with pytest.raises(ValidationError, match="cancelled"):
        accept(request)
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    assert not Meeting.objects.exists()


def test_request_send_at_the_limit_is_refused(organiser, session, alice, bob, carol):
    session_update(session=session, by=organiser, max_meetings_per_participant=1)
    bob.session.refresh_from_db()
    accept(send(alice, bob))
    with pytest.raises(ValidationError, match="You have reached your limit of 1 meetings"):
        send(bob, carol)
    assert MeetingRequest.objects.count() == 1


def test_request_accept_past_the_receivers_limit_says_so(organiser, session, alice, bob, carol):
    session_update(session=session, by=organiser, max_meetings_per_participant=1)
    alice.session.refresh_from_db()
    first, second = send(bob, alice), send(carol, alice)
    accept(first)
    with pytest.raises(ValidationError, match="You have reached your limit of 1 meetings"):
        accept(second)
    second.refresh_from_db()
    assert second.status == Status.PENDING
    assert Meeting.objects.count() == 1


def test_request_decline_keeps_the_reason(alice, bob):
    request = services.request_decline(request=send(alice, bob), by=bob.user, reason=" Busy ")
    assert (request.status, request.decline_reason) == (Status.DECLINED, "Busy")
    assert request.responded_at is not None


def test_request_cancel_twice_is_refused(alice, bob):
    request = send(alice, bob)
    services.request_cancel(request=request, by=alice.user)
    with pytest.raises(ValidationError, match="nothing to cancel"):
        services.request_cancel(request=request, by=bob.user)


def test_request_cancel_by_a_stranger_is_refused(alice, bob, other_user, other_organiser):
    request = send(alice, bob)
    for user in (other_user, other_organiser):
        with pytest.raises(PermissionDenied):
            services.request_cancel(request=request, by=user)
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_requests_expire_task_expires_only_overdue_ones(alice, bob, carol):
    overdue, fresh = send(alice, bob), send(alice, carol)
    MeetingRequest.objects.filter(pk=overdue.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert task_requests_expire() == 1
    assert task_requests_expire() == 0
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert (overdue.status, fresh.status) == (Status.EXPIRED, Status.PENDING)
    assert send(bob, alice).status == Status.PENDING  # no longer blocks the pair


def test_meeting_add_for_by_organiser_is_accepted(organiser, session, alice, bob):
    request = services.meeting_add_for(
        session=session, sender=alice, receiver=bob, by=organiser, kind="c2c"
    )
    assert (request.status, request.created_by_organiser) == (Status.ACCEPTED, organiser)
    assert request.meeting.status == Meeting.Status.PLANNED


def test_meeting_add_for_by_other_organiser_is_refused(other_organiser, session, alice, bob):
    with pytest.raises(PermissionDenied):
        services.meeting_add_for(session=session, sender=alice, receiver=bob, by=other_organiser)
    assert not MeetingRequest.objects.exists()


@pytest.fixture
def pick_session(organiser):
    return make_session(organiser, participants_pick_slot=True, tables=1, seats=2)


def test_request_accept_with_slot_and_table_schedules_it(pick_session):
    first, second = make_participant(pick_session), make_participant(pick_session)
    slot, table = pick_session.slots.first(), pick_session.tables.get()
    accept(send(first, second), slot=slot, table=table)
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.table, meeting.status) == (slot, table, Meeting.Status.SCHEDULED)


def test_request_accept_into_a_taken_table_is_refused(pick_session):
    people = [make_participant(pick_session) for _ in range(4)]
    slot, table = pick_session.slots.first(), pick_session.tables.get()
    accept(send(people[0], people[1]), slot=slot, table=table)
    request = send(people[2], people[3])
    with pytest.raises(ValidationError, match="taken"):
        accept(request, slot=slot, table=table)
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_request_accept_at_a_table_too_small_is_refused(pick_session):
    first = make_participant(pick_session, attendees=2)
    second = make_participant(pick_session)
    request = send(first, second)
    with pytest.raises(ValidationError, match="too few"):
        accept(request, slot=pick_session.slots.first(), table=pick_session.tables.get())
    assert not Meeting.objects.exists()


def test_request_accept_when_unavailable_is_refused(pick_session):
    slot = pick_session.slots.first()
    first = make_participant(pick_session, unavailable_slots=[slot])
    request = send(first, make_participant(pick_session))
    with pytest.raises(ValidationError, match="not available"):
        accept(request, slot=slot, table=pick_session.tables.get())
    assert not Meeting.objects.exists()
