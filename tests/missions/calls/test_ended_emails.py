"""Nothing is emailed about a call whose mission has ended: no decision, no free place.
(The submission confirmation: test_submission_email.py.)"""

from __future__ import annotations

from django.core import mail

from missions.calls import services
from missions.calls.models import Application
from missions.calls.tasks import task_decision_email, task_place_unfilled_email

S = Application.Status


def test_no_decision_email_once_the_mission_has_ended(
    call, organiser, application_a, application_b, django_capture_on_commit_callbacks
):
    assert call.mission.end_date.year == 2018
    services.decisions_prepare(
        call=call,
        by=organiser,
        decisions={application_a.pk: S.SELECTED, application_b.pk: S.REJECTED},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.decisions_send(call=call, by=organiser) == 2
    assert len(callbacks) == 2  # the tasks were queued, and found nothing to send
    assert mail.outbox == []
    for application in (application_a, application_b):
        assert task_decision_email.apply(kwargs={"application_id": application.pk}).get() is False
        application.refresh_from_db()
        assert application.status in (S.SELECTED, S.REJECTED)
        assert application.notified_status == ""
    assert mail.outbox == []


def test_no_free_place_email_once_the_mission_has_ended(call, organiser, application_a):
    services.decisions_prepare(call=call, by=organiser, decisions={application_a.pk: S.SELECTED})
    services.decisions_send(call=call, by=organiser)
    # Withdrawn after the decision (the service's own rules aside): the organisers' email
    # about the free place is not sent for a mission that has ended.
    Application.objects.filter(pk=application_a.pk).update(status=S.WITHDRAWN)
    mail.outbox.clear()
    assert task_place_unfilled_email.apply(kwargs={"application_id": application_a.pk}).get() == 0
    assert mail.outbox == []
