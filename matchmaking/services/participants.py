"""Participants' profiles and their marketplace items: written by the participant (or an
organiser of the session on their behalf)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from organizations.models import Organization, Sector, User

from ..models import MarketplaceItem, Participant, Session, Slot, new_agenda_token
from ..permissions import is_session_organiser

PROFILE_FIELDS = (
    "organization",
    "side",
    "attendees",
    "attendee_names",
    "languages",
    "max_meetings",
    "summary",
    "is_visible",
)
ITEM_FIELDS = ("direction", "item_type", "title", "description")
MAX_ITEMS = 20
MAX_LANGUAGES = 10
ONE_PER_USER = "mm_participant_one_per_user"


def _clean_languages(languages: Iterable[str]) -> list[str]:
    cleaned = []
    for code in languages:
        code = str(code).strip().lower()
        if not code:
            continue
        if len(code) != 2 or not code.isalpha():
            raise ValidationError(
                {"languages": _("Give languages as two-letter codes, e.g. en, de, fr.")}
            )
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationError({"languages": _("Give at most 10 languages.")})
    return cleaned


def _check_organization(participant: Participant, by: User) -> None:
    """A participant speaks for an organisation they belong to; an organiser may name any."""
    organization: Organization | None = participant.organization
    if organization is None or is_session_organiser(by, participant.session):
        return
    if not organization.members.filter(pk=participant.user_id).exists():
        raise ValidationError(
            {"organization": _("You can only take part for an organisation you belong to.")}
        )


def _check_slots(session: Session, slots: Iterable[Slot]) -> list[Slot]:
    slots = list(slots)
    if any(slot.session_id != session.pk for slot in slots):
        raise ValidationError({"unavailable_slots": _("Pick slots of this session.")})
    return slots


def _apply(participant: Participant, fields: dict, by: User) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.languages = _clean_languages(participant.languages or [])
    _check_organization(participant, by)
    participant.full_clean()


def participant_create(
    *,
    session: Session,
    user: User,
    by: User,
    sectors: Iterable[Sector] = (),
    unavailable_slots: Iterable[Slot] = (),
    **fields,
) -> Participant:
    """A profile for ``user`` in ``session``: by the user while profiles are open, or by an
    organiser of the session on their behalf at any time."""
    if by.pk != user.pk or not by.has_perm("matchmaking.take_part", session):
        require_permission(by, "matchmaking.manage_session", session)
    with transaction.atomic():
        if Participant.objects.filter(session=session, user=user).exists():
            raise ValidationError(_("You already have a profile in this session."))
        participant = Participant(session=session, user=user)
        _apply(participant, fields, by)
        try:
            with transaction.atomic():
                participant.save()
        except IntegrityError as error:
            if constraint_name(error) == ONE_PER_USER:
                raise ValidationError(_("You already have a profile in this session.")) from error
            raise
        participant.sectors.set(sectors)
        participant.unavailable_slots.set(_check_slots(session, unavailable_slots))
    return participant


def participant_update(
    *,
    participant: Participant,
    by: User,
    sectors: Iterable[Sector] | None = None,
    unavailable_slots: Iterable[Slot] | None = None,
    **fields,
) -> Participant:
    """Change a profile: its owner while profiles are open (and while scheduling, for their
    availability), an organiser of the session any time."""
    session = participant.session
    _require_profile_edit(
        participant,
        by,
        open_phase=session.profiles_open or session.phase == Session.Phase.SCHEDULING,
    )
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        _apply(participant, fields, by)
        participant.save()
        if sectors is not None:
            participant.sectors.set(sectors)
        if unavailable_slots is not None:
            participant.unavailable_slots.set(_check_slots(session, unavailable_slots))
    return participant


def participant_rotate_token(*, participant: Participant, by: User) -> Participant:
    """A new private agenda feed address; the old one stops working."""
    require_permission(by, "matchmaking.edit_profile", participant)
    participant.agenda_token = new_agenda_token()
    participant.save(update_fields=["agenda_token", "updated_at"])
    return participant


def _require_profile_edit(participant: Participant, by: User, *, open_phase: bool) -> None:
    """The owner in an open phase, or an organiser of the session. The owner outside it is
    told why (a clear message, not a bare refusal)."""
    if is_session_organiser(by, participant.session):
        return
    require_permission(by, "matchmaking.edit_profile", participant)
    if not open_phase:
        raise ValidationError(
            _("Profiles cannot be changed in the phase “%(phase)s”.")
            % {"phase": participant.session.get_phase_display()}
        )


def _require_item_edit(participant: Participant, by: User) -> None:
    _require_profile_edit(participant, by, open_phase=participant.session.profiles_open)


def item_create(
    *, participant: Participant, by: User, sectors: Iterable[Sector] = (), **fields
) -> MarketplaceItem:
    """Add an offer or a request to a profile (at most ``MAX_ITEMS``)."""
    _require_item_edit(participant, by)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.items.count() >= MAX_ITEMS:
            raise ValidationError(_("A profile holds at most 20 offers and requests."))
        item = MarketplaceItem(participant=participant, **fields)
        item.full_clean()
        item.save()
        item.sectors.set(sectors)
    return item


def item_update(
    *, item: MarketplaceItem, by: User, sectors: Iterable[Sector] | None = None, **fields
) -> MarketplaceItem:
    _require_item_edit(item.participant, by)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
        if sectors is not None:
            item.sectors.set(sectors)
    return item


def item_delete(*, item: MarketplaceItem, by: User) -> None:
    _require_item_edit(item.participant, by)
    item.delete()
