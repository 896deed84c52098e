"""Registration emails from their templates (templates/missions/events/email/).

The service that sends them is called directly here, so these tests need no worker; the
tasks that call it after commit are tested in ``test_tasks``.
"""

from __future__ import annotations

from missions.events import services

from .factories import make_event, register


def test_registration_email_text_is_plain_text_from_the_templates(
    organiser, members, organization, mailoutbox
):
    event = make_event(
        organiser, title='R&D "Summit" <EU>', approval_required=True, venue_name="BLOXHUB"
    )
    registration = register(event, members[0], organization)

    assert services.registration_notify(registration=registration) == 1

    (email,) = mailoutbox
    assert email.subject == 'Registration received: R&D "Summit" <EU>'
    assert email.body.startswith('We received your registration for R&D "Summit" <EU>, ')
    assert "BLOXHUB, Copenhagen. Participation is subject to the organisers' approval" in email.body
    assert email.body.endswith(
        f"\n\nYour registration: http://127.0.0.1:8000/events/registrations/{registration.pk}/"
    )
    assert "&amp;" not in email.body


def test_decision_email_carries_the_message_and_a_cancellation_does_not(
    organiser, members, organization, mailoutbox
):
    event = make_event(organiser, title="Roundtable", approval_required=True)
    registration = register(event, members[0], organization)
    services.registration_notify(registration=registration)
    services.registrations_decide(
        event=event,
        by=organiser,
        registration_ids=[registration.pk],
        approve=False,
        message="Only one person per cluster.",
    )
    services.registration_notify(registration=registration)
    services.event_cancel(event=event, by=organiser)

    # Rejected before the event was cancelled: nothing new to tell.
    assert services.registration_notify(registration=registration) == 0
    assert [email.subject for email in mailoutbox] == [
        "Registration received: Roundtable",
        "Your registration for Roundtable",
    ]
    assert "not accepted.\n\nMessage from the organisers:\nOnly one person per cluster.\n\n" in (
        mailoutbox[1].body
    )
