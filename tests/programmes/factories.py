"""Programmes test data: programmes, partnerships and outcomes through their services.

Held matchmaking meetings are built row by row (``make_held_meeting``): a meeting reaches
"held" only after scheduling, publishing and the day itself, which the matchmaking services
drive through the solver; the outcomes register only needs the finished rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from django.utils import timezone

from matchmaking.models import (
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    Session,
    SessionDay,
    Slot,
    Table,
)
from missions import services as mission_services
from missions.calls import services as call_services
from missions.models import Call, Event, Mission
from organizations.models import Organization, User
from programmes import services
from programmes.models import Outcome, Partnership, Programme

from ..missions.events.factories import make_event
from ..missions.factories import make_mission

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
_sequence = itertools.count(1)


def make_programme(by: User, *, name: str = "", is_public: bool = True, **fields) -> Programme:
    return services.programme_create(
        by=by,
        name=name or f"Programme {next(_sequence)}",
        funder=fields.pop("funder", "European Commission"),
        funding_reference=fields.pop("funding_reference", "H2020-000000"),
        starts_on=fields.pop("starts_on", dt.date(2016, 2, 1)),
        ends_on=fields.pop("ends_on", dt.date(2030, 1, 31)),
        is_public=is_public,
        **fields,
    )


def make_published_mission(organiser: User, **fields) -> Mission:
    mission = make_mission(organiser, **fields)
    return mission_services.mission_publish(
        mission=mission, by=organiser, override_reason="Test mission without an itinerary."
    )


def make_past_event(organiser: User, *, days_ago: int = 10, **fields) -> Event:
    starts_at = (timezone.now() - dt.timedelta(days=days_ago)).replace(microsecond=0)
    return make_event(
        organiser,
        starts_at=starts_at,
        deadline=starts_at - dt.timedelta(days=7),
        title=fields.pop("title", f"Past workshop {next(_sequence)}"),
        **fields,
    )


def make_call(organiser: User, mission: Mission, *, publish: bool = True, **fields) -> Call:
    now = timezone.now().replace(microsecond=0)
    call = call_services.call_create(
        mission=mission,
        by=organiser,
        title=fields.pop("title", f"Call {next(_sequence)}"),
        opens_at=fields.pop("opens_at", now - dt.timedelta(days=10)),
        closes_at=fields.pop("closes_at", now + dt.timedelta(days=10)),
        max_delegates=fields.pop("max_delegates", 10),
        is_published=publish,
        **fields,
    )
    return call


def make_partnership(
    by: User, partners: list[Organization], *, name: str = "", validated: bool = True, **fields
) -> Partnership:
    return services.partnership_create(
        by=by,
        name=name or f"Partnership {next(_sequence)}",
        starts_on=fields.pop("starts_on", dt.date(2014, 1, 1)),
        partners=[(organization, "partner") for organization in partners],
        validated=validated,
        target_countries=fields.pop("target_countries", ["US", "JP"]),
        **fields,
    )


def make_held_meeting(
    *,
    user_a: User,
    org_a: Organization,
    user_b: User,
    org_b: Organization,
    day: dt.date | None = None,
    session: Session | None = None,
    event: Event | None = None,
    mission: Mission | None = None,
    status: str = Meeting.Status.HELD,
) -> Meeting:
    """A held meeting between ``user_a`` (for ``org_a``) and ``user_b`` (for ``org_b``) at
    10:00 Berlin on ``day`` (default: 20 days ago)."""
    day = day or (timezone.now() - dt.timedelta(days=20)).date()
    number = next(_sequence)
    if session is None:
        session = Session.objects.create(
            title=f"Matchmaking {number}",
            slug=f"matchmaking-{number}",
            time_zone="Europe/Berlin",
            phase=Session.Phase.OUTCOMES,
            is_public=True,
            event=event,
            mission=mission,
        )
    session_day, _created = SessionDay.objects.get_or_create(
        session=session,
        date=day,
        defaults={"start_time": dt.time(9), "end_time": dt.time(12)},
    )
    slot, _created = Slot.objects.get_or_create(
        session=session,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=BERLIN),
        defaults={
            "day": session_day,
            "ends_at": dt.datetime.combine(day, dt.time(10, 30), tzinfo=BERLIN),
        },
    )
    table = Table.objects.create(session=session, name=f"Table {number}")
    a = Participant.objects.get_or_create(
        session=session, user=user_a, defaults={"organization": org_a, "side": "eu"}
    )[0]
    b = Participant.objects.get_or_create(
        session=session, user=user_b, defaults={"organization": org_b, "side": "us"}
    )[0]
    request = MeetingRequest.objects.create(
        session=session, sender=a, receiver=b, status=MeetingRequest.Status.ACCEPTED
    )
    return Meeting.objects.create(
        session=session, request=request, slot=slot, table=table, status=status
    )


def answer_meeting(meeting: Meeting, user: User, *, agreement: str = "mou") -> MeetingOutcome:
    """One side's answer to "what came of it", as the matchmaking follow-up records it."""
    request = meeting.request
    participant = request.sender if request.sender.user_id == user.pk else request.receiver
    return MeetingOutcome.objects.create(
        meeting=meeting,
        participant=participant,
        rating=5,
        agreement_signed=agreement,
        text="We signed an MoU on joint projects.",
        answered_at=timezone.now(),
    )


def make_outcome(
    by: User,
    source,
    *,
    kind: str = Outcome.Kind.MOU,
    date: dt.date | None = None,
    organizations=(),
    verified_by: User | None = None,
    visibility: str = Outcome.Visibility.PUBLIC,
    **fields,
) -> Outcome:
    outcome = services.outcome_report(
        by=by,
        source=source,
        kind=kind,
        title=fields.pop("title", f"Outcome {next(_sequence)}"),
        date=date or timezone.localdate(),
        organizations=organizations,
        visibility=visibility,
        **fields,
    )
    if verified_by is not None:
        outcome = services.outcome_verify(outcome=outcome, by=verified_by)
    return outcome
