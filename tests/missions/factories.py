"""Missions test data, built through the missions services. Plain functions, no mocks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from missions import services
from missions.models import ItineraryDay, ItineraryItem, Mission
from organizations.models import Organization, User

COPENHAGEN = "Europe/Copenhagen"


def at(day: dt.date | str, clock: str, zone: str = COPENHAGEN) -> dt.datetime:
    """The aware instant at which clocks in ``zone`` show ``clock`` on ``day``."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def make_mission(
    organiser: User,
    *,
    title: str = "US cluster mission to the EU",
    start: str = "2018-11-06",
    end: str = "2018-11-09",
    time_zone: str = COPENHAGEN,
    **fields,
) -> Mission:
    return services.mission_create(
        by=organiser,
        title=title,
        direction=Mission.Direction.US_TO_EU,
        start_date=dt.date.fromisoformat(start),
        end_date=dt.date.fromisoformat(end),
        time_zone=time_zone,
        countries=fields.pop("countries", ["DK", "SE", "BE", "NL"]),
        summary=fields.pop("summary", "A high-level cluster mission."),
        **fields,
    )


def make_day(organiser: User, mission: Mission, date: str, title: str = "") -> ItineraryDay:
    return services.day_create(
        mission=mission, by=organiser, date=dt.date.fromisoformat(date), title=title
    )


def make_visit(
    organiser: User,
    day: ItineraryDay,
    hosts: list[Organization],
    start: str = "14:00",
    end: str = "16:00",
    *,
    zone: str = COPENHAGEN,
    city: str = "Copenhagen",
    title: str = "",
    **fields,
) -> ItineraryItem:
    return services.item_create(
        day=day,
        by=organiser,
        kind=ItineraryItem.Kind.VISIT,
        hosts=hosts,
        title=title or f"Visit to {hosts[0].name}",
        starts_at=at(day.date, start, zone),
        ends_at=at(day.date, end, zone),
        time_zone=zone,
        city=city,
        **fields,
    )


def make_travel(
    organiser: User,
    day: ItineraryDay,
    from_city: str,
    to_city: str,
    start: str,
    end: str,
    *,
    zone: str = COPENHAGEN,
    mode: str = ItineraryItem.TravelMode.TRAIN,
) -> ItineraryItem:
    return services.item_create(
        day=day,
        by=organiser,
        kind=ItineraryItem.Kind.TRAVEL,
        title=f"{from_city} → {to_city}",
        starts_at=at(day.date, start, zone),
        ends_at=at(day.date, end, zone),
        time_zone=zone,
        from_city=from_city,
        to_city=to_city,
        travel_mode=mode,
    )


def make_session(
    organiser: User,
    day: ItineraryDay,
    start: str = "09:00",
    end: str = "12:30",
    *,
    zone: str = COPENHAGEN,
    kind: str = ItineraryItem.SessionKind.ROUNDTABLE,
    title: str = "EU-US cluster roundtable",
    city: str = "Copenhagen",
    **fields,
) -> ItineraryItem:
    return services.item_create(
        day=day,
        by=organiser,
        kind=ItineraryItem.Kind.SESSION,
        title=title,
        starts_at=at(day.date, start, zone),
        ends_at=at(day.date, end, zone),
        time_zone=zone,
        session_kind=kind,
        city=city,
        **fields,
    )
