"""Matchmaking test data, built through the matchmaking services. Plain functions, no mocks."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from matchmaking.models import MarketplaceItem, MeetingRequest, Participant, Session
from matchmaking.services import participants as participant_services
from matchmaking.services import requests as request_services
from matchmaking.services import sessions as session_services
from organizations.models import Organization, Role, Sector, User

from ..factories import make_user

BERLIN = "Europe/Berlin"
_sequence = itertools.count(1)


def make_session(
    organiser: User,
    *,
    title: str = "",
    phase: str = Session.Phase.REQUESTS_OPEN,
    days: int = 1,
    first_day: dt.date | None = None,
    tables: int = 3,
    seats: int = 4,
    **settings,
) -> Session:
    """A session 30 days ahead: ``days`` days 09:00–12:00 Berlin, 30-minute meetings with a
    coffee break 10:30–11:00 (5 slots a day), ``tables`` tables of ``seats`` seats."""
    first_day = first_day or (timezone.now() + dt.timedelta(days=30)).date()
    specs = [
        session_services.DaySpec(
            date=first_day + dt.timedelta(days=number),
            start_time=dt.time(9),
            end_time=dt.time(12),
            breaks=[(dt.time(10, 30), dt.time(11))],
        )
        for number in range(days)
    ]
    settings.setdefault("is_public", True)
    return session_services.session_create(
        by=organiser,
        title=title or f"Matchmaking session {next(_sequence)}",
        time_zone=BERLIN,
        phase=phase,
        days=specs,
        tables=[(f"Table {number}", seats) for number in range(1, tables + 1)],
        **settings,
    )


def make_session_organiser(email: str | None = None) -> User:
    return make_user(email, roles=(Role.ORGANISER,))


def make_participant(
    session: Session,
    user: User | None = None,
    *,
    side: str = Participant.Side.EU,
    sectors: tuple[Sector, ...] = (),
    organization: Organization | None = None,
    by: User | None = None,
    **fields,
) -> Participant:
    user = user or make_user()
    by = by or (user if session.profiles_open else session.organisers.first())
    return participant_services.participant_create(
        session=session,
        user=user,
        by=by,
        side=side,
        sectors=sectors,
        organization=organization,
        **fields,
    )


def make_item(
    participant: Participant,
    *,
    direction: str = MarketplaceItem.Direction.OFFER,
    item_type: str = MarketplaceItem.ItemType.PARTNERSHIP,
    title: str = "",
    sectors: tuple[Sector, ...] = (),
    by: User | None = None,
) -> MarketplaceItem:
    return participant_services.item_create(
        participant=participant,
        by=by or participant.user,
        direction=direction,
        item_type=item_type,
        title=title or f"Item {next(_sequence)}",
        sectors=sectors,
    )


def send(sender: Participant, receiver: Participant, **fields) -> MeetingRequest:
    return request_services.request_send(sender=sender, receiver=receiver, by=sender.user, **fields)


def accept(request: MeetingRequest, **fields) -> MeetingRequest:
    return request_services.request_accept(request=request, by=request.receiver.user, **fields)
