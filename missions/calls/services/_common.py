"""What the calls services share: status changes, the deadline. The permission check they
start with is ``common.services.require_permission``."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from organizations.models import User

from ..models import (
    Application,
    Call,
    StatusChange,
)

logger = logging.getLogger("clustermissions.missions.calls")

Status = Application.Status
# Until the deadline the applicant may change what they sent, even once reviewers are on it.
EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)

CALL_FIELDS = (
    "title",
    "description",
    "eligibility",
    "opens_at",
    "closes_at",
    "time_zone",
    "max_delegates",
    "max_per_organization",
    "conflict_rule",
    "reviews_per_application",
    "is_published",
)

# The statuses each status may move to; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {
        Status.UNDER_REVIEW,
        Status.SHORTLISTED,
        *Application.DECISIONS,
        Status.WITHDRAWN,
    },
    Status.UNDER_REVIEW: {Status.SHORTLISTED, *Application.DECISIONS, Status.WITHDRAWN},
    Status.SHORTLISTED: {*Application.DECISIONS, Status.WITHDRAWN},
    Status.WAITLISTED: {Status.SELECTED, Status.REJECTED, Status.WITHDRAWN},
    Status.SELECTED: {Status.WITHDRAWN},
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}

DEFAULT_TEMPLATES = {
    Status.SELECTED: (
        _lazy("Your application to $call: selected"),
        _lazy(
            "Dear $contact_name,\n\nWe are pleased to tell you that $organization has been "
            "selected for the delegation of $mission. The itinerary is on the mission's page.\n"
        ),
    ),
    Status.WAITLISTED: (
        _lazy("Your application to $call: waiting list"),
        _lazy(
            "Dear $contact_name,\n\n$organization is on the waiting list for $mission "
            "(position $waitlist_rank). We will write again if a place becomes free.\n"
        ),
    ),
    Status.REJECTED: (
        _lazy("Your application to $call"),
        _lazy(
            "Dear $contact_name,\n\nThank you for applying on behalf of $organization. We are "
            "sorry that we cannot offer a place in the delegation of $mission this time.\n"
        ),
    ),
}


def _set_status(
    application: Application, to: str, *, by: User | None, note: str = ""
) -> StatusChange:
    """Move ``application`` (locked by the caller) to ``to`` and record who, when, why."""
    before = application.status
    if to not in TRANSITIONS[before]:
        raise ValidationError(
            _("An application that is %(before)s cannot become %(after)s.")
            % {"before": Status(before).label.lower(), "after": Status(to).label.lower()}
        )
    application.status = to
    application.save(
        update_fields=["status", "decision_pending", "waitlist_rank", "submitted_at", "updated_at"]
    )
    return StatusChange.objects.create(
        application=application, by=by, from_status=before, to_status=to, note=note[:300]
    )


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call").get(pk=application.pk)


def _require_open(call: Call) -> None:
    """Refuse when the call is not open now; called inside the transaction."""
    now = timezone.now()
    if now < call.opens_at:
        raise ValidationError(_("This call is not open yet."), code="not_open")
    if now >= call.closes_at:
        raise ValidationError(
            _("The deadline has passed: applications closed at %(deadline)s (%(zone)s).")
            % {
                "deadline": call.closes_at.astimezone(call.tz).strftime("%Y-%m-%d %H:%M:%S"),
                "zone": call.time_zone,
            },
            code="deadline",
        )
