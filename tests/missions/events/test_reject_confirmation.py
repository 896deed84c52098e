"""Rejecting registrations in bulk asks first, on a page of its own: the first POST shows who
will be rejected and what they are told, and changes nothing; its button rejects them once.
Approving in bulk does not ask."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from missions.events.models import Registration
from organizations.models import Role

from ...factories import make_user
from .factories import make_event, make_member, register

Status = Registration.Status


def _pending_pair(organiser, organization):
    event = make_event(organiser, capacity=5, approval_required=True)
    people = [make_member(organization) for _ in range(2)]
    return event, [register(event, person, organization) for person in people]


def test_bulk_reject_asks_first_and_changes_nothing(client, organiser, organization):
    event, (first, second) = _pending_pair(organiser, organization)
    client.force_login(organiser)
    url = reverse("events:manage", args=[event.slug])
    mail.outbox.clear()
    response = client.post(
        url,
        {"registrations": [first.pk, second.pk], "decision": "reject", "message": "Sorry."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reject these registrations?" in page
    assert (
        f"2 registrations will be rejected: {first.user.get_full_name()} ({organization}), "
        f"{second.user.get_full_name()} ({organization})."
    ) in page
    assert "with your message: “Sorry.”" in page
    # The button posts the same choice back, confirmed, in hidden fields.
    assert f'action="{url}"' in page
    assert f'<input type="hidden" name="registrations" value="{first.pk}"' in page
    assert '<input type="hidden" name="confirmed" value="True"' in page
    for registration in (first, second):
        registration.refresh_from_db()
        assert registration.status == Status.PENDING
    assert mail.outbox == []


def test_confirmed_bulk_reject_rejects_once(
    client, organiser, organization, django_capture_on_commit_callbacks
):
    event, (first, second) = _pending_pair(organiser, organization)
    client.force_login(organiser)
    url = reverse("events:manage", args=[event.slug])
    data = {
        "registrations": [first.pk, second.pk],
        "decision": "reject",
        "message": "Sorry.",
        "confirmed": "True",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    for registration in (first, second):
        registration.refresh_from_db()
        assert (registration.status, registration.decision_message) == (Status.REJECTED, "Sorry.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)  # again: they are rejected already, nobody is told twice
    assert len(mail.outbox) == 2


def test_bulk_reject_confirmation_says_what_stays(client, organiser, organization):
    event, (first, second) = _pending_pair(organiser, organization)
    Registration.objects.filter(pk=second.pk).update(status=Status.REJECTED)
    client.force_login(organiser)
    page = client.post(
        reverse("events:manage", args=[event.slug]),
        {"registrations": [first.pk, second.pk], "decision": "reject"},
    ).content.decode()
    assert "1 registration will be rejected" in page
    assert "1 ticked registration is already cancelled or rejected and stays as it is." in page
    assert "Each person is emailed that their registration was declined." in page


def test_bulk_approve_does_not_ask(client, organiser, organization):
    event, (first, _second) = _pending_pair(organiser, organization)
    client.force_login(organiser)
    response = client.post(
        reverse("events:manage", args=[event.slug]),
        {"registrations": [first.pk], "decision": "approve"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.APPROVED


def test_bulk_reject_is_refused_to_others(client, organiser, organization):
    event, (first, _second) = _pending_pair(organiser, organization)
    data = {"registrations": [first.pk], "decision": "reject", "confirmed": "True"}
    url = reverse("events:manage", args=[event.slug])
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    client.force_login(make_user(roles=(Role.ORGANISER,)))
    assert client.post(url, data).status_code == 404
    first.refresh_from_db()
    assert first.status == Status.PENDING
