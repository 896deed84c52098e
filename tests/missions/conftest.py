"""Fixtures for the missions tests: a mission planned by ``organiser``, hosts, delegates."""

from __future__ import annotations

import pytest

from missions import services
from missions.models import DelegationMember
from organizations.models import Membership, Role

from ..factories import make_organization, make_user
from .factories import make_day, make_mission


@pytest.fixture
def mission(organiser):
    return make_mission(organiser)


@pytest.fixture
def host_org(db):
    return make_organization("EnergyVille", country="BE", city="Genk")


@pytest.fixture
def other_host_org(db):
    return make_organization("The Beacon", country="BE", city="Antwerp")


@pytest.fixture
def host_contact(host_org):
    user = make_user("host@test.example.org", roles=(Role.HOST_CONTACT,))
    from organizations.services import membership_add

    membership_add(organization=host_org, user=user, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def us_org(db):
    return make_organization(
        "Front Range Energy Cluster", country="US", region="Colorado", city="Denver"
    )


@pytest.fixture
def delegate(organiser, mission, us_org):
    user = make_user("delegate@test.example.org", home_time_zone="America/New_York")
    services.delegation_member_add(
        mission=mission,
        by=organiser,
        user=user,
        organization=us_org,
        role=DelegationMember.Role.HEAD,
    )
    return user


@pytest.fixture
def second_delegate(organiser, mission, us_org):
    user = make_user("delegate2@test.example.org", home_time_zone="America/Denver")
    services.delegation_member_add(mission=mission, by=organiser, user=user, organization=us_org)
    return user


@pytest.fixture
def day1(organiser, mission):
    return make_day(organiser, mission, "2018-11-06", "Copenhagen")
