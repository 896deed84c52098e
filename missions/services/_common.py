"""Helpers shared by the mission services: field and date checks. The permission check
they start with is ``common.services.require_permission``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    Mission,
)
from ..planner import require_sensible_date

MISSION_FIELDS = (
    "title",
    "direction",
    "start_date",
    "end_date",
    "countries",
    "summary",
    "description",
    "time_zone",
)
ITEM_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "is_public",
    "notes",
    "venue_name",
    "venue_address",
    "city",
    "latitude",
    "longitude",
    "topic",
    "speakers",
    "visit_status",
    "from_city",
    "to_city",
    "travel_mode",
    "arrival_time_zone",
    "session_kind",
)
MAX_MISSION_DAYS = 31
MAX_ITEM_DURATION = dt.timedelta(hours=36)
# Arrival and departure days may lie just outside the mission's dates.
DAY_WINDOW = dt.timedelta(days=7)


def _current_mission(pk: int) -> Mission:
    """The mission as stored now: callers may hold a copy read before its status changed."""
    return Mission.objects.get(pk=pk)


def _require_editable(mission: Mission) -> None:
    if not mission.is_editable:
        raise ValidationError(
            _("This mission is %(status)s; its itinerary can no longer change.")
            % {"status": mission.get_status_display().lower()}
        )


# Paths under /missions/ that are not missions: a mission called "New" must not hide them.
RESERVED_SLUGS = frozenset({"new", "host", "calendar"})


def _check_fields(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _validate_dates_in_range(**dates: dt.date | None) -> None:
    """Refuse dates outside the years missions may take, keyed by field name."""
    errors = {}
    for name, value in dates.items():
        try:
            require_sensible_date(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _validate_mission_dates(mission: Mission) -> None:
    _validate_dates_in_range(start_date=mission.start_date, end_date=mission.end_date)
    if mission.start_date and mission.end_date:
        if mission.end_date < mission.start_date:
            raise ValidationError({"end_date": _("The last day is before the first day.")})
        if (mission.end_date - mission.start_date).days >= MAX_MISSION_DAYS:
            raise ValidationError(
                {
                    "end_date": _("A mission lasts at most %(days)s days.")
                    % {"days": MAX_MISSION_DAYS}
                }
            )
