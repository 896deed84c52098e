"""Sending decisions asks first: the page says how many go out; before the call closes, or
with reviews missing, it says so and a box must be ticked. A GET sends nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from missions.calls import services
from missions.calls.models import Application

from ...factories import make_user
from .factories import make_applicant, make_application, make_us_org

S = Application.Status


@pytest.fixture
def prepared(call, organiser):
    organization = make_us_org("Cluster Ohio", "Ohio")
    application = make_application(
        call, make_applicant("ohio@test.example.org", organization), organization
    )
    services.decisions_prepare(call=call, by=organiser, decisions={application.pk: S.SELECTED})
    return application


def _close(call) -> None:
    call.closes_at = timezone.now() - dt.timedelta(hours=1)
    call.save(update_fields=["closes_at"])


def test_decisions_send_get_says_what_happens_and_sends_nothing(client, call, organiser, prepared):
    _close(call)
    client.force_login(organiser)
    url = reverse("calls:decisions_send", kwargs={"pk": call.pk})
    page = client.get(url).content.decode()
    assert "1 prepared decision is sent" in page
    assert "send_anyway" not in page  # nothing early: no box to tick
    prepared.refresh_from_db()
    assert (prepared.status, prepared.decision_pending) == (S.SUBMITTED, S.SELECTED)
    assert url in client.get(reverse("calls:decisions", kwargs={"pk": call.pk})).content.decode()


def test_decisions_send_post_sends_once(client, call, organiser, prepared, mailoutbox):
    _close(call)
    client.force_login(organiser)
    url = reverse("calls:decisions_send", kwargs={"pk": call.pk})
    assert client.post(url).status_code == 302
    prepared.refresh_from_db()
    assert (prepared.status, prepared.decision_pending) == (S.SELECTED, "")
    changes = prepared.status_changes.count()
    assert client.post(url).status_code == 302  # nothing left to send
    assert prepared.status_changes.count() == changes


def test_decisions_send_before_the_deadline_needs_the_box(client, call, organiser, prepared):
    client.force_login(organiser)
    url = reverse("calls:decisions_send", kwargs={"pk": call.pk})
    page = client.get(url).content.decode()
    assert "The call is still open" in page and 'name="send_anyway"' in page
    response = client.post(url)
    assert response.status_code == 400
    assert "Tick the box to send the decisions despite the warnings" in response.content.decode()
    prepared.refresh_from_db()
    assert prepared.decision_pending == S.SELECTED
    assert client.post(url, {"send_anyway": "on"}).status_code == 302
    prepared.refresh_from_db()
    assert prepared.status == S.SELECTED


def test_decisions_send_with_reviews_missing_says_how_many(client, call, organiser, prepared):
    _close(call)
    reviewer = make_user(roles=("reviewer",))
    services.reviewer_assign(application=prepared, reviewer=reviewer, by=organiser)
    client.force_login(organiser)
    url = reverse("calls:decisions_send", kwargs={"pk": call.pk})
    assert "1 review is not submitted yet." in client.get(url).content.decode()
    assert client.post(url).status_code == 400
    prepared.refresh_from_db()
    assert prepared.decision_pending == S.SELECTED


def test_decisions_send_old_one_click_button_only_leads_to_the_page(
    client, call, organiser, prepared
):
    _close(call)
    client.force_login(organiser)
    response = client.post(reverse("calls:decisions", kwargs={"pk": call.pk}), {"action": "send"})
    assert response["Location"] == reverse("calls:decisions_send", kwargs={"pk": call.pk})
    prepared.refresh_from_db()
    assert prepared.decision_pending == S.SELECTED


def test_decisions_send_of_another_organisers_call_is_404(client, call, prepared):
    client.force_login(make_user(roles=("organiser",)))
    url = reverse("calls:decisions_send", kwargs={"pk": call.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"send_anyway": "on"}).status_code == 404
    prepared.refresh_from_db()
    assert prepared.decision_pending == S.SELECTED
