"""Background jobs of reports: ids in, one service called, safe to run twice.

Rendering is CPU-bound and may be long: the task acknowledges late (a worker killed
mid-render leaves the message on the queue and another worker renders it again), is
retried a bounded number of times on passing errors, and has a soft time limit that
records a failure in words before the hard limit kills the process.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from .models import ReportJob

logger = logging.getLogger("clustermissions.reports")

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def task_report_render(self, *, job_id: int) -> str:
    """Render the report job ``job_id`` (nothing if it is gone or already done)."""
    from .services.jobs import report_fail, report_render

    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.info("report job %s is gone; nothing to render", job_id)
        return "gone"
    try:
        return report_render(job=job).status
    except SoftTimeLimitExceeded:
        report_fail(
            job_id=job_id,
            reason=f"The document took longer than {SOFT_TIME_LIMIT} seconds to make.",
        )
        return ReportJob.Status.FAILED


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_surveys_send() -> int:
    """Periodic: invite the people of missions and events that have ended to give feedback."""
    from .services.surveys import surveys_send_due

    return surveys_send_due()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_survey_invitation_send(*, invitation_id: int) -> int:
    """Email one survey invitation, once."""
    from .models import SurveyInvitation
    from .services.surveys import survey_invitation_send

    invitation = SurveyInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        logger.info("survey invitation %s is gone; no email", invitation_id)
        return 0
    return survey_invitation_send(invitation=invitation)
