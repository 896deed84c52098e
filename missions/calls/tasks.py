"""Background jobs of calls: ids in, one service called, safe to run twice."""

import logging

from celery import shared_task

logger = logging.getLogger("clustermissions.missions.calls")


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def task_decision_email(*, application_id: int) -> bool:
    """Email an applicant their decision; a second run sends nothing (see the service)."""
    from .services import decision_email_send

    sent = decision_email_send(application_id=application_id)
    if not sent:
        logger.info("application %s: no decision email to send", application_id)
    return sent


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def task_place_unfilled_email(*, application_id: int) -> int:
    """Tell the organisers nobody took a withdrawn delegate's place; a second run sends
    nothing (see the service)."""
    from .services import place_unfilled_notify

    sent = place_unfilled_notify(application_id=application_id)
    if not sent:
        logger.info("application %s: no free-place email to send", application_id)
    return sent


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def task_submission_email(*, application_id: int) -> bool:
    """Confirm a submitted application to its applicant; a second run sends nothing."""
    from .services import submission_email_send

    sent = submission_email_send(application_id=application_id)
    if not sent:
        logger.info("application %s: no submission email to send", application_id)
    return sent
