"""What came of a meeting: each side records it, and months later is asked again, once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.email import send_templated
from common.links import absolute_url
from organizations.models import User

from ..models import Meeting, MeetingOutcome, Participant

# Meetings whose outcome may be recorded: held, or scheduled and over (the desk may not
# have marked it).
OUTCOME_STATUSES = (Meeting.Status.HELD, Meeting.Status.SCHEDULED)


def meeting_side(meeting: Meeting, user: User) -> Participant | None:
    """The reader's side of the meeting, or None."""
    for participant in (meeting.request.sender, meeting.request.receiver):
        if participant.user_id == user.pk:
            return participant
    return None


def outcome_record(
    *,
    meeting: Meeting,
    by: User,
    rating: int,
    follow_up_planned: bool = False,
    cooperation_type: str = "",
    agreement_signed: str = MeetingOutcome.Agreement.NONE,
    text: str = "",
    now: dt.datetime | None = None,
) -> MeetingOutcome:
    """One side records (or corrects) what came of a meeting it attended, once it is over."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("slot", "request__sender", "request__receiver")
            .get(pk=meeting.pk)
        )
        participant = meeting_side(meeting, by)
        if participant is None:
            raise ValidationError(_("Only the two sides of a meeting record its outcome."))
        if meeting.status not in OUTCOME_STATUSES or meeting.slot is None:
            raise ValidationError(_("Only a meeting that took place has an outcome."))
        if meeting.slot.starts_at > now:
            raise ValidationError(_("Record the outcome after the meeting."))
        outcome = MeetingOutcome.objects.filter(meeting=meeting, participant=participant).first()
        outcome = outcome or MeetingOutcome(meeting=meeting, participant=participant)
        outcome.rating = rating
        outcome.follow_up_planned = follow_up_planned
        outcome.cooperation_type = cooperation_type
        outcome.agreement_signed = agreement_signed
        outcome.text = text
        outcome.answered_at = now
        outcome.full_clean()
        outcome.save()
    return outcome


def outcomes_follow_up(*, now: dt.datetime | None = None) -> int:
    """Periodic: for every meeting that took place the session's follow-up delay ago
    (default 90 days), email both sides once to ask again what came of it. Returns the
    meetings asked about. Safe to run any number of times, also concurrently."""
    now = now or timezone.now()
    candidates = (
        Meeting.objects.filter(
            follow_up_sent_at__isnull=True,
            status__in=OUTCOME_STATUSES,
            slot__ends_at__lte=now - dt.timedelta(days=1),
        )
        .select_related("slot", "session")
        .values_list("pk", "slot__ends_at", "session__outcome_follow_up_days")
    )
    due = [pk for pk, ends, days in candidates if ends + dt.timedelta(days=days) <= now]
    asked = 0
    for meeting_id in due:
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related(
                    "session", "slot", "request__sender__user", "request__receiver__user"
                )
                .filter(pk=meeting_id, follow_up_sent_at__isnull=True)
                .first()
            )
            if meeting is None:
                continue
            for me, other in (
                (meeting.request.sender, meeting.request.receiver),
                (meeting.request.receiver, meeting.request.sender),
            ):
                context = {
                    "participant": me,
                    "other": other,
                    "meeting": meeting,
                    "session": meeting.session,
                    "url": absolute_url(
                        "matchmaking:outcome", slug=meeting.session.slug, pk=meeting.pk
                    ),
                }
                send_templated(
                    template="matchmaking/email/outcome_follow_up",
                    context=context,
                    to=[me.user.email],
                )
            meeting.follow_up_sent_at = now
            meeting.save(update_fields=["follow_up_sent_at"])
            asked += 1
    return asked


def outcomes_of(participant: Participant) -> dict[int, MeetingOutcome]:
    """The participant's recorded outcomes by meeting id (1 query)."""
    return {
        outcome.meeting_id: outcome
        for outcome in MeetingOutcome.objects.filter(participant=participant)
    }


__all__ = ["meeting_side", "outcome_record", "outcomes_follow_up", "outcomes_of"]
