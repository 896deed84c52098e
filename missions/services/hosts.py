"""What host contacts do: confirm a visit or propose another time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import User

from ..models import (
    ChangeLogEntry,
    ItineraryItem,
)
from ..timezones import local, require_aware
from ._common import (
    MAX_ITEM_DURATION,
    _current_mission,
    _require_editable,
)
from .changelog import _record_change
from .itinerary import _format_value, _item_update

# --- Host contacts --------------------------------------------------------------------------


def _host_visit(item: ItineraryItem, by: User) -> ItineraryItem:
    """Check the host may answer, then lock and return the visit as stored now."""
    require_permission(by, "missions.respond_to_visit", item)
    _require_editable(_current_mission(item.day.mission_id))
    item = ItineraryItem.objects.select_for_update().select_related("day__mission").get(pk=item.pk)
    if item.visit_status == ItineraryItem.VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled."))
    return item


def visit_confirm(*, item: ItineraryItem, by: User) -> ItineraryItem:
    """A contact of a host organisation confirms the visit at its planned time."""
    with transaction.atomic():
        item = _host_visit(item, by)
        if item.visit_status == ItineraryItem.VisitStatus.CONFIRMED:
            return item
        item.visit_status = ItineraryItem.VisitStatus.CONFIRMED
        item.proposed_starts_at = item.proposed_ends_at = None
        item.proposal_note = ""
        item.sequence += 1
        item.save()
        _record_change(
            mission=item.day.mission,
            item=item,
            action=ChangeLogEntry.Action.VISIT_CONFIRMED,
            summary=_("%(host)s confirmed: %(title)s")
            % {"host": by.get_full_name(), "title": item.title},
            changes=[_("Status: Proposed → Confirmed by host")],
            hosts=item.hosts.all(),
            by=by,
        )
    return item


def visit_propose_time(
    *, item: ItineraryItem, by: User, starts_at: dt.datetime, ends_at: dt.datetime, note: str = ""
) -> ItineraryItem:
    """A host contact proposes another time; organisers decide. Nothing moves until then."""
    starts_at = require_aware(starts_at, field="starts_at")
    ends_at = require_aware(ends_at, field="ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at - starts_at > MAX_ITEM_DURATION:
        raise ValidationError({"ends_at": _("A visit lasts at most 36 hours.")})
    with transaction.atomic():
        item = _host_visit(item, by)
        if item.visit_status != ItineraryItem.VisitStatus.PROPOSED:
            # Confirmed becomes tentative again in calendars.
            item.visit_status = ItineraryItem.VisitStatus.PROPOSED
            item.sequence += 1
        item.proposed_starts_at, item.proposed_ends_at = starts_at, ends_at
        item.proposal_note = note.strip()
        item.full_clean(exclude=["day"])
        item.save()
        _record_change(
            mission=item.day.mission,
            item=item,
            action=ChangeLogEntry.Action.VISIT_TIME_PROPOSED,
            summary=_("%(host)s proposed another time for %(title)s")
            % {"host": by.get_full_name(), "title": item.title},
            changes=[
                _("Proposed: %(start)s – %(end)s")
                % {
                    "start": _format_value(item, "starts_at", starts_at),
                    "end": _format_value(item, "ends_at", ends_at),
                }
            ]
            + ([note.strip()] if note.strip() else []),
            by=by,
        )
    return item


def visit_accept_proposal(*, item: ItineraryItem, by: User) -> ItineraryItem:
    """An organiser moves the visit to the time its host proposed; the host has confirmed it.

    Organisers of the mission only. The visit moves to the itinerary day whose date, at the
    venue, holds the proposed start; when the mission has no such day, nothing changes and
    a ValidationError says which day to add.
    """
    mission = _current_mission(item.day.mission_id)
    require_permission(by, "missions.plan_mission", mission)
    _require_editable(mission)
    with transaction.atomic():
        item = ItineraryItem.objects.select_for_update().get(pk=item.pk)
        if item.proposed_starts_at is None:
            raise ValidationError(_("The host has not proposed another time."))
        date = local(item.proposed_starts_at, item.time_zone).date()
        day = mission.days.filter(date=date).first()
        if day is None:
            raise ValidationError(
                _(
                    "The host proposed %(date)s, which is not a day of this mission's "
                    "itinerary. Add that day first, or ask the host for another time."
                )
                % {"date": date_format(date)}
            )
        item = _item_update(
            item=item,
            by=by,
            day=day,
            hosts=None,
            host_agreed=True,
            starts_at=item.proposed_starts_at,
            ends_at=item.proposed_ends_at,
            visit_status=ItineraryItem.VisitStatus.CONFIRMED,
        )
        item.proposed_starts_at = item.proposed_ends_at = None
        item.proposal_note = ""
        item.save(
            update_fields=["proposed_starts_at", "proposed_ends_at", "proposal_note", "updated_at"]
        )
    return item
