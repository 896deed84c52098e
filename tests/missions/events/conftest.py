"""Fixtures for the events tests: a published roundtable organised by ``organiser``."""

from __future__ import annotations

import pytest

from organizations.services import membership_add
from tests.factories import make_organization, make_user

from .factories import make_event, make_member

# The race: this many people register at once for this many seats.
PEOPLE = 30
SEATS = 5


@pytest.fixture
def event(organiser):
    return make_event(organiser, capacity=2)


@pytest.fixture
def approval_event(organiser):
    return make_event(
        organiser, title="Roundtable with approval", capacity=2, approval_required=True
    )


@pytest.fixture
def members(organization):
    """Five people of the cluster ``organization``, in a fixed order."""
    return [make_member(organization, f"member{n}@test.example.org") for n in range(1, 6)]


@pytest.fixture
def crowd(postgres, organiser):
    """PEOPLE members of one cluster and a published event with SEATS seats, on PostgreSQL."""
    organization = make_organization("Crowded Cluster")
    people = [make_user(f"racer{n:02d}@test.example.org") for n in range(PEOPLE)]
    for person in people:
        membership_add(organization=organization, user=person)
    event = make_event(organiser, capacity=SEATS, title="Five seats")
    return event, people, organization
