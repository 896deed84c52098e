"""One date style for every page: ``{{ value|when }}`` → "Tue 26 Jan", with the year
("Fri 26 Oct 2018") whenever it is not the current year; ``{{ value|when:"long" }}`` for a
day's heading; ``{{ value|when_time }}`` for a moment with its time and zone;
``{{ value|is_past }}`` for the "Past" mark on missions and events that have ended.

A datetime is shown on the date it has in the active time zone; pages that show the time of
day keep the venue-zone ``time_range`` tag (missions/templatetags/mission_times.py).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone

register = template.Library()


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


@register.filter
def when(value, style: str = "") -> str:
    """A date (or the date of a datetime) in the portal's one style: "Tue 26 Jan"; with
    ``"long"``, for a day's heading: "Tuesday 26 January". The year is added whenever it is
    not the current year."""
    day = _as_date(value)
    if day is None:
        return ""
    this_year = day.year == timezone.localdate().year
    if style == "long":
        return formats.date_format(day, "l j F" if this_year else "l j F Y")
    return formats.date_format(day, "D j M" if this_year else "D j M Y")


@register.filter
def when_time(value) -> str:
    """A moment in the same style, with the time of day and the zone it is read in (the
    active time zone): "Tue 26 Jan, 14:30 CET". For stamps (submitted, asked for, changed);
    a scheduled item's venue and home times use ``time_range``."""
    if not isinstance(value, dt.datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{when(local)}, {formats.time_format(local, 'H:i T')}".strip()


@register.filter
def is_past(value) -> bool:
    """Whether a date (a last day) or a datetime (an end) is before today / now."""
    if isinstance(value, dt.datetime):
        return value < timezone.now()
    if isinstance(value, dt.date):
        return value < timezone.localdate()
    return False
