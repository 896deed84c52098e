"""The 2018 Call for Expression of Interest of the BILAT USA 4.0 mission, as the seed report
tells it: 14 applications, 11 organisations from 9 states selected.

Built through the calls services after ``organizations.demo.seed()`` and
``missions.demo.seed()``. The eleven fictional US organisations of the delegation apply
through their delegates (``applicant@example.org`` for the Front Range Energy Cluster);
three more fictional organisations in the same states apply too and end on the waiting
list. Three reviewers (``reviewer@example.org`` and two fictional example.org people)
score every application they are given; the optimiser proposes the selection of 11, and
the decisions are sent. Everyone is fictional.

The services refuse anything after the deadline, so the call is seeded open and then
given its 2018 closing date; the submissions are then dated in the summer of 2018, before
the call closed (see ``_date_submissions``).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone

from missions import demo as missions_demo
from missions.models import Mission
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Organization, Role, Sector, User
from organizations.services import membership_add, organization_create, user_create

from . import selectors, services
from .models import Application, Call, Question, Quota, StatusChange

logger = logging.getLogger("clustermissions.missions.calls")

TITLE = "Call for Expression of Interest: High-Level US Cluster Mission to the EU 2018"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
OPENS = dt.datetime(2018, 7, 16, 9, 0, tzinfo=NEW_YORK)
CLOSES = dt.datetime(2018, 9, 14, 17, 0, tzinfo=NEW_YORK)

DESCRIPTION = (
    "BILAT USA 4.0 invites US cluster organisations and cluster-like intermediaries to "
    "express their interest in joining a high-level delegation to Denmark, Sweden, Belgium "
    "and the Netherlands from 6 to 9 November 2018, to meet EU clusters, research "
    "organisations and innovation programmes in clean energy, clean tech, sustainability, "
    "smart cities and e-mobility."
)
ELIGIBILITY = (
    "US-based cluster organisations, business associations, R&I networks and economic "
    "development organisations active in the mission's sectors. One delegate per "
    "organisation; travel costs are the delegates' own."
)

# Three more fictional applicants, in three of the nine states.
EXTRA_ORGANIZATIONS = [
    (
        "Lake Erie Advanced Materials Alliance",
        Organization.Kind.CLUSTER,
        "Ohio",
        "Cleveland",
        ["Advanced materials"],
        "eoi.cleveland@example.org",
        "Parker Ellison",
    ),
    (
        "Hudson Valley Clean Tech Partnership",
        Organization.Kind.RI_NETWORK,
        "New York",
        "Poughkeepsie",
        ["Clean tech"],
        "eoi.poughkeepsie@example.org",
        "Sidney Marlowe",
    ),
    (
        "Puget Sound Smart Grid Council",
        Organization.Kind.BUSINESS_ASSOCIATION,
        "Washington",
        "Tacoma",
        ["Clean energy", "Smart cities"],
        "eoi.tacoma@example.org",
        "Emery Vance",
    ),
]

REVIEWERS = [
    ("reviewer@example.org", "Ravi Reviewer"),
    ("reviewer.two@example.org", "Dana Whitmore"),
    ("reviewer.three@example.org", "Elliot Marsh"),
]

CRITERIA = [
    ("Fit with the mission's sectors", 3),
    ("Capacity to build partnerships", 2),
    ("Regional impact", 1),
]

# When each application (in the order they were made) was submitted, before the closing
# moment: (days, hours, minutes) before Friday 14 September 2018, 17:00 in New York, on
# working days and in office hours. Most come in during the last fortnight, two on the last day.
SUBMITTED_BEFORE_CLOSING = [
    (42, 6, 12),
    (35, 2, 47),
    (29, 5, 5),
    (22, 3, 38),
    (16, 7, 21),
    (10, 1, 54),
    (9, 4, 30),
    (7, 6, 2),
    (4, 2, 15),
    (3, 5, 49),
    (2, 1, 33),
    (1, 3, 8),
    (0, 6, 41),
    (0, 1, 17),
]

# A plausible quality per applicant organisation (0–5): the delegation's eleven score
# higher than the three extra applicants, whom the optimiser leaves on the waiting list.
QUALITY = {
    "Research Triangle Cleantech Cluster": 5,
    "Front Range Energy Cluster": 5,
    "Golden State Cleantech Alliance": 5,
    "Cascadia Clean Economy Cluster": 4,
    "Bay Area Smart Mobility Network": 4,
    "Chesapeake Clean Energy Council": 4,
    "Empire State Smart Cities Consortium": 4,
    "Buckeye Energy Innovation Network": 4,
    "Gulf Coast Sustainability Alliance": 4,
    "Lone Star E-Mobility Cluster": 3,
    "Magnolia Advanced Manufacturing Network": 3,
    "Lake Erie Advanced Materials Alliance": 2,
    "Hudson Valley Clean Tech Partnership": 2,
    "Puget Sound Smart Grid Council": 1,
}


def _verified_user(email: str, name: str, zone: str, roles=()) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            home_time_zone=zone,
            roles=roles,
        )
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _applicants() -> list[tuple[User, Organization]]:
    """(contact, organisation) for the 14 applications: the first delegate of each of the
    delegation's organisations, then the three extra ones."""
    applicants = []
    seen = set()
    for email, _name, organization_name, _zone in missions_demo.DELEGATES:
        if organization_name in seen:
            continue
        seen.add(organization_name)
        applicants.append(
            (User.objects.get(email=email), Organization.objects.get(name=organization_name))
        )
    for name, kind, state, city, sector_names, email, person in EXTRA_ORGANIZATIONS:
        user = _verified_user(email, person, "America/New_York", roles=(Role.US_APPLICANT,))
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = organization_create(
                by=None,
                validated=True,
                sectors=Sector.objects.filter(name__in=sector_names),
                name=name,
                kind=kind,
                country="US",
                region=state,
                city=city,
                description="Fictional demo organisation standing for a US cluster-like "
                "organisation.",
            )
        if not Membership.objects.filter(user=user, organization=organization).exists():
            membership_add(organization=organization, user=user, role=Membership.Role.MANAGER)
        applicants.append((user, organization))
    return applicants


def _answers(call: Call, organization: Organization) -> dict:
    values = {
        "Your role in the organisation": "Executive director",
        "Why does your organisation want to join the delegation?": (
            f"{organization.name} wants to build partnerships with EU clusters in "
            f"{', '.join(s.name.lower() for s in organization.sectors.all()) or 'its sectors'}."
        ),
        "Main sector": "Clean energy",
        "What do you want from the mission?": ["Cluster visits", "Roundtable"],
        "Can you cover your own travel?": True,
    }
    return {str(q.pk): values[q.label] for q in call.questions.all() if q.label in values}


def _date_submissions(call: Call) -> None:
    """Date the submissions that carry the seeding moment (at or after the closing) back to
    2018, with their status history. Submissions already before the closing are left as
    they are, so running it again changes nothing.

    Direct updates, not a service: no user may date a submission, the services rightly
    stamp it with the present, and this only corrects the demo's history.
    """
    submitted = Application.objects.filter(call=call, submitted_at__isnull=False)
    late = set(submitted.filter(submitted_at__gte=call.closes_at).values_list("pk", flat=True))
    for index, pk in enumerate(submitted.order_by("pk").values_list("pk", flat=True)):
        if pk not in late:
            continue
        days, hours, minutes = SUBMITTED_BEFORE_CLOSING[index % len(SUBMITTED_BEFORE_CLOSING)]
        submitted_at = CLOSES - dt.timedelta(days=days, hours=hours, minutes=minutes)
        Application.objects.filter(pk=pk).update(submitted_at=submitted_at)
        StatusChange.objects.filter(
            application=pk,
            from_status=Application.Status.DRAFT,
            to_status=Application.Status.SUBMITTED,
        ).update(at=submitted_at)


@transaction.atomic
def seed() -> Call | None:
    """Create the 2018 call with its applications, reviews and selection, once."""
    mission = Mission.objects.filter(
        title=missions_demo.TITLE, start_date=missions_demo.START
    ).first()
    if mission is None:
        logger.warning("The 2018 mission is missing: run missions.demo.seed() first.")
        return None
    existing = Call.objects.filter(mission=mission, title=TITLE).first()
    if existing is not None:
        # A demo seeded before the submissions were dated gets them dated now.
        _date_submissions(existing)
        return existing
    organiser = User.objects.get(email="organiser@example.org")
    call = services.call_create(
        mission=mission,
        by=organiser,
        title=TITLE,
        description=DESCRIPTION,
        eligibility=ELIGIBILITY,
        opens_at=OPENS,
        # Open while the demo applies; closed on its 2018 date below.
        closes_at=timezone.now() + dt.timedelta(hours=1),
        time_zone="America/New_York",
        max_delegates=11,
        max_per_organization=1,
        reviews_per_application=2,
        is_published=True,
    )
    Q = Question.Kind  # noqa: N806 - short, read as a table below
    for position, (kind, label, extra) in enumerate(
        [
            (Q.TEXT, "Your role in the organisation", {}),
            (
                Q.LONG_TEXT,
                "Why does your organisation want to join the delegation?",
                {"max_length": 3000},
            ),
            (
                Q.CHOICE,
                "Main sector",
                {
                    "choices": [
                        "Clean energy",
                        "Clean tech",
                        "Sustainability",
                        "Smart cities",
                        "E-mobility",
                    ]
                },
            ),
            (
                Q.MULTIPLE_CHOICE,
                "What do you want from the mission?",
                {"choices": ["Cluster visits", "Roundtable", "Matchmaking"], "required": False},
            ),
            (Q.YES_NO, "Can you cover your own travel?", {}),
            (Q.FILE, "Letter of support", {"required": False}),
        ],
        start=1,
    ):
        services.question_add(
            call=call, by=organiser, kind=kind, label=label, position=position, **extra
        )
    criteria = [
        services.criterion_add(
            call=call, by=organiser, name=name, weight=weight, scale_max=5, position=position
        )
        for position, (name, weight) in enumerate(CRITERIA, start=1)
    ]
    services.quota_set(call=call, by=organiser, kind=Quota.Kind.PER_STATE_MAX, key="*", number=2)
    for slug in ("clean-energy", "e-mobility"):
        if Sector.objects.filter(slug=slug).exists():
            services.quota_set(
                call=call, by=organiser, kind=Quota.Kind.PER_SECTOR_MIN, key=slug, number=1
            )

    for contact, organization in _applicants():
        application = services.application_start(call=call, by=contact, organization=organization)
        services.application_submit(
            application=application, by=contact, answers=_answers(call, organization)
        )
    call = services.call_update(call=call, by=organiser, closes_at=CLOSES)
    _date_submissions(call)

    reviewers = [
        _verified_user(email, name, "America/New_York", roles=(Role.REVIEWER,))
        for email, name in REVIEWERS
    ]
    services.reviewers_assign_round_robin(call=call, by=organiser, reviewers=reviewers)
    for application in Application.objects.filter(call=call).select_related("organization"):
        quality = QUALITY.get(application.organization.name, 3)
        for offset, assignment in enumerate(application.assignments.order_by("pk")):
            scores = {
                criterion.pk: (
                    max(0, min(5, quality - (offset + index) % 2)),
                    "Fictional demo review.",
                )
                for index, criterion in enumerate(criteria)
            }
            services.scores_submit(assignment=assignment, by=assignment.reviewer, scores=scores)

    proposal = services.selection_propose(call=call, by=organiser)
    chosen = set(proposal.selected)
    ranked = [row.application.pk for row in selectors.ranking(call)]
    decisions = {
        pk: (Application.Status.SELECTED if pk in chosen else Application.Status.WAITLISTED)
        for pk in ranked
    }
    services.decisions_prepare(
        call=call,
        by=organiser,
        decisions=decisions,
        waitlist=[pk for pk in ranked if pk not in chosen],
    )
    services.decisions_send(call=call, by=organiser)
    return call
