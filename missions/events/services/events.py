"""Events, their agendas and their registration questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from common.slugs import unique_slug
from organizations.models import Organization, Sector, User

from ...timezones import require_aware
from .. import selectors
from ..models import AgendaItem, AgendaPerson, Event, EventQuestion
from ._common import (
    EVENT_DATETIME_FIELDS,
    EVENT_FIELDS,
    RESERVED_SLUGS,
    Status,
    _capacity_below_held,
    _lock_event,
    _notify_on_commit,
    _offer_free_seats,
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name in EVENT_DATETIME_FIELDS:
        if fields.get(name) is not None:
            fields[name] = require_aware(fields[name], field=name)


def _check_deadline(event: Event) -> None:
    if event.registration_deadline > event.ends_at:
        raise ValidationError(
            {"registration_deadline": _("The registration deadline is after the event's end.")}
        )


def event_create(
    *,
    by: User,
    sectors: Iterable[Sector] = (),
    organising_partners: Iterable[Organization] = (),
    organisers: Iterable[User] = (),
    status: str = Event.Status.DRAFT,
    **fields,
) -> Event:
    """Create an event; its creator becomes one of its organisers. Organisers only."""
    require_permission(by, "missions.create_event")
    _check_fields(fields)
    event = Event(status=status, **fields)
    event.slug = unique_slug(
        Event.objects.all(), event.title or "", fallback="event", reserved=RESERVED_SLUGS
    )
    event.full_clean()
    _check_deadline(event)
    with transaction.atomic():
        event.save()
        event.sectors.set(sectors)
        event.organising_partners.set(organising_partners)
        event.organisers.add(by, *organisers)
    return event


def event_update(
    *,
    event: Event,
    by: User,
    sectors: Iterable[Sector] | None = None,
    organising_partners: Iterable[Organization] | None = None,
    **fields,
) -> Event:
    """Change an event's details. A new capacity below the seats held is refused; a higher
    one offers the new seats to the waiting list. Its organisers only."""
    require_permission(by, "missions.manage_event", event)
    _check_fields(fields)
    with transaction.atomic():
        event = _lock_event(event.pk)
        for name, value in fields.items():
            setattr(event, name, value)
        event.full_clean()
        _check_deadline(event)
        held = selectors.seats_held(event)
        if event.capacity < held:
            raise ValidationError(_capacity_below_held(held))
        event.save()
        if sectors is not None:
            event.sectors.set(sectors)
        if organising_partners is not None:
            event.organising_partners.set(organising_partners)
        _offer_free_seats(event, now=timezone.now())
    return event


def event_publish(*, event: Event, by: User) -> Event:
    require_permission(by, "missions.manage_event", event)
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status != Event.Status.DRAFT:
            raise ValidationError(_("Only a draft event can be published."))
        event.status = Event.Status.PUBLISHED
        event.save(update_fields=["status", "updated_at"])
    return event


def event_cancel(*, event: Event, by: User) -> Event:
    """Cancel the event; everyone with a live registration is told by email."""
    require_permission(by, "missions.manage_event", event)
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status == Event.Status.CANCELLED:
            return event
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        for registration in event.registrations.exclude(
            status__in=(Status.CANCELLED, Status.REJECTED)
        ):
            _notify_on_commit(registration)
    return event


def event_set_capacity(*, event: Event, by: User, capacity: int) -> Event:
    """Change the number of seats. Going below the seats already held is refused; raising it
    offers the new seats to the waiting list."""
    require_permission(by, "missions.manage_event", event)
    if capacity < 0:
        raise ValidationError({"capacity": _("The number of seats cannot be negative.")})
    with transaction.atomic():
        event = _lock_event(event.pk)
        held = selectors.seats_held(event)
        if capacity < held:
            raise ValidationError(_capacity_below_held(held))
        event.capacity = capacity
        event.save(update_fields=["capacity", "updated_at"])
        _offer_free_seats(event, now=timezone.now())
    return event


def agenda_item_add(
    *,
    event: Event,
    by: User,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    parent: AgendaItem | None = None,
    description: str = "",
    people: Iterable[dict] = (),
) -> AgendaItem:
    """Add an agenda item (or a slot nested in ``parent``) with its speakers and moderators.

    ``people`` are dicts with ``role`` and any of ``name``, ``organization``,
    ``organization_name`` and ``side``.
    """
    require_permission(by, "missions.manage_event", event)
    starts_at = require_aware(starts_at, field="starts_at")
    ends_at = require_aware(ends_at, field="ends_at")
    if not (event.starts_at <= starts_at and ends_at <= event.ends_at):
        raise ValidationError(_("An agenda item must lie within the event's start and end."))
    if parent is not None:
        if parent.event_id != event.pk or parent.parent_id is not None:
            raise ValidationError(_("A slot can only be nested in a top-level item of this event."))
        if not (parent.starts_at <= starts_at and ends_at <= parent.ends_at):
            raise ValidationError(_("A nested slot must lie within its parent item."))
    with transaction.atomic():
        position = AgendaItem.objects.filter(event=event, parent=parent).count()
        item = AgendaItem(
            event=event,
            parent=parent,
            position=position,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            description=description,
        )
        item.full_clean()
        item.save()
        for number, person in enumerate(people):
            agenda_person = AgendaPerson(item=item, position=number, **person)
            agenda_person.full_clean()
            agenda_person.save()
    return item


def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    require_permission(by, "missions.manage_event", item.event)
    item.delete()


def question_add(
    *, event: Event, by: User, label: str, help_text: str = "", required: bool = False
) -> EventQuestion:
    require_permission(by, "missions.manage_event", event)
    question = EventQuestion(
        event=event,
        label=label,
        help_text=help_text,
        required=required,
        position=event.questions.count(),
    )
    question.full_clean()
    question.save()
    return question
