"""Nothing is emailed about an event that has ended: a registration's email queued before
the end and run after it sends nothing."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from missions.events.models import Registration
from missions.events.tasks import task_registration_notify

from .factories import register


def test_registration_email_is_sent_while_the_event_is_ahead(event, members, organization):
    registration = register(event, members[0], organization)
    mail.outbox.clear()
    assert task_registration_notify.apply(kwargs={"registration_id": registration.pk}).get() == 1
    assert task_registration_notify.apply(kwargs={"registration_id": registration.pk}).get() == 0
    assert [m.to for m in mail.outbox] == [[members[0].email]]


def test_no_registration_email_once_the_event_has_ended(event, members, organization, time_machine):
    registration = register(event, members[0], organization)
    mail.outbox.clear()
    time_machine.move_to(event.ends_at + dt.timedelta(minutes=1))
    assert task_registration_notify.apply(kwargs={"registration_id": registration.pk}).get() == 0
    assert mail.outbox == []
    assert Registration.objects.get(pk=registration.pk).notified_state == ""
