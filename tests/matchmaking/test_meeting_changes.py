"""A meeting on a published agenda that moves or is cancelled: both sides are emailed once,
after commit, with the new time in the venue's zone and their own beside it; nothing for a
schedule not yet published, nothing once the session has ended."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail

from matchmaking.models import Meeting
from matchmaking.services import requests as request_services
from matchmaking.services.scheduling import (
    meeting_notify_changed,
    meeting_place,
    schedule_publish,
    schedule_run_start,
)
from matchmaking.tasks import task_meeting_notify_changed, task_request_notify_cancelled
from tests.conftest import wait_for
from tests.factories import make_user

from .factories import accept, make_participant, make_session, send

ALICE, BOB = "alice@test.example.org", "bob@test.example.org"
# Next year's 10 June: summer time in Berlin (CEST, UTC+2) and New York
# (EDT, UTC-4), so the slots' clocks are known: 09:00, 09:30, 10:00, 11:00, 11:30 Berlin.
DAY = dt.date(dt.date.today().year + 1, 6, 10)


@pytest.fixture
def world(organiser):
    """Alice (home New York) and Bob (home Berlin) meet at 09:00 at Table 1, published."""
    session = make_session(organiser, title="EU-US cluster matchmaking", first_day=DAY)
    alice = make_participant(
        session,
        make_user(ALICE, full_name="Alice Weber", home_time_zone="America/New_York"),
        side="us",
    )
    bob = make_participant(
        session, make_user(BOB, full_name="Bob Miller", home_time_zone="Europe/Berlin"), side="eu"
    )
    meeting = accept(send(alice, bob)).meeting
    slots = list(session.slots.order_by("starts_at"))
    tables = list(session.tables.order_by("name"))
    meeting_place(meeting=meeting, slot=slots[0], table=tables[0], by=organiser, lock=False)
    schedule_publish(session=session, by=organiser)
    return {"session": session, "meeting": meeting, "slots": slots, "tables": tables}


def changes_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to and "Meeting with" in m.subject]


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_moved_meeting_emails_both_sides_once_after_commit(
    world, organiser, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_place(
            meeting=world["meeting"], slot=world["slots"][2], table=world["tables"][1], by=organiser
        )
    # Nothing before the commit; the email is one callback run after it.
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()

    [to_alice], [to_bob] = changes_to(ALICE), changes_to(BOB)
    assert len(mail.outbox) == 2
    assert to_alice.subject == "Meeting with Bob Miller moved (EU-US cluster matchmaking)"
    assert to_bob.subject == "Meeting with Alice Weber moved (EU-US cluster matchmaking)"
    day = f"{DAY:%a} {DAY.day} {DAY:%b %Y}"
    assert f"{day} 10:00–10:30 CEST\nYour time: {day} 04:00–04:30 EDT\nTable: Table 2" in (
        to_alice.body
    )
    # Bob's home clocks are the venue's: no second time.
    assert f"{day} 10:00–10:30 CEST\nTable: Table 2" in to_bob.body
    assert "Your time" not in to_bob.body
    for email in (to_alice, to_bob):
        agenda = f"{settings.SITE_URL}/matchmaking/{world['session'].slug}/agenda/"
        assert links(email.body) == [agenda]
        assert email.alternatives and agenda in email.alternatives[0][0]
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    assert meeting.agenda_change_notified_at == meeting.agenda_changed_at is not None


def test_the_task_run_twice_sends_once(world, organiser, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    meeting = world["meeting"]

    with django_capture_on_commit_callbacks(execute=True):
        meeting_place(
            meeting=meeting, slot=world["slots"][1], table=world["tables"][0], by=organiser
        )

    assert len(mail.outbox) == 2
    assert task_meeting_notify_changed.delay(meeting_id=meeting.pk).get() == 0
    assert task_meeting_notify_changed.delay(meeting_id=meeting.pk).get() == 0
    assert len(mail.outbox) == 2


def test_placing_it_where_it_is_emails_nobody(world, organiser, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_place(
            meeting=world["meeting"], slot=world["slots"][0], table=world["tables"][0], by=organiser
        )
    assert mail.outbox == []
    assert Meeting.objects.get(pk=world["meeting"].pk).agenda_changed_at is None


def test_unpublished_meeting_moves_without_email(
    organiser, alice, bob, django_capture_on_commit_callbacks
):
    session = alice.session
    meeting = accept(send(alice, bob)).meeting
    slots, table = list(session.slots.order_by("starts_at")), session.tables.first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_place(meeting=meeting, slot=slots[0], table=table, by=organiser)
        meeting_place(meeting=meeting, slot=slots[1], table=table, by=organiser)
        request_services.request_cancel(request=meeting.request, by=alice.user)

    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is None
    # No agenda email; the request's own cancellation email tells Bob, as before.
    assert [m.subject for m in mail.outbox] == [
        "Meeting with Alice Weber cancelled (EU-US cluster matchmaking)"
    ]
    assert mail.outbox[0].to == [BOB]


def test_cancelled_published_meeting_emails_both_sides_once(
    world, django_capture_on_commit_callbacks
):
    meeting = world["meeting"]
    alice_user = meeting.request.sender.user
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_cancel(request=meeting.request, by=alice_user)

    [to_alice], [to_bob] = changes_to(ALICE), changes_to(BOB)
    assert len(mail.outbox) == 2  # not a second, request-cancelled email to Bob
    assert to_bob.subject == "Meeting with Alice Weber cancelled (EU-US cluster matchmaking)"
    assert "Alice Weber cancelled your meeting." in to_bob.body
    assert "you cancelled your meeting with Bob Miller." in to_alice.body
    day = f"{DAY:%a} {DAY.day} {DAY:%b %Y}"
    assert f"{day} 09:00–09:30 CEST\nTable: Table 1" in to_bob.body
    assert task_request_notify_cancelled.delay(request_id=meeting.request_id).get() == 0
    assert task_meeting_notify_changed.delay(meeting_id=meeting.pk).get() == 0
    assert len(mail.outbox) == 2


def test_a_schedule_run_that_moves_a_published_meeting_emails_both(
    world, organiser, settings, django_capture_on_commit_callbacks
):
    """The solver may move published meetings when the organiser allows it: Carol, free
    only at 09:00, has a heavier meeting with Alice, so Alice and Bob's meeting moves."""
    settings.MATCHMAKING_SCHEDULE_SECONDS = 3
    session, meeting = world["session"], world["meeting"]
    carol = make_participant(session, make_user(full_name="Carol Jones"), side="eu")
    carol.unavailable_slots.set(world["slots"][1:])
    heavy = request_services.meeting_add_for(
        session=session, sender=carol, receiver=meeting.request.sender, by=organiser
    )
    Meeting.objects.filter(request=heavy).update(weight=3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run = schedule_run_start(session=session, by=organiser, allow_moves=True)
    run.refresh_from_db()

    assert (run.status, run.moved) == ("done", 1)
    moved = Meeting.objects.get(pk=meeting.pk)
    assert moved.slot_id != world["slots"][0].pk
    assert [m.subject for m in changes_to(ALICE)] == [
        "Meeting with Bob Miller moved (EU-US cluster matchmaking)"
    ]
    assert len(changes_to(BOB)) == 1
    # Carol's meeting was never on a published agenda: no email about it.
    assert changes_to(carol.user.email) == []


def test_nothing_once_the_session_has_ended(organiser, django_capture_on_commit_callbacks):
    past = dt.date.today() - dt.timedelta(days=3)
    session = make_session(organiser, first_day=past)
    alice = make_participant(session, make_user(ALICE, full_name="Alice Weber"), side="us")
    bob = make_participant(session, make_user(BOB, full_name="Bob Miller"), side="eu")
    meeting = accept(send(alice, bob)).meeting
    slots, table = list(session.slots.order_by("starts_at")), session.tables.first()
    meeting_place(meeting=meeting, slot=slots[0], table=table, by=organiser)
    schedule_publish(session=session, by=organiser)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meeting_place(meeting=meeting, slot=slots[1], table=table, by=organiser)

    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.agenda_change_notified_at is None
    # Before the last slot ended, the same change would have been announced.
    assert meeting_notify_changed(meeting=meeting, now=slots[-1].ends_at) == 0
    assert meeting_notify_changed(meeting=meeting, now=slots[0].starts_at) == 2


def test_the_task_for_a_deleted_meeting_does_nothing(db):
    assert task_meeting_notify_changed.delay(meeting_id=987654).get() == 0


def test_with_the_real_worker_both_sides_get_one_email(task_worker, world, organiser):
    meeting = world["meeting"]

    def moved_to(address: str) -> list:
        return [m for m in changes_to(address) if "moved" in m.subject]

    meeting_place(meeting=meeting, slot=world["slots"][3], table=world["tables"][2], by=organiser)

    assert wait_for(lambda: len(moved_to(ALICE)) == 1 and len(moved_to(BOB)) == 1)
    assert "11:00–11:30 CEST" in moved_to(BOB)[0].body
    assert task_meeting_notify_changed(meeting_id=meeting.pk) == 0
    assert len(moved_to(ALICE)) == len(moved_to(BOB)) == 1


def test_a_published_meeting_the_run_drops_tells_both_it_left_the_agenda(
    world, organiser, settings, django_capture_on_commit_callbacks
):
    """Alice can now come only at 09:00, where Carol's heavier meeting wants her too: with
    moves allowed, Alice and Bob's published meeting is left without a slot."""
    settings.MATCHMAKING_SCHEDULE_SECONDS = 3
    session, meeting = world["session"], world["meeting"]
    alice = meeting.request.sender
    carol = make_participant(session, make_user(full_name="Carol Jones"), side="eu")
    for person in (alice, carol):
        person.unavailable_slots.set(world["slots"][1:])
    heavy = request_services.meeting_add_for(
        session=session, sender=carol, receiver=alice, by=organiser
    )
    Meeting.objects.filter(request=heavy).update(weight=3)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run = schedule_run_start(session=session, by=organiser, allow_moves=True)
    run.refresh_from_db()

    assert (run.status, run.dropped) == ("done", 1)
    dropped = Meeting.objects.get(pk=meeting.pk)
    assert (dropped.slot_id, dropped.status, dropped.published_at) == (None, "planned", None)
    [to_alice], [to_bob] = changes_to(ALICE), changes_to(BOB)
    assert to_bob.subject == (
        "Meeting with Alice Weber taken off your agenda (EU-US cluster matchmaking)"
    )
    assert "was taken off your agenda: it has no time for now" in to_alice.body
    assert "CEST" not in to_alice.body  # no time to show
