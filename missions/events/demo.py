"""Demo: the EU-US Cluster Roundtable at BLOXHUB, Copenhagen, 6 November 2018.

The event, its agenda and its registrations are built through the events services, with
``now`` set to the moments things happened in 2018 (registrations in October, decisions
after the deadline, cancellations the week before, check-in on the morning), so the demo
walks the same code paths as users do.

The agenda is the one the seed gives (``shared/seeds/eu-us-cluster-roundtable-copenhagen-
2018.txt``), in Copenhagen time. Speakers are real people: the demo names their
organisation and role, never a person's contact details. The registrants are fictional
EU cluster managers with example.org addresses (plus the demo account
``manager@example.org``); the demo records every registration as already announced, so
seeding emails nobody.

Requires ``organizations.demo.seed()`` first; links the event to the 2018 mission when
``missions.demo.seed()`` created it, and stands alone otherwise. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import transaction

from organizations.models import Organization, Sector, User
from organizations.services import membership_add, user_create

from ..models import Mission
from . import services
from .models import AgendaItem, AgendaPerson, Event, Registration

COPENHAGEN = "Europe/Copenhagen"
CPH = zoneinfo.ZoneInfo(COPENHAGEN)
TITLE = "EU-US Cluster Roundtable for knowledge exchange"
MISSION_TITLE = "BILAT USA 4.0 High-Level US Cluster Mission to the EU"
DAY = dt.date(2018, 11, 6)

DESCRIPTION = """\
Attention: EU cluster managers! Are you interested in collaborating with US clusters and \
R&I networks? Do you wish to find new opportunities for your members abroad? Are you eager \
to learn from peers how to establish successful international links? Then join a \
high-level US-EU cluster collaboration roundtable.

The roundtable is part of the US cluster delegation's visit to the EU organised by BILAT \
USA 4.0 from 6 to 9 November 2018. It focuses on networking and knowledge exchange with the \
US delegation: 13 American business associations, R&I networks and cluster organisations \
representing 8 US states, active in clean energy, clean tech, sustainability, smart cities \
and e-mobility, and interested in cooperation with clusters and stakeholders of the R&I \
ecosystem in the EU.

Organised by BILAT USA 4.0 in collaboration with Cluster Excellence Denmark and \
International Cleantech Network (ICN), the roundtable showcases EU-US cluster collaboration \
opportunities, success stories and good practices for cluster management. Afterwards, EU \
clusters can take part in a co-creation workshop, "Building New Transatlantic Cluster \
Collaborations", and in a networking session with the US delegation.

Registration is free but obligatory. Limited seats are available; participation is subject \
to the formal acceptance of your application."""

TARGET_AUDIENCE = (
    "EU cluster managers; EU clusters from different industry sectors with cross-sectoral "
    "collaboration opportunities"
)
SECTORS = [
    "Clean energy",
    "Clean tech",
    "Sustainability",
    "Smart cities",
    "E-mobility",
    "Nanotechnologies",
    "Advanced materials",
    "Biotechnology",
    "Advanced manufacturing",
]
PARTNERS = [
    "inno TSD",
    "SRI International",
    "Cluster Excellence Denmark",
    "International Cleantech Network",
]

INNO = "inno TSD, BILAT USA 4.0"
SRI = "SRI, BILAT US 4.0"
CED = "Cluster Excellence Denmark"
EU, US = AgendaPerson.Side.EU, AgendaPerson.Side.US
SPEAKER, MODERATOR = AgendaPerson.Role.SPEAKER, AgendaPerson.Role.MODERATOR
K = AgendaItem.Kind

PANEL_QUESTIONS = """\
Questions for discussion, indicatively:
- How have you succeeded to establish collaboration with counterparts (from the EU / from \
the US respectively)?
- What are major outcomes and impacts you could observe thanks to this cooperation?
- What are your lessons learnt – what would you recommend to others?"""

# start, end, kind, title, people [(organisation, side, role)], description, nested slots.
# The seed gives no end for the lunch; an hour is assumed.
# fmt: off
AGENDA = [
    ("08:30", "09:00", K.NETWORKING, "Registration & networking coffee", [], "", []),
    ("09:00", "09:10", K.TALK, "Welcome and Introductory Remarks",
     [(INNO, EU, SPEAKER)], "", []),
    ("09:10", "09:20", K.TALK,
     "Understanding Transnational Business-Academia Collaboration: A View From the US",
     [(SRI, US, SPEAKER)], "", []),
    ("09:20", "09:30", K.TALK,
     "European support tools for Transnational Business-Academia Collaboration",
     [(INNO, EU, SPEAKER)], "", []),
    ("09:30", "09:40", K.TALK, "Business-Academia Collaboration between Denmark and the US",
     [(CED, EU, SPEAKER)], "", []),
    ("09:40", "10:00", K.NETWORKING, "Speed presentation of the US-EU participants", [],
     "Either in the plenary or speaking in smaller groups, depending on the final number of "
     "participants.", []),
    ("10:00", "10:45", K.PANEL,
     "Good Practices and Experiences on Transatlantic Cluster Collaboration – "
     "Presentations + Q&A",
     [(INNO, EU, MODERATOR)], PANEL_QUESTIONS,
     [
         ("10:00", "10:10", "Cluster Speaker 1 – from the EU (5 mins + 5 mins Q&A)", EU),
         ("10:10", "10:20", "Cluster Speaker 2 – from the EU (5 mins + 5 mins Q&A)", EU),
         ("10:20", "10:30", "Cluster Speaker 3 – from the US (5 mins + 5 mins Q&A)", US),
         ("10:30", "10:40", "Cluster Speaker 4 – from the US (5 mins + 5 mins Q&A)", US),
     ]),
    ("10:45", "11:00", K.BREAK, "Networking coffee break", [], "", []),
    ("11:00", "12:20", K.WORKSHOP,
     "Co-creation and idea generation: Building New Transatlantic Cluster Collaborations",
     [(CED, EU, MODERATOR)],
     "A creative interactive process where the participants will have time and space to "
     "co-develop ideas for new transatlantic collaborations.", []),
    ("12:20", "12:30", K.TALK,
     "Summary, closing remarks & introduction to the afternoon program",
     [(INNO, EU, SPEAKER)], "", []),
    ("12:30", "13:30", K.NETWORKING, "Networking Lunch", [],
     "Provided to all participants registered to the roundtable. The delegates in the US "
     "delegation will have a chance for a networking/matchmaking session with the European "
     "participants.", []),
]

# Fictional EU cluster managers: email, name, zone, organisation, role, consent, matchmaking,
# registered on (October 2018, Copenhagen time), and what happened to them.
REGISTRANTS = [
    ("manager@example.org", None, None, "CLEAN", "Cluster manager", True, True,
     "10-01 10:15", "approved"),
    ("lars.holm@example.org", "Lars Holm", COPENHAGEN, "House of Green",
     "Head of international partnerships", True, True, "10-02 09:05", "checked_in"),
    ("sofie.kjaer@example.org", "Sofie Kjær", COPENHAGEN, "Lifestyle & Design Cluster",
     "Cluster manager", True, False, "10-03 14:30", "checked_in"),
    ("anders.berg@example.org", "Anders Berg", COPENHAGEN, "House of Energy",
     "International project manager", False, True, "10-04 11:00", "checked_in"),
    ("emma.lindqvist@example.org", "Emma Lindqvist", "Europe/Stockholm",
     "Business Region Skåne", "Cluster development lead", True, True, "10-05 08:45",
     "approved"),
    ("pieter.janssens@example.org", "Pieter Janssens", "Europe/Brussels", "The Beacon",
     "Community manager", True, True, "10-08 16:20", "cancelled"),
    ("ines.peeters@example.org", "Ines Peeters", "Europe/Brussels", "Flux50",
     "Programme manager", True, True, "10-09 10:10", "approved"),
    ("tom.vermeulen@example.org", "Tom Vermeulen", "Europe/Brussels", "DSP Valley",
     "Business developer", False, False, "10-10 13:00", "cancelled"),
    ("daan.devries@example.org", "Daan de Vries", "Europe/Amsterdam", "Clean Tech Delta",
     "Cluster manager", True, True, "10-11 09:30", "approved"),
    ("olivia.hart@example.org", "Olivia Hart", "Europe/London", "Cambridge Cleantech",
     "Head of membership", True, True, "10-15 12:00", "approved"),
    ("karin.mertens@example.org", "Karin Mertens", "Europe/Brussels",
     "Blue Gate Antwerp", "Partnership manager", True, False, "10-22 15:40", "confirmed"),
    ("jonas.nielsen@example.org", "Jonas Nielsen", COPENHAGEN, "State of Green",
     "Communications lead", True, True, "10-23 10:05", "offered"),
    ("marta.rossi@example.org", "Marta Rossi", "Europe/Amsterdam", "InnovationQuarter",
     "Foreign investment adviser", False, True, "10-24 09:00", "waitlisted"),
    ("henrik.dahl@example.org", "Henrik Dahl", COPENHAGEN, "CLEAN",
     "Junior project officer", False, False, "10-25 17:30", "rejected"),
    ("nora.aalto@example.org", "Nora Aalto", "Europe/Amsterdam", "Rotterdam Partners",
     "Business developer", True, True, "10-26 11:20", "pending"),
    ("felix.wouters@example.org", "Felix Wouters", "Europe/Brussels", "imec",
     "Innovation manager", True, False, "10-26 13:55", "pending"),
]
# fmt: on
CAPACITY = 10
DECIDED_AT = dt.datetime(2018, 10, 26, 15, 0, tzinfo=CPH)


def _at(clock: str, day: dt.date = DAY) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CPH)


def _registered_at(text: str) -> dt.datetime:
    month_day, clock = text.split(" ")
    month, day = (int(part) for part in month_day.split("-"))
    return _at(clock, dt.date(2018, month, day))


def _person(email, full_name, zone, organization) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        # No password: the fictional registrants cannot log in; the demo logins are the
        # ones organizations.demo creates.
        user = user_create(email=email, password=None, full_name=full_name, home_time_zone=zone)
    membership_add(organization=organization, user=user)
    return user


def _agenda(event: Event, organiser: User, organizations: dict[str, Organization]) -> None:
    for start, end, kind, title, people, description, slots in AGENDA:
        item = services.agenda_item_add(
            event=event,
            by=organiser,
            title=title,
            kind=kind,
            starts_at=_at(start),
            ends_at=_at(end),
            description=description,
            people=[
                {
                    "organization_name": name,
                    "side": side,
                    "role": role,
                    "organization": organizations.get(name.split(",")[0]),
                }
                for name, side, role in people
            ],
        )
        for slot_start, slot_end, slot_title, side in slots:
            services.agenda_item_add(
                event=event,
                by=organiser,
                parent=item,
                title=slot_title,
                kind=K.TALK,
                starts_at=_at(slot_start),
                ends_at=_at(slot_end),
                people=[{"side": side, "role": SPEAKER}],
            )


@transaction.atomic
def seed() -> Event:
    existing = Event.objects.filter(title=TITLE, starts_at=_at("08:30")).first()
    if existing is not None:
        return existing
    organiser = User.objects.get(email="organiser@example.org")
    organizations = {o.name: o for o in Organization.objects.all()}
    event = services.event_create(
        by=organiser,
        mission=Mission.objects.filter(title=MISSION_TITLE).first(),
        kind=Event.Kind.ROUNDTABLE,
        title=TITLE,
        venue_name="BLOXHUB",
        venue_address="Bryghusgade 8, 1473 Copenhagen K",
        city="Copenhagen",
        latitude=Decimal("55.672136"),
        longitude=Decimal("12.578678"),
        time_zone=COPENHAGEN,
        starts_at=_at("08:30"),
        ends_at=_at("13:30"),
        description=DESCRIPTION,
        target_audience=TARGET_AUDIENCE,
        capacity=CAPACITY,
        registration_opens_at=dt.datetime(2018, 9, 24, 9, 0, tzinfo=CPH),
        # "26 October 2018 14:00 CET": Copenhagen kept summer time until 28 October, so this
        # is 14:00 on Copenhagen's clocks (CEST), as the organisers meant it.
        registration_deadline=dt.datetime(2018, 10, 26, 14, 0, tzinfo=CPH),
        approval_required=True,
        waiting_list_enabled=True,
        offer_hours=48,
        sectors=Sector.objects.filter(name__in=SECTORS),
        organising_partners=[organizations[name] for name in PARTNERS if name in organizations],
    )
    services.event_publish(event=event, by=organiser)
    _agenda(event, organiser, organizations)
    goals = services.question_add(
        event=event,
        by=organiser,
        required=True,
        label="What would you like to achieve with US partners?",
    )
    services.question_add(
        event=event,
        by=organiser,
        label="Would you present a success story as one of the panel's cluster speakers?",
    )
    _registrations(event, organiser, organizations, goals.pk)
    services.registrations_mark_notified(event=event)
    return event


def _registrations(event, organiser, organizations, goals_id) -> None:
    by_outcome: dict[str, list[Registration]] = {}
    for email, name, zone, org_name, role, consent, matchmaking, when, outcome in REGISTRANTS:
        organization = organizations[org_name]
        user = _person(email, name, zone, organization)
        registration = services.registration_create(
            event=event,
            user=user,
            organization=organization,
            role=role,
            sectors_of_interest=organization.sectors.all(),
            wants_matchmaking=matchmaking,
            consent_to_list=consent,
            answers={str(goals_id): "Partners for joint projects and a visit to the US."},
            now=_registered_at(when),
        )
        by_outcome.setdefault(outcome, []).append(registration)

    def ids(*outcomes):
        return [r.pk for outcome in outcomes for r in by_outcome.get(outcome, [])]

    # After the deadline: everyone the organisers accept is approved in registration order;
    # the seats run out and the last ones join the waiting list.
    services.registrations_decide(
        event=event,
        by=organiser,
        registration_ids=ids(
            "approved", "checked_in", "cancelled", "confirmed", "offered", "waitlisted"
        ),
        approve=True,
        now=DECIDED_AT,
        message="Welcome to BLOXHUB! Please bring your business cards for the matchmaking.",
    )
    services.registrations_decide(
        event=event,
        by=organiser,
        registration_ids=ids("rejected"),
        approve=False,
        now=DECIDED_AT,
        message="We can accept one participant per cluster; a colleague of yours is attending.",
    )
    # Two cancellations: the first seat is offered and taken, the second offered and open.
    first_cancelled, second_cancelled = by_outcome["cancelled"]
    services.registration_cancel(
        registration=first_cancelled,
        by=first_cancelled.user,
        now=dt.datetime(2018, 10, 29, 9, 0, tzinfo=CPH),
    )
    confirmed = Registration.objects.get(pk=by_outcome["confirmed"][0].pk)
    services.registration_accept_offer(
        registration=confirmed,
        by=confirmed.user,
        now=dt.datetime(2018, 10, 29, 18, 0, tzinfo=CPH),
    )
    services.registration_cancel(
        registration=second_cancelled,
        by=second_cancelled.user,
        now=dt.datetime(2018, 11, 5, 12, 0, tzinfo=CPH),
    )
    for registration in by_outcome.get("checked_in", []):
        services.registration_check_in(registration=registration, by=organiser, now=_at("08:40"))
