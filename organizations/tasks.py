"""Background jobs of the organisations app: ids in, one service called."""

import logging

from celery import shared_task

from .models import Organization

logger = logging.getLogger("clustermissions.organizations")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_organization_validation_notify(*, organization_id: int, state: str) -> int:
    """Tell an organisation's managers that its profile was validated or rejected."""
    from .services import organization_notify_validation

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        logger.info("organisation %s is gone; no validation email", organization_id)
        return 0
    return organization_notify_validation(organization=organization, state=state)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def task_invitation_send(*, invitation_id: int) -> int:
    """Email an invitation to its address (once, however often the task runs)."""
    from .models import Invitation
    from .services import invitation_send_email

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        logger.info("invitation %s is gone; no email", invitation_id)
        return 0
    return invitation_send_email(invitation=invitation)
