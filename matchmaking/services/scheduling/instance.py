"""The scheduling problem of a session as the database holds it, for the pure core, and the
reasons in words for what the core left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ...models import Meeting, MeetingKind, MeetingRequest, Participant, Session
from ...scheduling import Instance, InvalidInstance, Reason, Result
from ...scheduling.io import instance_from_dict
from ...scheduling.model import Meeting as PlacedMeeting
from ...scheduling.model import Schedule

# Meetings the scheduler may place or move; held and no-show meetings happened already.
SCHEDULABLE = (Meeting.Status.PLANNED, Meeting.Status.SCHEDULED)
HAPPENED = (Meeting.Status.HELD, Meeting.Status.NO_SHOW)


@dataclass
class Built:
    """An instance built from the database, with the way back from its ids to rows."""

    instance: Instance
    meetings: dict[str, Meeting]  # request id in the instance → its meeting row
    participants: dict[str, Participant]
    slots: dict[str, object]
    tables: list  # table number - 1 → Table row (empty: the session has no tables)
    previous: Schedule


def person_name(participant: Participant) -> str:
    """A participant's name for sentences: their full name, else their display name."""
    return participant.user.full_name or participant.display_name


def _slot_key(slot) -> str:
    return f"s{slot.pk}"


def _person_key(participant: Participant) -> str:
    return f"p{participant.pk}"


def _request_key(request: MeetingRequest) -> str:
    return f"r{request.pk}"


def schedule_instance(session: Session, *, allow_moves: bool = False) -> Built:
    """The scheduling problem of ``session`` as it stands in the database.

    Requests: the accepted requests whose meeting is planned or scheduled, with their kind
    and weight; meetings that were held or missed stay where they were (locked), as do
    meetings an organiser locked and — unless ``allow_moves`` — published ones. Participants:
    everyone in a request, available in the session's slots minus those they marked
    unavailable, with their meeting limit and the people attending. Slots: every slot with
    its kinds and one table per ``Table`` row (seats as stored); a session without tables
    is treated as having a table for every meeting. Raises ``ValidationError`` naming the
    problem when the locked meetings contradict each other or the data.
    """
    slots = list(session.slots.order_by("starts_at", "pk"))
    tables = list(session.tables.order_by("pk"))
    table_number = {table.pk: number for number, table in enumerate(tables, start=1)}
    meetings = list(
        Meeting.objects.filter(
            session=session,
            request__status=MeetingRequest.Status.ACCEPTED,
            status__in=(*SCHEDULABLE, *HAPPENED),
        )
        .select_related("request", "slot", "table")
        .order_by("pk")
    )
    meetings = [m for m in meetings if m.status in SCHEDULABLE or m.slot_id is not None]
    people_ids = {m.request.sender_id for m in meetings} | {m.request.receiver_id for m in meetings}
    participants = list(
        Participant.objects.filter(pk__in=people_ids)
        .select_related("user", "organization", "session")
        .prefetch_related(Prefetch("unavailable_slots", to_attr="unavailable"))
        .order_by("pk")
    )
    virtual_tables = not tables
    count = len(meetings) if virtual_tables else len(tables)
    slot_data = []
    for slot in slots:
        entry = {"id": _slot_key(slot), "tables": count, "start": slot.starts_at.isoformat()}
        entry["end"] = slot.ends_at.isoformat()
        if not virtual_tables:
            entry["table_seats"] = [table.seats for table in tables]
        if slot.kinds:
            entry["kinds"] = list(slot.kinds)
        slot_data.append(entry)
    slot_ids = [_slot_key(slot) for slot in slots]
    person_data = []
    for person in participants:
        unavailable = {_slot_key(slot) for slot in person.unavailable}
        person_data.append(
            {
                "id": _person_key(person),
                "side": person.side,
                "available": [key for key in slot_ids if key not in unavailable],
                "max_meetings": person.meeting_limit,
                "people": person.attendees,
            }
        )
    request_data = []
    locked = []
    previous = []
    virtual_taken: dict[int, int] = defaultdict(int)
    for meeting in meetings:
        request = meeting.request
        key = _request_key(request)
        request_data.append(
            {
                "id": key,
                "participants": [f"p{request.sender_id}", f"p{request.receiver_id}"],
                "weight": meeting.weight,
                "kind": request.kind,
            }
        )
        if meeting.slot_id is None:
            continue
        if virtual_tables:
            virtual_taken[meeting.slot_id] += 1
            table = virtual_taken[meeting.slot_id]
        else:
            table = table_number.get(meeting.table_id)
        if table is None:
            continue
        place = {"request": key, "slot": f"s{meeting.slot_id}", "table": table}
        keep = meeting.is_locked or meeting.status in HAPPENED
        if keep or (meeting.published_at is not None and not allow_moves):
            locked.append((place, keep))
        else:
            previous.append(place)
    data = {
        "name": session.slug,
        "slots": slot_data,
        "participants": person_data,
        "requests": request_data,
        "locked": [place for place, _keep in locked],
    }
    try:
        instance = instance_from_dict(data)
    except InvalidInstance as error:
        # A published meeting that no longer fits (someone became unavailable, a table
        # shrank) may move after all; locks an organiser set must hold or the run fails.
        data["locked"] = [place for place, keep in locked if keep]
        previous += [place for place, keep in locked if not keep]
        try:
            instance = instance_from_dict(data)
        except InvalidInstance:
            raise ValidationError(
                _("The locked meetings cannot all stay where they are: %(problem)s")
                % {"problem": error}
            ) from error
    return Built(
        instance=instance,
        meetings={_request_key(m.request): m for m in meetings},
        participants={_person_key(p): p for p in participants},
        slots={_slot_key(slot): slot for slot in slots},
        tables=tables,
        previous=Schedule(
            meetings=tuple(
                PlacedMeeting(place["request"], place["slot"], place["table"]) for place in previous
            )
        ),
    )


def reason_in_words(built: Built, result: Result, request_id: str) -> str:
    """Why a request was left out, as a sentence with the participants' names."""
    meeting = built.meetings[request_id]
    request = meeting.request
    sender = built.participants[f"p{request.sender_id}"]
    receiver = built.participants[f"p{request.receiver_id}"]
    names = {"first": person_name(sender), "second": person_name(receiver)}
    reason = result.unplaced[request_id]
    if reason == Reason.NO_COMMON_SLOT:
        return _("%(first)s and %(second)s have no common free slot.") % names
    if reason == Reason.NO_SLOT_FOR_KIND:
        return _("No slot takes %(kind)s meetings when %(first)s and %(second)s are free.") % {
            **names,
            "kind": MeetingKind(request.kind).label.lower(),
        }
    if reason == Reason.NO_TABLE_BIG_ENOUGH:
        return _("No table seats all %(people)s people of %(first)s and %(second)s.") % {
            **names,
            "people": sender.attendees + receiver.attendees,
        }
    if reason == Reason.PARTICIPANT_AT_LIMIT:
        placed = defaultdict(int)
        for placed_meeting in result.schedule.meetings:
            other = built.meetings[placed_meeting.request].request
            placed[other.sender_id] += 1
            placed[other.receiver_id] += 1
        full = next((p for p in (sender, receiver) if placed[p.pk] >= p.meeting_limit), sender)
        return _("%(name)s has reached their limit of %(limit)s meetings.") % {
            "name": person_name(full),
            "limit": full.meeting_limit,
        }
    if reason == Reason.NO_TABLE_FREE:
        return _("Every table is taken in the slots where %(first)s and %(second)s are free.") % (
            names
        )
    return (
        _(
            "%(first)s and %(second)s are both free only in slots where one of them has a"
            " meeting that weighs more."
        )
        % names
    )
