"""Background jobs of programmes: ids in, one service called, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from matchmaking.models import MeetingOutcome, Session

logger = logging.getLogger("clustermissions.programmes")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_session_outcomes_import(*, session_id: int) -> int:
    """Turn a session's meeting answers that report an MoU or agreement into outcomes."""
    from .services.outcomes import outcomes_from_meetings

    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        logger.info("matchmaking session %s is gone; nothing to import", session_id)
        return 0
    return len(outcomes_from_meetings(session=session))


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_outcomes_import() -> int:
    """Periodic: queue the import for every session with an answer not yet imported.

    The higher app pulls from the lower one: matchmaking never calls programmes.
    """
    session_ids = list(
        MeetingOutcome.objects.filter(
            agreement_signed__in=(MeetingOutcome.Agreement.MOU, MeetingOutcome.Agreement.AGREEMENT),
            programme_confirmation__isnull=True,
        )
        .values_list("meeting__session_id", flat=True)
        .distinct()
    )
    for session_id in session_ids:
        task_session_outcomes_import.delay(session_id=session_id)
    return len(session_ids)
