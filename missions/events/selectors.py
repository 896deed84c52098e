"""Reads of events and registrations: each returns only what the given user may see, with
what its page shows fetched up front."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from common import pagecache
from common.text import search_text
from organizations.permissions import is_organiser

from ..timezones import format_instant, require_aware
from .models import AgendaItem, AgendaPerson, Event, Registration

Status = Registration.Status


def _is_site_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser


def events_organised_by(user) -> QuerySet[Event]:
    """The events this user organises: those naming them as organiser, provided they hold the
    organiser role (every event for site admins).

    This is THE definition of "an organiser of this event": the rules predicate
    ``missions.events.permissions.is_event_organiser`` asks this queryset, and the scoped
    selectors below use it, so the rule and the lists cannot disagree.
    """
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    if not is_organiser(user):
        return Event.objects.none()
    return Event.objects.filter(
        Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"), user=user))
    )


def events_visible_to(user) -> QuerySet[Event]:
    """Published and cancelled events for everyone; drafts to the event's own organisers."""
    if _is_site_admin(user):
        return Event.objects.all()
    visible = Q(status__in=Event.PUBLIC_STATUSES)
    if is_organiser(user):
        visible |= Q(pk__in=events_organised_by(user).values("pk"))
    return Event.objects.filter(visible)


def event_list(user) -> QuerySet[Event]:
    return events_visible_to(user).select_related("mission").order_by("starts_at", "pk")


def event_visible(user, slug: str) -> Event:
    """The event (with its mission) the reader may see, alone: one query. The public event
    page adds its content (``event_content``) only when it renders it afresh, not when it
    serves the cached copy."""
    return events_visible_to(user).select_related("mission").get(slug=slug)


def event_page(user, slug: str) -> Event:
    """The event with its agenda (nested slots and people), partners and sectors."""
    return event_content(event_visible(user, slug))


def event_content(event: Event) -> Event:
    """Load onto ``event`` what its page's content shows: the agenda (nested slots and
    people, in ``event.agenda``), partners and sectors. Six queries, however long the agenda."""
    people = Prefetch(
        "people",
        queryset=AgendaPerson.objects.select_related("organization").order_by("position", "pk"),
    )
    children = Prefetch(
        "children",
        queryset=AgendaItem.objects.prefetch_related(people).order_by("starts_at", "position"),
    )
    top_level = Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.filter(parent=None)
        .prefetch_related(people, children)
        .order_by("starts_at", "position", "pk"),
        to_attr="agenda",
    )
    prefetch_related_objects([event], top_level, "organising_partners", "sectors")
    # Nested slots show the venue's clock too; hand them their event instead of a query each.
    for item in event.agenda:
        for child in item.children.all():
            child.event = event
    return event


# What the public content of an event page shows changes with: the event itself (its save
# bumps ``updated_at``; partners and sectors are set by the same service), its mission's
# title, the organisations named (partners, speakers' organisations), the agenda and its
# people (only ever added and removed, never edited in place: their pks and counts), the
# sectors, and the registrations behind the seat figures. Counts catch a row removed.
_VERSION_PARTS = {
    "latest": (
        "updated_at",
        "mission__updated_at",
        "organising_partners__updated_at",
        "sectors__pk",
        "sectors__updated_at",
        "agenda_items__pk",
        "agenda_items__people__pk",
        "agenda_items__people__organization__updated_at",
        "registrations__updated_at",
    ),
    "count": (
        "organising_partners",
        "sectors",
        "agenda_items",
        "agenda_items__people",
        "registrations",
    ),
}


def event_content_version(event: Event) -> str:
    """A short string that changes whenever anything the event page's public content shows
    changes (seat figures included): the key of its cached copies. One query, compiled once
    per process (``common.pagecache.content_version``)."""
    return pagecache.content_version(
        event, latest=_VERSION_PARTS["latest"], count=_VERSION_PARTS["count"]
    )


@dataclass(frozen=True)
class SeatCounts:
    capacity: int
    held: int
    attending: int
    offered: int
    pending: int
    waitlisted: int
    checked_in: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.held, 0)


def seat_counts(event: Event) -> SeatCounts:
    """Every count the organiser and the public page show, in one query."""
    counts = Registration.objects.filter(event=event).aggregate(
        held=Count("pk", filter=Q(status__in=Registration.SEAT_STATUSES)),
        attending=Count("pk", filter=Q(status__in=Registration.ATTENDING_STATUSES)),
        offered=Count("pk", filter=Q(status=Status.OFFERED)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return SeatCounts(capacity=event.capacity, **counts)


def seats_held(event: Event) -> int:
    """Seats held now: approved, confirmed and offered registrations. One query; the
    services count under the event's row lock."""
    return Registration.objects.filter(event=event, status__in=Registration.SEAT_STATUSES).count()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting; None when not on the waiting list."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Status.WAITLISTED,
        waitlisted_at__lte=registration.waitlisted_at,
    ).exclude(waitlisted_at=registration.waitlisted_at, pk__gte=registration.pk)
    return ahead.count() + 1


def registration_refusal(event: Event, *, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register for ``event`` now, or None when registration is open.
    No query: it reads the event alone."""
    now = timezone.now() if now is None else require_aware(now, field="now")
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled; registration is closed.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for registration.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(when)s.") % {
            "when": format_instant(event.registration_opens_at, event.time_zone)
        }
    if now > event.registration_deadline:
        return _("The registration deadline (%(when)s) has passed.") % {
            "when": format_instant(event.registration_deadline, event.time_zone)
        }
    return None


def registrations_for_organiser(event: Event, *, status: str = "") -> QuerySet[Registration]:
    queryset = (
        Registration.objects.filter(event=event)
        .select_related("user", "organization")
        .prefetch_related("sectors_of_interest")
        .order_by("created_at", "pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def attendees(event: Event) -> QuerySet[Registration]:
    """People with a seat (approved or confirmed), for badges, exports and check-in."""
    return (
        Registration.objects.filter(event=event, status__in=Registration.ATTENDING_STATUSES)
        .select_related("user", "organization")
        .order_by("organization__name", "user__full_name", "pk")
    )


def attendees_matching(event: Event, query: str) -> QuerySet[Registration]:
    """Attendees whose name, email or organisation contains every word of ``query``: the
    check-in desk finds a person among many by typing part of a name."""
    found = attendees(event)
    # NUL and other control characters dropped: PostgreSQL refuses NUL in text.
    for word in search_text(query).split()[:5]:
        found = found.filter(
            Q(user__full_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(organization__name__icontains=word)
        )
    return found


def agenda_items(event: Event) -> QuerySet[AgendaItem]:
    """Every agenda item of ``event``, nested ones included."""
    return AgendaItem.objects.filter(event=event)


def participants_listed(event: Event) -> QuerySet[Registration]:
    """The public participant list: attending people who consented to appear on it."""
    return attendees(event).filter(consent_to_list=True)


def registrations_visible_to(user) -> QuerySet[Registration]:
    """One's own registrations; organisers also those of the events they organise."""
    if not user.is_authenticated:
        return Registration.objects.none()
    if _is_site_admin(user):
        return Registration.objects.all()
    visible = Q(user=user)
    if is_organiser(user):
        visible |= Q(event__in=events_organised_by(user).values("pk"))
    return Registration.objects.filter(visible)


def registrations_of(user) -> QuerySet[Registration]:
    if not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "organization")
        .order_by("-event__starts_at", "pk")
    )


def live_registration(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user).exclude(status=Status.CANCELLED).first()
    )


# The home page (reports.home composes these): each is one query, whatever the number of rows.
HOME_LIMIT = 10


def home_registrations(user, *, now: dt.datetime | None = None) -> list[Registration]:
    """The reader's live registrations to events not yet over, the soonest first."""
    now = now or timezone.now()
    return list(
        registrations_of(user)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(event__ends_at__gt=now)
        .order_by("event__starts_at", "pk")[:HOME_LIMIT]
    )


def home_open_events(user, *, now: dt.datetime | None = None) -> list[Event]:
    """Published events taking registrations now, the soonest first; ``registered`` says
    whether the reader already holds a live registration."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(
            status=Event.Status.PUBLISHED, registration_deadline__gt=now, starts_at__gt=now
        )
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        .select_related("mission")
        .order_by("starts_at", "pk")
    )
    if user.is_authenticated:
        events = events.annotate(
            registered=Exists(
                Registration.objects.filter(event=OuterRef("pk"), user=user).exclude(
                    status=Registration.Status.CANCELLED
                )
            )
        )
    return list(events[:HOME_LIMIT])


def home_upcoming_events(user, *, now: dt.datetime | None = None) -> list[Event]:
    """Public events not yet over, the soonest first (for visitors)."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gt=now)
        .select_related("mission")
        .order_by("starts_at", "pk")[:HOME_LIMIT]
    )


def home_registrations_awaiting(user, *, now: dt.datetime | None = None) -> list[Registration]:
    """Registrations waiting for the organiser's approval on events not yet over."""
    now = now or timezone.now()
    return list(
        Registration.objects.filter(
            event__in=events_organised_by(user).values("pk"),
            status=Registration.Status.PENDING,
            event__ends_at__gt=now,
        )
        .select_related("event", "user", "organization")
        .order_by("event__starts_at", "created_at", "pk")[:HOME_LIMIT]
    )
