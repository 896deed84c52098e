"""Organisers' decisions on registrations, and the check-in desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import User

from .. import selectors
from ..models import Event, Registration
from ._common import Status, _lock_event, _notify_on_commit, _now, _offer_free_seats

MAX_MESSAGE_LENGTH = 2000


@dataclass
class DecisionResult:
    """What a bulk decision did, for the organiser's message."""

    approved: list[Registration] = field(default_factory=list)
    rejected: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    # Could not be approved: no seat left and no waiting list. They stay pending.
    refused: list[Registration] = field(default_factory=list)
    skipped: list[Registration] = field(default_factory=list)


APPROVABLE = (Status.PENDING,)
REJECTABLE = (Status.PENDING, Status.APPROVED, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)


def registrations_decide(
    *,
    event: Event,
    by: User,
    registration_ids: Iterable[int],
    approve: bool,
    message: str = "",
    now: dt.datetime | None = None,
) -> DecisionResult:
    """Approve or reject registrations of ``event`` in bulk, with an optional message.

    Approval gives a seat in registration order while seats last; after that people join
    the waiting list, or stay pending when the event keeps none. Rejection frees any seat
    held, which is offered to the waiting list.
    """
    require_permission(by, "missions.manage_event", event)
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("The message is too long (at most %(max)s characters).") % {"max": MAX_MESSAGE_LENGTH}
        )
    result = DecisionResult()
    with transaction.atomic():
        event = _lock_event(event.pk)
        now = _now(now)
        registrations = list(
            Registration.objects.select_for_update()
            .filter(event=event, pk__in=list(registration_ids))
            .order_by("created_at", "pk")
        )
        free = event.capacity - selectors.seats_held(event)
        for registration in registrations:
            if approve:
                if registration.status not in APPROVABLE:
                    result.skipped.append(registration)
                    continue
                if free > 0:
                    registration.status = Status.APPROVED
                    free -= 1
                    result.approved.append(registration)
                elif event.waiting_list_enabled:
                    registration.status = Status.WAITLISTED
                    registration.waitlisted_at = now
                    result.waitlisted.append(registration)
                else:
                    result.refused.append(registration)
                    continue
            else:
                if registration.status not in REJECTABLE:
                    result.skipped.append(registration)
                    continue
                registration.status = Status.REJECTED
                registration.offer_expires_at = None
                result.rejected.append(registration)
            registration.decision_message = message
            registration.decided_at = now
            registration.decided_by = by
            registration.save()
            _notify_on_commit(registration)
        if result.rejected:
            _offer_free_seats(event, now=now)
    return result


def registration_check_in(
    *, registration: Registration, by: User, now: dt.datetime | None = None, undo: bool = False
) -> Registration:
    """Mark an attending person as arrived. Checking in twice keeps the first time; ``undo``
    takes back a check-in made by mistake."""
    require_permission(by, "missions.manage_event", registration.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if undo:
            if registration.checked_in_at is not None:
                registration.checked_in_at = None
                registration.save(update_fields=["checked_in_at", "updated_at"])
            return registration
        if registration.status not in Registration.ATTENDING_STATUSES:
            raise ValidationError(
                _("%(name)s has no seat (%(status)s) and cannot be checked in.")
                % {"name": registration.user, "status": registration.get_status_display()}
            )
        if registration.checked_in_at is None:
            registration.checked_in_at = _now(now)
            registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration
