"""A travel leg that ends in another zone: a transatlantic flight, shown and fed right."""

import datetime as dt
import zoneinfo

from django.urls import reverse
from icalendar import Calendar

from missions import services
from missions.models import ItineraryItem

from .factories import at, make_day, make_mission


def test_flight_arrives_in_its_own_zone(client, organiser, delegate):
    mission = make_mission(organiser, title="EU to US", start="2018-11-12", end="2018-11-14")
    day = make_day(organiser, mission, "2018-11-12")
    leg = services.item_create(
        day=day,
        by=organiser,
        kind=ItineraryItem.Kind.TRAVEL,
        title="Flight to New York",
        from_city="Copenhagen",
        to_city="New York",
        travel_mode="flight",
        time_zone="Europe/Copenhagen",
        arrival_time_zone="America/New_York",
        starts_at=at("2018-11-12", "10:00"),
        ends_at=at("2018-11-12", "12:30", "America/New_York"),
    )
    assert leg.ends_at - leg.starts_at == dt.timedelta(hours=8, minutes=30)
    services.mission_publish(mission=mission, by=organiser)

    client.force_login(delegate)  # lives in New York
    body = client.get(reverse("missions:itinerary", kwargs={"slug": mission.slug})).content
    assert (
        '10:00 CET–12:30 EST</time> <span class="home-time">· 04:00–12:30 EST</span>'
    ) in body.decode()

    feed = client.get(reverse("missions:public_feed", kwargs={"slug": mission.slug}))
    calendar = Calendar.from_ical(feed.content)
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event["DTEND"].params["TZID"] == "America/New_York"
    assert event.decoded("DTEND") == dt.datetime(
        2018, 11, 12, 12, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    assert sorted(str(t["TZID"]) for t in calendar.walk("VTIMEZONE")) == [
        "America/New_York",
        "Europe/Copenhagen",
    ]


def test_flight_form_reads_arrival_in_arrival_zone(client, organiser, mission):
    day = make_day(organiser, mission, "2018-11-06")
    client.force_login(organiser)
    url = reverse(
        "missions:item_create", kwargs={"slug": mission.slug, "day": day.pk, "kind": "travel"}
    )
    response = client.post(
        url,
        {
            "title": "Flight home",
            "from_city": "Copenhagen",
            "to_city": "Denver",
            "travel_mode": "flight",
            "start_time": "11:00",
            "end_time": "15:30",
            "time_zone": "Europe/Copenhagen",
            "arrival_time_zone": "America/Denver",
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    leg = ItineraryItem.objects.get()
    assert leg.starts_at == dt.datetime(2018, 11, 6, 10, 0, tzinfo=dt.UTC)
    assert leg.ends_at == dt.datetime(2018, 11, 6, 22, 30, tzinfo=dt.UTC)  # 15:30 MST
    assert leg.end_zone == "America/Denver"


def test_arrival_zone_is_dropped_for_non_travel_items(organiser, day1):
    from .factories import make_session

    item = make_session(organiser, day1, arrival_time_zone="America/Denver")
    assert item.arrival_time_zone == ""
    assert item.end_zone == "Europe/Copenhagen"
