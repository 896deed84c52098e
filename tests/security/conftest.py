"""Fixtures for the cross-cutting security tests: the missions, calls and events fixtures."""

from __future__ import annotations

from tests.missions.calls.conftest import (  # noqa: F401 - fixtures used by the security tests
    applicant_a,
    application_a,
    assigned_reviewer,
    call,
    org_a,
    private_media,
)
from tests.missions.conftest import (  # noqa: F401
    day1,
    delegate,
    host_contact,
    host_org,
    mission,
    us_org,
)
