"""Calendar feeds parsed back with icalendar, item by item; private links and rotation."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from missions import services

from .factories import make_day, make_session, make_travel, make_visit

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def published(organiser, mission, day1, host_org):
    make_session(organiser, day1, "09:00", "12:30", venue_name="BLOXHUB",
                 venue_address="Bryghusgade 8")
    make_visit(organiser, day1, [host_org], "14:00", "16:00", topic="Energy labs")
    make_session(organiser, day1, "19:00", "21:00", kind="meal", title="Delegation dinner",
                 is_public=False)
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
        "EU-US cluster roundtable", "Visit to EnergyVille", "Copenhagen → Malmö"
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
        item=visit, by=organiser,
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
        "EU-US cluster roundtable", "Visit to EnergyVille", "Delegation dinner",
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
