"""The change log, and telling delegates and hosts about published changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from common.links import absolute_url
from organizations.models import Organization, User

from .. import selectors
from ..models import (
    ChangeLogEntry,
    ItineraryItem,
    Mission,
)

# --- Change log and notifications -----------------------------------------------------------

# A host's answer about a visit: the mission's organisers are told.
HOST_ANSWERS = (ChangeLogEntry.Action.VISIT_CONFIRMED, ChangeLogEntry.Action.VISIT_TIME_PROPOSED)


def mission_has_ended(mission: Mission) -> bool:
    """Whether the mission's last day is behind us: nobody is emailed about it any more."""
    return mission.end_date < timezone.localdate()


def _record_change(
    *,
    mission: Mission,
    action: ChangeLogEntry.Action,
    summary: str,
    by: User | None,
    item: ItineraryItem | None = None,
    changes: list[str] = (),
    hosts: Iterable[Organization] = (),
    notify: bool | None = None,
) -> ChangeLogEntry:
    """Write a change-log entry; email it after commit to whom it concerns.

    Changes to a published mission go to its delegates and the hosts affected. While the
    mission is still a draft, a visit added with hosts goes to those hosts (they confirm
    before publication), and a host's answer goes to the organisers. Nothing is sent about
    a mission that has ended, whatever the caller asks."""
    if notify is None:
        notify = mission.status == Mission.Status.PUBLISHED or (
            mission.is_editable
            and (
                action in HOST_ANSWERS
                or (action == ChangeLogEntry.Action.ITEM_ADDED and bool(list(hosts)))
            )
        )
    notify = notify and not mission_has_ended(mission)
    entry = ChangeLogEntry.objects.create(
        mission=mission,
        item=item,
        action=action,
        summary=summary[:300],
        changes=list(changes),
        by=by,
        notify=notify,
    )
    entry.affected_hosts.set({host.pk for host in hosts})
    if notify:
        from ..tasks import task_change_notify

        transaction.on_commit(lambda: task_change_notify.delay(entry_id=entry.pk))
    return entry


def change_notify(*, entry: ChangeLogEntry) -> int:
    """Email each delegate and each contact of an affected host once about ``entry``.

    Returns the number of emails sent. Called by the task. The entry is marked notified
    under a row lock before anything is sent, so a task that runs twice sends once.
    """
    from django.core.mail import get_connection

    from common.email import send_templated

    with transaction.atomic():
        entry = ChangeLogEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.notify or entry.notified_at is not None:
            return 0
        entry.notified_at = timezone.now()
        entry.save(update_fields=["notified_at"])
    mission = entry.mission
    if mission_has_ended(mission):
        # Queued before the mission ended, run after: too late to matter to anyone.
        return 0
    recipients = selectors.change_recipients(entry)
    item = entry.item
    links = {
        "itinerary_url": absolute_url("missions:itinerary", slug=mission.slug),
        "changes_url": absolute_url("missions:changes", slug=mission.slug),
        "host_visits_url": absolute_url("missions:host_visits"),
        "plan_url": absolute_url("missions:plan", slug=mission.slug),
        # As the visit stands when the email goes out: a host who confirmed since is not
        # asked again.
        "host_must_confirm": item is not None
        and item.kind == ItineraryItem.Kind.VISIT
        and item.visit_status == ItineraryItem.VisitStatus.PROPOSED,
    }
    sent = 0
    with get_connection() as connection:
        for user, reason in recipients:
            context = {
                "entry": entry,
                "mission": mission,
                "user": user,
                "reason": reason,
                **links,
            }
            send_templated(
                template="missions/email/change",
                context=context,
                to=[user.email],
                connection=connection,
            )
            sent += 1
    return sent
