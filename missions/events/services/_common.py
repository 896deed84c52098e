"""What the events services share: the event lock, the clock, seat offers, emails on commit.

Every function that takes or frees a seat first locks the event row
(``SELECT … FOR UPDATE``), then counts the seats held, then writes: two registrations for
the last seat queue on that lock instead of both seeing it free. The database's seat
trigger (migration 0005) stands behind the lock for writes that skip the services.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...timezones import require_aware
from .. import selectors
from ..models import Event, Registration

Status = Registration.Status

EVENT_FIELDS = (
    "mission",
    "kind",
    "title",
    "venue_name",
    "venue_address",
    "city",
    "latitude",
    "longitude",
    "time_zone",
    "starts_at",
    "ends_at",
    "description",
    "target_audience",
    "capacity",
    "registration_opens_at",
    "registration_deadline",
    "approval_required",
    "waiting_list_enabled",
    "offer_hours",
)
EVENT_DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_deadline")
MAX_ANSWER_LENGTH = 2000
# Paths under /events/ that an event's slug must not shadow.
RESERVED_SLUGS = frozenset({"new", "mine", "registrations"})

# The database's constraints a registration can run into, by name (see ``common.db``).
ONE_LIVE_REGISTRATION = "registration_one_live_per_user"
# The seat trigger of migration 0005 names itself as the constraint it raises for.
SEAT_CHECK = "registration_within_capacity"
SEAT_CHECK_MESSAGE = gettext_lazy(
    "The seats changed while you registered and nothing was saved. Please submit again."
)


def _lock_event(event_id: int) -> Event:
    """The event as stored now, its row locked until the transaction ends. The lock is
    what keeps the seat count honest."""
    return Event.objects.select_for_update().get(pk=event_id)


def _now(now: dt.datetime | None) -> dt.datetime:
    """The current instant, or the one given: the demo seed replays 2018 with ``now``.
    Views and tasks never pass it."""
    return timezone.now() if now is None else require_aware(now, field="now")


def _capacity_below_held(held: int) -> dict[str, str]:
    return {
        "capacity": _(
            "%(held)s seats are already held (approved, confirmed or offered); "
            "the capacity cannot go below that. Cancel or reject registrations first."
        )
        % {"held": held}
    }


def _notify_on_commit(registration: Registration) -> None:
    from ..tasks import task_registration_notify

    registration_id = registration.pk
    transaction.on_commit(lambda: task_registration_notify.delay(registration_id=registration_id))


def _locked_registration(registration: Registration) -> tuple[Event, Registration]:
    event = _lock_event(registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def _offer_free_seats(event: Event, *, now: dt.datetime) -> list[Registration]:
    """Offer every free seat to the next people waiting, in order. Caller holds the lock.

    An automatic change: nobody decides it, so no person is recorded on the offers.
    """
    if event.status != Event.Status.PUBLISHED or now >= event.starts_at:
        return []
    free = event.capacity - selectors.seats_held(event)
    if free <= 0:
        return []
    offered = list(
        Registration.objects.select_for_update()
        .filter(event=event, status=Status.WAITLISTED)
        .order_by("waitlisted_at", "pk")[:free]
    )
    expires_at = min(now + dt.timedelta(hours=event.offer_hours), event.starts_at)
    for registration in offered:
        registration.status = Status.OFFERED
        registration.offer_expires_at = expires_at
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _notify_on_commit(registration)
    return offered
