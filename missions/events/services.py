"""Everything that changes events, agendas and registrations.

Views, the demo seed and tasks call these functions. Each owns its transaction, checks who
may act and validates before saving. Every function that takes or frees a seat first locks
the event row (``SELECT ... FOR UPDATE``), then counts the seats held, then writes: two
registrations for the last seat queue on that lock instead of both seeing it free.

Test-only switches, read at call time so a test can flip them with ``settings``:
``EVENTS_SEAT_LOCK_ENABLED`` (default True) turns the lock off and
``EVENTS_SEAT_CHECK_ENABLED`` (default True) the database's seat trigger (migration 0005,
PostgreSQL only) for the negative control of the race test;
``EVENTS_TEST_RACE_WINDOW_SECONDS`` (default 0) sleeps between counting and writing so the
race window is wide enough to be observed. Production never sets them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from organizations.models import Membership, Organization, Sector, User

from ..timezones import local, require_aware
from .models import AgendaItem, AgendaPerson, Event, EventQuestion, Registration

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
RESERVED_SLUGS = {"new", "mine", "registrations"}

Status = Registration.Status

# The database trigger behind the lock (migration 0005) names itself in its error.
SEAT_CHECK = "registration_within_capacity"
SEAT_CHECK_MESSAGE = gettext_lazy(
    "The seats changed while you registered and nothing was saved. Please submit again."
)


# --- Helpers ---------------------------------------------------------------------------------


def _require(user: User, permission: str, obj=None) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You may not do this."))


def _lock_event(event_id: int) -> Event:
    """The event as stored now, its row locked until the transaction ends.

    The lock is what keeps the seat count honest; the switch exists only so the race test
    can show what happens without it.
    """
    queryset = Event.objects.all()
    if getattr(settings, "EVENTS_SEAT_LOCK_ENABLED", True):
        queryset = queryset.select_for_update()
    if (
        not getattr(settings, "EVENTS_SEAT_CHECK_ENABLED", True)
        and connection.vendor == "postgresql"
    ):
        # Test-only: skip the database's seat trigger for the rest of this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('clustermissions.seat_check', 'off', true)")
    return queryset.get(pk=event_id)


def _now(now: dt.datetime | None) -> dt.datetime:
    """The current instant, or the one given: the demo seed replays 2018 with ``now``.
    Views and tasks never pass it."""
    return timezone.now() if now is None else require_aware(now, field="now")


def _race_window() -> None:
    """Test-only: hold the gap between counting seats and writing open a little longer."""
    seconds = getattr(settings, "EVENTS_TEST_RACE_WINDOW_SECONDS", 0)
    if seconds:
        time.sleep(seconds)


def seats_held(event: Event) -> int:
    """Seats held now: approved, confirmed and offered registrations."""
    return Registration.objects.filter(event=event, status__in=Registration.SEAT_STATUSES).count()


def _format_instant(value: dt.datetime, zone: str) -> str:
    moment = local(value, zone)
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {moment.tzname()}"


def _unique_slug(base: str) -> str:
    stem = slugify(base)[:200] or "event"
    if stem in RESERVED_SLUGS:
        stem = f"{stem}-event"
    candidate, number = stem, 1
    while Event.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _notify_on_commit(registration: Registration) -> None:
    from .tasks import task_registration_notify

    registration_id = registration.pk
    transaction.on_commit(lambda: task_registration_notify.delay(registration_id=registration_id))


# --- Events and agendas ----------------------------------------------------------------------


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
    _require(by, "missions.create_event")
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name in EVENT_DATETIME_FIELDS:
        if fields.get(name) is not None:
            fields[name] = require_aware(fields[name], field=name)
    event = Event(status=status, **fields)
    event.slug = _unique_slug(event.title or "")
    event.full_clean()
    if event.registration_deadline > event.ends_at:
        raise ValidationError(
            {"registration_deadline": _("The registration deadline is after the event's end.")}
        )
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
    _require(by, "missions.manage_event", event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name in EVENT_DATETIME_FIELDS:
        if fields.get(name) is not None:
            fields[name] = require_aware(fields[name], field=name)
    with transaction.atomic():
        event = _lock_event(event.pk)
        for name, value in fields.items():
            setattr(event, name, value)
        event.full_clean()
        if event.registration_deadline > event.ends_at:
            raise ValidationError(
                {"registration_deadline": _("The registration deadline is after the event's end.")}
            )
        held = seats_held(event)
        if event.capacity < held:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(held)s seats are already held (approved, confirmed or offered); "
                        "the capacity cannot go below that. Cancel or reject registrations first."
                    )
                    % {"held": held}
                }
            )
        event.save()
        if sectors is not None:
            event.sectors.set(sectors)
        if organising_partners is not None:
            event.organising_partners.set(organising_partners)
        _offer_free_seats(event, now=timezone.now())
    return event


def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    _require(by, "missions.manage_event", item.event)
    item.delete()


def event_publish(*, event: Event, by: User) -> Event:
    _require(by, "missions.manage_event", event)
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status != Event.Status.DRAFT:
            raise ValidationError(_("Only a draft event can be published."))
        event.status = Event.Status.PUBLISHED
        event.save(update_fields=["status", "updated_at"])
    return event


def event_cancel(*, event: Event, by: User) -> Event:
    """Cancel the event; everyone with a live registration is told by email."""
    _require(by, "missions.manage_event", event)
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
    _require(by, "missions.manage_event", event)
    if capacity < 0:
        raise ValidationError({"capacity": _("The number of seats cannot be negative.")})
    with transaction.atomic():
        event = _lock_event(event.pk)
        held = seats_held(event)
        if capacity < held:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(held)s seats are already held (approved, confirmed or offered); "
                        "the capacity cannot go below that. Cancel or reject registrations first."
                    )
                    % {"held": held}
                }
            )
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
    _require(by, "missions.manage_event", event)
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


def question_add(
    *, event: Event, by: User, label: str, help_text: str = "", required: bool = False
) -> EventQuestion:
    _require(by, "missions.manage_event", event)
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


# --- Registering -----------------------------------------------------------------------------


def registration_refusal(event: Event, *, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register for ``event`` now, or None when registration is open."""
    now = _now(now)
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled; registration is closed.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for registration.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(when)s.") % {
            "when": _format_instant(event.registration_opens_at, event.time_zone)
        }
    if now > event.registration_deadline:
        return _("The registration deadline (%(when)s) has passed.") % {
            "when": _format_instant(event.registration_deadline, event.time_zone)
        }
    return None


def _check_registration_open(event: Event, now: dt.datetime) -> None:
    refusal = registration_refusal(event, now=now)
    if refusal is not None:
        raise ValidationError(refusal)


def _clean_answers(event: Event, answers: dict) -> dict[str, str]:
    questions = {str(question.pk): question for question in event.questions.all()}
    unknown = set(map(str, answers)) - set(questions)
    if unknown:
        raise ValidationError(_("Answers to questions this event does not ask."))
    cleaned = {}
    for key, question in questions.items():
        value = str(answers.get(key, answers.get(question.pk, "")) or "").strip()
        if len(value) > MAX_ANSWER_LENGTH:
            raise ValidationError(
                _("The answer to “%(question)s” is too long (at most %(max)s characters).")
                % {"question": question.label, "max": MAX_ANSWER_LENGTH}
            )
        if question.required and not value:
            raise ValidationError(_("Please answer “%(question)s”.") % {"question": question.label})
        if value:
            cleaned[key] = value
    return cleaned


def registration_create(
    *,
    event: Event,
    user: User,
    organization: Organization,
    role: str = "",
    sectors_of_interest: Iterable[Sector] = (),
    wants_matchmaking: bool = False,
    consent_to_list: bool = False,
    answers: dict | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """Register ``user`` for ``event`` on behalf of one of their organisations.

    Without approval a free seat is taken at once (confirmed); when none is left the person
    joins the waiting list, or is refused if the event keeps none. With approval the
    registration waits for an organiser (pending) and holds no seat yet. Refused with a
    ValidationError after the deadline, before opening, for an unpublished or cancelled event
    and for a second live registration.
    """
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to register."))
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(
            {"organization": _("You can only register for an organisation you belong to.")}
        )
    answers = _clean_answers(event, answers or {})
    sectors_of_interest = list(sectors_of_interest)
    try:
        with transaction.atomic():
            event = _lock_event(event.pk)
            now = _now(now)
            _check_registration_open(event, now)
            if (
                Registration.objects.filter(event=event, user=user)
                .exclude(status=Status.CANCELLED)
                .exists()
            ):
                raise ValidationError(_("You are already registered for this event."))
            registration = Registration(
                event=event,
                user=user,
                organization=organization,
                role=role,
                wants_matchmaking=wants_matchmaking,
                consent_to_list=consent_to_list,
                answers=answers,
            )
            if event.approval_required:
                registration.status = Status.PENDING
            else:
                held = seats_held(event)
                _race_window()
                if held < event.capacity:
                    registration.status = Status.CONFIRMED
                elif event.waiting_list_enabled:
                    registration.status = Status.WAITLISTED
                    registration.waitlisted_at = now
                else:
                    raise ValidationError(
                        _("All seats are taken and this event keeps no waiting list.")
                    )
            # The unique constraint is checked by the database on save; full_clean would ask
            # the same question again.
            registration.full_clean(validate_constraints=False)
            registration.save()
            registration.sectors_of_interest.set(sectors_of_interest)
            _notify_on_commit(registration)
    except IntegrityError as error:
        # Two submissions by the same person at the same moment: the second one is refused
        # by the database's one-live-registration constraint.
        if "registration_one_live_per_user" in str(error) or "UNIQUE" in str(error):
            raise ValidationError(_("You are already registered for this event.")) from error
        # The database's seat check refused a seat the lock should have queued for.
        if SEAT_CHECK in str(error):
            raise ValidationError(SEAT_CHECK_MESSAGE) from error
        raise
    return registration


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


def _offer_free_seats(event: Event, *, now: dt.datetime) -> list[Registration]:
    """Offer every free seat to the next people waiting, in order. Caller holds the lock."""
    if event.status != Event.Status.PUBLISHED or now >= event.starts_at:
        return []
    free = event.capacity - seats_held(event)
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


def _locked_registration(registration: Registration) -> tuple[Event, Registration]:
    event = _lock_event(registration.event_id)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def registration_cancel(
    *, registration: Registration, by: User, now: dt.datetime | None = None
) -> Registration:
    """The registrant (or an organiser of the event) cancels; a freed seat is offered on."""
    _require(by, "missions.cancel_registration", registration)
    with transaction.atomic():
        event, registration = _locked_registration(registration)
        if registration.status in (Status.CANCELLED, Status.REJECTED):
            raise ValidationError(_("This registration is no longer active."))
        now = _now(now)
        freed = registration.holds_seat
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        if freed:
            _offer_free_seats(event, now=now)
        _notify_on_commit(registration)
    return registration


def registration_accept_offer(
    *, registration: Registration, by: User, now: dt.datetime | None = None
) -> Registration:
    """The person offered a freed seat takes it before the offer expires."""
    _require(by, "missions.act_as_registrant", registration)
    with transaction.atomic():
        _event, registration = _locked_registration(registration)
        if registration.status != Status.OFFERED:
            raise ValidationError(_("There is no seat offer to accept."))
        if registration.offer_expires_at <= _now(now):
            raise ValidationError(
                _("This offer expired at %(when)s.")
                % {
                    "when": _format_instant(
                        registration.offer_expires_at, registration.event.time_zone
                    )
                }
            )
        registration.status = Status.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        _notify_on_commit(registration)
    return registration


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Cancel every seat offer past its expiry and offer the seats to the next people.

    Called by the periodic task; running it twice changes nothing the second time.
    """
    now = _now(now)
    event_ids = (
        Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    expired_count = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = _lock_event(event_id)
            expired = list(
                Registration.objects.select_for_update().filter(
                    event=event, status=Status.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in expired:
                registration.status = Status.CANCELLED
                registration.cancelled_at = now
                registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                _notify_on_commit(registration)
            expired_count += len(expired)
            _offer_free_seats(event, now=now)
    return expired_count


# --- Organisers' decisions -------------------------------------------------------------------


@dataclass
class DecisionResult:
    """What a bulk decision did, for the organiser's message."""

    approved: list[Registration] = field(default_factory=list)
    rejected: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    # Could not be approved: no seat left and no waiting list. They stay pending.
    refused: list[Registration] = field(default_factory=list)
    skipped: list[Registration] = field(default_factory=list)


APPROVABLE = (Status.PENDING,)
REJECTABLE = (Status.PENDING, Status.APPROVED, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)


def registrations_decide(
    *,
    event: Event,
    by: User,
    registration_ids: Iterable[int],
    approve: bool,
    message: str = "",
    now: dt.datetime | None = None,
) -> DecisionResult:
    """Approve or reject registrations of ``event`` in bulk, with an optional message.

    Approval gives a seat in registration order while seats last; after that people join
    the waiting list, or stay pending when the event keeps none. Rejection frees any seat
    held, which is offered to the waiting list.
    """
    _require(by, "missions.manage_event", event)
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError(_("The message is too long (at most 2000 characters)."))
    result = DecisionResult()
    with transaction.atomic():
        event = _lock_event(event.pk)
        now = _now(now)
        registrations = list(
            Registration.objects.select_for_update()
            .filter(event=event, pk__in=list(registration_ids))
            .order_by("created_at", "pk")
        )
        free = event.capacity - seats_held(event)
        for registration in registrations:
            if approve:
                if registration.status not in APPROVABLE:
                    result.skipped.append(registration)
                    continue
                if free > 0:
                    registration.status = Status.APPROVED
                    free -= 1
                    result.approved.append(registration)
                elif event.waiting_list_enabled:
                    registration.status = Status.WAITLISTED
                    registration.waitlisted_at = now
                    result.waitlisted.append(registration)
                else:
                    result.refused.append(registration)
                    continue
            else:
                if registration.status not in REJECTABLE:
                    result.skipped.append(registration)
                    continue
                registration.status = Status.REJECTED
                registration.offer_expires_at = None
                result.rejected.append(registration)
            registration.decision_message = message
            registration.decided_at = now
            registration.decided_by = by
            registration.save()
            _notify_on_commit(registration)
        if result.rejected:
            _offer_free_seats(event, now=now)
    return result


def registration_check_in(
    *, registration: Registration, by: User, now: dt.datetime | None = None, undo: bool = False
) -> Registration:
    """Mark an attending person as arrived. Checking in twice keeps the first time; ``undo``
    takes back a check-in made by mistake."""
    _require(by, "missions.manage_event", registration.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if undo:
            if registration.checked_in_at is not None:
                registration.checked_in_at = None
                registration.save(update_fields=["checked_in_at", "updated_at"])
            return registration
        if registration.status not in Registration.ATTENDING_STATUSES:
            raise ValidationError(
                _("%(name)s has no seat (%(status)s) and cannot be checked in.")
                % {"name": registration.user, "status": registration.get_status_display()}
            )
        if registration.checked_in_at is None:
            registration.checked_in_at = _now(now)
            registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


# --- Emails ----------------------------------------------------------------------------------


def _notification_state(registration: Registration) -> str:
    if registration.event.status == Event.Status.CANCELLED and registration.status not in (
        Status.CANCELLED,
        Status.REJECTED,
    ):
        return "event_cancelled"
    if registration.status == Status.OFFERED:
        return f"offered:{registration.offer_expires_at.isoformat()}"
    return registration.status


def _email_text(registration: Registration, state: str) -> tuple[str, str]:
    event = registration.event
    values = {
        "event": event.title,
        "when": _format_instant(event.starts_at, event.time_zone),
        "venue": ", ".join(part for part in (event.venue_name, event.city) if part),
    }
    if state == "event_cancelled":
        subject = _("Cancelled: %(event)s") % values
        body = _("%(event)s (%(when)s) has been cancelled. We are sorry.") % values
    elif registration.status == Status.PENDING:
        subject = _("Registration received: %(event)s") % values
        body = (
            _(
                "We received your registration for %(event)s, %(when)s, %(venue)s. "
                "Participation is subject to the organisers' approval; we will write again."
            )
            % values
        )
    elif registration.status in Registration.ATTENDING_STATUSES:
        subject = _("Your seat is confirmed: %(event)s") % values
        body = _("You have a seat at %(event)s, %(when)s, %(venue)s.") % values
    elif registration.status == Status.WAITLISTED:
        subject = _("On the waiting list: %(event)s") % values
        body = (
            _(
                "All seats of %(event)s are taken; you are on the waiting list. If a seat frees "
                "up, we will offer it to you by email."
            )
            % values
        )
    elif registration.status == Status.OFFERED:
        subject = _("A seat is free for you: %(event)s") % values
        body = _(
            "A seat at %(event)s, %(when)s, is yours if you accept it before %(expires)s. "
            "Open your registration to accept it."
        ) % {**values, "expires": _format_instant(registration.offer_expires_at, event.time_zone)}
    elif registration.status == Status.REJECTED:
        subject = _("Your registration for %(event)s") % values
        body = _("We are sorry: your registration for %(event)s was not accepted.") % values
    else:
        expired = (
            registration.offer_expires_at is not None
            and registration.cancelled_at is not None
            and registration.cancelled_at >= registration.offer_expires_at
        )
        subject = _("Registration cancelled: %(event)s") % values
        body = (
            _(
                "The seat offered to you for %(event)s was not accepted in time; it went to "
                "the next person waiting."
            )
            if expired
            else _("Your registration for %(event)s is cancelled.")
        ) % values
    if registration.decision_message and state != "event_cancelled":
        body += "\n\n" + _("Message from the organisers:") + "\n" + registration.decision_message
    link = absolute_url("events:registration", pk=registration.pk)
    body += "\n\n" + _("Your registration: %(url)s") % {"url": link}
    return subject, body


def registrations_mark_notified(*, event: Event) -> int:
    """Record every registration's current state as announced, so no email goes out for it.

    For the demo seed, whose fictional people must not be written to; not for views.
    """
    count = 0
    with transaction.atomic():
        for registration in (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(event=event)
        ):
            registration.notified_state = _notification_state(registration)
            registration.save(update_fields=["notified_state"])
            count += 1
    return count


def registration_notify(*, registration: Registration) -> int:
    """Email the registrant about the current state of their registration, once per state.

    The row lock and ``notified_state`` make a task run twice (or retried) send one email.
    Returns the number of emails sent.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "user")
            .get(pk=registration.pk)
        )
        state = _notification_state(registration)
        if state == registration.notified_state:
            return 0
        subject, body = _email_text(registration, state)
        send_mail(subject, body, None, [registration.user.email])
        registration.notified_state = state
        registration.save(update_fields=["notified_state"])
    return 1
