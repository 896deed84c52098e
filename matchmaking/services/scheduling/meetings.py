"""An organiser's hand on single meetings: place (and lock), unlock, mark at the desk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import User

from ...models import Meeting, MeetingRequest, Session
from .changes import agenda_change_due, agenda_change_record
from .instance import HAPPENED, SCHEDULABLE, person_name


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("request__sender__user", "request__receiver__user", "session")
        .get(pk=meeting.pk)
    )


def meeting_place(*, meeting: Meeting, slot, table, by: User, lock: bool = True) -> Meeting:
    """An organiser puts a meeting in a slot at a table (and locks it there, by default),
    or moves it. Refused, with nothing changed, when the slot or table is of another
    session, the slot takes no meetings of its kind, an attendee is unavailable or busy
    then, the table is taken, or it seats fewer than the people attending."""
    require_permission(by, "matchmaking.manage_session", meeting.session)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=meeting.session_id)
        meeting = _lock_meeting(meeting)
        request = meeting.request
        if meeting.status not in SCHEDULABLE or request.status != MeetingRequest.Status.ACCEPTED:
            raise ValidationError(
                _("This meeting is %(status)s; it cannot be placed.")
                % {"status": meeting.get_status_display().lower()}
            )
        if slot.session_id != meeting.session_id or (
            table is not None and table.session_id != meeting.session_id
        ):
            raise ValidationError(_("Pick a slot and a table of this session."))
        if table is None and meeting.session.tables.exists():
            raise ValidationError({"table": _("Pick a table for the meeting.")})
        if not slot.takes(request.kind):
            raise ValidationError(
                {
                    "slot": _("This slot takes no %(kind)s meetings.")
                    % {"kind": request.get_kind_display().lower()}
                }
            )
        people = (request.sender, request.receiver)
        busy = (
            Meeting.objects.filter(slot=slot, status__in=(*SCHEDULABLE, *HAPPENED))
            .exclude(pk=meeting.pk)
            .select_related("request")
        )
        busy = list(busy)
        for person in people:
            if person.unavailable_slots.filter(pk=slot.pk).exists():
                raise ValidationError(
                    {
                        "slot": _("%(name)s is not available in this slot.")
                        % {"name": person_name(person)}
                    }
                )
            if any(person.pk in (m.request.sender_id, m.request.receiver_id) for m in busy):
                raise ValidationError(
                    {
                        "slot": _("%(name)s has another meeting in this slot.")
                        % {"name": person_name(person)}
                    }
                )
        if table is not None:
            need = sum(person.attendees for person in people)
            if table.seats < need:
                raise ValidationError(
                    {
                        "table": _(
                            "%(table)s seats %(seats)s, too few for the %(need)s people attending."
                        )
                        % {"table": table.name, "seats": table.seats, "need": need}
                    }
                )
            if any(m.table_id == table.pk for m in busy):
                raise ValidationError(
                    {"table": _("%(table)s is taken in this slot.") % {"table": table.name}}
                )
        now = timezone.now()
        table_id = table.pk if table is not None else None
        if agenda_change_due(meeting) and (meeting.slot_id, meeting.table_id) != (
            slot.pk,
            table_id,
        ):
            agenda_change_record(meeting, now=now)
        meeting.slot, meeting.table = slot, table
        meeting.is_locked = lock
        meeting.status = Meeting.Status.SCHEDULED
        if meeting.published_at is not None:
            meeting.published_at = now
        meeting.full_clean(validate_constraints=False)
        meeting.save()
    return meeting


def meeting_unlock(*, meeting: Meeting, by: User) -> Meeting:
    """Let the scheduler move a locked meeting again."""
    require_permission(by, "matchmaking.manage_session", meeting.session)
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        meeting.is_locked = False
        meeting.save(update_fields=["is_locked", "updated_at"])
    return meeting


def meeting_mark(*, meeting: Meeting, status: str, by: User) -> Meeting:
    """At the desk: a scheduled meeting was held or a side did not show up (or undo that,
    back to scheduled)."""
    require_permission(by, "matchmaking.manage_session", meeting.session)
    allowed = (Meeting.Status.HELD, Meeting.Status.NO_SHOW, Meeting.Status.SCHEDULED)
    if status not in allowed:
        raise ValidationError(_("Mark a meeting as held, as a no-show, or as scheduled again."))
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.status not in allowed or meeting.slot_id is None:
            raise ValidationError(_("Only a meeting with a slot can be marked at the desk."))
        meeting.status = status
        meeting.save(update_fields=["status", "updated_at"])
    return meeting
