"""More service cases: days moved and removed, cancellations, mission changes after publishing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from missions import services
from missions.models import ChangeLogEntry, ItineraryItem

from .factories import at, make_day, make_session, make_visit


def test_day_update_renames_and_refuses_moving_a_day_with_items(organiser, mission, day1):
    services.day_update(day=day1, by=organiser, date=dt.date(2018, 11, 7), title="Malmö")
    day1.refresh_from_db()
    assert (day1.date, day1.title) == (dt.date(2018, 11, 7), "Malmö")
    make_session(organiser, day1, "09:00", "10:00")
    with pytest.raises(ValidationError) as error:
        services.day_update(day=day1, by=organiser, date=dt.date(2018, 11, 8), title="")
    assert error.value.message_dict["date"] == ["Move or remove this day's items before moving it."]


def test_day_update_refuses_a_date_already_taken(organiser, mission, day1):
    other = make_day(organiser, mission, "2018-11-07")
    with pytest.raises(ValidationError) as error:
        services.day_update(day=other, by=organiser, date=dt.date(2018, 11, 6), title="")
    assert error.value.message_dict["date"] == ["This mission already has that day."]


# Before the November 2018 mission ends: nothing is sent about a mission that has ended.
@time_machine.travel("2018-10-01 12:00 +0000", tick=True)
def test_day_delete_logs_its_items_and_their_hosts(organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org])
    services.mission_publish(mission=mission, by=organiser)
    services.day_delete(day=day1, by=organiser)
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.DAY_CHANGED)
    assert entry.changes == ["Removed: Visit to EnergyVille"]
    assert list(entry.affected_hosts.all()) == [host_org]
    assert entry.notify is True
    assert not ItineraryItem.objects.exists()


def test_visit_cancelled_by_organiser_is_logged_and_ignored_by_planner(
    organiser, mission, day1, host_org, host_contact
):
    visit = make_visit(organiser, day1, [host_org], "09:00", "11:00")
    make_session(organiser, day1, "10:00", "12:00")
    services.mission_publish(mission=mission, by=organiser, override_reason="Known overlap")
    services.item_update(item=visit, by=organiser, visit_status="cancelled")
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert entry.changes == ["Visit status: Proposed → Cancelled"]
    from missions import selectors

    assert selectors.mission_warnings(mission) == []
    with pytest.raises(ValidationError) as error:
        services.visit_confirm(item=visit, by=host_contact)
    assert error.value.messages == ["This visit was cancelled."]


# Before the November 2018 mission ends: nothing is sent about a mission that has ended.
@time_machine.travel("2018-10-01 12:00 +0000", tick=True)
def test_mission_update_after_publishing_is_notified(organiser, mission):
    services.mission_publish(mission=mission, by=organiser)
    services.mission_update(mission=mission, by=organiser, summary="Now with Rotterdam.")
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.MISSION_CHANGED)
    assert entry.changes == ["Summary: A high-level cluster mission. → Now with Rotterdam."]
    assert entry.notify is True


def test_travel_leg_has_no_hosts(organiser, day1, host_org):
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind="travel",
            hosts=[host_org],
            title="Train",
            from_city="Copenhagen",
            to_city="Malmö",
            time_zone="Europe/Copenhagen",
            starts_at=at("2018-11-06", "09:00"),
            ends_at=at("2018-11-06", "10:00"),
        )
    assert error.value.message_dict["hosts"] == ["Travel legs have no hosts."]


def test_item_longer_than_36_hours_is_refused(organiser, day1):
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind="session",
            session_kind="free_time",
            title="Long",
            time_zone="Europe/Copenhagen",
            starts_at=at("2018-11-06", "09:00"),
            ends_at=at("2018-11-08", "09:00"),
        )
    assert error.value.message_dict["ends_at"] == ["An item lasts at most 36 hours."]
    assert not ItineraryItem.objects.exists()


def test_item_create_places_new_items_in_time_order(organiser, day1, host_org):
    afternoon = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    morning = make_session(organiser, day1, "09:00", "12:00")
    lunch = make_session(organiser, day1, "12:00", "13:00", kind="meal", title="Lunch")
    assert list(day1.items.values_list("pk", flat=True)) == [morning.pk, lunch.pk, afternoon.pk]
