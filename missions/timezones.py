"""Aware times only: turning a wall-clock time at a venue into an instant, and back."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _


def require_aware(value: dt.datetime, *, field: str) -> dt.datetime:
    """Refuse naive datetimes: an instant without a zone is a bug waiting for a flight."""
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Give a date and a time.")})
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            {
                field: _(
                    "“%(value)s” has no time zone. Times must say where they are "
                    "(for example 09:00 Europe/Copenhagen)."
                )
                % {"value": value.isoformat(sep=" ")}
            }
        )
    return value.astimezone(dt.UTC)


def wall_time_to_utc(value: dt.datetime, zone: str, *, field: str) -> dt.datetime:
    """The instant at which clocks in ``zone`` show ``value`` (a naive wall-clock time).

    A time skipped by a daylight-saving change does not exist and is refused; a time that
    happens twice (clocks going back) means its first occurrence.
    """
    tz = zoneinfo.ZoneInfo(zone)
    aware = value.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != value.replace(tzinfo=None):
        raise ValidationError(
            {
                field: _("%(value)s does not exist in %(zone)s: the clocks change at that time.")
                % {"value": value.strftime("%Y-%m-%d %H:%M"), "zone": zone}
            }
        )
    return aware.astimezone(dt.UTC)


def local(value: dt.datetime, zone: str) -> dt.datetime:
    return value.astimezone(zoneinfo.ZoneInfo(zone))


def format_instant(value: dt.datetime, zone: str) -> str:
    """``value`` as the clocks in ``zone`` show it, with the zone's abbreviation: for
    messages and emails, which have no viewer to show a second zone to."""
    moment = local(value, zone)
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {moment.tzname()}"
