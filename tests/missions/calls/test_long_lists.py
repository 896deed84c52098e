"""The ranking and decisions pages show one page of applications; the ranking's check, the
optimal proposal and the decisions batch still cover every application of the call."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common import pagination
from missions.calls import services
from missions.calls.models import Application
from organizations.models import Role
from tests.factories import make_user

from .factories import make_applicant, make_application, make_us_org, score_all

STATES = ["Ohio", "Texas", "Maryland"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)


def build(call, organiser, reviewer, fits: list[int]) -> list[Application]:
    """One scored application per fit, each from its own organisation, in name order."""
    applications = []
    for number, fit in enumerate(fits):
        organization = make_us_org(f"Paged Org {number}", STATES[number], "Clean energy")
        user = make_applicant(f"paged{number}@test.example.org", organization)
        application = make_application(call, user, organization)
        assignment = services.reviewer_assign(
            application=application, reviewer=reviewer, by=organiser
        )
        score_all(assignment, reviewer, fit, 5)
        applications.append(application)
    return applications


def test_ranking_pages_its_rows_in_score_order(
    client, call, organiser, assigned_reviewer, small_pages
):
    low, high, middle = build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": call.pk})

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert [row.application.pk for row in first.context["rows"]] == [high.pk, middle.pk]
    assert [row.application.pk for row in second.context["rows"]] == [low.pk]
    assert "page=2" in first.content.decode()


def test_ranking_keeps_the_selection_made_on_other_pages(
    client, call, organiser, assigned_reviewer, small_pages
):
    low, high, middle = build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": call.pk})

    response = client.get(url, {"selected": [high.pk, low.pk]})

    page = response.content.decode()
    # ``low`` is on page 2: a hidden input carries it when page 1 is checked.
    assert f'<input type="hidden" name="selected" value="{low.pk}">' in page
    assert response.context["chosen_elsewhere"] == [low.pk]
    assert response.context["chosen"] == {high.pk, low.pk}
    assert f"selected={high.pk}&amp;selected={low.pk}&amp;page=2" in page


def test_ranking_proposal_considers_applications_beyond_the_first_page(
    client, call, organiser, assigned_reviewer, small_pages
):
    applications = build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": call.pk})

    response = client.post(url)

    # The call takes 3 delegates, one per organisation: all three, across both pages.
    chosen = client.get(response.url).context["chosen"]
    assert chosen == {a.pk for a in applications}


def test_decisions_page_shows_one_page_of_the_form(
    client, call, organiser, assigned_reviewer, small_pages
):
    build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert [a.organization.name for a, _d, _w in first.context["rows"]] == [
        "Paged Org 0",
        "Paged Org 1",
    ]
    assert [a.organization.name for a, _d, _w in second.context["rows"]] == ["Paged Org 2"]
    assert "page=2" in first.content.decode()


def test_preparing_a_page_keeps_the_other_pages_and_one_waiting_list(
    client, call, organiser, assigned_reviewer, small_pages
):
    first, second, third = build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})
    client.post(
        url,
        {
            "action": "prepare",
            f"d_{first.pk}": "waitlisted",
            f"w_{first.pk}": "1",
            f"d_{second.pk}": "selected",
        },
    )

    response = client.post(url + "?page=2", {"action": "prepare", f"d_{third.pk}": "waitlisted"})

    assert response.status_code == 302
    assert response.url == url + "?page=2"
    stored = {
        a.pk: (a.decision_pending, a.waitlist_rank) for a in Application.objects.filter(call=call)
    }
    assert stored == {
        first.pk: ("waitlisted", 1),
        second.pk: ("selected", None),
        third.pk: ("waitlisted", 2),
    }


def test_the_ranking_selection_is_prepared_across_every_page(
    client, call, organiser, assigned_reviewer, small_pages
):
    first, second, third = build(call, organiser, assigned_reviewer, [1, 5, 3])
    client.force_login(organiser)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})
    page = client.get(url, {"selected": [third.pk]}).content.decode()
    assert 'value="prepare_selection"' in page

    client.post(url, {"action": "prepare_selection", "selected": [third.pk]})

    stored = {
        a.pk: (a.decision_pending, a.waitlist_rank) for a in Application.objects.filter(call=call)
    }
    assert stored == {
        first.pk: ("waitlisted", 1),
        second.pk: ("waitlisted", 2),
        third.pk: ("selected", None),
    }


@pytest.mark.parametrize("selected", [["999999"], ["junk"], [], ["1" * 40]])
def test_a_junk_selection_prepares_nothing(client, call, organiser, assigned_reviewer, selected):
    build(call, organiser, assigned_reviewer, [1, 5])
    client.force_login(organiser)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})

    response = client.post(url, {"action": "prepare_selection", "selected": selected}, follow=True)

    assert "cannot be decided" in response.content.decode()
    assert not Application.objects.exclude(decision_pending="").exists()


def test_a_selection_over_the_limit_prepares_nothing(client, call, organiser, assigned_reviewer):
    applications = build(call, organiser, assigned_reviewer, [1, 5, 3])
    call.max_delegates = 2
    call.save()
    client.force_login(organiser)
    url = reverse("calls:decisions", kwargs={"pk": call.pk})

    response = client.post(
        url,
        {"action": "prepare_selection", "selected": [a.pk for a in applications]},
        follow=True,
    )

    assert "exceeds the call" in response.content.decode()
    assert not Application.objects.exclude(decision_pending="").exists()


def test_only_the_calls_organisers_prepare_a_selection(
    client, call, organiser, assigned_reviewer, mission
):
    (application,) = build(call, organiser, assigned_reviewer, [4])
    url = reverse("calls:decisions", kwargs={"pk": call.pk})
    data = {"action": "prepare_selection", "selected": [application.pk]}

    anonymous = client.post(url, data)
    other = make_user("other-organiser@test.example.org", roles=(Role.ORGANISER,))
    client.force_login(other)
    stranger = client.post(url, data)

    assert anonymous.status_code == 302 and "login" in anonymous.url
    assert stranger.status_code == 404
    assert not Application.objects.exclude(decision_pending="").exists()
    client.force_login(organiser)
    client.post(url, data)
    assert Application.objects.get(pk=application.pk).decision_pending == "selected"
