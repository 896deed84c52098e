"""Demo: the 2018 mission's report texts and feedback, so its report reads like the seed's.

The texts paraphrase the 2018 report (written by hand after the mission); the feedback
comes from a few of the fictional delegates and from the demo host contact. Invitations
are recorded as already sent in November 2018, so seeding emails nobody. Answers are
submitted through the survey service. Requires ``missions.demo.seed()``. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from missions.models import ItineraryItem, Mission
from organizations.models import User

from .models import SurveyInvitation, SurveyResponse
from .services.surveys import survey_for, survey_response_submit
from .services.texts import report_text_update

MISSION_TITLE = "BILAT USA 4.0 High-Level US Cluster Mission to the EU"

SUMMARY = """\
From the 6th to the 9th of November 2018, BILAT USA 4.0 led a delegation of American \
business associations, R&I networks and cluster organisations in a high-level cluster \
mission to the European Union. The four-day programme combined cluster visits and a \
roundtable, both organised by the BILAT USA 4.0 partners inno TSD and SRI International.

The mission's objective was to promote and support transatlantic cooperation for strategic \
research, development and innovation and for business partnerships, and to help American \
cluster-like organisations internationalise their own and their members' activities. The \
delegation met clusters, government representatives and research organisations in \
Denmark, Sweden, Belgium and the Netherlands; the hosts were chosen to match the \
delegates' sectors and interests."""

ROUNDTABLE_SUMMARY = """\
The roundtable, organised with Cluster Excellence Denmark and the International Cleantech \
Network, was held on the 6th of November at BLOXHUB in Copenhagen. It showcased EU-US \
cluster collaboration opportunities, success stories and good practices for cluster \
management, with presentations of the EU and US perspectives on transnational \
business-academia collaboration. Five panellists presented their organisations' \
international collaborations and discussed them with the audience. Cluster Excellence \
Denmark closed the morning with a co-creation session, "Building New Transatlantic \
Cluster Collaborations", in which participants co-developed ideas for new collaborations."""

CONCLUSIONS = """\
Participants appreciated meeting the stakeholders of the local R&I ecosystems of Denmark, \
Sweden, Belgium and the Netherlands, and left with a better understanding of the role and \
operations of cluster organisations in the EU. They made numerous contacts, many of which \
they hope to turn into larger collaborations. The positive feedback collected from the \
participants confirms the mission as a success."""

# (email, role, overall, contacts, collaborations, consent, comment, usefulness by title)
ANSWERS = [
    (
        "delegate.head@example.org",
        SurveyInvitation.Role.DELEGATE,
        5,
        14,
        3,
        True,
        "The visits were matched to our sectors: every afternoon gave us contacts to follow up.",
        {"EnergyVille": 5, "The Beacon": 5, "Clean Tech Delta": 4},
    ),
    (
        "delegate.denver@example.org",
        SurveyInvitation.Role.DELEGATE,
        5,
        9,
        2,
        True,
        "The co-creation session in Rotterdam turned ideas into a year-long action plan.",
        {"Clean Tech Delta": 5, "Collaboration building exercise": 5, "House of Energy": 4},
    ),
    (
        "delegate.austin@example.org",
        SurveyInvitation.Role.DELEGATE,
        4,
        6,
        1,
        False,
        "Too many presentations on the last day; more time for one-to-one talks, please.",
        {"Business Region Skåne": 4, "Clean Tech Delta": 3},
    ),
    (
        "delegate.seattle@example.org",
        SurveyInvitation.Role.DELEGATE,
        4,
        7,
        1,
        True,
        "A rich programme. The roundtable was the best place to meet European cluster managers.",
        {"EU-US Cluster Roundtable for knowledge exchange": 5, "The Beacon": 4},
    ),
    (
        "host@example.org",
        SurveyInvitation.Role.HOST,
        4,
        5,
        1,
        True,
        "The delegates came prepared and asked precise questions about our labs.",
        {"EnergyVille": 4},
    ),
]

SENT_AT = dt.datetime(2018, 11, 12, 9, 0, tzinfo=dt.UTC)


@transaction.atomic
def seed() -> Mission | None:
    mission = Mission.objects.filter(title=MISSION_TITLE).first()
    if mission is None:
        return None
    organiser = User.objects.get(email="organiser@example.org")
    report_text_update(
        target=mission,
        by=organiser,
        summary=SUMMARY,
        roundtable_summary=ROUNDTABLE_SUMMARY,
        conclusions=CONCLUSIONS,
    )
    survey = survey_for(mission)
    items = {
        item.title: item.pk
        for item in ItineraryItem.objects.filter(day__mission=mission).exclude(
            kind=ItineraryItem.Kind.TRAVEL
        )
    }
    for email, role, overall, contacts, plans, consent, comment, useful in ANSWERS:
        user = User.objects.filter(email=email).first()
        if user is None or SurveyResponse.objects.filter(survey=survey, user=user).exists():
            continue
        SurveyInvitation.objects.get_or_create(
            survey=survey,
            user=user,
            defaults={"role": role, "token": secrets.token_urlsafe(32), "sent_at": SENT_AT},
        )
        survey_response_submit(
            survey=survey,
            by=user,
            role=role,
            answers={
                "overall_rating": overall,
                "contacts_made": contacts,
                "collaborations_planned": plans,
                "comments": comment,
                "consent_to_quote": consent,
                "usefulness": {items[t]: v for t, v in useful.items() if t in items},
            },
        )
    return mission
