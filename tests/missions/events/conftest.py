"""Fixtures for the events tests: a published roundtable organised by ``organiser``."""

from __future__ import annotations

import pytest

from .factories import make_event, make_member


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
