"""Matchmaking demo data: the Hannover Messe 2016 EU-US cluster event, and a live session.

**Hannover Messe, 25–26 April 2016.** The European Commission and the US Department of
Commerce brought EU and US clusters together at Hannover Messe; 75 cluster representatives
were scheduled for face-to-face meetings: cluster-to-cluster on the first day,
cluster-to-business on the second. The 73 people beside ``manager@example.org`` (EU) and
``applicant@example.org`` (US) are fictional, with example.org addresses, speaking for the
demo organisations. They create profiles, send requests to their best suggested partners
and accept them, then the organiser schedules all with the solver and publishes the
agendas: history, replayed with 2016 clocks (``now=``).

**The live session** belongs to the live roundtable of ``missions.live_demo`` (dated from the
day ``seed_demo`` runs) and takes requests now: a new user can create a profile and ask
``manager@example.org`` for a meeting, who can log in and accept it. ``applicant@example.org``
has already asked the manager (pending), and a dozen fictional participants take part.

Everything goes through the services users go through; running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zoneinfo

from django.db import transaction

from missions.events.models import Event
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Organization, Sector, User
from organizations.services import membership_add, user_create

from . import suggestions as suggestion_core
from .models import MeetingKind, MeetingRequest, Participant, Session
from .services import participants as participant_services
from .services import requests as request_services
from .services import sessions as session_services

BERLIN = "Europe/Berlin"
HANNOVER_TITLE = "EU-US cluster event at Hannover Messe 2016: matchmaking"
HANNOVER_DAYS = (dt.date(2016, 4, 25), dt.date(2016, 4, 26))
# Profiles and requests were made in the weeks before the event.
PROFILES_AT = dt.datetime(2016, 3, 21, 10, 0, tzinfo=zoneinfo.ZoneInfo(BERLIN))
REQUESTS_AT = dt.datetime(2016, 4, 4, 10, 0, tzinfo=zoneinfo.ZoneInfo(BERLIN))
PUBLISHED_AT = dt.datetime(2016, 4, 20, 12, 0, tzinfo=zoneinfo.ZoneInfo(BERLIN))
HANNOVER_DESCRIPTION = (
    "Clusters from the US and the EU came together at Hannover Messe to set up industrial, "
    "trade and investment cooperation. The event was organised by the European Commission "
    "(DG GROW) and the US Department of Commerce under the EU-US Cooperation Arrangement on "
    "clusters of April 2015.\n\n"
    "75 cluster representatives met face to face: cluster-to-cluster meetings on 25 April, "
    "cluster-to-business meetings on 26 April, facilitated by the European Cluster "
    "Collaboration Platform with the Enterprise Europe Network."
)
EU_PEOPLE, US_PEOPLE = 36, 37  # plus manager@ (EU) and applicant@ (US): 75
REQUESTS_EACH = 3

LIVE_TITLE = "EU-US Smart Energy Cluster Roundtable: matchmaking"
LIVE_PEOPLE = 12

# fmt: off
FIRST_NAMES = [
    "Anna", "Lukas", "Sofia", "Matteo", "Emma", "Jonas", "Chiara", "Pieter", "Marta", "Tomasz",
    "Ines", "Henrik", "Clara", "Mikkel", "Elena", "Jan", "Laura", "Stefan", "Eva", "Paulo",
    "Grace", "Ethan", "Olivia", "Noah", "Ava", "Liam", "Mia", "Lucas", "Chloe", "Mason",
]
LAST_NAMES = [
    "Schneider", "Rossi", "Jansen", "Nowak", "García", "Lindgren", "Dubois", "Novak",
    "Horvath", "Murphy", "Bauer", "Costa", "Peeters", "Virtanen", "Papadopoulos", "Keller",
    "Bennett", "Carter", "Hayes", "Brooks", "Coleman", "Foster", "Price", "Sullivan",
]
ITEM_TEMPLATES = [
    ("offer", "technology_offer", "Test beds for {sector}"),
    ("offer", "partnership", "Cluster partnership in {sector}"),
    ("offer", "market_entry", "Soft landing for {sector} companies"),
    ("offer", "research_cooperation", "Joint research projects in {sector}"),
    ("request", "partnership", "Transatlantic partners in {sector}"),
    ("request", "market_entry", "Market access for our {sector} SMEs"),
    ("request", "technology_offer", "Technologies for {sector}"),
    ("request", "investment", "Investors for {sector} start-ups"),
]
# fmt: on


def _user(email: str, full_name: str, zone: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, password=DEMO_PASSWORD, full_name=full_name, home_time_zone=zone
        )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _member_of(user: User, organization: Organization) -> None:
    if not Membership.objects.filter(organization=organization, user=user).exists():
        membership_add(organization=organization, user=user, role=Membership.Role.MEMBER)


def _people(prefix: str, eu: int, us: int) -> list[tuple[str, str, str, str]]:
    """(email, name, side, zone) of fictional people, the same every run."""
    names = itertools.cycle(itertools.product(LAST_NAMES, FIRST_NAMES))
    people = []
    for side, count, zone in (("eu", eu, "Europe/Berlin"), ("us", us, "America/New_York")):
        for number in range(1, count + 1):
            last, first = next(names)
            people.append(
                (f"{prefix}.{side}{number:02d}@example.org", f"{first} {last}", side, zone)
            )
    return people


def _organizations() -> dict[str, list[Organization]]:
    organizations = Organization.objects.filter(validation_state="validated").order_by("name")
    eu = [o for o in organizations if o.country.code != "US"]
    us = [o for o in organizations if o.country.code == "US"]
    return {"eu": eu, "us": us}


def _profile(
    session: Session,
    user: User,
    side: str,
    organization: Organization,
    generator: random.Random,
) -> Participant:
    """A profile with the organisation's sectors and two marketplace items."""
    existing = Participant.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    _member_of(user, organization)
    sectors = list(organization.sectors.all()) or list(Sector.objects.order_by("name")[:1])
    participant = participant_services.participant_create(
        session=session,
        user=user,
        by=user,
        organization=organization,
        side=side,
        attendees=generator.choice((1, 1, 2)),
        sectors=sectors,
        languages=["en"] if side == "us" else ["en", generator.choice(["de", "fr", "it", "nl"])],
        summary=(
            f"{organization.name} ({organization.get_kind_display().lower()}, "
            f"{organization.city or organization.country.name}) looks for transatlantic "
            f"cooperation in {', '.join(s.name.lower() for s in sectors)}."
        ),
    )
    # EU clusters rather offer, US clusters rather ask: complementary marketplaces.
    offers = [t for t in ITEM_TEMPLATES if t[0] == "offer"]
    wants = [t for t in ITEM_TEMPLATES if t[0] == "request"]
    first, second = (offers, wants) if side == "eu" else (wants, offers)
    for direction, item_type, title in (generator.choice(first), generator.choice(second)):
        sector = generator.choice(sectors)
        participant_services.item_create(
            participant=participant,
            by=user,
            direction=direction,
            item_type=item_type,
            title=title.format(sector=sector.name.lower()),
            description="",
            sectors=[sector],
        )
    return participant


def _plain(participants: list[Participant]) -> list[suggestion_core.Profile]:
    profiles = []
    for participant in participants:
        items = tuple(
            suggestion_core.Item(
                item.pk,
                item.direction,
                item.item_type,
                item.title,
                frozenset(s.pk for s in item.sectors.all()),
            )
            for item in participant.items.all()
        )
        profiles.append(
            suggestion_core.Profile(
                participant.pk,
                participant.user.full_name,
                participant.side,
                frozenset(s.pk for s in participant.sectors.all()),
                items,
            )
        )
    return profiles


def _ask(
    sender: Participant, receiver: Participant, kind: str, *, now: dt.datetime, accept: bool
) -> MeetingRequest | None:
    live = MeetingRequest.objects.filter(
        participant_low=min(sender.pk, receiver.pk),
        participant_high=max(sender.pk, receiver.pk),
        status__in=MeetingRequest.LIVE_STATUSES,
    ).first()
    if live is not None:
        return live
    request = request_services.request_send(
        sender=sender,
        receiver=receiver,
        by=sender.user,
        kind=kind,
        message="We would like to explore a transatlantic cooperation with you.",
        now=now,
    )
    if accept:
        request_services.request_accept(request=request, by=receiver.user, now=now)
    return request


@transaction.atomic
def seed_hannover() -> Session:
    """The Hannover Messe 2016 session, scheduled and published, once. Idempotent."""
    existing = Session.objects.filter(title=HANNOVER_TITLE).first()
    if existing is not None:
        return existing
    organiser = User.objects.get(email="organiser@example.org")
    session = session_services.session_create(
        by=organiser,
        title=HANNOVER_TITLE,
        description=HANNOVER_DESCRIPTION,
        time_zone=BERLIN,
        meeting_minutes=30,
        phase=Session.Phase.PROFILES_OPEN,
        max_meetings_per_participant=8,
        request_expiry_days=14,
        is_public=True,
        days=[
            session_services.DaySpec(
                date=HANNOVER_DAYS[0],
                start_time=dt.time(9, 30),
                end_time=dt.time(14, 0),
                kinds=[MeetingKind.C2C],
                breaks=[(dt.time(11, 30), dt.time(12, 0))],
            ),
            session_services.DaySpec(
                date=HANNOVER_DAYS[1],
                start_time=dt.time(9, 30),
                end_time=dt.time(13, 0),
                kinds=[MeetingKind.C2B],
                breaks=[(dt.time(11, 0), dt.time(11, 30))],
            ),
        ],
        tables=[(f"Table {n}", 4) for n in range(1, 21)]
        + [(f"Group table {n}", 8) for n in range(1, 6)],
    )
    generator = random.Random(2016)
    organizations = _organizations()
    cycles = {side: itertools.cycle(organizations[side]) for side in ("eu", "us")}
    participants = []
    manager = User.objects.get(email="manager@example.org")
    applicant = User.objects.get(email="applicant@example.org")
    for user, side in ((manager, "eu"), (applicant, "us")):
        organization = Organization.objects.filter(members=user).order_by("pk").first()
        participants.append(
            _profile(session, user, side, organization or next(cycles[side]), generator)
        )
    for email, name, side, zone in _people("hannover", EU_PEOPLE, US_PEOPLE):
        user = _user(email, name, zone)
        participants.append(_profile(session, user, side, next(cycles[side]), generator))

    session = session_services.session_phase_set(
        session=session, phase=Session.Phase.REQUESTS_OPEN, by=organiser
    )
    for participant in participants:
        participant.session = session
    participants = list(
        Participant.objects.filter(session=session)
        .select_related("user", "session")
        .prefetch_related("sectors", "items__sectors")
        .order_by("pk")
    )
    by_id = {p.pk: p for p in participants}
    profiles = _plain(participants)
    names = dict(Sector.objects.values_list("pk", "name"))
    demo_users = {manager.pk, applicant.pk}
    kinds = itertools.cycle([MeetingKind.C2C, MeetingKind.C2C, MeetingKind.C2B])
    # manager@ and applicant@ ask first, so each has at least three meetings.
    ordered = sorted(profiles, key=lambda p: (by_id[p.id].user_id not in demo_users, p.id))
    for profile in ordered:
        sender = by_id[profile.id]
        ranked = suggestion_core.suggest(profile, profiles, sector_names=names, limit=12)
        sent = 0
        for suggestion in ranked:
            if sent == REQUESTS_EACH:
                break
            receiver = by_id[suggestion.participant_id]
            if request_services.meetings_taken(receiver) >= receiver.meeting_limit - 1:
                continue
            if request_services.meetings_taken(sender) >= sender.meeting_limit - 1:
                break
            _ask(sender, receiver, next(kinds), now=REQUESTS_AT, accept=True)
            sent += 1
    _schedule_and_publish(session, organiser)
    return Session.objects.get(pk=session.pk)


def _schedule_and_publish(session: Session, organiser: User) -> None:
    """Schedule all with the solver, then publish the agendas (mmsched's services)."""
    from .services import scheduling

    run = scheduling.schedule_run_start(session=session, by=organiser)
    scheduling.schedule_run_execute(run=run, time_limit=10.0)
    scheduling.schedule_publish(session=session, by=organiser, now=PUBLISHED_AT)


@transaction.atomic
def seed_live(today: dt.date | None = None) -> Session | None:
    """A session taking requests now, on the live roundtable's day. Idempotent: a session
    of the current live event is kept; a new one is made when the live event changes."""
    from missions import live_demo

    event = (
        Event.objects.filter(title=live_demo.EVENT_TITLE, status=Event.Status.PUBLISHED)
        .order_by("-starts_at")
        .first()
    )
    if event is None:
        return None
    existing = Session.objects.filter(event=event).first()
    if existing is not None:
        return existing
    organiser = User.objects.get(email="organiser@example.org")
    day = event.starts_at.astimezone(event.tz).date()
    session = session_services.session_create(
        by=organiser,
        title=LIVE_TITLE,
        description=(
            "Face-to-face meetings between EU cluster managers and the US delegation after "
            "the roundtable. Create your profile, see your suggested partners and ask for "
            "meetings; the organisers schedule them once requests close."
        ),
        event=event,
        mission=event.mission,
        time_zone=event.time_zone,
        meeting_minutes=20,
        phase=Session.Phase.REQUESTS_OPEN,
        max_meetings_per_participant=6,
        request_expiry_days=10,
        is_public=True,
        days=[
            session_services.DaySpec(
                date=day,
                start_time=dt.time(14, 0),
                end_time=dt.time(17, 0),
                breaks=[(dt.time(15, 20), dt.time(15, 40))],
            )
        ],
        tables=[(f"Table {n}", 4) for n in range(1, 11)],
    )
    generator = random.Random(today.toordinal() if today else 7)
    organizations = _organizations()
    cycles = {side: itertools.cycle(organizations[side]) for side in ("eu", "us")}
    manager = User.objects.get(email="manager@example.org")
    applicant = User.objects.get(email="applicant@example.org")
    profiles = {}
    for user, side in ((manager, "eu"), (applicant, "us")):
        organization = Organization.objects.filter(members=user).order_by("pk").first()
        profiles[user.email] = _profile(
            session, user, side, organization or next(cycles[side]), generator
        )
    others = []
    half = LIVE_PEOPLE // 2
    for email, name, side, zone in _people("live", half, LIVE_PEOPLE - half):
        user = _user(email, name, zone)
        others.append(_profile(session, user, side, next(cycles[side]), generator))
    manager_profile = profiles["manager@example.org"]
    # Waiting for the manager to answer: log in as manager@example.org to accept.
    _ask(
        profiles["applicant@example.org"], manager_profile, MeetingKind.C2C, now=None, accept=False
    )
    us_others = [p for p in others if p.side == "us"]
    _ask(us_others[0], manager_profile, MeetingKind.B2B, now=None, accept=True)
    _ask(manager_profile, us_others[1], MeetingKind.C2C, now=None, accept=False)
    for sender, receiver in zip(others[:half], others[half:], strict=False):
        _ask(sender, receiver, MeetingKind.C2C, now=None, accept=generator.random() < 0.5)
    return session


def seed(today: dt.date | None = None) -> dict:
    """Both matchmaking demos; call after the organisations, missions and live demos."""
    return {"hannover": seed_hannover(), "live": seed_live(today)}
