"""The 2018 BILAT USA 4.0 High-Level US Cluster Mission to the EU, as the seed report tells it.

Built through the missions services, after ``organizations.demo.seed()`` has created the
organisations (the hosts are the real ones the report names; the US organisations are
fictional). The report gives the order of the day but few clock times, so the times are
plausible ones. The twelve delegates are fictional people with example.org addresses.
Every visit is confirmed except EnergyVille's, left for ``host@example.org`` to confirm.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction

from organizations.demo import DEMO_PASSWORD, US_ORGANIZATIONS
from organizations.models import Membership, Organization, Sector, User
from organizations.services import membership_add, user_create

from . import services
from .models import DelegationMember, ItineraryItem, Mission

TITLE = "BILAT USA 4.0 High-Level US Cluster Mission to the EU"
START, END = dt.date(2018, 11, 6), dt.date(2018, 11, 9)
CPH, MALMO, BRUSSELS, AMSTERDAM = (
    "Europe/Copenhagen",
    "Europe/Stockholm",
    "Europe/Brussels",
    "Europe/Amsterdam",
)
SUMMARY = (
    "A 12-member US delegation from 11 cluster-like organisations in 9 states meets 23 "
    "clusters, research organisations and government programmes in Denmark, Sweden, Belgium "
    "and the Netherlands."
)
DESCRIPTION = (
    "The High-Level US Cluster Mission to the EU promotes transatlantic cooperation for "
    "strategic research, development and innovation and for business partnerships. It opens "
    "with a roundtable on good practices and co-creation at BLOXHUB in Copenhagen, organised "
    "with Cluster Excellence Denmark and the International Cleantech Network, and continues "
    "with cluster visits in Copenhagen, Malmö, Genk, Antwerp and Rotterdam.\n\n"
    "Sectors: clean energy, clean tech, sustainability, smart cities and e-mobility."
)

# Fictional delegates: email, name, organisation, home zone. The first heads the delegation.
DELEGATES = [
    (
        "delegate.head@example.org",
        "Morgan Reyes",
        "Research Triangle Cleantech Cluster",
        "America/New_York",
    ),
    ("applicant@example.org", "Avery Applicant", "Front Range Energy Cluster", "America/Denver"),
    ("delegate.denver@example.org", "Riley Brandt", "Front Range Energy Cluster", "America/Denver"),
    (
        "delegate.sacramento@example.org",
        "Jamie Okafor",
        "Golden State Cleantech Alliance",
        "America/Los_Angeles",
    ),
    (
        "delegate.oakland@example.org",
        "Taylor Nguyen",
        "Bay Area Smart Mobility Network",
        "America/Los_Angeles",
    ),
    (
        "delegate.baltimore@example.org",
        "Casey Whitfield",
        "Chesapeake Clean Energy Council",
        "America/New_York",
    ),
    (
        "delegate.jackson@example.org",
        "Drew Lambert",
        "Magnolia Advanced Manufacturing Network",
        "America/Chicago",
    ),
    (
        "delegate.buffalo@example.org",
        "Jordan Kowalski",
        "Empire State Smart Cities Consortium",
        "America/New_York",
    ),
    (
        "delegate.columbus@example.org",
        "Quinn Albright",
        "Buckeye Energy Innovation Network",
        "America/New_York",
    ),
    (
        "delegate.houston@example.org",
        "Harper Salazar",
        "Gulf Coast Sustainability Alliance",
        "America/Chicago",
    ),
    (
        "delegate.austin@example.org",
        "Rowan Castillo",
        "Lone Star E-Mobility Cluster",
        "America/Chicago",
    ),
    (
        "delegate.seattle@example.org",
        "Skyler Lindqvist",
        "Cascadia Clean Economy Cluster",
        "America/Los_Angeles",
    ),
]

# (date, zone, kind, title, start, end, details)
VISIT, TRAVEL, SESSION = (
    ItineraryItem.Kind.VISIT,
    ItineraryItem.Kind.TRAVEL,
    ItineraryItem.Kind.SESSION,
)
BLOXHUB = {
    "venue_name": "BLOXHUB",
    "venue_address": "Bryghusgade 8",
    "city": "Copenhagen",
    "latitude": Decimal("55.672136"),
    "longitude": Decimal("12.578678"),
}
# The report does not say where the Danish clusters met the delegation on 6 November;
# their offices are in Kolding and Aalborg, so the meeting is placed in Copenhagen.
COPENHAGEN = {"city": "Copenhagen", "latitude": Decimal("55.676"), "longitude": Decimal("12.568")}
# fmt: off
ITINERARY = [
    ("2018-11-06", "Copenhagen", [
        (CPH, SESSION, "EU-US Cluster Roundtable for knowledge exchange", "08:30", "12:30", {
            **BLOXHUB, "session_kind": ItineraryItem.SessionKind.ROUNDTABLE,
            "hosts": ["BLOXHUB", "Cluster Excellence Denmark", "International Cleantech Network"],
            "notes": "Roundtable on sharing of good practices and co-creation, organised by "
                     "BILAT USA 4.0 with Cluster Excellence Denmark and International Cleantech "
                     "Network; ends with the co-creation session “Building New Transatlantic "
                     "Cluster Collaborations”.",
        }),
        (CPH, SESSION, "Networking lunch", "12:30", "13:30", {
            **BLOXHUB, "session_kind": ItineraryItem.SessionKind.MEAL,
        }),
        (CPH, VISIT, "Lifestyle & Design Cluster", "14:00", "15:30", {
            **COPENHAGEN, "hosts": ["Lifestyle & Design Cluster"],
            "topic": "Cross-sectoral activities among design, clean tech and sustainability",
        }),
        (CPH, VISIT, "House of Energy", "15:45", "17:15", {
            **COPENHAGEN, "hosts": ["House of Energy"],
            "topic": "Energy opportunities in Denmark",
        }),
    ]),
    ("2018-11-07", "Copenhagen and Malmö", [
        (CPH, VISIT, "House of Green: State of Green and CLEAN", "09:00", "11:30", {
            "venue_name": "House of Green", "city": "Copenhagen",
            "hosts": ["House of Green", "State of Green", "CLEAN"],
            "topic": "Danish green solutions: presentations by two Danish clusters",
        }),
        (CPH, TRAVEL, "Train to Malmö", "12:15", "13:00", {
            "from_city": "Copenhagen", "to_city": "Malmö",
            "travel_mode": ItineraryItem.TravelMode.TRAIN,
        }),
        (MALMO, VISIT, "Business Region Skåne", "14:00", "16:30", {
            "city": "Malmö", "hosts": ["Business Region Skåne"],
            "topic": "Clean tech, clean energy and sustainability industries in Sweden and Norway",
        }),
        (MALMO, TRAVEL, "Travel to Leuven", "18:00", "22:30", {
            "from_city": "Malmö", "to_city": "Leuven",
            "travel_mode": ItineraryItem.TravelMode.FLIGHT,
            "notes": "Flight from Copenhagen to Brussels, then train to Leuven.",
        }),
    ]),
    ("2018-11-08", "Genk and Antwerp", [
        (BRUSSELS, TRAVEL, "Coach to Genk", "08:00", "09:00", {
            "from_city": "Leuven", "to_city": "Genk",
            "travel_mode": ItineraryItem.TravelMode.COACH,
        }),
        (BRUSSELS, VISIT, "EnergyVille", "09:30", "12:30", {
            "city": "Genk", "hosts": ["EnergyVille"],
            "topic": "A market-based, sustainable energy system for large urban areas; lab tour",
            "visit_status": ItineraryItem.VisitStatus.PROPOSED,
        }),
        (BRUSSELS, TRAVEL, "Coach to Antwerp", "13:00", "14:15", {
            "from_city": "Genk", "to_city": "Antwerp",
            "travel_mode": ItineraryItem.TravelMode.COACH,
        }),
        (BRUSSELS, VISIT, "The Beacon", "14:30", "18:00", {
            "venue_name": "The Beacon", "city": "Antwerp",
            "hosts": ["The Beacon", "Flux50", "City of Antwerp", "imec",
                      "University of Antwerp", "Blue Gate Antwerp", "DSP Valley"],
            "topic": "Clean energy, smart city and sustainability efforts in Antwerp and Belgium",
        }),
    ]),
    ("2018-11-09", "Rotterdam", [
        (AMSTERDAM, TRAVEL, "Coach to Rotterdam", "08:30", "09:45", {
            "from_city": "Antwerp", "to_city": "Rotterdam",
            "travel_mode": ItineraryItem.TravelMode.COACH,
        }),
        (AMSTERDAM, VISIT, "Clean Tech Delta", "10:00", "13:00", {
            "city": "Rotterdam",
            "hosts": ["Clean Tech Delta", "International Cleantech Network",
                      "Roadmap Next Economy", "Interreg SCALE-UP", "Rotterdam Partners",
                      "InnovationQuarter", "Cambridge Cleantech"],
            "topic": "International collaboration efforts coming out of Rotterdam",
        }),
        (AMSTERDAM, SESSION, "Collaboration building exercise", "14:00", "16:00", {
            "city": "Rotterdam", "session_kind": ItineraryItem.SessionKind.WORKSHOP,
            "latitude": Decimal("51.922"), "longitude": Decimal("4.479"),
            "notes": "Led by Cambridge Cleantech: small groups generate and prioritise ideas "
                     "for transatlantic collaboration and present a year-long action plan.",
        }),
    ]),
]
# fmt: on


def _aware(date: str, clock: str, zone: str) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(
        dt.date.fromisoformat(date), dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone)
    )


def _delegate_user(email: str, name: str, zone: str) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=DEMO_PASSWORD, full_name=name, home_time_zone=zone)
    # Demo accounts log in at once; allauth requires a verified address otherwise.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed() -> Mission:
    """Create the 2018 mission with its itinerary and delegation, once. Idempotent."""
    existing = Mission.objects.filter(title=TITLE, start_date=START).first()
    if existing is not None:
        return existing
    organiser = User.objects.get(email="organiser@example.org")
    organizations = {o.name: o for o in Organization.objects.all()}
    us_names = {row[0] for row in US_ORGANIZATIONS}
    assert {row[2] for row in DELEGATES} == us_names, "one delegate at least per organisation"
    mission = services.mission_create(
        by=organiser,
        title=TITLE,
        direction=Mission.Direction.US_TO_EU,
        start_date=START,
        end_date=END,
        countries=["DK", "SE", "BE", "NL"],
        summary=SUMMARY,
        description=DESCRIPTION,
        time_zone=CPH,
        sectors=Sector.objects.filter(
            name__in=["Clean energy", "Clean tech", "Sustainability", "Smart cities", "E-mobility"]
        ),
        organiser_organizations=[organizations["inno TSD"], organizations["SRI International"]],
    )
    for date, day_title, items in ITINERARY:
        day = services.day_create(
            mission=mission, by=organiser, date=dt.date.fromisoformat(date), title=day_title
        )
        for zone, kind, title, start, end, details in items:
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
                starts_at=_aware(date, start, zone),
                ends_at=_aware(date, end, zone),
                time_zone=zone,
                **details,
            )
    for index, (email, name, organization_name, zone) in enumerate(DELEGATES):
        user = _delegate_user(email, name, zone)
        organization = organizations[organization_name]
        if not Membership.objects.filter(organization=organization, user=user).exists():
            membership_add(organization=organization, user=user, role=Membership.Role.MEMBER)
        services.delegation_member_add(
            mission=mission,
            by=organiser,
            user=user,
            organization=organization,
            role=DelegationMember.Role.HEAD if index == 0 else DelegationMember.Role.MEMBER,
        )
    return services.mission_publish(mission=mission, by=organiser)
