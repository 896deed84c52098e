"""Telling both sides, once, that a meeting on their published agenda moved or was cancelled.

A change is recorded where it is made, inside that service's transaction, by
``agenda_change_record``: an organiser placing a published meeting at another slot or table
(``meeting_place``), a "schedule all" run allowed to move published meetings (``_apply``),
a cancelled request whose meeting was published (``request_cancel``). It stamps
``agenda_changed_at`` and enqueues ``task_meeting_notify_changed`` after commit.

``meeting_notify_changed`` (the task's one call) emails both sides the meeting as it stands
then: its new time in the venue's zone with each recipient's home zone beside it, or that it
was cancelled, or that it waits for a new slot. It records, under the meeting's row lock, the
stamp it announced, so a task run twice sends once, and several changes made before the task
runs send one email describing the last. Nothing goes to anyone for a meeting whose agenda
was never published, nor once the session has ended.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from common.email import send_templated
from common.links import absolute_url
from missions.templatetags.mission_times import format_range, venue_date
from missions.timezones import local

from ...models import Meeting, MeetingRequest, Participant
from ...selectors import session_has_ended

MOVED, UNPLACED, CANCELLED = "moved", "unplaced", "cancelled"


def agenda_change_due(meeting: Meeting) -> bool:
    """Whether a change to ``meeting`` (as loaded before the change) must be announced: it
    stands on a published agenda."""
    return meeting.published_at is not None


def agenda_change_record(meeting: Meeting, *, now: dt.datetime) -> None:
    """Stamp the change on ``meeting`` (the caller saves it, inside its transaction) and email
    both sides after commit."""
    from ...tasks import task_meeting_notify_changed

    meeting.agenda_changed_at = now
    meeting_id = meeting.pk
    transaction.on_commit(lambda: task_meeting_notify_changed.delay(meeting_id=meeting_id))


def _state(meeting: Meeting) -> str:
    if (
        meeting.status == Meeting.Status.CANCELLED
        or meeting.request.status == MeetingRequest.Status.CANCELLED
    ):
        return CANCELLED
    return MOVED if meeting.slot_id is not None else UNPLACED


def _when(meeting: Meeting, zone: str) -> str:
    """``Mon 25 Apr 2016 10:00–10:30 CEST`` in ``zone``."""
    slot = meeting.slot
    return f"{venue_date(slot.starts_at, zone)} {format_range(slot.starts_at, slot.ends_at, zone)}"


def _home_when(meeting: Meeting, venue_zone: str, home_zone: str) -> str:
    """The same in the recipient's home zone, or "" when its clocks read as the venue's."""
    start = meeting.slot.starts_at
    if local(start, home_zone).utcoffset() == local(start, venue_zone).utcoffset():
        return ""
    return _when(meeting, home_zone)


def _context(meeting: Meeting, person: Participant, other: Participant) -> dict:
    session = meeting.session
    request = meeting.request
    state = _state(meeting)
    context = {
        "state": state,
        "participant": person,
        "other": other,
        "session": session,
        "table": meeting.table.name if meeting.table_id else "",
        "when": "",
        "home_when": "",
        "cancelled_by_other": request.cancelled_by_id == other.user_id,
        "cancelled_by_me": request.cancelled_by_id == person.user_id,
        "url": absolute_url("matchmaking:agenda", slug=session.slug),
    }
    if meeting.slot_id is not None:
        # A cancelled meeting keeps its slot: the email says which time was cancelled.
        context["when"] = _when(meeting, session.time_zone)
        context["home_when"] = _home_when(meeting, session.time_zone, person.user.home_time_zone)
    return context


def meeting_notify_changed(*, meeting: Meeting, now: dt.datetime | None = None) -> int:
    """Email both sides of ``meeting`` that it moved or was cancelled, once per recorded
    change. Nothing if no change is waiting or the session has ended. Returns emails sent."""
    now = timezone.now() if now is None else now
    with transaction.atomic():
        # The row alone is locked (no join to the nullable slot and table), then read whole.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").first()
        meeting = (
            Meeting.objects.select_related(
                "session", "slot", "table", "request__sender__user", "request__receiver__user"
            )
            .filter(pk=meeting.pk)
            .first()
        )
        if meeting is None or meeting.agenda_changed_at is None:
            return 0
        if meeting.agenda_change_notified_at == meeting.agenda_changed_at:
            return 0
        if session_has_ended(meeting.session, now=now):
            return 0
        request = meeting.request
        sent = 0
        for person, other in (
            (request.sender, request.receiver),
            (request.receiver, request.sender),
        ):
            sent += send_templated(
                template="matchmaking/email/meeting_changed",
                context=_context(meeting, person, other),
                to=[person.user.email],
            )
        meeting.agenda_change_notified_at = meeting.agenda_changed_at
        meeting.save(update_fields=["agenda_change_notified_at"])
    return sent
