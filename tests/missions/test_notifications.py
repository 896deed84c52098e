"""Changes to a published itinerary: one task after commit, one email per person, once."""

import pytest
from django.core import mail

from missions import services
from missions.models import ChangeLogEntry, ItineraryItem
from missions.tasks import task_change_notify
from organizations.models import Membership
from organizations.services import membership_add

from ..conftest import wait_for
from .factories import at, make_visit


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
    mail.outbox.clear()
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
    mail.outbox.clear()
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
    mail.outbox.clear()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "delegate2@test.example.org",
        "delegate@test.example.org",
        "host@test.example.org",
    ]


def test_changes_to_a_draft_send_nothing(task_worker, organiser, day1, host_org, delegate):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    mail.outbox.clear()
    _move(visit, organiser)
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert task_change_notify(entry_id=entry.pk) == 0
    assert mail.outbox == []


def test_rolled_back_change_enqueues_nothing(task_worker, organiser, published_visit):
    from django.db import transaction

    mail.outbox.clear()
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
    mail.outbox.clear()
    _move(published_visit, organiser)
    assert wait_for(lambda: len(mail.outbox) >= 2)
    assert "delegate@test.example.org" not in [m.to[0] for m in mail.outbox]


def test_changing_a_confirmed_visit_tells_the_host_it_is_proposed_again(
    task_worker, organiser, published_visit, host_contact
):
    services.visit_confirm(item=published_visit, by=host_contact)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    mail.outbox.clear()

    _move(published_visit, organiser)

    published_visit.refresh_from_db()
    assert published_visit.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert wait_for(lambda: len(mail.outbox) >= 3)
    message = next(m for m in mail.outbox if m.to == ["host@test.example.org"])
    assert "A visit your organisation hosts" in message.body
    assert "  - Visit status: Confirmed by host → Proposed\n" in message.body


def test_changes_to_a_confirmed_visit_of_a_draft_reset_it_and_email_nobody(
    task_worker, organiser, day1, host_org, host_contact, delegate
):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    services.visit_confirm(item=visit, by=host_contact)
    mail.outbox.clear()
    _move(visit, organiser)
    visit.refresh_from_db()
    assert visit.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert mail.outbox == []
