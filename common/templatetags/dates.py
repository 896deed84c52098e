"""One date style for every page: ``{{ value|when }}`` → "Tue 26 Jan", with the year
("Fri 26 Oct 2018") whenever it is not the current year; ``{{ value|is_past }}`` for the
"Past" mark on missions and events that have ended.

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
def when(value, today: dt.date | None = None) -> str:
    """A date (or the date of a datetime) in the portal's one style."""
    day = _as_date(value)
    if day is None:
        return ""
    today = today if isinstance(today, dt.date) else timezone.localdate()
    style = "D j M" if day.year == today.year else "D j M Y"
    return formats.date_format(day, style)


@register.filter
def is_past(value) -> bool:
    """Whether a date (a last day) or a datetime (an end) is before today / now."""
    if isinstance(value, dt.datetime):
        return value < timezone.now()
    if isinstance(value, dt.date):
        return value < timezone.localdate()
    return False
