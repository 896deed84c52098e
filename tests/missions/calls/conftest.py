"""Fixtures for the calls tests: an open call of ``mission`` with a form, two applicants of
two US organisations, an assigned and an unassigned reviewer."""

from __future__ import annotations

import pytest

from missions.calls import services
from organizations.models import Role
from tests.browser.conftest import (  # noqa: F401 - the browser fixtures, for test_browser.py
    axe_check,
    axe_source,
    browser_type_launch_args,
    page,
)

from ...factories import make_user
from .factories import make_applicant, make_application, make_call, make_us_org


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Attachments land in a fresh private directory per test, so tests can list it."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def call(organiser, mission):
    return make_call(organiser, mission)


@pytest.fixture
def org_a(db):
    return make_us_org("Front Range Energy Cluster", "Colorado", "Clean energy")


@pytest.fixture
def org_b(db):
    return make_us_org("Lone Star E-Mobility Cluster", "Texas", "E-mobility")


@pytest.fixture
def applicant_a(org_a):
    return make_applicant("applicant.a@test.example.org", org_a)


@pytest.fixture
def applicant_b(org_b):
    return make_applicant("applicant.b@test.example.org", org_b)


@pytest.fixture
def application_a(call, applicant_a, org_a):
    return make_application(call, applicant_a, org_a)


@pytest.fixture
def application_b(call, applicant_b, org_b):
    return make_application(call, applicant_b, org_b)


@pytest.fixture
def assigned_reviewer(db):
    return make_user("assigned.reviewer@test.example.org", roles=(Role.REVIEWER,))


@pytest.fixture
def unassigned_reviewer(db):
    return make_user("unassigned.reviewer@test.example.org", roles=(Role.REVIEWER,))


@pytest.fixture
def assignment_a(application_a, assigned_reviewer, organiser):
    return services.reviewer_assign(
        application=application_a, reviewer=assigned_reviewer, by=organiser
    )
