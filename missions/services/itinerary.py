"""Days and items of the itinerary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from organizations.models import Organization, User

from ..models import (
    ChangeLogEntry,
    ItineraryDay,
    ItineraryItem,
    Mission,
)
from ..timezones import local, require_aware
from ._common import (
    DAY_WINDOW,
    ITEM_FIELDS,
    MAX_ITEM_DURATION,
    _check_fields,
    _current_mission,
    _require_editable,
    _validate_dates_in_range,
)
from .changelog import _record_change

# What a calendar program shows of an item's time, place and status: a change to any of
# them is a new revision of its calendar event (the SEQUENCE of RFC 5545 §3.8.7.4).
CALENDAR_FIELDS = (
    "starts_at",
    "ends_at",
    "time_zone",
    "arrival_time_zone",
    "venue_name",
    "venue_address",
    "city",
    "latitude",
    "longitude",
    "from_city",
    "to_city",
    "visit_status",
)
# A host confirmed a visit at this time and place; when either changes, they confirm again.
CONFIRMED_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "city")

# One day per date and mission: the database's name for the rule.
DAY_CONSTRAINT = "itinerary_day_unique_date"

# --- Days -----------------------------------------------------------------------------------


def _mission_touch(mission: Mission) -> None:
    """Days have no timestamp of their own: a day added or changed marks the mission changed,
    so its public pages' cached copies (``common/pagecache.py``) are not served."""
    Mission.objects.filter(pk=mission.pk).update(updated_at=timezone.now())


def _validate_day_date(mission: Mission, date: dt.date) -> None:
    _validate_dates_in_range(date=date)
    # Differences of dates, not sums: a mission stored at the calendar's end cannot overflow.
    window = DAY_WINDOW.days
    if not (
        (mission.start_date - date).days <= window and (date - mission.end_date).days <= window
    ):
        raise ValidationError(
            {
                "date": _(
                    "%(date)s is too far from the mission (%(start)s – %(end)s): "
                    "days may be at most a week before or after."
                )
                % {"date": date, "start": mission.start_date, "end": mission.end_date}
            }
        )


def day_create(*, mission: Mission, by: User, date: dt.date, title: str = "") -> ItineraryDay:
    mission = _current_mission(mission.pk)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    _validate_day_date(mission, date)
    if mission.days.filter(date=date).exists():
        raise ValidationError({"date": _("This mission already has that day.")})
    day = ItineraryDay(mission=mission, date=date, title=title)
    day.full_clean()
    try:
        with transaction.atomic():
            day.save()
            _mission_touch(mission)
    except IntegrityError as error:
        if constraint_name(error) != DAY_CONSTRAINT:
            raise
        raise ValidationError({"date": _("This mission already has that day.")}) from error
    return day


def day_update(*, day: ItineraryDay, by: User, date: dt.date, title: str) -> ItineraryDay:
    """Rename a day or move it (its items keep their instants: move them one by one)."""
    mission = _current_mission(day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    _validate_day_date(mission, date)
    if date != day.date and day.items.exists():
        raise ValidationError({"date": _("Move or remove this day's items before moving it.")})
    if mission.days.filter(date=date).exclude(pk=day.pk).exists():
        raise ValidationError({"date": _("This mission already has that day.")})
    day.date, day.title = date, title
    day.full_clean()
    try:
        with transaction.atomic():
            day.save()
            _mission_touch(mission)
    except IntegrityError as error:
        if constraint_name(error) != DAY_CONSTRAINT:
            raise
        raise ValidationError({"date": _("This mission already has that day.")}) from error
    return day


def day_delete(*, day: ItineraryDay, by: User) -> None:
    mission = _current_mission(day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    with transaction.atomic():
        items = list(day.items.prefetch_related("hosts"))
        hosts = {host for item in items for host in item.hosts.all()}
        if items:
            _record_change(
                mission=mission,
                action=ChangeLogEntry.Action.DAY_CHANGED,
                summary=_("Day %(date)s removed") % {"date": day.date},
                changes=[_("Removed: %(title)s") % {"title": item.title} for item in items],
                hosts=hosts,
                by=by,
            )
        day.delete()


# --- Items ----------------------------------------------------------------------------------


def _format_value(item: ItineraryItem, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.datetime):
        zone = item.end_zone if name == "ends_at" else item.time_zone
        return local(value, zone).strftime("%a %d %b %H:%M %Z")
    field = ItineraryItem._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _validate_item(item: ItineraryItem, hosts: list[Organization]) -> None:
    """Check an item before it is saved: aware times, each kind's fields, the right day."""
    item.starts_at = require_aware(item.starts_at, field="starts_at")
    item.ends_at = require_aware(item.ends_at, field="ends_at")
    if item.ends_at <= item.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if item.ends_at - item.starts_at > MAX_ITEM_DURATION:
        raise ValidationError({"ends_at": _("An item lasts at most 36 hours.")})
    if item.kind == ItineraryItem.Kind.VISIT:
        if not hosts:
            raise ValidationError({"hosts": _("A visit has at least one host organisation.")})
        item.visit_status = item.visit_status or ItineraryItem.VisitStatus.PROPOSED
    else:
        # A session may be hosted (the roundtable at BLOXHUB); a travel leg may not.
        if hosts and item.kind == ItineraryItem.Kind.TRAVEL:
            raise ValidationError({"hosts": _("Travel legs have no hosts.")})
        item.visit_status = ""
    if item.kind != ItineraryItem.Kind.TRAVEL:
        item.arrival_time_zone = ""
    if item.kind == ItineraryItem.Kind.TRAVEL and not (item.from_city and item.to_city):
        raise ValidationError(_("A travel leg goes from a city to a city."))
    if item.kind == ItineraryItem.Kind.SESSION and not item.session_kind:
        raise ValidationError({"session_kind": _("Choose what kind of session this is.")})
    if (item.latitude is None) != (item.longitude is None):
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    # A visit without its own coordinates is placed at its first located host.
    if item.kind == ItineraryItem.Kind.VISIT and item.latitude is None:
        located = next((h for h in hosts if h.latitude is not None), None)
        if located is not None:
            item.latitude, item.longitude = located.latitude, located.longitude
            item.city = item.city or located.city
    item.full_clean(exclude=["day"])
    local_date = local(item.starts_at, item.time_zone).date()
    if local_date != item.day.date:
        raise ValidationError(
            {
                "starts_at": _(
                    "This starts on %(date)s in %(zone)s, not on the day it is filed under "
                    "(%(day)s)."
                )
                % {"date": local_date, "zone": item.time_zone, "day": item.day.date}
            }
        )


def item_create(
    *,
    day: ItineraryDay,
    by: User,
    kind: ItineraryItem.Kind,
    hosts: Iterable[Organization] = (),
    **fields,
) -> ItineraryItem:
    """Add a visit, travel leg or session to ``day``, after the items that start before it.
    Times must be aware; the start must fall on ``day`` in the item's zone."""
    mission = _current_mission(day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    _check_fields(fields, ITEM_FIELDS)
    if kind not in ItineraryItem.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of item.")})
    fields.setdefault("time_zone", mission.time_zone)
    hosts = list(hosts)
    item = ItineraryItem(day=day, kind=kind, **fields)
    _validate_item(item, hosts)
    with transaction.atomic():
        _make_room(day, item)
        item.save()
        item.hosts.set(hosts)
        _record_change(
            mission=mission,
            item=item,
            action=ChangeLogEntry.Action.ITEM_ADDED,
            summary=_("Added: %(title)s") % {"title": item.title},
            changes=[
                _("Start: %(time)s") % {"time": _format_value(item, "starts_at", item.starts_at)},
                _("End: %(time)s") % {"time": _format_value(item, "ends_at", item.ends_at)},
            ],
            hosts=hosts,
            by=by,
        )
    return item


def _make_room(day: ItineraryDay, item: ItineraryItem) -> None:
    """Give ``item`` its position on ``day``: after the items starting before it (or at the
    same time), so a day reads in time order however it was typed in; reordering may
    change that. Later items move down one place. Call inside a transaction."""
    siblings = list(day.items.select_for_update().exclude(pk=item.pk).order_by("position", "pk"))
    before = [s.position for s in siblings if s.starts_at <= item.starts_at]
    item.position = max(before) + 1 if before else 0
    later = [s for s in siblings if s.position >= item.position]
    for sibling in later:
        sibling.position += 1
    ItineraryItem.objects.bulk_update(later, ["position"])


def item_update(
    *,
    item: ItineraryItem,
    by: User,
    day: ItineraryDay | None = None,
    hosts: Iterable[Organization] | None = None,
    **fields,
) -> ItineraryItem:
    """Change an item, and move it to ``day`` (of the same mission) when given.

    Organisers of the mission only. On a published mission everyone concerned hears of it
    once. A visit its host had confirmed goes back to proposed when its time or place
    changes: the host confirms again.
    """
    return _item_update(item=item, by=by, day=day, hosts=hosts, host_agreed=False, **fields)


def _item_update(
    *,
    item: ItineraryItem,
    by: User,
    day: ItineraryDay | None,
    hosts: Iterable[Organization] | None,
    host_agreed: bool,
    **fields,
) -> ItineraryItem:
    """``item_update``; ``host_agreed``: the host asked for this change (they proposed the
    new time), so their confirmation stands."""
    mission = _current_mission(item.day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    _check_fields(fields, ITEM_FIELDS)
    if day is not None and day.mission_id != mission.pk:
        raise ValidationError({"day": _("That day belongs to another mission.")})
    with transaction.atomic():
        item = (
            ItineraryItem.objects.select_for_update().select_related("day__mission").get(pk=item.pk)
        )
        before_hosts = list(item.hosts.all())
        new_hosts = before_hosts if hosts is None else list(hosts)
        before = {name: getattr(item, name) for name in fields}
        shown_before = {name: getattr(item, name) for name in CALENDAR_FIELDS}
        moved = day is not None and day.pk != item.day_id
        for name, value in fields.items():
            setattr(item, name, value)
        if moved:
            item.day = day
        _validate_item(item, new_hosts)
        if (
            not host_agreed
            and shown_before["visit_status"] == ItineraryItem.VisitStatus.CONFIRMED
            and item.visit_status == ItineraryItem.VisitStatus.CONFIRMED
            and any(shown_before[name] != getattr(item, name) for name in CONFIRMED_FIELDS)
        ):
            item.visit_status = ItineraryItem.VisitStatus.PROPOSED
            before.setdefault("visit_status", shown_before["visit_status"])
        if any(shown_before[name] != getattr(item, name) for name in CALENDAR_FIELDS):
            item.sequence += 1
        changes = [(name, value) for name, value in before.items() if value != getattr(item, name)]
        lines = [
            _("%(field)s: %(before)s → %(after)s")
            % {
                "field": ItineraryItem._meta.get_field(name).verbose_name.capitalize(),
                "before": _format_value(item, name, before),
                "after": _format_value(item, name, getattr(item, name)),
            }
            for name, before in changes
        ]
        if {h.pk for h in before_hosts} != {h.pk for h in new_hosts}:
            lines.append(
                _("Hosts: %(before)s → %(after)s")
                % {
                    "before": ", ".join(h.name for h in before_hosts) or "—",
                    "after": ", ".join(h.name for h in new_hosts) or "—",
                }
            )
        if moved:
            _make_room(day, item)
        item.save()
        if hosts is not None:
            item.hosts.set(new_hosts)
        if lines:
            _record_change(
                mission=mission,
                item=item,
                action=ChangeLogEntry.Action.ITEM_CHANGED,
                summary=_("Changed: %(title)s") % {"title": item.title},
                changes=lines,
                hosts=set(before_hosts) | set(new_hosts),
                by=by,
            )
    return item


def item_delete(*, item: ItineraryItem, by: User) -> None:
    mission = _current_mission(item.day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    with transaction.atomic():
        hosts = list(item.hosts.all())
        _record_change(
            mission=mission,
            action=ChangeLogEntry.Action.ITEM_REMOVED,
            summary=_("Removed: %(title)s") % {"title": item.title},
            changes=[
                _("Was: %(time)s") % {"time": _format_value(item, "starts_at", item.starts_at)}
            ],
            hosts=hosts,
            by=by,
        )
        item.delete()


def items_reorder(*, day: ItineraryDay, by: User, item_ids: list[int]) -> None:
    """Put the day's items in the order given; the list must name each item once."""
    mission = _current_mission(day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    with transaction.atomic():
        items = {item.pk: item for item in day.items.select_for_update()}
        if sorted(item_ids) != sorted(items):
            raise ValidationError(_("The new order must list each item of the day once."))
        for position, pk in enumerate(item_ids):
            items[pk].position = position
        ItineraryItem.objects.bulk_update(items.values(), ["position"])
        _record_change(
            mission=mission,
            action=ChangeLogEntry.Action.ITEMS_REORDERED,
            summary=_("Items of %(date)s reordered") % {"date": day.date},
            changes=[items[pk].title for pk in item_ids],
            by=by,
            notify=False,
        )


def item_move(*, item: ItineraryItem, by: User, offset: int) -> None:
    """Move an item one place up (``-1``) or down (``+1``) within its day."""
    ids = list(item.day.items.values_list("pk", flat=True))
    index = ids.index(item.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    items_reorder(day=item.day, by=by, item_ids=ids)
