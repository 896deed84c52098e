"""Schedule all: a run queued by an organiser, computed by the task, applied in one
transaction with the session row locked."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import User

from ...models import Meeting, MeetingRequest, ScheduleRun, Session
from ...scheduling import Result, schedule_solve
from .changes import agenda_change_due, agenda_change_record
from .instance import SCHEDULABLE, Built, reason_in_words, schedule_instance

logger = logging.getLogger("clustermissions.matchmaking")

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
        from ...tasks import task_schedule_run

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
    now = timezone.now()
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
        if agenda_change_due(meeting) and (meeting.slot_id, meeting.table_id) != (
            slot_id,
            table_id,
        ):
            agenda_change_record(meeting, now=now)
        meeting.slot_id, meeting.table_id = slot_id, table_id
        meeting.status = Meeting.Status.SCHEDULED if slot_id else Meeting.Status.PLANNED
        if slot_id is None:
            meeting.published_at = None
        changed.append(meeting)
    ids = [meeting.pk for meeting in changed]
    Meeting.objects.filter(pk__in=ids).update(slot=None, table=None, updated_at=now)
    for meeting in changed:
        meeting.updated_at = now
    Meeting.objects.bulk_update(
        changed,
        ["slot", "table", "status", "published_at", "agenda_changed_at", "updated_at"],
        batch_size=500,
    )
