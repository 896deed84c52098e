"""Times are typed as the venue's (or the call's) clocks: a typed UTC offset is refused
with a message, never silently dropped."""

from __future__ import annotations

import pytest

from missions.calls.forms import CallForm
from missions.events.forms import AgendaItemForm, EventForm
from missions.forms import VisitForm
from tests.missions.events.factories import make_event

OFFSET_MESSAGE = "Type the time as the clocks there show it, without a UTC offset or zone."


def _event_data(**overrides):
    data = {
        "title": "Roundtable",
        "kind": "roundtable",
        "time_zone": "Europe/Copenhagen",
        "starts_at": "2026-03-29T10:00",
        "ends_at": "2026-03-29T15:00",
        "registration_deadline": "2026-03-20T12:00",
        "capacity": "20",
        "offer_hours": "48",
    }
    return {**data, **overrides}


def test_event_form_reads_a_plain_wall_clock_in_the_venue_zone(organiser):
    form = EventForm(data=_event_data(), user=organiser)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"].isoformat() == "2026-03-29T08:00:00+00:00"


@pytest.mark.parametrize("typed", ["2026-03-29T10:00+02:00", "2026-03-29T10:00Z"])
def test_event_form_refuses_a_time_with_an_offset(organiser, typed):
    form = EventForm(data=_event_data(starts_at=typed), user=organiser)
    assert not form.is_valid()
    assert form.errors["starts_at"] == [OFFSET_MESSAGE]


def test_agenda_item_form_refuses_a_time_with_an_offset(organiser):
    event = make_event(organiser)
    form = AgendaItemForm(
        data={
            "title": "Welcome",
            "kind": "talk",
            "starts_at": "2026-03-29T10:00+02:00",
            "ends_at": "2026-03-29T10:30",
        },
        event=event,
    )
    assert not form.is_valid()
    assert form.errors["starts_at"] == [OFFSET_MESSAGE]


def test_call_form_refuses_a_deadline_with_an_offset(db):
    form = CallForm(
        data={
            "title": "Call",
            "description": "Join.",
            "time_zone": "America/New_York",
            "opens_at": "2026-03-01T09:00",
            "closes_at": "2026-03-29T17:00-04:00",
            "max_delegates": "3",
            "max_per_organization": "1",
            "conflict_rule": "organization",
            "reviews_per_application": "2",
        }
    )
    assert not form.is_valid()
    assert form.errors["closes_at"] == [OFFSET_MESSAGE]


def test_itinerary_item_form_refuses_a_time_with_an_offset(organiser, day1, host_org):
    form = VisitForm(
        data={
            "title": "Visit",
            "start_time": "10:00+02:00",
            "end_time": "12:00",
            "time_zone": "Europe/Copenhagen",
            "hosts": [host_org.name],
        },
        day=day1,
    )
    assert not form.is_valid()
    assert "start_time" in form.errors


def test_matchmaking_slot_form_refuses_a_time_with_an_offset(db):
    from matchmaking.forms import SlotForm

    form = SlotForm(data={"starts_at": "2026-03-29T10:00+02:00"})
    assert not form.is_valid()
    assert form.errors["starts_at"] == [OFFSET_MESSAGE]
    assert SlotForm(data={"starts_at": "2026-03-29T10:00"}).is_valid()
