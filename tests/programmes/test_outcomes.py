"""The outcomes register: who reports, what is refused, one MoU reported twice, verification
and the import of matchmaking answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programmes import services
from programmes.models import Outcome, OutcomeConfirmation
from programmes.tasks import task_outcomes_import

from ..conftest import wait_for
from .factories import answer_meeting, make_held_meeting, make_outcome

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report(world, by, **fields):
    return services.outcome_report(
        by=by,
        source=fields.pop("source", world.meeting),
        kind=fields.pop("kind", Outcome.Kind.MOU),
        title=fields.pop("title", "MoU on clean-tech cooperation"),
        date=fields.pop("date", world.meeting.slot.starts_at.date()),
        **fields,
    )


def test_outcome_report_by_meeting_participant_records_both_sides(world):
    outcome = report(world, world.partner_manager)

    assert outcome.meeting == world.meeting
    assert outcome.state == Outcome.State.REPORTED
    assert set(outcome.organizations.all()) == {world.org_a, world.org_b}
    assert outcome.programme == world.programme  # from the meeting's event
    assert [c.organization for c in outcome.confirmations.all()] == [world.org_a]


def test_outcome_report_same_mou_by_both_sides_is_one_outcome_two_confirmations(world):
    first = report(world, world.partner_manager)
    second = report(
        world,
        world.us_manager,
        title="Memorandum signed with CLEAN",
        date=world.meeting.slot.starts_at.date() + dt.timedelta(days=2),
    )

    assert second.pk == first.pk
    assert Outcome.objects.count() == 1
    assert {c.organization for c in first.confirmations.all()} == {world.org_a, world.org_b}


def test_outcome_report_same_side_twice_is_refused(world):
    report(world, world.partner_manager)
    with pytest.raises(ValidationError, match="already reported"):
        report(world, world.partner_manager)
    assert OutcomeConfirmation.objects.count() == 1


def test_outcome_report_far_apart_dates_are_two_outcomes(world):
    report(world, world.partner_manager)
    report(
        world,
        world.us_manager,
        date=world.meeting.slot.starts_at.date() + services.DUPLICATE_WINDOW + dt.timedelta(days=1),
    )
    assert Outcome.objects.count() == 2


def test_outcome_report_before_its_source_is_refused(world):
    with pytest.raises(ValidationError) as error:
        report(
            world,
            world.partner_manager,
            date=world.meeting.slot.starts_at.date() - dt.timedelta(days=1),
        )
    assert "before its source" in str(error.value)
    with pytest.raises(ValidationError):
        services.outcome_report(
            by=world.organiser,
            source=world.mission,
            kind=Outcome.Kind.MOU,
            title="Too early",
            date=dt.date(2018, 11, 5),
            organizations=[world.org_a],
        )
    assert Outcome.objects.count() == 0


def test_outcome_report_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="future"):
        report(world, world.partner_manager, date=timezone.localdate() + dt.timedelta(days=1))
    assert Outcome.objects.count() == 0


def test_outcome_report_on_a_meeting_the_reporter_was_not_in_is_refused(world):
    with pytest.raises(ValidationError, match="meetings you took part in"):
        report(world, world.other_manager)
    assert Outcome.objects.count() == 0


def test_outcome_report_on_a_partnership_needs_a_partner_manager(world):
    with pytest.raises(PermissionDenied):
        report(
            world, world.other_manager, source=world.partnership, organizations=[world.other_org]
        )
    outcome = report(
        world,
        world.partner_manager,
        source=world.partnership,
        kind=Outcome.Kind.JOINT_ROADMAP,
        date=dt.date(2015, 3, 1),
        organizations=[world.org_a, world.org_b],
    )
    assert outcome.partnership == world.partnership
    assert outcome.programme is None
    assert outcome.confirmations.get().organization == world.org_a


def test_outcome_report_on_a_mission_is_for_organisers_only(world):
    with pytest.raises(PermissionDenied):
        report(
            world,
            world.partner_manager,
            source=world.mission,
            organizations=[world.org_a],
            date=dt.date(2018, 11, 8),
        )
    outcome = report(
        world,
        world.organiser,
        source=world.mission,
        organizations=[world.org_a],
        date=dt.date(2018, 11, 8),
    )
    assert outcome.programme == world.programme
    assert outcome.confirmations.get().organization is None


def test_outcome_report_with_junk_evidence_stores_nothing(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    junk = SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        report(world, world.partner_manager, evidence=junk)
    big = SimpleUploadedFile(
        "mou.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="10 MB"):
        report(world, world.partner_manager, evidence=big)
    assert Outcome.objects.count() == 0
    assert list(tmp_path.rglob("*.*")) == []


def test_outcome_report_with_evidence_keeps_it_private(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("signed MoU.pdf", PDF, content_type="application/pdf")
    outcome = report(world, world.partner_manager, evidence=upload)
    assert outcome.evidence_name == "signed MoU.pdf"
    assert outcome.evidence.name.startswith("outcomes/")
    assert (tmp_path / outcome.evidence.name).read_bytes() == PDF


def test_outcome_verify_is_for_staff_only(world):
    outcome = report(world, world.partner_manager)
    for person in (world.organiser, world.partner_manager, world.applicant):
        with pytest.raises(PermissionDenied):
            services.outcome_verify(outcome=outcome, by=person)
    outcome.refresh_from_db()
    assert outcome.state == Outcome.State.REPORTED

    verified = services.outcome_verify(outcome=outcome, by=world.staff)
    assert verified.state == Outcome.State.VERIFIED
    assert verified.verified_by == world.staff
    assert verified.verified_at is not None


def test_outcome_reject_by_staff(world):
    outcome = report(world, world.partner_manager)
    rejected = services.outcome_reject(outcome=outcome, by=world.staff)
    assert rejected.state == Outcome.State.REJECTED


def test_outcomes_from_meetings_imports_both_answers_as_one_outcome_once(world):
    answer_meeting(world.meeting, world.partner_manager, agreement="mou")
    answer_meeting(world.meeting, world.us_manager, agreement="mou")
    none_meeting = make_held_meeting(
        user_a=world.partner_manager,
        org_a=world.org_a,
        user_b=world.other_manager,
        org_b=world.other_org,
        session=world.meeting.session,
    )
    answer_meeting(none_meeting, world.other_manager, agreement="none")

    touched = services.outcomes_from_meetings(session=world.meeting.session)

    assert len({o.pk for o in touched}) == 1
    outcome = Outcome.objects.get()
    assert outcome.kind == Outcome.Kind.MOU
    assert outcome.meeting == world.meeting
    assert outcome.visibility == Outcome.Visibility.INTERNAL
    assert outcome.confirmations.count() == 2
    # Run again: nothing new.
    assert services.outcomes_from_meetings(session=world.meeting.session) == []
    assert Outcome.objects.count() == 1
    assert OutcomeConfirmation.objects.count() == 2


def test_outcomes_from_meetings_joins_a_hand_reported_mou(world):
    report(world, world.partner_manager)
    answer_meeting(world.meeting, world.partner_manager, agreement="mou")
    answer_meeting(world.meeting, world.us_manager, agreement="mou")
    services.outcomes_from_meetings(session=world.meeting.session)
    outcome = Outcome.objects.get()
    assert outcome.confirmations.count() == 2
    assert outcome.confirmations.filter(meeting_outcome__isnull=False).count() == 2


def test_task_outcomes_import_runs_for_sessions_with_new_answers(world, task_worker):
    """With REDIS_URL the session imports run on a real worker; eager without."""
    answer_meeting(world.meeting, world.us_manager, agreement="agreement")
    assert task_outcomes_import() == 1
    assert wait_for(lambda: Outcome.objects.exists())
    assert Outcome.objects.get().kind == Outcome.Kind.COOPERATION_AGREEMENT
    assert task_outcomes_import() == 0
    assert Outcome.objects.count() == 1


def test_outcome_exactly_one_source_is_a_database_invariant(world):
    from django.db import IntegrityError, transaction

    outcome = make_outcome(
        world.organiser, world.mission, date=dt.date(2018, 11, 8), organizations=[world.org_a]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.filter(pk=outcome.pk).update(event=world.event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.filter(pk=outcome.pk).update(mission=None)
