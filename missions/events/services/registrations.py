"""Registering, cancelling, seat offers and their expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from organizations.models import Membership, Organization, Sector, User

from ...timezones import format_instant
from .. import selectors
from ..models import Event, Registration
from ._common import (
    MAX_ANSWER_LENGTH,
    ONE_LIVE_REGISTRATION,
    SEAT_CHECK,
    SEAT_CHECK_MESSAGE,
    Status,
    _lock_event,
    _locked_registration,
    _notify_on_commit,
    _now,
    _offer_free_seats,
)


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
            refusal = selectors.registration_refusal(event, now=now)
            if refusal is not None:
                raise ValidationError(refusal)
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
            elif selectors.seats_held(event) < event.capacity:
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
        name = constraint_name(error)
        # Two submissions by the same person at the same moment: the second one is refused
        # by the database's one-live-registration constraint.
        if name == ONE_LIVE_REGISTRATION:
            raise ValidationError(_("You are already registered for this event.")) from error
        # The database's seat check refused a seat the lock should have queued for.
        if name == SEAT_CHECK:
            raise ValidationError(SEAT_CHECK_MESSAGE) from error
        raise
    return registration


def registration_cancel(
    *, registration: Registration, by: User, now: dt.datetime | None = None
) -> Registration:
    """The registrant (or an organiser of the event) cancels; a freed seat is offered on."""
    require_permission(by, "missions.cancel_registration", registration)
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
    """The person offered a freed seat takes it before the offer expires: they alone, so the
    person is compared, not a permission (``has_perm`` is always true for a superuser)."""
    if not by.is_authenticated or registration.user_id != by.pk:
        raise PermissionDenied(_("Only the person offered the seat may accept it."))
    with transaction.atomic():
        _event, registration = _locked_registration(registration)
        if registration.status != Status.OFFERED:
            raise ValidationError(_("There is no seat offer to accept."))
        if registration.offer_expires_at <= _now(now):
            raise ValidationError(
                _("This offer expired at %(when)s.")
                % {
                    "when": format_instant(
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

    Called by the periodic task: an automatic change, made by the system, so no person is
    recorded on the registrations it changes. Running it twice changes nothing the second
    time.
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
