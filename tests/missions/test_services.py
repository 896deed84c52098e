"""The missions services: validation, permissions, naive datetimes, nothing half-written."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from missions import services
from missions.models import ChangeLogEntry, ItineraryItem, Mission

from ..factories import make_user
from .factories import at, make_day, make_mission, make_session, make_travel, make_visit


def test_mission_create_makes_a_draft_with_delegation_and_organiser(organiser):
    mission = make_mission(organiser, title="Cluster mission 2018")
    assert mission.status == Mission.Status.DRAFT
    assert mission.slug == "cluster-mission-2018"
    assert list(mission.organisers.all()) == [organiser]
    assert mission.delegation.members.count() == 0
    assert make_mission(organiser, title="Cluster mission 2018").slug == "cluster-mission-2018-2"


def test_mission_create_refused_to_non_organiser(applicant):
    with pytest.raises(PermissionDenied):
        make_mission(applicant)
    assert Mission.objects.count() == 0


def test_mission_create_rejects_end_before_start(organiser):
    with pytest.raises(ValidationError) as error:
        make_mission(organiser, start="2018-11-09", end="2018-11-06")
    assert error.value.message_dict["end_date"] == ["The last day is before the first day."]
    assert Mission.objects.count() == 0


def test_mission_create_rejects_oversized_title_and_long_mission(organiser):
    with pytest.raises(ValidationError) as error:
        make_mission(organiser, title="x" * 201)
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_mission(organiser, start="2018-01-01", end="2018-03-01")
    assert error.value.message_dict["end_date"] == ["A mission lasts at most 31 days."]
    assert Mission.objects.count() == 0


def test_mission_create_rejects_unknown_time_zone(organiser):
    with pytest.raises(ValidationError) as error:
        make_mission(organiser, time_zone="CET+1")
    assert error.value.message_dict["time_zone"] == ["“CET+1” is not an IANA time zone."]


def test_item_create_rejects_naive_datetimes(organiser, day1):
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind=ItineraryItem.Kind.SESSION,
            title="Roundtable",
            session_kind="roundtable",
            time_zone="Europe/Copenhagen",
            starts_at=dt.datetime(2018, 11, 6, 9, 0),
            ends_at=at("2018-11-06", "12:00"),
        )
    assert error.value.message_dict["starts_at"] == [
        "“2018-11-06 09:00:00” has no time zone. Times must say where they are "
        "(for example 09:00 Europe/Copenhagen)."
    ]
    assert ItineraryItem.objects.count() == 0


def test_item_create_stores_utc_and_keeps_the_venue_zone(organiser, day1, host_org):
    item = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    item.refresh_from_db()
    assert item.starts_at == dt.datetime(2018, 11, 6, 13, 0, tzinfo=dt.UTC)
    assert item.time_zone == "Europe/Copenhagen"
    assert item.visit_status == ItineraryItem.VisitStatus.PROPOSED
    # A visit without coordinates is placed at its host.
    assert (item.latitude, item.longitude) == (host_org.latitude, host_org.longitude)


def test_item_create_rejects_end_before_start_and_other_day(organiser, day1, host_org):
    with pytest.raises(ValidationError) as error:
        make_visit(organiser, day1, [host_org], "16:00", "14:00")
    assert error.value.message_dict["ends_at"] == ["The end must be after the start."]
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind=ItineraryItem.Kind.VISIT,
            hosts=[host_org],
            title="Wrong day",
            starts_at=at("2018-11-07", "09:00"),
            ends_at=at("2018-11-07", "10:00"),
            time_zone="Europe/Copenhagen",
        )
    assert error.value.message_dict["starts_at"] == [
        "This starts on 2018-11-07 in Europe/Copenhagen, not on the day it is filed under "
        "(2018-11-06)."
    ]
    assert ItineraryItem.objects.count() == 0


def test_item_create_rejects_visit_without_host_and_travel_without_city(organiser, day1):
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind="visit",
            title="Nobody",
            time_zone="Europe/Copenhagen",
            starts_at=at("2018-11-06", "09:00"),
            ends_at=at("2018-11-06", "10:00"),
        )
    assert error.value.message_dict["hosts"] == ["A visit has at least one host organisation."]
    with pytest.raises(ValidationError):
        make_travel(organiser, day1, "Copenhagen", "", "09:00", "10:00")
    with pytest.raises(ValidationError) as error:
        services.item_create(
            day=day1,
            by=organiser,
            kind="party",
            title="?",
            time_zone="Europe/Copenhagen",
            starts_at=at("2018-11-06", "09:00"),
            ends_at=at("2018-11-06", "10:00"),
        )
    assert error.value.message_dict["kind"] == ["Unknown kind of item."]
    assert ItineraryItem.objects.count() == 0


def test_item_constraint_end_after_start_holds_in_the_database(organiser, day1):
    item = make_session(organiser, day1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItineraryItem.objects.filter(pk=item.pk).update(ends_at=item.starts_at)


def test_item_create_refused_to_organiser_of_another_mission(organiser, day1):
    from organizations.models import Role

    someone = make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))
    with pytest.raises(PermissionDenied):
        make_session(someone, day1)


def test_day_create_rejects_duplicate_and_far_dates(organiser, mission, day1):
    with pytest.raises(ValidationError) as error:
        make_day(organiser, mission, "2018-11-06")
    assert error.value.message_dict["date"] == ["This mission already has that day."]
    with pytest.raises(ValidationError) as error:
        make_day(organiser, mission, "2019-01-01")
    assert "too far from the mission" in error.value.message_dict["date"][0]
    assert mission.days.count() == 1


def test_items_reorder_and_move(organiser, day1, host_org):
    first = make_session(organiser, day1, "09:00", "10:00")
    second = make_visit(organiser, day1, [host_org], "11:00", "12:00")
    assert [first.position, second.position] == [0, 1]
    services.item_move(item=second, by=organiser, offset=-1)
    assert list(day1.items.values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(ValidationError):
        services.items_reorder(day=day1, by=organiser, item_ids=[first.pk])


def test_mission_publish_blocked_by_warnings_then_overridden(organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org], "09:00", "11:00")
    make_session(organiser, day1, "10:00", "12:00")
    with pytest.raises(ValidationError) as error:
        services.mission_publish(mission=mission, by=organiser)
    assert error.value.messages[1] == (
        "“Visit to EnergyVille” and “EU-US cluster roundtable” overlap."
    )
    mission.refresh_from_db()
    assert mission.status == Mission.Status.DRAFT
    published = services.mission_publish(
        mission=mission, by=organiser, override_reason="The roundtable runs in parallel."
    )
    assert published.status == Mission.Status.PUBLISHED
    assert published.publish_override_reason == "The roundtable runs in parallel."
    assert published.publish_override_by == organiser
    entry = mission.change_log.get(action=ChangeLogEntry.Action.PUBLISHED_WITH_OVERRIDE)
    assert entry.changes == ["“Visit to EnergyVille” and “EU-US cluster roundtable” overlap."]


def test_mission_publish_without_warnings_needs_no_reason(organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org], "09:00", "11:00")
    published = services.mission_publish(mission=mission, by=organiser)
    assert published.status == Mission.Status.PUBLISHED
    assert published.publish_override_reason == ""
    with pytest.raises(ValidationError):
        services.mission_publish(mission=mission, by=organiser)


def test_mission_set_status_follows_the_lifecycle(organiser, mission):
    with pytest.raises(ValidationError):
        services.mission_set_status(mission=mission, by=organiser, status=Mission.Status.COMPLETED)
    services.mission_publish(mission=mission, by=organiser)
    done = services.mission_set_status(
        mission=mission, by=organiser, status=Mission.Status.COMPLETED
    )
    assert done.status == Mission.Status.COMPLETED
    day = mission.days.create(date=dt.date(2018, 11, 7))
    with pytest.raises(ValidationError) as error:
        make_session(organiser, day)
    assert error.value.messages == [
        "This mission is completed; its itinerary can no longer change."
    ]


def test_mission_duplicate_keeps_wall_clock_times_across_dst(organiser, mission, day1, host_org):
    make_visit(organiser, day1, [host_org], "14:00", "16:00")
    # 6 Nov 2018 is winter time in Copenhagen; 6 Jun 2019 is summer time.
    copy = services.mission_duplicate(
        mission=mission, by=organiser, title="Mission 2019", start_date=dt.date(2019, 6, 4)
    )
    assert copy.status == Mission.Status.DRAFT
    assert (copy.start_date, copy.end_date) == (dt.date(2019, 6, 4), dt.date(2019, 6, 7))
    item = ItineraryItem.objects.get(day__mission=copy)
    assert item.day.date == dt.date(2019, 6, 4)
    assert item.starts_at == dt.datetime(2019, 6, 4, 12, 0, tzinfo=dt.UTC)  # 14:00 CEST
    assert list(item.hosts.all()) == [host_org]
    assert item.visit_status == ItineraryItem.VisitStatus.PROPOSED
    assert copy.duplicated_from == mission


def test_delegation_member_add_defaults_home_zone_and_one_head(organiser, mission, us_org):
    from missions.models import DelegationMember

    first = make_user("a@test.example.org", home_time_zone="America/Chicago")
    member = services.delegation_member_add(
        mission=mission,
        by=organiser,
        user=first,
        organization=us_org,
        role=DelegationMember.Role.HEAD,
    )
    assert member.home_time_zone == "America/Chicago"
    with pytest.raises(ValidationError) as error:
        services.delegation_member_add(
            mission=mission,
            by=organiser,
            user=make_user(),
            organization=us_org,
            role=DelegationMember.Role.HEAD,
        )
    assert error.value.message_dict["role"] == ["The delegation already has a head."]
    with pytest.raises(ValidationError):
        services.delegation_member_add(
            mission=mission, by=organiser, user=first, organization=us_org
        )


def test_visit_confirm_by_host_contact_only(organiser, day1, host_org, host_contact, other_user):
    visit = make_visit(organiser, day1, [host_org])
    with pytest.raises(PermissionDenied):
        services.visit_confirm(item=visit, by=other_user)
    confirmed = services.visit_confirm(item=visit, by=host_contact)
    assert confirmed.visit_status == ItineraryItem.VisitStatus.CONFIRMED


def test_visit_propose_time_then_organiser_accepts(organiser, day1, host_org, host_contact):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    with pytest.raises(ValidationError):
        services.visit_propose_time(
            item=visit,
            by=host_contact,
            starts_at=dt.datetime(2018, 11, 6, 15),
            ends_at=at("2018-11-06", "17:00"),
        )
    proposed = services.visit_propose_time(
        item=visit,
        by=host_contact,
        starts_at=at("2018-11-06", "15:00"),
        ends_at=at("2018-11-06", "17:00"),
        note="Our lab tour starts at three.",
    )
    assert proposed.starts_at == at("2018-11-06", "14:00")  # nothing moves yet
    accepted = services.visit_accept_proposal(item=proposed, by=organiser)
    assert accepted.starts_at == at("2018-11-06", "15:00")
    assert accepted.visit_status == ItineraryItem.VisitStatus.CONFIRMED
    assert accepted.proposed_starts_at is None


# Before the November 2018 mission ends: nothing is sent about a mission that has ended.
@time_machine.travel("2018-10-01 12:00 +0000", tick=True)
def test_item_update_on_published_mission_logs_what_changed(
    organiser, mission, day1, host_org, delegate
):
    visit = make_visit(organiser, day1, [host_org], "14:00", "16:00")
    services.mission_publish(mission=mission, by=organiser)
    services.item_update(
        item=visit,
        by=organiser,
        starts_at=at("2018-11-06", "15:00"),
        ends_at=at("2018-11-06", "17:00"),
    )
    entry = mission.change_log.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert entry.changes == [
        "Starts at: Tue 06 Nov 14:00 CET → Tue 06 Nov 15:00 CET",
        "Ends at: Tue 06 Nov 16:00 CET → Tue 06 Nov 17:00 CET",
    ]
    assert entry.notify is True
    assert list(entry.affected_hosts.all()) == [host_org]


def test_item_update_on_draft_is_logged_but_not_notified(organiser, day1, host_org):
    visit = make_visit(organiser, day1, [host_org])
    services.item_update(item=visit, by=organiser, title="New title")
    entry = ChangeLogEntry.objects.get(action=ChangeLogEntry.Action.ITEM_CHANGED)
    assert entry.changes == ["Title: Visit to EnergyVille → New title"]
    assert entry.notify is False


def test_feed_token_rotate_only_by_the_delegate(organiser, mission, delegate, second_delegate):
    member = mission.delegation.members.get(user=delegate)
    with pytest.raises(PermissionDenied):
        services.feed_token_rotate(member=member, by=second_delegate)
    token = services.feed_token_rotate(member=member, by=delegate)
    assert len(token) >= 40
    assert member.feed_token_hash != token and len(member.feed_token_hash) == 64


def test_mission_slug_avoids_paths_of_the_missions_pages(organiser):
    assert make_mission(organiser, title="New").slug == "new-2"
    assert make_mission(organiser, title="Host").slug == "host-2"
