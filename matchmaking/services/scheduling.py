"""Schedule all: the database → the pure scheduling core → meetings, and publishing agendas.

The flow:

1. ``schedule_run_start`` (organiser) records a queued ``ScheduleRun`` and enqueues
   ``task_schedule_run`` after commit (in-process without ``REDIS_URL``).
2. ``schedule_run_execute`` (the task) claims the run once, builds an ``Instance`` from the
   accepted requests (``schedule_instance``), calls ``schedule_solve``, then applies the
   result in one transaction with the session row locked: meetings get their slot and
   table, the run its weight, bound, ratio and each left-out request's reason in words.
   A run that is not queued any more returns at once, so a retried task changes nothing.
3. ``schedule_publish`` (organiser) moves the session to "agendas published", stamps the
   placed meetings and emails every participant with meetings, after commit, once.

Published meetings stay exactly where they are (they go to the core as locked meetings)
unless the organiser allows moves; then they go as the previous schedule, which the core
keeps wherever it can, and the run reports how many moved or were dropped.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from common.links import absolute_url
from common.services import require_permission
from common.text import header_text
from organizations.models import User

from ..models import Meeting, MeetingKind, MeetingRequest, Participant, ScheduleRun, Session
from ..scheduling import Instance, InvalidInstance, Reason, Result, schedule_solve
from ..scheduling.io import instance_from_dict
from ..scheduling.model import Meeting as PlacedMeeting
from ..scheduling.model import Schedule

logger = logging.getLogger("clustermissions.matchmaking")

# Meetings the scheduler may place or move; held and no-show meetings happened already.
SCHEDULABLE = (Meeting.Status.PLANNED, Meeting.Status.SCHEDULED)
HAPPENED = (Meeting.Status.HELD, Meeting.Status.NO_SHOW)
# Phases in which "schedule all" may run.
SCHEDULE_PHASES = (
    Session.Phase.REQUESTS_OPEN,
    Session.Phase.SCHEDULING,
    Session.Phase.AGENDAS_PUBLISHED,
)
ACTIVE_RUN = (ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING)


def default_time_limit() -> float:
    """Seconds the solver may search (setting ``MATCHMAKING_SCHEDULE_SECONDS``, default 20)."""
    return float(getattr(settings, "MATCHMAKING_SCHEDULE_SECONDS", 20.0))


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


def schedule_run_start(*, session: Session, by: User, allow_moves: bool = False) -> ScheduleRun:
    """Queue a "schedule all" run of ``session``; the task starts after commit.

    Refused while another run of the session is queued or running, and outside the phases
    that take requests, scheduling or published agendas.
    """
    require_permission(by, "matchmaking.manage_session", session)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.phase not in SCHEDULE_PHASES:
            raise ValidationError(
                _("Meetings can be scheduled once requests are open, not in the phase “%(phase)s”.")
                % {"phase": session.get_phase_display()}
            )
        if session.schedule_runs.filter(status__in=ACTIVE_RUN).exists():
            raise ValidationError(_("A schedule is being computed already; wait for it to finish."))
        run = ScheduleRun(session=session, requested_by=by, allow_moves=allow_moves)
        run.full_clean()
        run.save()
        from ..tasks import task_schedule_run

        run_id = run.pk
        transaction.on_commit(lambda: task_schedule_run.delay(run_id=run_id))
    return run


def _claim(run: ScheduleRun) -> ScheduleRun | None:
    """Mark a queued run running; None when another worker has it or it is finished."""
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ScheduleRun.Status.QUEUED:
            return None
        run.status = ScheduleRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = 5
        run.save(update_fields=["status", "started_at", "progress"])
    return run


def _progress(run: ScheduleRun, percent: int) -> None:
    ScheduleRun.objects.filter(pk=run.pk).update(progress=percent)


def _fail(run: ScheduleRun, message: str) -> ScheduleRun:
    run.status = ScheduleRun.Status.FAILED
    run.error = message
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "progress", "finished_at"])
    return run


def schedule_run_execute(*, run: ScheduleRun, time_limit: float | None = None) -> ScheduleRun:
    """Compute and apply the schedule of a queued run (the task's one call); idempotent."""
    claimed = _claim(run)
    if claimed is None:
        return ScheduleRun.objects.get(pk=run.pk)
    run = claimed
    session = run.session
    try:
        built = schedule_instance(session, allow_moves=run.allow_moves)
    except ValidationError as error:
        return _fail(run, " ".join(error.messages))
    _progress(run, 20)
    shown = [20]

    def solver_progress(fraction: float) -> None:
        # 20% once the instance is built, 90% when the solver is done; a write at most
        # every 5 points, so the polled page moves without a query per neighbourhood.
        percent = 20 + int(70 * fraction)
        if percent >= shown[0] + 5:
            shown[0] = percent
            _progress(run, percent)

    result = schedule_solve(
        built.instance,
        time_limit=default_time_limit() if time_limit is None else time_limit,
        previous=built.previous,
        progress=solver_progress,
    )
    _progress(run, 90)
    try:
        with transaction.atomic():
            Session.objects.select_for_update().get(pk=session.pk)
            _apply(built, result)
            run.weight = result.weight
            run.bound = int(result.bound)
            run.ratio = round(result.ratio, 6)
            run.proven_optimal = result.proven_optimal
            run.unplaced = {
                request_id.removeprefix("r"): reason_in_words(built, result, request_id)
                for request_id in sorted(result.unplaced, key=lambda key: int(key[1:]))
            }
            run.moved = result.moved
            run.dropped = result.dropped
            run.status = ScheduleRun.Status.DONE
            run.progress = 100
            run.finished_at = timezone.now()
            run.full_clean()
            run.save()
    except IntegrityError as error:
        logger.warning("schedule run %s could not be applied: %s", run.pk, error)
        return _fail(
            run,
            _("The meetings changed while the schedule was computed. Run it again."),
        )
    return run


def _apply(built: Built, result: Result) -> None:
    """Write the result to the meeting rows (inside the caller's transaction).

    Meetings that changed place are first taken off their tables, then put on the new
    ones, so that two meetings swapping tables never meet the one-per-table constraint.
    Only meetings still planned or scheduled, of requests still accepted, are touched; a
    meeting an organiser moved or locked while the solver ran makes the whole run fail
    (IntegrityError, rolled back) rather than clash with what the solver placed.
    """
    current = {
        meeting.pk: meeting
        for meeting in Meeting.objects.select_for_update()
        .filter(pk__in=[m.pk for m in built.meetings.values()])
        .select_related("request")
    }
    placed = {m.request: m for m in result.schedule.meetings}
    changed = []
    for request_id, old in built.meetings.items():
        meeting = current.get(old.pk)
        if (
            meeting is None
            or meeting.status not in SCHEDULABLE
            or meeting.request.status != MeetingRequest.Status.ACCEPTED
        ):
            continue  # cancelled (or held) meanwhile: its place is simply left free
        if (meeting.slot_id, meeting.table_id, meeting.is_locked) != (
            old.slot_id,
            old.table_id,
            old.is_locked,
        ):
            # An organiser placed or locked it while the solver ran: the result may clash.
            raise IntegrityError(f"meeting {meeting.pk} was moved during the run")
        where = placed.get(request_id)
        slot_id = table_id = None
        if where is not None:
            slot_id = built.slots[where.slot].pk
            table_id = built.tables[where.table - 1].pk if built.tables else None
        if (meeting.slot_id, meeting.table_id) == (slot_id, table_id) and (
            meeting.status == (Meeting.Status.SCHEDULED if slot_id else Meeting.Status.PLANNED)
        ):
            continue
        meeting.slot_id, meeting.table_id = slot_id, table_id
        meeting.status = Meeting.Status.SCHEDULED if slot_id else Meeting.Status.PLANNED
        if slot_id is None:
            meeting.published_at = None
        changed.append(meeting)
    now = timezone.now()
    ids = [meeting.pk for meeting in changed]
    Meeting.objects.filter(pk__in=ids).update(slot=None, table=None, updated_at=now)
    for meeting in changed:
        meeting.updated_at = now
    Meeting.objects.bulk_update(
        changed, ["slot", "table", "status", "published_at", "updated_at"], batch_size=500
    )


def schedule_publish(*, session: Session, by: User, now: dt.datetime | None = None) -> int:
    """Publish the agendas: phase "agendas published", placed meetings stamped, and every
    participant with a meeting emailed once after commit. Returns the meetings published."""
    require_permission(by, "matchmaking.manage_session", session)
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.schedule_runs.filter(status__in=ACTIVE_RUN).exists():
            raise ValidationError(_("A schedule is being computed; publish when it is done."))
        placed = Meeting.objects.filter(
            session=session, status=Meeting.Status.SCHEDULED, slot__isnull=False
        )
        if not placed.exists():
            raise ValidationError(_("No meeting has a slot yet: schedule the meetings first."))
        count = placed.filter(published_at__isnull=True).update(published_at=now, updated_at=now)
        session.phase = Session.Phase.AGENDAS_PUBLISHED
        session.agendas_published_at = now
        session.full_clean()
        session.save(update_fields=["phase", "agendas_published_at", "updated_at"])
        from ..tasks import task_agendas_notify

        session_id = session.pk
        transaction.on_commit(lambda: task_agendas_notify.delay(session_id=session_id))
    return count


def agendas_notify(*, session: Session) -> int:
    """Email each participant with a published meeting that their agenda is ready, once per
    publication (recorded under the participant's row lock). Returns emails sent."""
    published = session.agendas_published_at
    if published is None:
        return 0
    people = (
        Participant.objects.filter(session=session)
        .filter(
            Q(sent_requests__meeting__published_at__isnull=False)
            | Q(received_requests__meeting__published_at__isnull=False)
        )
        .filter(Q(agenda_notified_at__isnull=True) | Q(agenda_notified_at__lt=published))
        .values_list("pk", flat=True)
        .distinct()
    )
    sent = 0
    for participant_id in list(people):
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("user", "session")
                .get(pk=participant_id)
            )
            if participant.agenda_notified_at and participant.agenda_notified_at >= published:
                continue
            context = {
                "participant": participant,
                "session": session,
                "url": absolute_url("matchmaking:agenda", slug=session.slug),
            }
            subject = header_text(
                render_to_string("matchmaking/email/agenda_published_subject.txt", context)
            )
            body = render_to_string("matchmaking/email/agenda_published_body.txt", context)
            send_mail(subject, body, None, [participant.user.email])
            participant.agenda_notified_at = published
            participant.save(update_fields=["agenda_notified_at"])
            sent += 1
    return sent


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
        meeting.slot, meeting.table = slot, table
        meeting.is_locked = lock
        meeting.status = Meeting.Status.SCHEDULED
        if meeting.published_at is not None:
            meeting.published_at = timezone.now()
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
