"""Creating, changing, publishing and duplicating missions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.services import require_permission
from common.slugs import unique_slug
from organizations.models import Organization, Role, Sector, User

from .. import selectors
from ..models import (
    ChangeLogEntry,
    Delegation,
    ItineraryDay,
    ItineraryItem,
    Mission,
)
from ..timezones import local
from ._common import (
    MAX_MISSION_DAYS,
    MISSION_FIELDS,
    RESERVED_SLUGS,
    _check_fields,
    _validate_dates_in_range,
    _validate_mission_dates,
)
from .changelog import _record_change

# --- Missions -------------------------------------------------------------------------------


def mission_create(
    *,
    by: User,
    sectors: Iterable[Sector] = (),
    organiser_organizations: Iterable[Organization] = (),
    **fields,
) -> Mission:
    """Create a draft mission with an empty delegation; its creator becomes an organiser."""
    require_permission(by, "missions.create_mission")
    _check_fields(fields, MISSION_FIELDS)
    mission = Mission(**fields)
    mission.slug = unique_slug(
        Mission.objects.all(), mission.title or "", fallback="mission", reserved=RESERVED_SLUGS
    )
    _validate_mission_dates(mission)
    mission.full_clean()
    with transaction.atomic():
        mission.save()
        mission.sectors.set(sectors)
        mission.organiser_organizations.set(organiser_organizations)
        mission.organisers.add(by)
        Delegation.objects.create(mission=mission)
    return mission


def mission_update(
    *,
    mission: Mission,
    by: User,
    sectors: Iterable[Sector] | None = None,
    organiser_organizations: Iterable[Organization] | None = None,
    organisers: Iterable[User] | None = None,
    **fields,
) -> Mission:
    """Change a mission's details; ``organisers`` (users holding the organiser role) replaces
    the list of people who plan it and must keep at least one."""
    require_permission(by, "missions.plan_mission", mission)
    _check_fields(fields, MISSION_FIELDS)
    if organisers is not None:
        organisers = list(organisers)
        if not organisers:
            raise ValidationError({"organisers": _("A mission keeps at least one organiser.")})
        if any(not user.has_role(Role.ORGANISER) for user in organisers):
            raise ValidationError({"organisers": _("Only people with the organiser role.")})
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        changes = []
        for name, value in fields.items():
            before = getattr(mission, name)
            setattr(mission, name, value)
            if str(before) != str(getattr(mission, name)):
                label = capfirst(Mission._meta.get_field(name).verbose_name)
                changes.append(f"{label}: {before} → {getattr(mission, name)}")
        _validate_mission_dates(mission)
        mission.full_clean()
        mission.save()
        if sectors is not None:
            mission.sectors.set(sectors)
        if organiser_organizations is not None:
            mission.organiser_organizations.set(organiser_organizations)
        if organisers is not None:
            mission.organisers.set(organisers)
        if changes:
            _record_change(
                mission=mission,
                action=ChangeLogEntry.Action.MISSION_CHANGED,
                summary=_("Mission details changed"),
                changes=changes,
                by=by,
            )
    return mission


def mission_publish(*, mission: Mission, by: User, override_reason: str = "") -> Mission:
    """Publish a draft. Planner warnings block it unless an organiser gives a reason."""
    require_permission(by, "missions.plan_mission", mission)
    override_reason = override_reason.strip()
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        if mission.status != Mission.Status.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        warnings = selectors.mission_warnings(mission)
        if warnings and not override_reason:
            raise ValidationError(
                [_("The planner has warnings; fix them or give a reason to publish anyway.")]
                + [warning.message for warning in warnings]
            )
        if len(override_reason) > 2000:
            raise ValidationError({"override_reason": _("Keep the reason under 2,000 characters.")})
        mission.status = Mission.Status.PUBLISHED
        mission.published_at = timezone.now()
        if warnings:
            mission.publish_override_reason = override_reason
            mission.publish_override_by = by
        mission.save()
        _record_change(
            mission=mission,
            action=(
                ChangeLogEntry.Action.PUBLISHED_WITH_OVERRIDE
                if warnings
                else ChangeLogEntry.Action.PUBLISHED
            ),
            summary=(
                _("Published despite warnings: %(reason)s") % {"reason": override_reason}
                if warnings
                else _("Published")
            ),
            changes=[warning.message for warning in warnings],
            by=by,
            notify=False,
        )
    return mission


STATUS_TRANSITIONS = {
    Mission.Status.PUBLISHED: {Mission.Status.COMPLETED, Mission.Status.ARCHIVED},
    Mission.Status.COMPLETED: {Mission.Status.ARCHIVED},
}


def mission_set_status(*, mission: Mission, by: User, status: Mission.Status) -> Mission:
    """Complete or archive a published mission (publishing goes through mission_publish)."""
    require_permission(by, "missions.plan_mission", mission)
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        if status not in STATUS_TRANSITIONS.get(mission.status, set()):
            raise ValidationError(
                _("A %(current)s mission cannot become %(new)s.")
                % {
                    "current": mission.get_status_display().lower(),
                    "new": Mission.Status(status).label.lower(),
                }
            )
        before = mission.get_status_display()
        mission.status = status
        mission.save(update_fields=["status", "updated_at"])
        _record_change(
            mission=mission,
            action=ChangeLogEntry.Action.STATUS_CHANGED,
            summary=_("Status: %(before)s → %(after)s")
            % {"before": before, "after": mission.get_status_display()},
            by=by,
            notify=False,
        )
    return mission


def _shift_wall_clock(moment: dt.datetime, zone: str, days: int) -> dt.datetime:
    """The same wall-clock time ``days`` later at the venue, across any DST change."""
    from ..timezones import wall_time_to_utc

    wall = local(moment, zone).replace(tzinfo=None) + dt.timedelta(days=days)
    try:
        return wall_time_to_utc(wall, zone, field="starts_at")
    except ValidationError:
        return moment + dt.timedelta(days=days)


def mission_duplicate(*, mission: Mission, by: User, title: str, start_date: dt.date) -> Mission:
    """Copy a mission as a template: a new draft starting on ``start_date``, with the same
    days and items moved by the same number of days (same wall-clock times at each venue),
    visits back to proposed, and an empty delegation."""
    require_permission(by, "missions.plan_mission", mission)
    _validate_dates_in_range(start_date=start_date)
    shift = (start_date - mission.start_date).days
    fields = {name: getattr(mission, name) for name in MISSION_FIELDS}
    # Both in range, the copy's end is too (a mission lasts at most MAX_MISSION_DAYS);
    # a longer one stored before that rule is measured, not moved past the calendar.
    length = (mission.end_date - mission.start_date).days
    fields.update(
        title=title,
        start_date=start_date,
        end_date=start_date + dt.timedelta(days=min(length, MAX_MISSION_DAYS)),
    )
    with transaction.atomic():
        copy = mission_create(
            by=by,
            sectors=mission.sectors.all(),
            organiser_organizations=mission.organiser_organizations.all(),
            **fields,
        )
        copy.duplicated_from = mission
        copy.save(update_fields=["duplicated_from"])
        copy.organisers.add(*mission.organisers.all())
        for day in selectors.itinerary_days(mission):
            new_day = ItineraryDay.objects.create(
                mission=copy, date=day.date + dt.timedelta(days=shift), title=day.title
            )
            for item in day.items.all():
                hosts = list(item.hosts.all())
                item.pk = None
                item._prefetched_objects_cache = {}
                item.day = new_day
                item.starts_at = _shift_wall_clock(item.starts_at, item.time_zone, shift)
                item.ends_at = _shift_wall_clock(item.ends_at, item.end_zone, shift)
                if item.kind == ItineraryItem.Kind.VISIT:
                    item.visit_status = ItineraryItem.VisitStatus.PROPOSED
                item.proposed_starts_at = item.proposed_ends_at = None
                item.proposal_note = ""
                item.sequence = 0  # a new event in calendars: its first revision
                item.save()
                item.hosts.set(hosts)
    return copy
