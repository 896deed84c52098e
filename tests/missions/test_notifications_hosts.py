"""Emails about visits: hosts when a visit is proposed to them, organisers when a host
answers; nothing about a mission that has ended. Each sent after commit, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from missions import services
from missions.models import ChangeLogEntry, DelegationMember
from missions.tasks import task_change_notify

from ..factories import make_user
from .factories import at, make_day, make_mission, make_visit


@pytest.fixture
def live_mission(organiser):
    start = timezone.localdate() + dt.timedelta(days=40)
    return make_mission(
        organiser, start=start.isoformat(), end=(start + dt.timedelta(days=2)).isoformat()
    )


def _run_twice(entry: ChangeLogEntry) -> None:
    """The task again, twice, in-process: nothing more may go out."""
    task_change_notify.apply(kwargs={"entry_id": entry.pk})
    task_change_notify.apply(kwargs={"entry_id": entry.pk})


def test_visit_proposed_to_host_of_a_draft_emails_the_host_once(
    organiser, live_mission, host_org, host_contact, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    day = make_day(organiser, live_mission, live_mission.start_date.isoformat())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visit = make_visit(organiser, day, [host_org], title="Visit to EnergyVille")
    assert [m.to for m in mail.outbox] == [[host_contact.email]]
    message = mail.outbox[0]
    assert "Please confirm the visit" in message.body
    assert "https://portal.example.org/missions/host/" in message.body
    assert "\n" not in message.subject
    _run_twice(ChangeLogEntry.objects.get(item=visit, action="item_added"))
    assert len(mail.outbox) == 1


def test_host_confirmation_emails_the_organisers_once(
    organiser, live_mission, host_org, host_contact, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    day = make_day(organiser, live_mission, live_mission.start_date.isoformat())
    visit = make_visit(organiser, day, [host_org])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_confirm(item=visit, by=host_contact)
    to_organiser = [m for m in mail.outbox if m.to == [organiser.email]]
    assert len(to_organiser) == 1
    body = to_organiser[0].body
    assert "A host answered about a visit" in body
    assert f"https://portal.example.org/missions/{live_mission.slug}/plan/" in body
    count = len(mail.outbox)
    _run_twice(ChangeLogEntry.objects.get(item=visit, action="visit_confirmed"))
    assert len(mail.outbox) == count


def test_host_proposing_another_time_emails_the_organisers_once(
    organiser, live_mission, host_org, host_contact, django_capture_on_commit_callbacks
):
    day = make_day(organiser, live_mission, live_mission.start_date.isoformat())
    visit = make_visit(organiser, day, [host_org])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_propose_time(
            item=visit,
            by=host_contact,
            starts_at=at(day.date, "10:00"),
            ends_at=at(day.date, "12:00"),
            note="Mornings suit us better.",
        )
    to_organiser = [m for m in mail.outbox if m.to == [organiser.email]]
    assert len(to_organiser) == 1
    assert "Mornings suit us better." in to_organiser[0].body
    _run_twice(ChangeLogEntry.objects.get(item=visit, action="visit_time_proposed"))
    assert len([m for m in mail.outbox if m.to == [organiser.email]]) == 1


def test_confirming_a_visit_of_a_mission_that_ended_emails_nobody(
    organiser, mission, day1, host_org, host_contact, us_org, django_capture_on_commit_callbacks
):
    """The 2018 bug: confirming a visit of a mission long over emailed every delegate."""
    visit = make_visit(organiser, day1, [host_org])
    for number in range(13):
        services.delegation_member_add(
            mission=mission,
            by=organiser,
            user=make_user(f"ended{number}@test.example.org"),
            organization=us_org,
            role=DelegationMember.Role.MEMBER,
        )
    services.mission_publish(mission=mission, by=organiser, override_reason="Test.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_confirm(item=visit, by=host_contact)
    entry = ChangeLogEntry.objects.get(item=visit, action="visit_confirmed")
    assert entry.notify is False
    _run_twice(entry)
    assert mail.outbox == []


def test_change_queued_before_the_end_and_run_after_it_sends_nothing(
    organiser, live_mission, host_org, host_contact, django_capture_on_commit_callbacks
):
    import time_machine

    day = make_day(organiser, live_mission, live_mission.start_date.isoformat())
    visit = make_visit(organiser, day, [host_org])
    services.visit_confirm(item=visit, by=host_contact)  # queued, not run (no on_commit here)
    entry = ChangeLogEntry.objects.get(item=visit, action="visit_confirmed")
    assert entry.notify is True
    mail.outbox.clear()
    with time_machine.travel(live_mission.end_date + dt.timedelta(days=3)):
        _run_twice(entry)
    assert mail.outbox == []
