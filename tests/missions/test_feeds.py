"""Calendar feeds parsed back with icalendar, item by item; private links and rotation."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from missions import services
from missions.models import ItineraryItem

from .factories import make_day, make_session, make_travel, make_visit

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def published(organiser, mission, day1, host_org):
    make_session(
        organiser, day1, "09:00", "12:30", venue_name="BLOXHUB", venue_address="Bryghusgade 8"
    )
    make_visit(organiser, day1, [host_org], "14:00", "16:00", topic="Energy labs")
    make_session(
        organiser, day1, "19:00", "21:00", kind="meal", title="Delegation dinner", is_public=False
    )
    day2 = make_day(organiser, mission, "2018-11-07")
    make_travel(organiser, day2, "Copenhagen", "Malmö", "12:00", "13:00")
    services.mission_publish(mission=mission, by=organiser)
    mission.refresh_from_db()
    return mission


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_public_feed_lists_public_items_in_venue_zone(client, published, host_org):
    calendar, events = _events(
        client.get(reverse("missions:public_feed", kwargs={"slug": published.slug}))
    )
    assert [str(e["SUMMARY"]) for e in events] == [
        "EU-US cluster roundtable",
        "Visit to EnergyVille",
        "Copenhagen → Malmö",
    ]
    roundtable, visit, leg = events
    assert roundtable.decoded("DTSTART") == dt.datetime(2018, 11, 6, 9, 0, tzinfo=CPH)
    assert roundtable["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert roundtable.decoded("DTEND") == dt.datetime(2018, 11, 6, 12, 30, tzinfo=CPH)
    assert str(roundtable["LOCATION"]) == "BLOXHUB, Bryghusgade 8, Copenhagen"
    assert str(visit["DESCRIPTION"]) == "EnergyVille\nEnergy labs"
    assert str(visit["STATUS"]) == "TENTATIVE"
    assert str(leg["LOCATION"]) == "Copenhagen → Malmö"
    assert len({str(e["UID"]) for e in events}) == 3
    # One VTIMEZONE for the zone used, with its standard and daylight rules.
    timezones = calendar.walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in timezones] == ["Europe/Copenhagen"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_public_feed_follows_itinerary_changes(client, organiser, published):
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    services.item_update(
        item=visit,
        by=organiser,
        starts_at=dt.datetime(2018, 11, 6, 15, tzinfo=CPH),
        ends_at=dt.datetime(2018, 11, 6, 17, tzinfo=CPH),
    )
    _calendar, events = _events(
        client.get(reverse("missions:public_feed", kwargs={"slug": published.slug}))
    )
    moved = next(e for e in events if str(e["SUMMARY"]) == "Visit to EnergyVille")
    assert moved.decoded("DTSTART") == dt.datetime(2018, 11, 6, 15, 0, tzinfo=CPH)


def test_private_feed_has_every_item_for_the_delegate(client, published, delegate):
    member = published.delegation.members.get(user=delegate)
    token = services.feed_token_rotate(member=member, by=delegate)
    client.logout()
    response = client.get(reverse("missions:private_feed", kwargs={"token": token}))
    _calendar, events = _events(response)
    assert [str(e["SUMMARY"]) for e in events] == [
        "EU-US cluster roundtable",
        "Visit to EnergyVille",
        "Delegation dinner",
        "Copenhagen → Malmö",
    ]


def test_private_feed_token_rotation_invalidates_the_old_url(client, published, delegate):
    member = published.delegation.members.get(user=delegate)
    old = services.feed_token_rotate(member=member, by=delegate)
    new = services.feed_token_rotate(member=member, by=delegate)
    assert old != new
    assert client.get(reverse("missions:private_feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("missions:private_feed", kwargs={"token": new})).status_code == 200
    assert client.get(reverse("missions:private_feed", kwargs={"token": "junk"})).status_code == 404


def test_private_feed_page_rotates_for_the_delegate_only(
    client, published, delegate, second_delegate
):
    url = reverse("missions:my_calendar", kwargs={"slug": published.slug})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(delegate)
    response = client.post(url)
    assert response.status_code == 200
    feed_url = response.context["feed_url"]
    assert feed_url.startswith("http://testserver/missions/calendar/")
    path = feed_url.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    # Another delegate makes their own link; it does not replace or reveal the first one.
    client.force_login(second_delegate)
    other = client.post(url).context["feed_url"]
    assert other != feed_url
    assert client.get(path).status_code == 200
    member = published.delegation.members.get(user=delegate)
    assert member.feed_token_hash not in other


def test_private_feed_page_is_404_for_non_delegates(client, published, other_user):
    client.force_login(other_user)
    url = reverse("missions:my_calendar", kwargs={"slug": published.slug})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_private_feed_stops_when_mission_is_archived(client, organiser, published, delegate):
    from missions.models import Mission

    member = published.delegation.members.get(user=delegate)
    token = services.feed_token_rotate(member=member, by=delegate)
    services.mission_set_status(mission=published, by=organiser, status=Mission.Status.ARCHIVED)
    assert client.get(reverse("missions:private_feed", kwargs={"token": token})).status_code == 404


# --- Revisions: UID, SEQUENCE, DTSTAMP, LAST-MODIFIED, cancellations --------------------------


def _private_events(client, published, delegate) -> dict[str, object]:
    member = published.delegation.members.get(user=delegate)
    token = services.feed_token_rotate(member=member, by=delegate)
    _calendar, events = _events(
        client.get(reverse("missions:private_feed", kwargs={"token": token}))
    )
    return {str(e["SUMMARY"]): e for e in events}


def _revision(event) -> tuple[str, int, dt.datetime, dt.datetime]:
    return (
        str(event["UID"]),
        event.decoded("SEQUENCE"),
        event.decoded("DTSTAMP"),
        event.decoded("LAST-MODIFIED"),
    )


def test_feed_events_carry_uid_sequence_dtstamp_and_last_modified(client, published, delegate):
    events = _private_events(client, published, delegate)
    for event in events.values():
        uid, sequence, stamp, modified = _revision(event)
        assert uid.startswith("item-") and uid.endswith("@missions.clustermissions")
        assert sequence == 0
        # Both in UTC (RFC 5545 §3.8.7.2 and §3.8.7.3), and the time it last changed.
        assert event["DTSTAMP"].to_ical().endswith(b"Z")
        assert event["LAST-MODIFIED"].to_ical().endswith(b"Z")
        assert stamp == modified


def test_feed_is_the_same_when_nothing_changed(client, published):
    url = reverse("missions:public_feed", kwargs={"slug": published.slug})
    first = client.get(url).content
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        assert client.get(url).content == first


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": dt.datetime(2018, 11, 6, 15, tzinfo=CPH)},
        {"ends_at": dt.datetime(2018, 11, 6, 17, tzinfo=CPH)},
        {"venue_name": "Thor Park"},
        {"city": "Genk"},
        {"latitude": "50.95", "longitude": "5.50"},
        {"visit_status": "cancelled"},
    ],
)
def test_feed_sequence_rises_when_time_place_or_status_changes(
    client, organiser, published, delegate, change
):
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    before = _private_events(client, published, delegate)["Visit to EnergyVille"]
    if "starts_at" in change:
        change["ends_at"] = dt.datetime(2018, 11, 6, 17, tzinfo=CPH)
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        services.item_update(item=visit, by=organiser, **change)
    after = _private_events(client, published, delegate)["Visit to EnergyVille"]
    uid, sequence, stamp, modified = _revision(after)
    assert uid == str(before["UID"])
    assert sequence == before.decoded("SEQUENCE") + 1
    assert stamp == modified == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert modified > before.decoded("LAST-MODIFIED")


def test_feed_sequence_stays_when_only_the_wording_changes(client, organiser, published, delegate):
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    before = _private_events(client, published, delegate)["Visit to EnergyVille"]
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        services.item_update(item=visit, by=organiser, topic="Batteries", notes="Passports")
    after = _private_events(client, published, delegate)["Visit to EnergyVille"]
    assert after.decoded("SEQUENCE") == before.decoded("SEQUENCE") == 0
    # Still a revision the client picks up by its time, just not a rescheduling.
    assert after.decoded("LAST-MODIFIED") == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert str(after["DESCRIPTION"]) == "EnergyVille\nBatteries\nPassports"


def test_feed_sequence_follows_the_hosts_answers(
    client, organiser, mission, published, delegate, host_contact
):
    make_day(organiser, mission, "2018-11-08")
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    steps = [
        (lambda: services.visit_confirm(item=visit, by=host_contact), 1, "CONFIRMED"),
        # Confirming twice changes nothing.
        (lambda: services.visit_confirm(item=visit, by=host_contact), 1, "CONFIRMED"),
        (
            lambda: services.visit_propose_time(
                item=visit,
                by=host_contact,
                starts_at=dt.datetime(2018, 11, 8, 10, tzinfo=CPH),
                ends_at=dt.datetime(2018, 11, 8, 12, tzinfo=CPH),
            ),
            2,
            "TENTATIVE",
        ),
        (lambda: services.visit_accept_proposal(item=visit, by=organiser), 3, "CONFIRMED"),
    ]
    for action, sequence, status in steps:
        action()
        event = _private_events(client, published, delegate)["Visit to EnergyVille"]
        assert (event.decoded("SEQUENCE"), str(event["STATUS"])) == (sequence, status)
    assert event.decoded("DTSTART") == dt.datetime(2018, 11, 8, 10, tzinfo=CPH)


def test_travel_leg_sequence_rises_when_its_destination_changes(
    client, organiser, published, delegate
):
    leg = published.days.get(date=dt.date(2018, 11, 7)).items.get(kind="travel")
    services.item_update(item=leg, by=organiser, to_city="Lund")
    events = _private_events(client, published, delegate)
    assert events["Copenhagen → Malmö"].decoded("SEQUENCE") == 1
    assert str(events["Copenhagen → Malmö"]["LOCATION"]) == "Copenhagen → Lund"


def test_cancelled_visit_stays_in_the_private_feed_as_cancelled(
    client, organiser, published, delegate
):
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    before = _private_events(client, published, delegate)["Visit to EnergyVille"]
    assert str(before["STATUS"]) == "TENTATIVE"
    services.item_update(item=visit, by=organiser, visit_status="cancelled")
    events = _private_events(client, published, delegate)
    assert list(events) == [
        "EU-US cluster roundtable",
        "Visit to EnergyVille",
        "Delegation dinner",
        "Copenhagen → Malmö",
    ]
    cancelled = events["Visit to EnergyVille"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(before["UID"])
    assert cancelled.decoded("SEQUENCE") == 1
    assert cancelled.decoded("DTSTART") == before.decoded("DTSTART")


def test_duplicated_mission_starts_its_events_at_sequence_zero(
    client, organiser, published, delegate
):
    visit = published.days.get(date=dt.date(2018, 11, 6)).items.get(kind="visit")
    services.item_update(item=visit, by=organiser, venue_name="Thor Park")
    copy = services.mission_duplicate(
        mission=published, by=organiser, title="Second mission", start_date=dt.date(2019, 5, 7)
    )
    copied = ItineraryItem.objects.filter(day__mission=copy)
    assert sorted(copied.values_list("sequence", flat=True)) == [0, 0, 0, 0]
