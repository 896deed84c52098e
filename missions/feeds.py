"""iCalendar (RFC 5545) feeds of an itinerary, built with the ``icalendar`` package.

Each event carries its venue's zone (``DTSTART;TZID=Europe/Copenhagen``) and the calendar
carries a VTIMEZONE for every zone used, so calendar programs show the right clock.

An item keeps its UID for life. Its SEQUENCE rises whenever its time, place or status
changes, and DTSTAMP and LAST-MODIFIED are when it last changed, so a subscribed calendar
replaces its copy. A cancelled visit stays in the feed as STATUS:CANCELLED: a calendar
program that stored it removes it, where an event that merely vanished may linger.
"""

from __future__ import annotations

from icalendar import Calendar, Event

from .models import ItineraryItem, Mission
from .timezones import local


def _location(item: ItineraryItem) -> str:
    if item.kind == ItineraryItem.Kind.TRAVEL:
        return f"{item.from_city} → {item.to_city}"
    return ", ".join(part for part in (item.venue_name, item.venue_address, item.city) if part)


def _description(item: ItineraryItem) -> str:
    lines = []
    if item.kind != ItineraryItem.Kind.TRAVEL:
        lines.append(", ".join(host.name for host in item.hosts.all()))
        if item.topic:
            lines.append(item.topic)
        if item.speakers:
            lines.append(item.speakers)
    if item.kind == ItineraryItem.Kind.TRAVEL and item.travel_mode:
        lines.append(item.get_travel_mode_display())
    if item.kind == ItineraryItem.Kind.SESSION:
        lines.append(item.get_session_kind_display())
    if item.notes:
        lines.append(item.notes)
    return "\n".join(str(line) for line in lines if line)


def itinerary_calendar(mission: Mission, items: list[ItineraryItem], *, name: str) -> bytes:
    """The calendar for ``items`` of ``mission`` (already chosen for the reader)."""
    calendar = Calendar()
    calendar.add("prodid", "-//clustermissions//missions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in items:
        event = Event()
        event.add("uid", f"item-{item.pk}@missions.clustermissions")
        # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545 §3.8.7.2),
        # not when the feed was fetched: a client must not take every fetch for a change.
        event.add("dtstamp", item.updated_at)
        event.add("last-modified", item.updated_at)
        event.add("sequence", item.sequence)
        event.add("dtstart", local(item.starts_at, item.time_zone))
        event.add("dtend", local(item.ends_at, item.end_zone))
        event.add("summary", item.title)
        location = _location(item)
        if location:
            event.add("location", location)
        description = _description(item)
        if description:
            event.add("description", description)
        if item.latitude is not None:
            event.add("geo", (float(item.latitude), float(item.longitude)))
        status = {
            ItineraryItem.VisitStatus.PROPOSED: "TENTATIVE",
            ItineraryItem.VisitStatus.CONFIRMED: "CONFIRMED",
            ItineraryItem.VisitStatus.CANCELLED: "CANCELLED",
        }.get(item.visit_status, "CONFIRMED")
        event.add("status", status)
        event.add("categories", [str(item.get_kind_display())])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
