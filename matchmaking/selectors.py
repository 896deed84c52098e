"""Reads of matchmaking data: each returns only what the given user may see, with what its
page shows fetched up front, in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from missions.events.models import Registration
from organizations.models import Sector

from . import suggestions as suggestion_core
from .models import MarketplaceItem, MeetingRequest, Participant, Session
from .permissions import is_session_organiser


def sessions_visible_to(user) -> QuerySet[Session]:
    """Sessions out of draft that are listed or joined by ``user``; all of an organiser's."""
    if user.is_authenticated and user.is_superuser:
        return Session.objects.all()
    visible = ~Q(phase=Session.Phase.DRAFT) & Q(is_public=True)
    if user.is_authenticated:
        visible |= ~Q(phase=Session.Phase.DRAFT) & Q(
            Exists(Participant.objects.filter(session=OuterRef("pk"), user=user))
        )
        visible |= Q(
            Exists(Session.organisers.through.objects.filter(session=OuterRef("pk"), user=user))
        )
    return Session.objects.filter(visible)


def session_has_ended(session: Session, *, now=None) -> bool:
    """Whether the session's last slot is over (never, without slots). One query."""
    last = session.slots.aggregate(last=Max("ends_at"))["last"]
    return last is not None and last <= (timezone.now() if now is None else now)


def session_list(user) -> QuerySet[Session]:
    return sessions_visible_to(user).select_related("event", "mission").order_by("-created_at")


def sessions_organised_by(user) -> QuerySet[Session]:
    if not user.is_authenticated:
        return Session.objects.none()
    if user.is_superuser:
        return Session.objects.all()
    return Session.objects.filter(organisers=user)


def my_participations(user) -> dict[int, Participant]:
    """The reader's profiles, by session id (one query)."""
    if not user.is_authenticated:
        return {}
    return {p.session_id: p for p in Participant.objects.filter(user=user)}


def invitations_for(user) -> QuerySet[Session]:
    """Sessions open for profiles whose event the reader registered for, asking for
    matchmaking, without a profile yet: "You registered for X: create your profile"."""
    if not user.is_authenticated:
        return Session.objects.none()
    registered = Registration.objects.filter(
        event=OuterRef("event"), user=user, wants_matchmaking=True
    ).exclude(status__in=("cancelled", "rejected"))
    return (
        Session.objects.filter(phase__in=Session.PROFILE_PHASES, event__isnull=False)
        .filter(Exists(registered))
        .exclude(Exists(Participant.objects.filter(session=OuterRef("pk"), user=user)))
        .select_related("event")
    )


def participant_of(user, session: Session) -> Participant | None:
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.select_related("session", "user", "organization")
        .filter(session=session, user=user)
        .first()
    )


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=MarketplaceItem.objects.prefetch_related("sectors").order_by("direction", "pk"),
    )


def participants_visible(user, session: Session) -> QuerySet[Participant]:
    """Profiles of ``session`` the reader may see: visible ones for participants, all for
    the session's organisers, their own always. Four queries with their items and sectors."""
    queryset = Participant.objects.filter(session=session)
    if not is_session_organiser(user, session):
        queryset = queryset.filter(Q(is_visible=True) | Q(user=user))
    return (
        queryset.select_related("user", "organization", "session")
        .prefetch_related("sectors", _items_prefetch())
        .order_by("organization__name", "user__full_name", "pk")
    )


def participant_page(user, session: Session, pk: int) -> Participant:
    return participants_visible(user, session).get(pk=pk)


def requests_visible(user, session: Session) -> QuerySet[MeetingRequest]:
    """Requests the reader sent or received; every request for the session's organisers."""
    queryset = MeetingRequest.objects.filter(session=session)
    if not is_session_organiser(user, session):
        queryset = queryset.filter(Q(sender__user=user) | Q(receiver__user=user))
    return queryset.select_related(
        "session",
        "sender__user",
        "sender__organization",
        "receiver__user",
        "receiver__organization",
        "meeting__slot",
        "meeting__table",
    )


@dataclass(frozen=True)
class Inbox:
    received: list[MeetingRequest]
    sent: list[MeetingRequest]


def inbox(participant: Participant) -> Inbox:
    """The participant's received and sent requests, newest first (one query)."""
    rows = list(
        MeetingRequest.objects.filter(Q(sender=participant) | Q(receiver=participant))
        .select_related(
            "session",
            "sender__user",
            "sender__organization",
            "receiver__user",
            "receiver__organization",
            "meeting__slot",
            "meeting__table",
        )
        .order_by("-created_at", "-pk")
    )
    for row in rows:
        row.session = participant.session
    return Inbox(
        received=[row for row in rows if row.receiver_id == participant.pk],
        sent=[row for row in rows if row.sender_id == participant.pk],
    )


def _profiles(session: Session) -> list[suggestion_core.Profile]:
    """Every visible profile of ``session`` as plain data: three queries."""
    sector_links = Participant.sectors.through.objects.filter(
        participant__session=session
    ).values_list("participant_id", "sector_id")
    by_participant: dict[int, set[int]] = {}
    for participant_id, sector_id in sector_links:
        by_participant.setdefault(participant_id, set()).add(sector_id)
    item_sectors: dict[int, set[int]] = {}
    for item_id, sector_id in MarketplaceItem.sectors.through.objects.filter(
        marketplaceitem__participant__session=session
    ).values_list("marketplaceitem_id", "sector_id"):
        item_sectors.setdefault(item_id, set()).add(sector_id)
    items: dict[int, list[suggestion_core.Item]] = {}
    for item_id, participant_id, direction, item_type, title in MarketplaceItem.objects.filter(
        participant__session=session
    ).values_list("pk", "participant_id", "direction", "item_type", "title"):
        items.setdefault(participant_id, []).append(
            suggestion_core.Item(
                item_id, direction, item_type, title, frozenset(item_sectors.get(item_id, ()))
            )
        )
    rows = (
        Participant.objects.filter(session=session)
        .filter(is_visible=True)
        .values_list("pk", "side", "user__full_name")
    )
    return [
        suggestion_core.Profile(
            id=pk,
            name=name,
            side=side,
            sectors=frozenset(by_participant.get(pk, ())),
            items=tuple(items.get(pk, ())),
        )
        for pk, side, name in rows
    ]


@dataclass(frozen=True)
class SuggestedPartner:
    participant: Participant
    score: int
    reasons: tuple[str, ...]


def suggestions_for(participant: Participant, *, limit: int = 10) -> list[SuggestedPartner]:
    """Ranked partners for ``participant``: not themself, hidden profiles or anyone they
    already have a live request with. A fixed number of queries (eight)."""
    session = participant.session
    profiles = _profiles(session)
    me = next((p for p in profiles if p.id == participant.pk), None)
    if me is None:  # a hidden profile still gets suggestions
        sectors = frozenset(participant.sectors.values_list("pk", flat=True))
        items = tuple(
            suggestion_core.Item(
                i.pk, i.direction, i.item_type, i.title, frozenset(s.pk for s in i.sectors.all())
            )
            for i in participant.items.prefetch_related("sectors")
        )
        me = suggestion_core.Profile(participant.pk, "", participant.side, sectors, items)
    asked = MeetingRequest.objects.filter(
        Q(sender=participant) | Q(receiver=participant), status__in=MeetingRequest.LIVE_STATUSES
    ).values_list("sender_id", "receiver_id")
    exclude = {pk for pair in asked for pk in pair}
    names = dict(Sector.objects.values_list("pk", "name"))
    ranked = suggestion_core.suggest(me, profiles, sector_names=names, exclude=exclude, limit=limit)
    loaded = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=[s.participant_id for s in ranked])
        .select_related("user", "organization")
        .prefetch_related("sectors")
    }
    for p in loaded.values():
        p.session = session
    return [
        SuggestedPartner(loaded[s.participant_id], s.score, s.reasons)
        for s in ranked
        if s.participant_id in loaded
    ]
