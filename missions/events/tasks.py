"""Background jobs of events: ids in, one service called, safe to run twice."""

import logging

from celery import shared_task

from .models import Registration

logger = logging.getLogger("clustermissions.missions")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_registration_notify(*, registration_id: int) -> int:
    """Email a registrant about their registration's current state (once per state)."""
    from .services import registration_notify

    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        logger.info("registration %s is gone; no email", registration_id)
        return 0
    return registration_notify(registration=registration)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_offers_expire() -> int:
    """Periodic: expire seat offers not accepted in time and offer the seats to the next."""
    from .services import offers_expire

    return offers_expire()
