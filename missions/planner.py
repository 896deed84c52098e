"""The planner's checks: pure functions over plain data, no database, no Django models.

``check_itinerary`` takes a mission's dates and its items as ``PlanItem`` values and returns
warnings. The services turn model rows into these values (``missions.selectors``) and
block publication while warnings remain, unless an organiser overrides them with a reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# The years a mission, a day or a copy may fall in (common.forms, shared by every form).
# Far outside them, date arithmetic (a day after the mission, a week's margin) leaves the
# calendar: year 9999 overflowed.
from common.forms import FIRST_YEAR, LAST_YEAR, require_sensible_date  # noqa: F401

VISIT, TRAVEL, SESSION = "visit", "travel", "session"


@dataclass(frozen=True)
class PlanItem:
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    city: str = ""
    from_city: str = ""
    to_city: str = ""
    cancelled: bool = False
    end_zone: str = ""  # a leg's arrival zone when it differs from the departure's

    @property
    def place(self) -> str:
        return self.to_city if self.kind == TRAVEL else self.city


@dataclass(frozen=True)
class PlanWarning:
    code: str
    message: str
    item_ids: tuple[int, ...] = field(default_factory=tuple)


def _same_city(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(zone))


def check_itinerary(
    *, start_date: dt.date, end_date: dt.date, items: list[PlanItem]
) -> list[PlanWarning]:
    """Every warning for the itinerary, in time order. Cancelled visits are ignored."""
    active = sorted(
        (item for item in items if not item.cancelled), key=lambda i: (i.starts_at, i.id)
    )
    warnings: list[PlanWarning] = []
    warnings += _outside_mission_dates(active, start_date, end_date)
    late = list(_late_arrivals(active))
    warnings += late
    late_pairs = {warning.item_ids for warning in late}
    warnings += _overlaps(active, exclude=late_pairs)
    warnings += _travel_origins(active)
    return warnings


def _outside_mission_dates(items, start_date, end_date):
    for item in items:
        if item.kind != VISIT:
            continue
        first = _local(item.starts_at, item.time_zone).date()
        # An end at midnight belongs to the day before.
        last = _local(item.ends_at - dt.timedelta(microseconds=1), item.time_zone).date()
        if first < start_date or last > end_date:
            yield PlanWarning(
                "outside_dates",
                _("“%(title)s” is on %(date)s, outside the mission (%(start)s – %(end)s).")
                % {
                    "title": item.title,
                    "date": first.isoformat(),
                    "start": start_date.isoformat(),
                    "end": end_date.isoformat(),
                },
                (item.id,),
            )


def _late_arrivals(items):
    """A travel leg arriving after the next visit (after its departure) has started."""
    for index, leg in enumerate(items):
        if leg.kind != TRAVEL:
            continue
        following = next((i for i in items[index + 1 :] if i.kind == VISIT), None)
        if following is not None and leg.ends_at > following.starts_at:
            yield PlanWarning(
                "late_arrival",
                _("“%(leg)s” arrives at %(arrival)s, after “%(visit)s” starts at %(start)s.")
                % {
                    "leg": leg.title,
                    "arrival": _local(leg.ends_at, leg.end_zone or leg.time_zone).strftime(
                        "%Y-%m-%d %H:%M %Z"
                    ),
                    "visit": following.title,
                    "start": _local(following.starts_at, following.time_zone).strftime(
                        "%Y-%m-%d %H:%M %Z"
                    ),
                },
                (leg.id, following.id),
            )


def _overlaps(items, *, exclude):
    """Two items of the delegation at once (the whole delegation moves together)."""
    for index, item in enumerate(items):
        for other in items[index + 1 :]:
            if other.starts_at >= item.ends_at:
                break
            if (item.id, other.id) in exclude:
                continue
            yield PlanWarning(
                "overlap",
                _("“%(first)s” and “%(second)s” overlap.")
                % {"first": item.title, "second": other.title},
                (item.id, other.id),
            )


def _travel_origins(items):
    """A leg must leave from where the delegation was: the place of the item before it."""
    for index, leg in enumerate(items):
        if leg.kind != TRAVEL or index == 0:
            continue
        previous = items[index - 1]
        if previous.place and not _same_city(previous.place, leg.from_city):
            yield PlanWarning(
                "travel_origin",
                _("“%(leg)s” leaves from %(origin)s, but the delegation is in %(place)s.")
                % {"leg": leg.title, "origin": leg.from_city, "place": previous.place},
                (previous.id, leg.id),
            )


# --- Daylight-saving time -------------------------------------------------------------------


@dataclass(frozen=True)
class OffsetShift:
    """The difference between two zones changes at ``at`` (UTC)."""

    at: dt.datetime
    home_zone: str
    venue_zone: str
    difference_before: dt.timedelta
    difference_after: dt.timedelta

    @property
    def local_date(self) -> dt.date:
        return _local(self.at, self.venue_zone).date()


def offset_shifts(
    *, home_zone: str, venue_zone: str, start_date: dt.date, end_date: dt.date
) -> list[OffsetShift]:
    """The moments during the mission (its dates in the venue's zone) at which the offset
    between home and venue changes, because one of them moves its clocks and the other
    does not yet (late October: the EU on its last Sunday, the US a week later).

    Remembered per zones and dates: the walk below takes a few hundred steps a day, and an
    organiser's mission page asks it for every delegate's home zone on every request."""
    return list(_offset_shifts(home_zone, venue_zone, start_date, end_date))


@functools.lru_cache(maxsize=1024)
def _offset_shifts(
    home_zone: str, venue_zone: str, start_date: dt.date, end_date: dt.date
) -> tuple[OffsetShift, ...]:
    # Only the years missions may take: a mission stored with other dates (before they
    # were refused) would walk off the calendar's end, or through centuries.
    start_date = max(start_date, dt.date(FIRST_YEAR, 1, 1))
    end_date = min(end_date, dt.date(LAST_YEAR, 12, 31))
    if end_date < start_date:
        return ()
    home, venue = zoneinfo.ZoneInfo(home_zone), zoneinfo.ZoneInfo(venue_zone)
    start = dt.datetime.combine(start_date, dt.time(), tzinfo=venue).astimezone(dt.UTC)
    end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(), tzinfo=venue)
    end = end.astimezone(dt.UTC)

    def difference(moment: dt.datetime) -> dt.timedelta:
        return moment.astimezone(venue).utcoffset() - moment.astimezone(home).utcoffset()

    shifts = []
    moment, before = start, difference(start)
    # Every zone in use changes its clocks on a whole quarter hour (UTC), so a walk in
    # quarter hours from a local midnight lands exactly on each change.
    while moment < end:
        moment += dt.timedelta(minutes=15)
        after = difference(moment)
        if after != before:
            shifts.append(OffsetShift(moment, home_zone, venue_zone, before, after))
            before = after
    return tuple(shifts)
