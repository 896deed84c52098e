"""An applicant gets one email confirming their submission, after commit; none for a
mission that has ended."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from missions.calls.models import Application
from missions.calls.tasks import task_submission_email

from ..factories import make_mission
from .factories import make_applicant, make_application, make_call, make_us_org


def _live_call(organiser):
    start = timezone.localdate() + dt.timedelta(days=60)
    mission = make_mission(
        organiser, start=start.isoformat(), end=(start + dt.timedelta(days=3)).isoformat()
    )
    return make_call(organiser, mission, title="Live call")


def test_submission_email_sent_once_after_commit(
    organiser, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    call = _live_call(organiser)
    organization = make_us_org("Front Range Energy Cluster", "Colorado")
    applicant = make_applicant("avery@test.example.org", organization)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = make_application(call, applicant, organization)
    assert mail.outbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    message = mail.outbox[0]
    assert message.subject == "Application received: Live call"
    assert f"https://portal.example.org/calls/applications/{application.pk}/" in message.body
    assert "Front Range Energy Cluster" in message.body
    task_submission_email.apply(kwargs={"application_id": application.pk})
    task_submission_email.apply(kwargs={"application_id": application.pk})
    assert len(mail.outbox) == 1
    assert Application.objects.get(pk=application.pk).notified_status == "submitted"


def test_submission_email_not_sent_for_a_draft_or_a_gone_application(organiser):
    call = _live_call(organiser)
    organization = make_us_org("Front Range Energy Cluster", "Colorado")
    draft = make_application(
        call, make_applicant("d@test.example.org", organization), organization, submit=False
    )
    mail.outbox.clear()
    assert task_submission_email.apply(kwargs={"application_id": draft.pk}).get() is False
    assert task_submission_email.apply(kwargs={"application_id": 999999}).get() is False
    assert mail.outbox == []


def test_submission_email_not_sent_when_the_mission_has_ended(
    organiser, call, django_capture_on_commit_callbacks
):
    assert call.mission.end_date.year == 2018
    organization = make_us_org("Front Range Energy Cluster", "Colorado")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_application(call, make_applicant("late@test.example.org", organization), organization)
    assert mail.outbox == []
