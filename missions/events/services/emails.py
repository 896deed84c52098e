"""Telling registrants about their registration: one email per state, exactly once.

The text is in ``templates/missions/events/email/registration_subject.txt`` and
``registration_body.txt``.
"""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common.email import send_email
from common.links import absolute_url
from common.text import header_text

from ...timezones import format_instant
from ..models import Event, Registration
from ._common import Status

EVENT_CANCELLED = "event_cancelled"


def _notification_state(registration: Registration) -> str:
    if registration.event.status == Event.Status.CANCELLED and registration.status not in (
        Status.CANCELLED,
        Status.REJECTED,
    ):
        return EVENT_CANCELLED
    if registration.status == Status.OFFERED:
        return f"offered:{registration.offer_expires_at.isoformat()}"
    return registration.status


def _email_kind(registration: Registration, state: str) -> str:
    """Which of the templates' texts fits ``registration`` in ``state``."""
    if state == EVENT_CANCELLED:
        return EVENT_CANCELLED
    if registration.status in Registration.ATTENDING_STATUSES:
        return "attending"
    if registration.status == Status.CANCELLED and (
        registration.offer_expires_at is not None
        and registration.cancelled_at is not None
        and registration.cancelled_at >= registration.offer_expires_at
    ):
        return "offer_expired"
    return registration.status


def _email_text(registration: Registration, state: str) -> tuple[str, str]:
    event = registration.event
    kind = _email_kind(registration, state)
    context = {
        "kind": kind,
        "event": event.title,
        "when": format_instant(event.starts_at, event.time_zone),
        "venue": ", ".join(part for part in (event.venue_name, event.city) if part),
        "expires": (
            format_instant(registration.offer_expires_at, event.time_zone)
            if registration.offer_expires_at
            else ""
        ),
        "message": registration.decision_message if kind != EVENT_CANCELLED else "",
        "url": absolute_url("events:registration", pk=registration.pk),
    }
    subject = header_text(
        render_to_string("missions/events/email/registration_subject.txt", context)
    )
    body = render_to_string("missions/events/email/registration_body.txt", context).strip()
    return subject, body


def registrations_mark_notified(*, event: Event) -> int:
    """Record every registration's current state as announced, so no email goes out for it.

    For the demo seed, whose fictional people must not be written to; not for views.
    """
    count = 0
    with transaction.atomic():
        for registration in (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(event=event)
        ):
            registration.notified_state = _notification_state(registration)
            registration.save(update_fields=["notified_state"])
            count += 1
    return count


def registration_notify(*, registration: Registration) -> int:
    """Email the registrant about the current state of their registration, once per state.

    The row lock and ``notified_state`` make a task run twice (or retried) send one email.
    Returns the number of emails sent.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "user")
            .get(pk=registration.pk)
        )
        state = _notification_state(registration)
        if state == registration.notified_state:
            return 0
        if registration.event.ends_at <= timezone.now():
            # Queued before the event ended, run after: too late to matter to anyone.
            return 0
        subject, body = _email_text(registration, state)
        send_email(subject=subject, body=body, to=[registration.user.email])
        registration.notified_state = state
        registration.save(update_fields=["notified_state"])
    return 1
