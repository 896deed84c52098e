"""The home page: each role's section with 0, 1 and 3 items, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from missions import services as mission_services
from missions.calls import services as call_services
from missions.models import ItineraryItem
from organizations.models import Membership, Role
from organizations.services import membership_add

from ..factories import make_organization, make_user
from ..missions.calls.factories import make_applicant, make_application, make_call, make_us_org
from ..missions.events.factories import make_event, register
from ..missions.factories import make_day, make_mission, make_visit

pytestmark = pytest.mark.django_db


def _ahead(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _future_mission(organiser, number: int, **fields):
    return make_mission(
        organiser,
        title=f"Mission {number}",
        start=_ahead(60 + number),
        end=_ahead(63 + number),
        **fields,
    )


def _home(client, user=None):
    """GET / as ``user``; the page and the number of queries it took (the session and
    the user are read before the view: they are counted too, the same for every count)."""
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _organiser():
    return make_user(roles=(Role.ORGANISER,))


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_applicant_lists_applications_and_open_calls(client, item_count):
    organiser = _organiser()
    organization = make_us_org("Front Range Energy Cluster", "Colorado", "Clean energy")
    applicant = make_applicant("avery@test.example.org", organization)
    for number in range(item_count):
        call = make_call(organiser, _future_mission(organiser, number), title=f"Call {number}")
        if number == 0:
            make_application(call, applicant, organization)
    page, queries = _home(client, applicant)
    assert "My applications" in page
    assert page.count("/calls/applications/") == min(item_count, 1)
    for number in range(item_count):
        assert f"Call {number}" in page
    assert page.count("You applied") == min(item_count, 1)
    if item_count == 0:
        assert "You have not applied to a call yet" in page
        assert "No call is open right now" in page
    _same_queries("applicant", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_reviewer_lists_reviews_to_do(client, item_count):
    organiser = _organiser()
    reviewer = make_user(roles=(Role.REVIEWER,))
    mission = _future_mission(organiser, 1)
    call = make_call(organiser, mission)
    for number in range(item_count):
        organization = make_us_org(f"Cluster {number}", "Colorado")
        applicant = make_applicant(f"a{number}@test.example.org", organization)
        application = make_application(call, applicant, organization)
        call_services.reviewer_assign(application=application, reviewer=reviewer, by=organiser)
    page, queries = _home(client, reviewer)
    assert "Reviews to do" in page
    section = page[page.index('id="reviews-heading"') :].split("</section>")[0]
    assert section.count("/calls/reviews/") - 1 == item_count  # plus "All my reviews"
    if item_count == 0:
        assert "No review waits for you" in page
    _same_queries("reviewer", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_organiser_lists_missions_calls_and_pending_registrations(client, item_count):
    organiser = _organiser()
    host = make_organization("EnergyVille", country="BE", city="Genk")
    for number in range(item_count):
        mission = _future_mission(organiser, number)
        day = make_day(organiser, mission, mission.start_date.isoformat())
        make_visit(organiser, day, [host], title=f"Visit {number}")
        call = make_call(
            organiser,
            mission,
            title=f"Closed call {number}",
            opens_at=timezone.now() - dt.timedelta(days=20),
            closes_at=timezone.now() + dt.timedelta(minutes=1),
        )
        organization = make_us_org(f"Cluster {number}", "Colorado")
        make_application(
            call, make_applicant(f"a{number}@test.example.org", organization), organization
        )
        call.closes_at = timezone.now() - dt.timedelta(minutes=1)
        call.save(update_fields=["closes_at"])
        event = make_event(organiser, title=f"Roundtable {number}", approval_required=True)
        manager = make_user(roles=(Role.EU_CLUSTER_MANAGER,))
        register(event, manager, make_organization(manager=manager))
    page, queries = _home(client, organiser)
    assert "Missions being planned" in page
    assert page.count("1 visit awaiting its host") == item_count
    assert page.count("1 application in review") == item_count
    assert page.count('/manage/">Roundtable') == item_count
    if item_count == 0:
        assert "No mission of yours is being planned" in page
        assert "No call of yours is in review" in page
        assert "No registration waits for your approval" in page
    _same_queries("organiser", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_cluster_manager_lists_registrations_events_and_organisation(client, item_count):
    organiser = _organiser()
    manager = make_user(roles=(Role.EU_CLUSTER_MANAGER,))
    organization = make_organization("Copenhagen Cleantech Cluster", manager=manager)
    for number in range(item_count):
        event = make_event(organiser, title=f"Roundtable {number}")
        if number == 0:
            register(event, manager, organization)
    page, queries = _home(client, manager)
    assert "My registrations" in page and "Copenhagen Cleantech Cluster" in page
    assert "Profile lacks:" in page
    assert page.count("/events/registrations/") == min(item_count, 1)
    assert page.count("You registered") == min(item_count, 1)
    for number in range(item_count):
        assert f"Roundtable {number}" in page
    _same_queries("manager", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_host_lists_visits_to_confirm(client, item_count):
    organiser = _organiser()
    host_org = make_organization("EnergyVille", country="BE", city="Genk")
    host = make_user(roles=(Role.HOST_CONTACT,))
    membership_add(organization=host_org, user=host, role=Membership.Role.MANAGER)
    mission = _future_mission(organiser, 1)
    day = make_day(organiser, mission, mission.start_date.isoformat())
    for number in range(item_count):
        make_visit(
            organiser,
            day,
            [host_org],
            f"{9 + 2 * number}:00",
            f"{10 + 2 * number}:00",
            title=f"Visit {number}",
        )
    assert ItineraryItem.objects.filter(visit_status="proposed").count() == item_count
    page, queries = _home(client, host)
    assert "Visits to confirm" in page
    for number in range(item_count):
        assert f"Visit {number}" in page
    if item_count == 0:
        assert "No visit waits for your confirmation" in page
    _same_queries("host", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_staff_lists_missions_and_links_reports(client, item_count):
    organiser = _organiser()
    staff = make_user(roles=(Role.STAFF,))
    for number in range(item_count):
        mission = make_mission(organiser, title=f"Old mission {number}")
        mission_services.mission_publish(mission=mission, by=organiser, override_reason="Test.")
    page, queries = _home(client, staff)
    assert 'href="/reports/"' in page
    assert page.count("Old mission") == item_count
    assert page.count(">Past<") == item_count
    _same_queries("staff", queries, item_count)


@pytest.mark.parametrize("item_count", [0, 1, 3])
def test_home_anonymous_sees_what_is_open_and_what_the_portal_is_for(client, item_count):
    organiser = _organiser()
    for number in range(item_count):
        mission = _future_mission(organiser, number)
        mission_services.mission_publish(mission=mission, by=organiser, override_reason="Test.")
        make_call(organiser, mission, title=f"Call {number}")
        make_event(organiser, title=f"Roundtable {number}")
    page, queries = _home(client)
    assert "Business clusters from Europe" in page
    assert "Browse the organisation directory" in page
    for number in range(item_count):
        assert f"Mission {number}" in page
        assert f"Call {number}" in page
        assert f"Roundtable {number}" in page
    _same_queries("anonymous", queries, item_count)


def test_home_person_with_several_roles_sees_each_section(client):
    person = make_user(roles=(Role.ORGANISER, Role.REVIEWER, Role.HOST_CONTACT, Role.STAFF))
    page, _queries = _home(client, person)
    for heading in (
        "Reviews to do",
        "Missions being planned",
        "Visits to confirm",
        "Missions and their documents",
    ):
        assert heading in page


_QUERIES: dict[str, dict[int, int]] = {}


def _same_queries(role: str, queries: int, item_count: int) -> None:
    """1 and 3 items take the same number of queries; 0 items never more (a list that is
    empty skips the query of its rows' details). The parametrized tests run 0, 1, 3 in order
    in one process; run alone, each still checks what it can."""
    seen = _QUERIES.setdefault(role, {})
    seen[item_count] = queries
    if 1 in seen and 3 in seen:
        assert seen[1] == seen[3], (role, seen)
    if 0 in seen and 1 in seen:
        assert seen[0] <= seen[1], (role, seen)


def test_mission_page_links_its_call_event_and_session_and_each_links_back(client):
    from ..matchmaking.factories import make_session

    organiser = _organiser()
    mission = _future_mission(organiser, 1)
    mission_services.mission_publish(mission=mission, by=organiser, override_reason="Test.")
    call = make_call(organiser, mission, title="Live call")
    make_call(organiser, mission, title="Unpublished call", is_published=False)
    event = make_event(organiser, title="Live roundtable", mission=mission)
    session = make_session(organiser, title="Live matchmaking", mission=mission)
    page = client.get(mission.get_absolute_url()).content.decode()
    assert reverse("calls:detail", args=[call.pk]) in page
    assert "Unpublished call" not in page
    assert event.get_absolute_url() in page
    assert session.get_absolute_url() in page
    client.force_login(make_user())  # the session's page asks for a login
    for url in (
        reverse("calls:detail", args=[call.pk]),
        event.get_absolute_url(),
        session.get_absolute_url(),
    ):
        assert mission.get_absolute_url() in client.get(url).content.decode(), url
