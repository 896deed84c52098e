"""Publishing the agendas, and telling each participant once that theirs is ready."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.email import send_templated
from common.links import absolute_url
from common.services import require_permission
from organizations.models import User

from ...models import Meeting, Participant, Session
from .runs import ACTIVE_RUN


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
        from ...tasks import task_agendas_notify

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
            send_templated(
                template="matchmaking/email/agenda_published",
                context=context,
                to=[participant.user.email],
            )
            participant.agenda_notified_at = published
            participant.save(update_fields=["agenda_notified_at"])
            sent += 1
    return sent
