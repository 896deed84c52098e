"""Schedule all from the database: build, solve, apply, publish; reasons in words."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking.models import Meeting, MeetingKind, Participant, ScheduleRun, Session
from matchmaking.scheduling.check import schedule_violations
from matchmaking.scheduling.model import Meeting as PlacedMeeting
from matchmaking.scheduling.model import Schedule
from matchmaking.services.requests import meeting_add_for
from matchmaking.services.scheduling import (
    agendas_notify,
    schedule_instance,
    schedule_publish,
    schedule_run_start,
)
from matchmaking.tasks import task_schedule_run
from tests.factories import make_user

from .factories import accept, make_participant, send


@pytest.fixture(autouse=True)
def _quick_solver(settings):
    settings.MATCHMAKING_SCHEDULE_SECONDS = 3


def run_schedule(session, organiser, capture, **options) -> ScheduleRun:
    with capture(execute=True):
        run = schedule_run_start(session=session, by=organiser, **options)
    run.refresh_from_db()
    return run


def stored_schedule(session) -> tuple:
    """The instance and the schedule as the database holds them (for the checker)."""
    built = schedule_instance(session, allow_moves=True)
    number = {table.pk: index for index, table in enumerate(built.tables, start=1)}
    placed = tuple(
        PlacedMeeting(f"r{m.request_id}", f"s{m.slot_id}", number[m.table_id])
        for m in Meeting.objects.filter(session=session, slot__isnull=False)
    )
    return built.instance, Schedule(meetings=placed)


@pytest.fixture
def dave(session):
    return make_participant(session, make_user(full_name="Dave Brown"), side="us")


def test_schedule_run_places_accepted_meetings_and_passes_the_checker(
    session, organiser, alice, bob, carol, dave, django_capture_on_commit_callbacks
):
    for receiver in (bob, carol, dave):
        accept(send(alice, receiver))
    accept(send(bob, carol))

    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    assert run.status == ScheduleRun.Status.DONE
    assert (run.weight, run.bound, run.ratio, run.unplaced) == (4, 4, 1.0, {})
    assert run.proven_optimal and run.progress == 100
    meetings = Meeting.objects.filter(session=session)
    assert {m.status for m in meetings} == {Meeting.Status.SCHEDULED}
    assert all(m.slot_id and m.table_id for m in meetings)
    instance, schedule = stored_schedule(session)
    assert len(schedule.meetings) == 4
    assert schedule_violations(instance, schedule) == []


def test_schedule_run_task_twice_gives_one_schedule(
    session, organiser, alice, bob, carol, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    accept(send(alice, carol))
    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)
    before = list(Meeting.objects.order_by("pk").values_list("pk", "slot", "table", "updated_at"))

    again = task_schedule_run.delay(run_id=run.pk).get()

    assert again == ScheduleRun.Status.DONE
    assert ScheduleRun.objects.count() == 1
    after = list(Meeting.objects.order_by("pk").values_list("pk", "slot", "table", "updated_at"))
    assert after == before


def test_schedule_run_task_for_a_deleted_run_returns(db):
    assert task_schedule_run.delay(run_id=987654).get() == "gone"


def test_schedule_run_start_refused_while_a_run_is_active(session, organiser):
    ScheduleRun.objects.create(session=session, status=ScheduleRun.Status.RUNNING)

    with pytest.raises(ValidationError, match="being computed already"):
        schedule_run_start(session=session, by=organiser)

    assert ScheduleRun.objects.count() == 1


def test_schedule_run_start_refused_to_a_participant(session, alice):
    with pytest.raises(PermissionDenied):
        schedule_run_start(session=session, by=alice.user)

    assert not ScheduleRun.objects.exists()


def test_schedule_run_start_refused_in_draft(organiser, session):
    Session.objects.filter(pk=session.pk).update(phase=Session.Phase.DRAFT)
    session.refresh_from_db()

    with pytest.raises(ValidationError, match="once requests are open"):
        schedule_run_start(session=session, by=organiser)


def test_schedule_run_reasons_in_words_with_names(
    session, organiser, alice, bob, carol, dave, django_capture_on_commit_callbacks
):
    no_common = accept(send(alice, bob))
    limited = accept(send(carol, dave))
    kept = accept(send(carol, alice))
    big = accept(send(dave, bob))
    slots = list(session.slots.all())
    bob.unavailable_slots.set(slots[:3])
    alice.unavailable_slots.set(slots[3:])
    Participant.objects.filter(pk=carol.pk).update(max_meetings=1)
    Participant.objects.filter(pk=bob.pk).update(attendees=4)
    Meeting.objects.filter(request=kept).update(weight=5)

    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    assert run.unplaced == {
        str(no_common.pk): "Alice Weber and Bob Miller have no common free slot.",
        str(limited.pk): "Carol Jones has reached their limit of 1 meetings.",
        str(big.pk): "No table seats all 5 people of Dave Brown and Bob Miller.",
    }
    assert run.weight == 5


def test_schedule_run_kind_without_slot_is_explained(
    session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    request = accept(send(alice, bob, kind=MeetingKind.C2C))
    session.slots.update(kinds=["b2b"])

    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    assert run.unplaced == {
        str(request.pk): "No slot takes cluster to cluster meetings when Alice Weber and "
        "Bob Miller are free."
    }
    assert Meeting.objects.get().status == Meeting.Status.PLANNED


def test_schedule_run_keeps_published_meetings_unless_moves_are_allowed(
    session, organiser, alice, bob, carol, django_capture_on_commit_callbacks
):
    first = accept(send(alice, bob))
    run_schedule(session, organiser, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(session=session, by=organiser)
    published = Meeting.objects.get(request=first)
    # Alice becomes free only where her published meeting sits; a heavier request comes.
    others = session.slots.exclude(pk=published.slot_id)
    carol.unavailable_slots.set(others)
    heavy = meeting_add_for(session=session, sender=carol, receiver=alice, by=organiser)
    Meeting.objects.filter(request=heavy).update(weight=3)

    kept = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    assert Meeting.objects.get(pk=published.pk).slot_id == published.slot_id
    assert kept.moved == 0 and str(heavy.pk) in kept.unplaced

    moved = run_schedule(session, organiser, django_capture_on_commit_callbacks, allow_moves=True)

    assert moved.moved == 1 and moved.unplaced == {}
    assert Meeting.objects.get(request=heavy).slot_id == published.slot_id
    instance, schedule = stored_schedule(session)
    assert schedule_violations(instance, schedule) == []


def test_schedule_run_honours_locked_meetings(
    session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    request = accept(send(alice, bob))
    slot = session.slots.order_by("starts_at").last()
    table = session.tables.order_by("pk").last()
    Meeting.objects.filter(request=request).update(
        slot=slot, table=table, is_locked=True, status=Meeting.Status.SCHEDULED
    )

    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    meeting = Meeting.objects.get(request=request)
    assert (run.status, meeting.slot_id, meeting.table_id) == ("done", slot.pk, table.pk)


def test_schedule_run_with_contradicting_locks_fails_with_the_reason(
    session, organiser, alice, bob, django_capture_on_commit_callbacks
):
    request = accept(send(alice, bob))
    slot = session.slots.first()
    Meeting.objects.filter(request=request).update(
        slot=slot, table=session.tables.first(), is_locked=True
    )
    alice.unavailable_slots.set([slot])

    run = run_schedule(session, organiser, django_capture_on_commit_callbacks)

    assert run.status == ScheduleRun.Status.FAILED
    assert "cannot all stay where they are" in run.error
    assert "outside availability" in run.error


def test_schedule_publish_stamps_meetings_and_emails_each_participant_once(
    session, organiser, alice, bob, carol, mailoutbox, django_capture_on_commit_callbacks
):
    accept(send(alice, bob))
    run_schedule(session, organiser, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        count = schedule_publish(session=session, by=organiser)

    session.refresh_from_db()
    assert count == 1
    assert session.phase == Session.Phase.AGENDAS_PUBLISHED
    assert Meeting.objects.get().published_at == session.agendas_published_at
    assert sorted(mail.to[0] for mail in mailoutbox) == [alice.user.email, bob.user.email]
    assert "/agenda/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0].mimetype == "text/html"
    assert agendas_notify(session=session) == 0
    assert len(mailoutbox) == 2


def test_schedule_publish_without_placed_meetings_is_refused(session, organiser, alice, bob):
    accept(send(alice, bob))

    with pytest.raises(ValidationError, match="schedule the meetings first"):
        schedule_publish(session=session, by=organiser)

    session.refresh_from_db()
    assert session.phase == Session.Phase.REQUESTS_OPEN


def test_schedule_apply_refuses_a_result_when_a_meeting_moved_during_the_solve(
    session, organiser, alice, bob
):
    # The steps of schedule_run_execute, with an organiser's move between solve and apply.
    from django.db import IntegrityError, transaction

    from matchmaking.scheduling import schedule_solve
    from matchmaking.services.scheduling import meeting_place
    from matchmaking.services.scheduling.runs import _apply

    request = accept(send(alice, bob))
    built = schedule_instance(session)
    result = schedule_solve(built.instance, time_limit=2)
    slot, table = session.slots.last(), session.tables.last()
    meeting_place(meeting=request.meeting, slot=slot, table=table, by=organiser)

    with pytest.raises(IntegrityError), transaction.atomic():
        _apply(built, result)

    meeting = Meeting.objects.get(request=request)
    assert (meeting.slot_id, meeting.table_id, meeting.is_locked) == (slot.pk, table.pk, True)
