"""Background jobs of matchmaking: ids in, one service called, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from .models import MeetingRequest

logger = logging.getLogger("clustermissions.matchmaking")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_request_notify_cancelled(*, request_id: int) -> int:
    """Email the other side of a cancelled request (once per cancellation)."""
    from .services.requests import request_notify_cancelled

    request = MeetingRequest.objects.filter(pk=request_id).first()
    if request is None:
        logger.info("meeting request %s is gone; no email", request_id)
        return 0
    return request_notify_cancelled(request=request)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_request_notify_received(*, request_id: int) -> int:
    """Email the receiver of a new meeting request (once)."""
    from .services.requests import request_notify_received

    request = MeetingRequest.objects.filter(pk=request_id).first()
    if request is None:
        logger.info("meeting request %s is gone; no email", request_id)
        return 0
    return request_notify_received(request=request)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_request_notify_answered(*, request_id: int) -> int:
    """Email the sender that their request was accepted or declined (once per answer)."""
    from .services.requests import request_notify_answered

    request = MeetingRequest.objects.filter(pk=request_id).first()
    if request is None:
        logger.info("meeting request %s is gone; no email", request_id)
        return 0
    return request_notify_answered(request=request)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_requests_expire() -> int:
    """Periodic: expire unanswered requests past their date so they stop blocking."""
    from .services.requests import requests_expire

    return requests_expire()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def task_schedule_run(*, run_id: int) -> str:
    """Compute and apply one "schedule all" run; a run already taken or done returns."""
    from .models import ScheduleRun
    from .services.scheduling import schedule_run_execute

    run = ScheduleRun.objects.filter(pk=run_id).select_related("session").first()
    if run is None:
        logger.info("schedule run %s is gone", run_id)
        return "gone"
    return schedule_run_execute(run=run).status


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_agendas_notify(*, session_id: int) -> int:
    """Email each participant that their agenda is published (once per publication)."""
    from .models import Session
    from .services.scheduling import agendas_notify

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    return agendas_notify(session=session)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_meeting_notify_changed(*, meeting_id: int) -> int:
    """Email both sides that their published meeting moved or was cancelled (once per change)."""
    from .models import Meeting
    from .services.scheduling import meeting_notify_changed

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        logger.info("meeting %s is gone; no email", meeting_id)
        return 0
    return meeting_notify_changed(meeting=meeting)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_outcomes_follow_up() -> int:
    """Periodic: ask both sides of meetings held months ago what came of them (once)."""
    from .services.outcomes import outcomes_follow_up

    return outcomes_follow_up()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_session_invite_registrants(*, session_id: int) -> int:
    """Invite the event's registrants who asked for matchmaking (each once, ever)."""
    from .models import Session
    from .services.sessions import session_invite_registrants

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        logger.info("matchmaking session %s is gone; no invitations", session_id)
        return 0
    return session_invite_registrants(session=session)
