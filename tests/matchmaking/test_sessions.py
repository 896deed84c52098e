"""Sessions: days cut into slots around breaks in the venue's clock, tables, settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking.models import Session, Slot, Table
from matchmaking.services import sessions as services
from matchmaking.services.requests import request_accept

from .factories import make_participant, make_session, send

BERLIN = "Europe/Berlin"


def test_slot_windows_skip_breaks_in_venue_time():
    windows = services.slot_windows(
        date=dt.date(2016, 4, 25),
        start_time=dt.time(9, 30),
        end_time=dt.time(12, 0),
        minutes=30,
        breaks=[(dt.time(10, 45), dt.time(11, 0))],
        zone=BERLIN,
    )
    # 09:30, 10:00, (10:30 would cross the break), 11:00, 11:30 Berlin = UTC+2 in April.
    assert [start.strftime("%H:%M") for start, _end in windows] == [
        "07:30",
        "08:00",
        "09:00",
        "09:30",
    ]
    assert all(start.tzinfo == dt.UTC for start, _end in windows)


def test_slot_windows_across_the_spring_clock_change():
    windows = services.slot_windows(
        date=dt.date(2026, 3, 29),
        start_time=dt.time(3, 0),
        end_time=dt.time(5, 0),
        minutes=60,
        breaks=[],
        zone=BERLIN,
    )
    assert [(end - start) for start, end in windows] == [dt.timedelta(hours=1)] * 2


def test_session_create_makes_slots_and_tables(organiser):
    session = make_session(organiser, days=2, tables=3, seats=4)
    assert session.organisers.get() == organiser
    assert session.slots.count() == 10  # 5 a day: 09:00–10:30, 11:00–12:00
    assert list(session.tables.values_list("name", "seats")) == [
        ("Table 1", 4),
        ("Table 2", 4),
        ("Table 3", 4),
    ]


def test_session_create_by_a_participant_is_refused(db):
    from tests.factories import make_user

    with pytest.raises(PermissionDenied):
        services.session_create(by=make_user(), title="Mine", time_zone=BERLIN)
    assert not Session.objects.exists()


def test_session_create_with_unknown_zone_is_refused(organiser):
    with pytest.raises(ValidationError):
        services.session_create(by=organiser, title="Somewhere", time_zone="Mars/Olympus")
    assert not Session.objects.exists()


def test_day_add_twice_is_refused(organiser, session):
    day = session.days.get()
    spec = services.DaySpec(date=day.date, start_time=dt.time(14), end_time=dt.time(16))
    with pytest.raises(ValidationError, match="already has this day"):
        services.day_add(session=session, by=organiser, spec=spec)
    assert session.days.count() == 1


def test_day_add_too_short_for_a_meeting_is_refused(organiser, session):
    spec = services.DaySpec(
        date=session.days.get().date + dt.timedelta(days=1),
        start_time=dt.time(9),
        end_time=dt.time(9, 20),
    )
    with pytest.raises(ValidationError, match="too short"):
        services.day_add(session=session, by=organiser, spec=spec)
    assert session.days.count() == 1


def test_day_add_with_unknown_kind_is_refused(organiser, session):
    spec = services.DaySpec(
        date=session.days.get().date + dt.timedelta(days=1),
        start_time=dt.time(9),
        end_time=dt.time(12),
        kinds=["speed-dating"],
    )
    with pytest.raises(ValidationError, match="Unknown meeting kind"):
        services.day_add(session=session, by=organiser, spec=spec)


def test_day_add_by_another_organiser_is_refused(other_organiser, session):
    spec = services.DaySpec(date=dt.date(2030, 1, 1), start_time=dt.time(9), end_time=dt.time(12))
    with pytest.raises(PermissionDenied):
        services.day_add(session=session, by=other_organiser, spec=spec)


def test_slot_add_overlapping_is_refused(organiser, session):
    first = session.slots.first()
    with pytest.raises(ValidationError, match="overlaps"):
        services.slot_add(
            session=session, by=organiser, starts_at=first.starts_at + dt.timedelta(minutes=10)
        )
    assert session.slots.count() == 5


def test_slot_add_and_delete(organiser, session):
    last = session.slots.last()
    slot = services.slot_add(session=session, by=organiser, starts_at=last.ends_at, kinds=["c2c"])
    assert (slot.ends_at - slot.starts_at, slot.kinds, slot.day) == (
        dt.timedelta(minutes=30),
        ["c2c"],
        last.day,
    )
    services.slot_delete(slot=slot, by=organiser)
    assert not Slot.objects.filter(pk=slot.pk).exists()


def test_slot_and_table_with_a_meeting_cannot_be_deleted(organiser):
    session = make_session(organiser, participants_pick_slot=True, tables=1, seats=2)
    slot, table = session.slots.first(), session.tables.get()
    request = send(make_participant(session), make_participant(session))
    request_accept(request=request, by=request.receiver.user, slot=slot, table=table)
    with pytest.raises(ValidationError, match="move them first"):
        services.slot_delete(slot=slot, by=organiser)
    with pytest.raises(ValidationError, match="move them first"):
        services.table_delete(table=table, by=organiser)
    with pytest.raises(ValidationError, match="move them first"):
        services.day_delete(day=slot.day, by=organiser)
    assert Slot.objects.filter(pk=slot.pk).exists() and Table.objects.filter(pk=table.pk).exists()


def test_tables_add_continues_the_numbering(organiser, session):
    made = services.tables_add(session=session, by=organiser, count=2, prefix="Table", seats=8)
    assert [t.name for t in made] == ["Table 4", "Table 5"]


def test_tables_add_with_zero_seats_is_refused(organiser, session):
    with pytest.raises(ValidationError):
        services.tables_add(session=session, by=organiser, count=1, prefix="Sofa", seats=0)
    assert session.tables.count() == 3


def test_session_update_meeting_length_after_slots_is_refused(organiser, session):
    with pytest.raises(ValidationError, match="Remove the days first"):
        services.session_update(session=session, by=organiser, meeting_minutes=20)
    session.refresh_from_db()
    assert session.meeting_minutes == 30


def test_session_phase_set_unknown_is_refused(organiser, session):
    with pytest.raises(ValidationError):
        services.session_phase_set(session=session, phase="party", by=organiser)
