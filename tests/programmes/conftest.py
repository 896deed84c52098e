"""A small world for the programmes tests: a public programme running a mission, a past
event and a call; a validated partnership of two organisations whose people met in a
matchmaking meeting at that event; and one person of each role of the URL matrix."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from matchmaking.models import Meeting
from missions.models import Call, Event, Mission
from organizations.models import Membership, Organization, Role, User
from programmes import services
from programmes.models import Partnership, Programme

from ..factories import make_organization, make_user
from .factories import (
    make_call,
    make_held_meeting,
    make_partnership,
    make_past_event,
    make_programme,
    make_published_mission,
)


@dataclass
class World:
    organiser: User
    staff: User
    admin: User
    applicant: User
    partner_manager: User  # manager of org_a, a partner
    us_manager: User  # manager of org_b, the other partner
    other_manager: User  # manager of other_org, in no partnership
    org_a: Organization
    org_b: Organization
    other_org: Organization
    programme: Programme
    mission: Mission
    event: Event
    call: Call
    partnership: Partnership
    meeting: Meeting

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


ROLES = (
    "anonymous",
    "applicant",
    "partner_manager",
    "other_manager",
    "organiser",
    "staff",
    "admin",
)


@pytest.fixture
def world(organiser, staff_member, applicant, cluster_manager, organization) -> World:
    admin = make_user("admin@test.example.org", roles=(Role.SITE_ADMIN,))
    us_manager = make_user("us.manager@test.example.org", roles=(Role.US_APPLICANT,))
    org_b = make_organization(
        "Front Range Energy Cluster",
        manager=us_manager,
        country="US",
        region="Colorado",
        city="Denver",
        latitude=Decimal("39.739"),
        longitude=Decimal("-104.990"),
    )
    other_manager = make_user("other.manager@test.example.org", roles=(Role.EU_CLUSTER_MANAGER,))
    other_org = make_organization("Other Cluster", manager=other_manager, country="SE")
    programme = make_programme(organiser, name="BILAT USA 4.0")
    mission = make_published_mission(organiser, start="2018-11-06", end="2018-11-09")
    event = make_past_event(organiser, title="EU-US Cluster Roundtable", mission=mission)
    call = make_call(organiser, mission, title="Call for US clusters")
    for activity in (mission, event, call):
        services.programme_link_activity(programme=programme, activity=activity, by=organiser)
    partnership = make_partnership(
        organiser, [organization, org_b], name="International Clean Tech Network"
    )
    meeting = make_held_meeting(
        user_a=cluster_manager, org_a=organization, user_b=us_manager, org_b=org_b, event=event
    )
    assert Membership.objects.filter(user=cluster_manager, organization=organization).exists()
    return World(
        organiser=organiser,
        staff=staff_member,
        admin=admin,
        applicant=applicant,
        partner_manager=cluster_manager,
        us_manager=us_manager,
        other_manager=other_manager,
        org_a=organization,
        org_b=org_b,
        other_org=other_org,
        programme=programme,
        mission=mission,
        event=event,
        call=call,
        partnership=partnership,
        meeting=meeting,
    )
