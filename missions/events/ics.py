"""The calendar file (RFC 5545) of an event, built with the ``icalendar`` package.

The event carries its venue's zone (``DTSTART;TZID=Europe/Copenhagen``) and the calendar a
VTIMEZONE for it, so calendar programs show the venue's clock and convert correctly.
"""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..timezones import local
from .models import Event, Registration


def event_calendar(
    event: Event, *, registration: Registration | None = None, url: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//clustermissions//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@events.clustermissions")
    entry.add("dtstamp", timezone.now())
    entry.add("last-modified", event.updated_at)
    entry.add("dtstart", local(event.starts_at, event.time_zone))
    entry.add("dtend", local(event.ends_at, event.time_zone))
    entry.add("summary", event.title)
    location = ", ".join(
        part for part in (event.venue_name, event.venue_address, event.city) if part
    )
    if location:
        entry.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        entry.add("geo", (float(event.latitude), float(event.longitude)))
    description = [event.description] if event.description else []
    if registration is not None:
        description.append(f"{registration.get_status_display()}")
    if description:
        entry.add("description", "\n\n".join(str(line) for line in description))
    if url:
        entry.add("url", url)
    cancelled = event.status == Event.Status.CANCELLED or (
        registration is not None and registration.status == Registration.Status.CANCELLED
    )
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
