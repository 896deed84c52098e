"""Times in the venue's zone, with the viewer's home zone beside them where it differs."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html

from ..timezones import local

register = template.Library()


def _clock(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def _zone_name(moment: dt.datetime) -> str:
    return moment.tzname() or ""


def format_range(
    starts_at: dt.datetime, ends_at: dt.datetime, zone: str, end_zone: str | None = None
) -> str:
    """``09:00–12:30 CET``; the end's date is added when it is another day, and each end's
    zone when they differ (``10:00 CET–12:30 EST`` for a transatlantic flight)."""
    start, end = local(starts_at, zone), local(ends_at, end_zone or zone)
    end_text = _clock(end)
    if end.date() != start.date():
        end_text = f"{end:%a %d %b} {end_text}"
    if start.tzname() != end.tzname():
        return f"{_clock(start)} {_zone_name(start)}–{end_text} {_zone_name(end)}"
    return f"{_clock(start)}–{end_text} {_zone_name(start)}"


@register.simple_tag
def time_range(item, viewer_zone: str | None = None):
    """``09:00–12:30 CET · 03:00–06:30 EST``: the venue's clock, then the viewer's clock
    when their offset differs at that moment."""
    # Anything with starts_at, ends_at and time_zone will do (events use this tag too);
    # only travel legs have a separate arrival zone.
    end_zone = getattr(item, "end_zone", None) or item.time_zone
    venue = format_range(item.starts_at, item.ends_at, item.time_zone, end_zone)
    start_iso = item.starts_at.isoformat()
    if viewer_zone and (viewer_zone != item.time_zone or viewer_zone != end_zone):
        same = (
            local(item.starts_at, viewer_zone).utcoffset()
            == local(item.starts_at, item.time_zone).utcoffset()
            and local(item.ends_at, viewer_zone).utcoffset()
            == local(item.ends_at, end_zone).utcoffset()
        )
        if not same:
            home = format_range(item.starts_at, item.ends_at, viewer_zone)
            return format_html(
                '<time datetime="{}">{}</time> <span class="home-time">· {}</span>',
                start_iso,
                venue,
                home,
            )
    return format_html('<time datetime="{}">{}</time>', start_iso, venue)


@register.simple_tag
def clock(moment: dt.datetime, zone: str) -> str:
    """One instant as ``Tue 06 Nov 09:00 CET`` in ``zone``."""
    value = local(moment, zone)
    return f"{value:%a %d %b %H:%M} {_zone_name(value)}"


@register.filter
def hours(delta: dt.timedelta) -> str:
    total = int(delta.total_seconds() // 60)
    sign = "+" if total >= 0 else "−"
    total = abs(total)
    return f"{sign}{total // 60}:{total % 60:02d}"


@register.simple_tag
def venue_date(moment: dt.datetime, zone: str) -> str:
    """The calendar day of an instant at the venue (``Tue 6 Nov 2018``), not in UTC."""
    value = local(moment, zone)
    return f"{value:%a} {value.day} {value:%b %Y}"
