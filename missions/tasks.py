"""Background jobs of the missions app: ids in, one service called, safe to run twice."""

import logging

from celery import shared_task

from .models import ChangeLogEntry

logger = logging.getLogger("clustermissions.missions")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_change_notify(*, entry_id: int) -> int:
    """Email delegates and affected host contacts about one change of a published mission."""
    from .services import change_notify

    entry = ChangeLogEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        logger.info("change log entry %s is gone; nothing to send", entry_id)
        return 0
    return change_notify(entry=entry)
