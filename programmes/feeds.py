"""The iCalendar (RFC 5545) feed of a programme's series, built with ``icalendar`` as the
missions' feeds are.

Events carry their venue's zone (``DTSTART;TZID=…``) with a VTIMEZONE; missions are
all-day events over their dates; a call appears as its closing moment. UIDs are stable for
life and DTSTAMP is when the row last changed, so a subscribed calendar updates its copy
rather than piling up duplicates.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from missions.timezones import local

from .models import Programme
from .selectors import Series


def programme_calendar(programme: Programme, series: Series) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//clustermissions//programmes//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", programme.name)
    for mission in series.past_missions + series.upcoming_missions:
        entry = CalendarEvent()
        entry.add("uid", f"mission-{mission.pk}@programmes.clustermissions")
        entry.add("dtstamp", mission.updated_at)
        entry.add("last-modified", mission.updated_at)
        entry.add("dtstart", mission.start_date)
        entry.add("dtend", mission.end_date + dt.timedelta(days=1))
        entry.add("summary", mission.title)
        if mission.summary:
            entry.add("description", mission.summary)
        entry.add("categories", ["Mission"])
        calendar.add_component(entry)
    for event in series.events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@programmes.clustermissions")
        entry.add("dtstamp", event.updated_at)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", local(event.starts_at, event.time_zone))
        entry.add("dtend", local(event.ends_at, event.time_zone))
        entry.add("summary", event.title)
        location = ", ".join(p for p in (event.venue_name, event.city) if p)
        if location:
            entry.add("location", location)
        entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        entry.add("categories", [str(event.get_kind_display())])
        calendar.add_component(entry)
    for call in series.closed_calls + series.open_calls:
        entry = CalendarEvent()
        entry.add("uid", f"call-{call.pk}@programmes.clustermissions")
        entry.add("dtstamp", call.updated_at)
        entry.add("last-modified", call.updated_at)
        closes = local(call.closes_at, call.time_zone)
        entry.add("dtstart", closes)
        entry.add("dtend", closes)
        entry.add("summary", f"Call closes: {call.title}")
        entry.add("categories", ["Call"])
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
