"""The 2018 demo call: 14 applications, 11 organisations from 9 states selected."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from missions import demo as missions_demo
from missions.calls import demo
from missions.calls.models import Application, Call, ReviewAssignment, StatusChange
from missions.models import DelegationMember
from organizations import demo as organizations_demo


def test_demo_call_selects_11_organisations_from_9_states(db):
    organizations_demo.seed()
    missions_demo.seed()
    call = demo.seed()
    applications = Application.objects.filter(call=call).select_related("organization")
    assert applications.count() == 14
    selected = [a for a in applications if a.status == Application.Status.SELECTED]
    assert len(selected) == 11
    assert len({a.organization_id for a in selected}) == 11
    assert {a.organization.region for a in selected} == {
        "California",
        "Colorado",
        "Maryland",
        "Mississippi",
        "New York",
        "North Carolina",
        "Ohio",
        "Texas",
        "Washington",
    }
    waitlisted = sorted(
        (a.waitlist_rank, a.organization.name)
        for a in applications
        if a.status == Application.Status.WAITLISTED
    )
    assert [rank for rank, _name in waitlisted] == [1, 2, 3]
    assert {a.organization.name for a in selected} == {
        row[0] for row in organizations_demo.US_ORGANIZATIONS
    }
    assert all(a.assignments.filter(submitted_at__isnull=False).count() == 2 for a in applications)
    reviewers = set(ReviewAssignment.objects.values_list("reviewer__email", flat=True))
    assert reviewers == {e for e, _n in demo.REVIEWERS}
    assert all(email.endswith("@example.org") for email in reviewers)
    # The delegation is still the mission's 12 people: the selected were already in it.
    assert DelegationMember.objects.filter(delegation__mission=call.mission).count() == 12
    assert call.closes_at == demo.CLOSES
    assert not call.is_open()


def test_demo_call_is_idempotent(db):
    organizations_demo.seed()
    missions_demo.seed()
    first = demo.seed()
    second = demo.seed()
    assert first.pk == second.pk
    assert Call.objects.count() == 1
    assert Application.objects.count() == 14


def test_demo_submissions_are_dated_before_the_call_closed(db):
    organizations_demo.seed()
    missions_demo.seed()
    call = demo.seed()
    applications = Application.objects.filter(call=call).order_by("pk")
    times = [a.submitted_at for a in applications]
    assert len(times) == 14
    assert all(demo.OPENS < at < demo.CLOSES == call.closes_at for at in times)
    assert times == sorted(times)
    assert len(set(times)) == 14
    # The first on Friday 3 August 2018, the last 1 hour 17 minutes before closing.
    assert times[0] == dt.datetime(2018, 8, 3, 10, 48, tzinfo=demo.NEW_YORK)
    assert times[-1] == dt.datetime(2018, 9, 14, 15, 43, tzinfo=demo.NEW_YORK)
    submissions = StatusChange.objects.filter(
        application__call=call, to_status=Application.Status.SUBMITTED
    )
    assert {(c.application_id, c.at) for c in submissions} == {
        (a.pk, a.submitted_at) for a in applications
    }
    # Seeding again (and the demo's own re-dating) changes nothing.
    demo.seed()
    assert [a.submitted_at for a in applications.all()] == times


def test_demo_dates_the_submissions_of_a_demo_seeded_before(db):
    organizations_demo.seed()
    missions_demo.seed()
    call = demo.seed()
    dated = dict(Application.objects.values_list("pk", "submitted_at"))
    # As the demo used to leave them: stamped with the seeding moment, after the closing.
    Application.objects.update(submitted_at=timezone.now())
    demo.seed()
    assert dict(Application.objects.values_list("pk", "submitted_at")) == dated
    assert not Application.objects.filter(submitted_at__gte=call.closes_at).exists()


def test_demo_call_skips_without_the_mission(db):
    organizations_demo.seed()
    assert demo.seed() is None
    assert not Call.objects.exists()
