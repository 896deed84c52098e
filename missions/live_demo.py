"""A mission that is alive on the day the demo is loaded, beside the 2018 history.

The 2018 mission, call and roundtable are history: nobody can apply, register or confirm
anything there. So ``seed()`` keeps a current mission whose dates are relative to the day
it runs: a published mission about two months ahead, with visits in Belgium and the
Netherlands that ``host@example.org`` (EnergyVille) has yet to confirm; an open call for
expression of interest, closing in three weeks, that ``applicant@example.org`` has not
answered; and a roundtable open for registration that ``manager@example.org`` has not
registered for.

Everything is built through the services users go through. Running it again while the
live mission has not ended changes nothing; once it has ended, the next run creates a new
one dated from that day (the ended one stays, as history).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organizations.models import Organization, Sector, User

from . import services
from .calls import services as call_services
from .calls.models import Call, Question, Quota
from .events import services as event_services
from .events.models import AgendaItem, Event
from .models import ItineraryItem, Mission

TITLE = "Transatlantic Smart Energy Cluster Mission"
CALL_TITLE = "Call for Expression of Interest: Transatlantic Smart Energy Cluster Mission"
EVENT_TITLE = "EU-US Smart Energy Cluster Roundtable"
BRUSSELS = "Europe/Brussels"
AMSTERDAM = "Europe/Amsterdam"
SECTORS = ["Clean energy", "Smart cities", "Energy efficiency"]
# Days from the day the demo runs.
MISSION_STARTS_IN = 56
CALL_OPENED_AGO = 7
CALL_CLOSES_IN = 21
REGISTRATION_CLOSES_IN = 35

SUMMARY = (
    "A US delegation of up to ten cluster organisations visits smart-energy clusters, "
    "living labs and research centres in Belgium and the Netherlands, and meets EU cluster "
    "managers at a roundtable in Brussels."
)
DESCRIPTION = (
    "Three days in Brussels, Genk, Leuven and Rotterdam on grid flexibility, energy "
    "communities and smart-city demonstrators. Delegates are chosen through the call for "
    "expression of interest; EU cluster managers register for the roundtable."
)

# (day offset, zone, kind, title, start, end, details)
# fmt: off
VISIT, TRAVEL, SESSION = (
    ItineraryItem.Kind.VISIT,
    ItineraryItem.Kind.TRAVEL,
    ItineraryItem.Kind.SESSION,
)
ITINERARY = [
    (0, "Brussels", [
        (BRUSSELS, SESSION, "EU-US Smart Energy Cluster Roundtable", "09:00", "13:00", {
            "venue_name": "Square Brussels Meeting Centre", "city": "Brussels",
            "latitude": Decimal("50.8444"), "longitude": Decimal("4.3572"),
            "session_kind": ItineraryItem.SessionKind.ROUNDTABLE,
        }),
        (BRUSSELS, VISIT, "Flux50", "15:00", "17:00", {
            "city": "Brussels", "hosts": ["Flux50"],
            "topic": "Energy communities and the Flemish smart-energy ecosystem",
        }),
    ]),
    (1, "Genk and Leuven", [
        (BRUSSELS, TRAVEL, "Coach to Genk", "08:00", "09:15", {
            "from_city": "Brussels", "to_city": "Genk",
            "travel_mode": ItineraryItem.TravelMode.COACH,
        }),
        (BRUSSELS, VISIT, "EnergyVille", "09:30", "12:30", {
            "city": "Genk", "hosts": ["EnergyVille"],
            "topic": "Grid flexibility and the EnergyVille labs",
            "visit_status": ItineraryItem.VisitStatus.PROPOSED,
        }),
        (BRUSSELS, VISIT, "imec", "15:00", "17:00", {
            "city": "Leuven", "hosts": ["imec"],
            "topic": "Sensors and chips for smart buildings",
            "visit_status": ItineraryItem.VisitStatus.PROPOSED,
        }),
    ]),
    (2, "Rotterdam", [
        (BRUSSELS, TRAVEL, "Train to Rotterdam", "08:30", "10:15", {
            "from_city": "Leuven", "to_city": "Rotterdam",
            "travel_mode": ItineraryItem.TravelMode.TRAIN,
        }),
        (AMSTERDAM, VISIT, "Clean Tech Delta", "11:00", "13:00", {
            "city": "Rotterdam", "hosts": ["Clean Tech Delta"],
            "topic": "Transatlantic pilots for energy-positive districts",
        }),
    ]),
]
# fmt: on


def _at(day: dt.date, clock: str, zone: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def _next_tuesday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def current_mission(today: dt.date | None = None) -> Mission | None:
    """The live demo mission that has not ended by ``today``, if there is one."""
    today = today or timezone.localdate()
    return Mission.objects.filter(title=TITLE, end_date__gte=today).order_by("start_date").first()


@transaction.atomic
def seed(today: dt.date | None = None) -> dict:
    """Keep a live mission, call and roundtable dated from ``today``. Idempotent."""
    today = today or timezone.localdate()
    mission = current_mission(today)
    if mission is None:
        mission = _mission(today)
    call = Call.objects.filter(mission=mission, title=CALL_TITLE).first() or _call(mission, today)
    event = Event.objects.filter(mission=mission, title=EVENT_TITLE).first() or _event(
        mission, today
    )
    return {"mission": mission, "call": call, "event": event}


def _mission(today: dt.date) -> Mission:
    organiser = User.objects.get(email="organiser@example.org")
    organizations = {o.name: o for o in Organization.objects.all()}
    start = _next_tuesday(today + dt.timedelta(days=MISSION_STARTS_IN))
    mission = services.mission_create(
        by=organiser,
        title=TITLE,
        direction=Mission.Direction.US_TO_EU,
        start_date=start,
        end_date=start + dt.timedelta(days=len(ITINERARY) - 1),
        countries=["BE", "NL"],
        summary=SUMMARY,
        description=DESCRIPTION,
        time_zone=BRUSSELS,
        sectors=Sector.objects.filter(name__in=SECTORS),
        organiser_organizations=[
            organizations[name]
            for name in ("inno TSD", "SRI International")
            if name in organizations
        ],
    )
    for offset, day_title, items in ITINERARY:
        date = start + dt.timedelta(days=offset)
        day = services.day_create(mission=mission, by=organiser, date=date, title=day_title)
        for zone, kind, title, begin, end, details in items:
            details = dict(details)
            hosts = [organizations[name] for name in details.pop("hosts", [])]
            if kind == VISIT:
                details.setdefault("visit_status", ItineraryItem.VisitStatus.CONFIRMED)
            services.item_create(
                day=day,
                by=organiser,
                kind=kind,
                hosts=hosts,
                title=title,
                starts_at=_at(date, begin, zone),
                ends_at=_at(date, end, zone),
                time_zone=zone,
                **details,
            )
    return services.mission_publish(mission=mission, by=organiser)


def _call(mission: Mission, today: dt.date) -> Call:
    organiser = User.objects.get(email="organiser@example.org")
    new_york = zoneinfo.ZoneInfo("America/New_York")
    opens = dt.datetime.combine(today - dt.timedelta(days=CALL_OPENED_AGO), dt.time(9, 0))
    closes = dt.datetime.combine(today + dt.timedelta(days=CALL_CLOSES_IN), dt.time(17, 0))
    call = call_services.call_create(
        mission=mission,
        by=organiser,
        title=CALL_TITLE,
        description=(
            "US cluster organisations are invited to express their interest in joining the "
            f"delegation to Belgium and the Netherlands from {mission.start_date:%-d %B %Y}."
        ),
        eligibility="US-based cluster organisations active in smart energy. One delegate each.",
        opens_at=opens.replace(tzinfo=new_york),
        closes_at=closes.replace(tzinfo=new_york),
        time_zone="America/New_York",
        max_delegates=10,
        max_per_organization=1,
        reviews_per_application=2,
        is_published=True,
    )
    questions = [
        (Question.Kind.TEXT, "Your role in the organisation", {}),
        (
            Question.Kind.LONG_TEXT,
            "What would your cluster like to achieve in Belgium and the Netherlands?",
            {"max_length": 3000},
        ),
        (Question.Kind.YES_NO, "Can you cover your own travel?", {}),
    ]
    for position, (kind, label, extra) in enumerate(questions, start=1):
        call_services.question_add(
            call=call, by=organiser, kind=kind, label=label, position=position, **extra
        )
    for position, name in enumerate(("Fit with the mission's sectors", "Readiness"), start=1):
        call_services.criterion_add(
            call=call, by=organiser, name=name, weight=1, scale_max=5, position=position
        )
    call_services.quota_set(
        call=call, by=organiser, kind=Quota.Kind.PER_STATE_MAX, key="*", number=2
    )
    return call


def _event(mission: Mission, today: dt.date) -> Event:
    organiser = User.objects.get(email="organiser@example.org")
    organizations = {o.name: o for o in Organization.objects.all()}
    day = mission.start_date
    event = event_services.event_create(
        by=organiser,
        mission=mission,
        kind=Event.Kind.ROUNDTABLE,
        title=EVENT_TITLE,
        venue_name="Square Brussels Meeting Centre",
        venue_address="Mont des Arts, 1000 Brussels",
        city="Brussels",
        latitude=Decimal("50.8444"),
        longitude=Decimal("4.3572"),
        time_zone=BRUSSELS,
        starts_at=_at(day, "09:00", BRUSSELS),
        ends_at=_at(day, "13:00", BRUSSELS),
        description=(
            "EU cluster managers meet the US delegation to share good practices in smart "
            "energy and start transatlantic collaborations. Seats are limited."
        ),
        target_audience="EU cluster managers in clean energy, smart cities and energy efficiency.",
        capacity=30,
        registration_opens_at=_at(today - dt.timedelta(days=CALL_OPENED_AGO), "09:00", BRUSSELS),
        registration_deadline=_at(
            min(today + dt.timedelta(days=REGISTRATION_CLOSES_IN), day - dt.timedelta(days=1)),
            "17:00",
            BRUSSELS,
        ),
        approval_required=False,
        waiting_list_enabled=True,
        offer_hours=48,
        sectors=Sector.objects.filter(name__in=SECTORS),
        organising_partners=[organizations[name] for name in ("Flux50",) if name in organizations],
    )
    event = event_services.event_publish(event=event, by=organiser)
    for begin, end, kind, title in [
        ("09:00", "09:30", AgendaItem.Kind.TALK, "Welcome and introductions"),
        ("09:30", "11:00", AgendaItem.Kind.PANEL, "Smart-energy clusters on both sides"),
        ("11:15", "12:30", AgendaItem.Kind.WORKSHOP, "Co-creation: transatlantic pilots"),
        ("12:30", "13:00", AgendaItem.Kind.NETWORKING, "Networking"),
    ]:
        event_services.agenda_item_add(
            event=event,
            by=organiser,
            title=title,
            kind=kind,
            starts_at=_at(day, begin, BRUSSELS),
            ends_at=_at(day, end, BRUSSELS),
        )
    event_services.question_add(
        event=event,
        by=organiser,
        required=True,
        label="What would you like to achieve with US partners?",
    )
    return event
