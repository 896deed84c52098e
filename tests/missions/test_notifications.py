"""Changes to a published itinerary: one task after commit, one email per person, once."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import resolve, reverse

from missions import services
from missions.models import ChangeLogEntry, ItineraryItem
from missions.tasks import task_change_notify
from organizations.models import Membership
from organizations.services import membership_add

from ..conftest import outbox_cleared, wait_for
from .factories import at, make_visit


@pytest.fixture(autouse=True)
def before_the_mission():
    """These missions are dated November 2018, and nothing is sent about a mission that has
    ended: the clock is set to October 2018 (and keeps ticking)."""
    import time_machine

    with time_machine.travel("2018-10-01 12:00 +0000", tick=True):
        yield


@pytest.fixture
def published_visit(organiser, mission, day1, host_org, host_contact, delegate, second_delegate):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    services.mission_publish(mission=mission, by=organiser)
    return visit


def _move(visit, organiser, start="15:00", end="17:00"):
    return services.item_update(
        item=visit,
        by=organiser,
        starts_at=at("2018-11-06", start),
        ends_at=at("2018-11-06", end),
    )


def test_change_to_published_item_emails_each_delegate_and_host_once(
    task_worker, organiser, published_visit
):
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "delegate2@test.example.org",
        "delegate@test.example.org",
        "host@test.example.org",
    ]
    message = next(m for m in mail.outbox if m.to == ["host@test.example.org"])
    assert message.subject == (
        "[US cluster mission to the EU] Itinerary changed: Changed: Visit to EnergyVille"
    )
    assert "A visit your organisation hosts" in message.body
    assert "Starts at: Tue 06 Nov 14:00 CET → Tue 06 Nov 15:00 CET" in message.body
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert wait_for(lambda: ChangeLogEntry.objects.get(pk=entry.pk).notified_at is not None)


def test_change_notify_task_run_twice_sends_once(task_worker, organiser, published_visit):
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    # The same task again, as a retry or a duplicate delivery would run it.
    assert task_change_notify.delay(entry_id=entry.pk).get(timeout=15) == 0
    assert task_change_notify(entry_id=entry.pk) == 0
    assert len(mail.outbox) == 3


def test_person_both_delegate_and_host_gets_one_email(
    task_worker, organiser, mission, published_visit, host_org, delegate
):
    membership_add(organization=host_org, user=delegate, role=Membership.Role.MEMBER)
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "delegate2@test.example.org",
        "delegate@test.example.org",
        "host@test.example.org",
    ]


def test_changes_to_a_draft_send_nothing(task_worker, organiser, day1, host_org, delegate):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    outbox_cleared()
    _move(visit, organiser)
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert task_change_notify(entry_id=entry.pk) == 0
    assert mail.outbox == []


def test_rolled_back_change_enqueues_nothing(task_worker, organiser, published_visit):
    from django.db import transaction

    outbox_cleared()
    with pytest.raises(RuntimeError), transaction.atomic():
        _move(published_visit, organiser)
        raise RuntimeError("the request failed after the change")
    assert not ChangeLogEntry.objects.filter(action=ChangeLogEntry.Action.ITEM_CHANGED).exists()
    assert mail.outbox == []


def test_change_notify_task_for_missing_entry_returns_zero(db):
    assert task_change_notify(entry_id=999999) == 0


def test_inactive_delegate_gets_nothing(task_worker, organiser, published_visit, delegate):
    delegate.is_active = False
    delegate.save(update_fields=["is_active"])
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 2)
    assert "delegate@test.example.org" not in [m.to[0] for m in mail.outbox]


# --- A confirmed visit changed; links in the emails -------------------------------------------

LINK = re.compile(r"^(https?://\S+)$", re.MULTILINE)


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def _open_as(client, user, url: str):
    """The page behind an emailed link, for the person it was sent to."""
    assert url.startswith(settings.SITE_URL + "/"), url
    path = url.removeprefix(settings.SITE_URL)
    resolve(path)  # raises Resolver404 for a link to nowhere
    client.force_login(user)
    return client.get(path)


def test_changing_a_confirmed_visit_tells_the_host_to_confirm_again(
    task_worker, client, organiser, published_visit, host_contact
):
    services.visit_confirm(item=published_visit, by=host_contact)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    outbox_cleared()

    _move(published_visit, organiser)

    published_visit.refresh_from_db()
    assert published_visit.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert wait_for(lambda: len(mail.outbox) >= 3)
    message = next(m for m in mail.outbox if m.to == ["host@test.example.org"])
    assert "  - Visit status: Confirmed by host → Proposed\n" in message.body
    assert "Please confirm the visit as it now stands, or propose another time:" in message.body
    [link] = _links(message)
    assert link == settings.SITE_URL + reverse("missions:host_visits")
    page = _open_as(client, host_contact, link)
    assert page.status_code == 200
    assert [v.pk for v in page.context["visits"]] == [published_visit.pk]
    delegate_message = next(m for m in mail.outbox if m.to == ["delegate@test.example.org"])
    assert "Please confirm" not in delegate_message.body


def test_change_email_to_delegates_links_to_the_change_log_and_itinerary(
    task_worker, client, organiser, mission, published_visit, delegate
):
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    message = next(m for m in mail.outbox if m.to == ["delegate@test.example.org"])
    changes, itinerary = _links(message)
    assert changes == f"http://127.0.0.1:8000/missions/{mission.slug}/changes/"
    assert itinerary == f"http://127.0.0.1:8000/missions/{mission.slug}/itinerary/"
    page = _open_as(client, delegate, changes)
    assert page.status_code == 200
    assert [e.summary for e in page.context["entries"]][0] == "Changed: Visit to EnergyVille"
    page = _open_as(client, delegate, itinerary)
    assert page.status_code == 200
    assert "Visit to EnergyVille" in page.content.decode()


def test_host_confirmation_email_links_to_the_pages(
    task_worker, client, published_visit, host_contact, delegate
):
    outbox_cleared()
    services.visit_confirm(item=published_visit, by=host_contact)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    to_host = next(m for m in mail.outbox if m.to == ["host@test.example.org"])
    assert "confirmed: Visit to EnergyVille" in to_host.subject
    assert "Please confirm" not in to_host.body
    assert "The visits your organisation hosts:" in to_host.body
    [link] = _links(to_host)
    assert _open_as(client, host_contact, link).status_code == 200
    to_delegate = next(m for m in mail.outbox if m.to == ["delegate@test.example.org"])
    for link in _links(to_delegate):
        assert _open_as(client, delegate, link).status_code == 200
    assert len(_links(to_delegate)) == 2


@override_settings(SITE_URL="https://missions.example.org")
def test_email_links_start_with_the_site_url_setting(task_worker, organiser, published_visit):
    outbox_cleared()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    links = [link for message in mail.outbox for link in _links(message)]
    assert len(links) == 5  # two for each delegate, one for the host
    assert all(link.startswith("https://missions.example.org/missions/") for link in links)


def test_changes_to_a_confirmed_visit_of_a_draft_reset_it_and_email_nobody(
    task_worker, organiser, day1, host_org, host_contact, delegate
):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    services.visit_confirm(item=visit, by=host_contact)
    outbox_cleared()
    _move(visit, organiser)
    visit.refresh_from_db()
    assert visit.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert mail.outbox == []
