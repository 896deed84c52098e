"""The design system on rendered pages: key figures as summary cards, and empty lists that say
what to do next (the reader's next step only where they may take it)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from matchmaking.models import Meeting, ScheduleRun
from organizations.models import Role
from tests.factories import make_user
from tests.matchmaking.factories import accept, make_participant, make_session, send
from tests.missions.calls.factories import make_applicant, make_application, make_call, make_us_org
from tests.missions.factories import make_day, make_mission
from tests.missions.factories import make_session as make_itinerary_session

STAT_CARD = re.compile(
    r'<li class="stat-card[^"]*"><span class="stat-value">(.*?)</span>\s*'
    r'<span class="stat-label">(.*?)</span></li>',
    re.DOTALL,
)
EMPTY_STATE = re.compile(r'<(td|p|li)[^>]*class="empty-state"[^>]*>(.*?)</\1>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def stat_cards(page: str) -> dict[str, str]:
    """The summary cards of ``page``: label → value, as the reader sees them."""
    return {html.unescape(label): html.unescape(value) for value, label in STAT_CARD.findall(page)}


def empty_states(page: str) -> list[str]:
    """The text of every empty state on ``page``, tags removed, whitespace collapsed."""
    texts = (html.unescape(TAG.sub("", text)) for _tag, text in EMPTY_STATE.findall(page))
    return [" ".join(text.split()) for text in texts]


@pytest.fixture
def mission(organiser):
    return make_mission(organiser)


@pytest.fixture
def call(organiser, mission):
    return make_call(organiser, mission)


def test_applications_page_counts_each_status_on_a_card(client, organiser, call):
    for name, state in (("Front Range Energy Cluster", "Colorado"), ("Lone Star", "Texas")):
        organization = make_us_org(name, state, "Clean energy")
        applicant = make_applicant(f"{state.lower()}@test.example.org", organization)
        make_application(call, applicant, organization)
    drafting = make_us_org("Draft Cluster", "Ohio", "Clean energy")
    make_application(
        call, make_applicant("ohio@test.example.org", drafting), drafting, submit=False
    )
    client.force_login(organiser)

    page = client.get(reverse("calls:manage", kwargs={"pk": call.pk})).content.decode()

    assert stat_cards(page) == {"Draft": "1", "Submitted": "2"}
    assert empty_states(page) == []


def test_applications_page_without_applications_says_so_and_shows_no_cards(client, organiser, call):
    client.force_login(organiser)
    url = reverse("calls:manage", kwargs={"pk": call.pk})

    page = client.get(url).content.decode()
    filtered = client.get(url, {"status": "withdrawn"}).content.decode()

    assert 'class="stat-cards"' not in page
    assert empty_states(page) == [
        "No application has been submitted yet. "
        "Applications appear here once applicants submit them."
    ]
    assert empty_states(filtered) == [
        "No application matches these filters. Show every application"
    ]
    assert f'<a href="{url}">' in filtered


def test_ranking_and_decisions_show_their_limits_and_counts_as_cards(client, organiser, call):
    organization = make_us_org("Front Range Energy Cluster", "Colorado", "Clean energy")
    make_application(call, make_applicant("co@test.example.org", organization), organization)
    client.force_login(organiser)

    ranking = client.get(reverse("calls:ranking", kwargs={"pk": call.pk})).content.decode()
    decisions = client.get(reverse("calls:decisions", kwargs={"pk": call.pk})).content.decode()

    assert stat_cards(ranking) == {
        "Places in the delegation": "3",
        "At most per organisation": "1",
        "Applications ranked": "1",
    }
    assert 'class="num">' in ranking  # the scores are aligned as numbers
    assert stat_cards(decisions) == {
        "Awaiting a decision": "1",
        "Decisions prepared, not sent": "0",
    }


def test_plan_shows_the_missions_figures_and_an_empty_day_says_what_to_add(
    client, organiser, mission
):
    planned = make_day(organiser, mission, "2018-11-06")
    make_itinerary_session(organiser, planned)
    make_day(organiser, mission, "2018-11-07")
    client.force_login(organiser)

    response = client.get(reverse("missions:plan", kwargs={"slug": mission.slug}))
    page = response.content.decode()

    assert stat_cards(page) == {
        "Days": "2",
        "Itinerary items": "1",
        "Delegates": "0",
        "Planner warnings": str(len(response.context["warnings"])),
    }
    assert empty_states(page) == [
        "Nothing planned yet. Add a visit, meeting or travel leg with the links above.",
        "Nobody is in the delegation yet.",
    ]


def test_an_empty_mission_list_offers_a_new_mission_only_to_who_may_plan_one(client, organiser):
    url = reverse("missions:list")

    anonymous = client.get(url).content.decode()
    client.force_login(make_user("delegate@test.example.org", roles=(Role.US_APPLICANT,)))
    delegate = client.get(url).content.decode()
    client.force_login(organiser)
    planner = client.get(url).content.decode()

    assert empty_states(anonymous) == ["No mission is published yet."]
    assert empty_states(delegate) == ["No mission is published yet."]
    assert empty_states(planner) == ["No mission is published yet. Plan a new mission"]
    assert f'href="{reverse("missions:create")}"' in planner.split('class="empty-state"')[1]


def test_matchmaking_dashboard_shows_its_figures_as_cards_and_the_desk_what_to_do(
    client, organiser
):
    session = make_session(organiser, title="EU-US cluster matchmaking")
    alice = make_participant(session, make_user("alice@test.example.org"), side="eu")
    bob = make_participant(session, make_user("bob@test.example.org"), side="us")
    carol = make_participant(session, make_user("carol@test.example.org"), side="us")
    accept(send(alice, bob))
    send(alice, carol)
    client.force_login(organiser)

    dashboard = client.get(reverse("matchmaking:dashboard", kwargs={"slug": session.slug}))
    desk = client.get(reverse("matchmaking:desk", kwargs={"slug": session.slug}))

    assert stat_cards(dashboard.content.decode()) == {
        "Participants": "3",
        "Requests sent": "2",
        "Accepted": "1",
        "Declined": "0",
        "Expired": "0",
        "Meetings scheduled": "0",
        "Meetings held": "0",
        "No-shows": "0",
        "Outcomes recorded": "0",
        "MoUs / agreements signed": "0 / 0",
    }
    # A figure takes its colour once it is above zero: no red card for no refusals.
    assert (
        '<li class="stat-card tone-success"><span class="stat-value">1</span> '
        '<span class="stat-label">Accepted</span>' in dashboard.content.decode()
    )
    assert (
        '<li class="stat-card"><span class="stat-value">0</span> '
        '<span class="stat-label">Declined</span>' in dashboard.content.decode()
    )
    assert Meeting.objects.filter(session=session, slot__isnull=True).count() == 1
    schedule = reverse("matchmaking:schedule", kwargs={"slug": session.slug})
    assert empty_states(desk.content.decode()) == [
        "No meeting is placed yet. Schedule the meetings"
    ]
    assert f'<a href="{schedule}">' in desk.content.decode()


def test_the_dashboard_stays_closed_to_a_participant(client, organiser):
    session = make_session(organiser)
    alice = make_participant(session, make_user("alice@test.example.org"), side="eu")
    client.force_login(alice.user)

    response = client.get(reverse("matchmaking:dashboard", kwargs={"slug": session.slug}))

    assert response.status_code == 404


def _placed_meetings(session, count: int, prefix: str) -> None:
    """``count`` accepted requests, each meeting placed in a slot of its own at a table."""
    slots, table = list(session.slots.order_by("starts_at")), session.tables.first()
    for number in range(count):
        eu = make_participant(session, make_user(f"{prefix}{number}.eu@test.example.org"))
        us = make_participant(
            session, make_user(f"{prefix}{number}.us@test.example.org"), side="us"
        )
        request = accept(send(eu, us))
        Meeting.objects.filter(request=request).update(
            slot=slots[number], table=table, status=Meeting.Status.SCHEDULED
        )


@pytest.mark.parametrize(
    "view_name, marker",
    [
        ("dashboard", '<td class="num">1 / 3</td>'),  # a slot with one of its three tables used
        ("desk", 'name="status" value="held"'),
        ("schedule", "Place or lock"),
    ],
)
def test_organiser_pages_with_cards_cost_the_same_for_1_and_3_meetings(
    client, organiser, view_name, marker, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = make_session(organiser), make_session(organiser)
    _placed_meetings(small, 1, "s")
    _placed_meetings(large, 3, "l")
    client.force_login(organiser)
    client.get(reverse(f"matchmaking:{view_name}", kwargs={"slug": small.slug}))  # warm caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(f"matchmaking:{view_name}", kwargs={"slug": small.slug}))

    with django_assert_num_queries(len(one)):
        page = client.get(reverse(f"matchmaking:{view_name}", kwargs={"slug": large.slug}))

    assert page.content.decode().count(marker) == 3


def test_a_new_programmes_figures_are_cards_of_zero_and_say_what_counts(client, organiser):
    from tests.programmes.factories import make_programme

    programme = make_programme(organiser)

    page = client.get(reverse("programmes:figures", kwargs={"slug": programme.slug}))

    assert stat_cards(page.content.decode()) == {
        "Events held": "0",
        "Event participants": "0",
        "Missions": "0",
        "Delegates": "0",
        "Organisations met": "0",
        "Matchmaking meetings held": "0",
        "Verified outcomes": "0",
    }
    assert empty_states(page.content.decode()) == [
        "Nothing verified yet: outcomes count here once staff verify them."
    ]


# The schedule page's "Requests left out": schedule.js draws its items from <template>s the
# page renders, so a list redrawn after a run matches the list the server renders on reload.

UNPLACED_LIST = re.compile(r'<ul data-field="unplaced">\s*(.*?)\s*</ul>', re.DOTALL)


def template(page: str, name: str) -> str:
    match = re.search(rf'<template data-template="{name}">(.*?)</template>', page, re.DOTALL)
    assert match, name
    return match.group(1)


def test_the_schedule_scripts_items_are_the_servers_items(client, organiser):
    session = make_session(organiser)
    client.force_login(organiser)
    url = reverse("matchmaking:schedule", kwargs={"slug": session.slug})
    ScheduleRun.objects.create(session=session, status=ScheduleRun.Status.DONE, progress=100)
    empty = client.get(url).content.decode()
    ScheduleRun.objects.create(
        session=session,
        status=ScheduleRun.Status.DONE,
        progress=100,
        unplaced={"7": "No free slot that suits both <sides>"},
    )
    one_left_out = client.get(url).content.decode()

    filled = template(one_left_out, "unplaced-item").replace("{request}", "7")
    filled = filled.replace("{reason}", html.escape("No free slot that suits both <sides>"))

    assert UNPLACED_LIST.search(empty).group(1) == '<li class="empty-state">None.</li>'
    assert template(empty, "unplaced-none") == '<li class="empty-state">None.</li>'
    assert UNPLACED_LIST.search(one_left_out).group(1) == filled
    assert filled == "<li>Request 7: No free slot that suits both &lt;sides&gt;</li>"
