"""The reviewer filter of a call's applications (``ApplicationFilter.reviewer``) offers the
people assigned in that call, not every account with the reviewer role: the role is
site-wide and grows with the user base, a call's panel does not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.calls import services
from missions.calls.models import Application, Call
from organizations.models import Role, User

from ...factories import make_user
from .factories import make_applicant, make_application, make_call, make_us_org


def manage_url(call: Call) -> str:
    return reverse("calls:manage", kwargs={"pk": call.pk})


def reviewer(email: str, full_name: str = "") -> User:
    user = make_user(email, full_name=full_name, roles=(Role.REVIEWER,))
    if not full_name:
        # make_user names everyone; a person may have no name, and is then shown by email.
        User.objects.filter(pk=user.pk).update(full_name="")
        user.refresh_from_db()
    return user


def assign(application: Application, person: User, organiser: User) -> None:
    services.reviewer_assign(application=application, reviewer=person, by=organiser)


def deactivate(person: User) -> None:
    User.objects.filter(pk=person.pk).update(is_active=False)


def reviewer_choices(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    field = response.context["filter"].form.fields["reviewer"]
    return [(str(value), str(label)) for value, label in field.choices if value != ""]


def listed(response) -> list[int]:
    return [application.pk for application in response.context["applications"]]


@pytest.fixture
def other_call(organiser, mission):
    return make_call(organiser, mission, title="Second call")


@pytest.fixture
def panel(call, other_call, organiser, application_a, application_b, unassigned_reviewer):
    """Two reviewers on each application of ``call`` (one of them since deactivated, one
    without a name), and a reviewer assigned only in ``other_call``; ``unassigned_reviewer``
    and an inactive reviewer are assigned nowhere."""
    carla = reviewer("carla@test.example.org", "Carla Jones")
    bruno = reviewer("bruno@test.example.org", "bruno Meyer")
    anna = reviewer("anna@test.example.org", "Anna Old")
    dora = reviewer("dora@test.example.org")
    elsewhere = reviewer("aaron@test.example.org", "Aaron Elsewhere")
    idle = reviewer("idle@test.example.org", "Abe Idle")
    deactivate(idle)
    assign(application_a, carla, organiser)
    assign(application_a, anna, organiser)
    assign(application_b, bruno, organiser)
    assign(application_b, dora, organiser)
    deactivate(anna)
    organization = make_us_org("Buckeye Cluster", "Ohio", "Clean energy")
    applicant = make_applicant("applicant.c@test.example.org", organization)
    assign(make_application(other_call, applicant, organization), elsewhere, organiser)
    return {
        "carla": carla,
        "bruno": bruno,
        "anna": anna,
        "dora": dora,
        "elsewhere": elsewhere,
        "idle": idle,
        "unassigned": unassigned_reviewer,
    }


# --- The choices ----------------------------------------------------------------------------


def test_reviewer_choices_are_the_calls_assigned_reviewers_by_name(client, call, organiser, panel):
    client.force_login(organiser)

    response = client.get(manage_url(call))

    # Inactive Anna stays: her assignment still shows in the list, so one may filter by it.
    # Ordered by the name shown, case aside; Dora has no name and is shown by her email.
    assert reviewer_choices(response) == [
        (str(panel["anna"].pk), "Anna Old"),
        (str(panel["bruno"].pk), "bruno Meyer"),
        (str(panel["carla"].pk), "Carla Jones"),
        (str(panel["dora"].pk), "dora@test.example.org"),
    ]
    page = response.content.decode()
    assert f'<option value="{panel["carla"].pk}">Carla Jones</option>' in page
    for name in ("Aaron Elsewhere", "Abe Idle", panel["unassigned"].email):
        assert name not in page


def test_reviewer_choices_of_a_call_without_assignments_are_empty(
    client, call, organiser, application_a, assigned_reviewer, unassigned_reviewer
):
    client.force_login(organiser)

    assert reviewer_choices(client.get(manage_url(call))) == []


def test_ranking_offers_the_same_reviewer_choices(client, call, organiser, panel):
    client.force_login(organiser)

    page = client.get(reverse("calls:ranking", kwargs={"pk": call.pk})).content.decode()

    assert f'<option value="{panel["bruno"].pk}">bruno Meyer</option>' in page
    assert f'<option value="{panel["elsewhere"].pk}">' not in page
    assert f'<option value="{panel["unassigned"].pk}">' not in page


# --- Filtering ------------------------------------------------------------------------------


def test_filter_by_reviewer_narrows_the_list(
    client, call, organiser, panel, application_a, application_b
):
    client.force_login(organiser)

    by_bruno = client.get(manage_url(call), {"reviewer": panel["bruno"].pk})
    by_anna = client.get(manage_url(call), {"reviewer": panel["anna"].pk})

    assert listed(by_bruno) == [application_b.pk]
    assert listed(by_anna) == [application_a.pk]
    assert "Some filters were ignored" not in by_bruno.content.decode()
    assert f'<option value="{panel["bruno"].pk}" selected>' in by_bruno.content.decode()


@pytest.mark.parametrize(
    "value", ["elsewhere", "unassigned", "idle", "abc", "9" * 30, "-1", "9" * 5000]
)
def test_reviewer_outside_the_call_or_junk_is_a_form_error(
    client, call, organiser, panel, application_a, application_b, value
):
    client.force_login(organiser)
    given = str(panel[value].pk) if value in panel else value

    response = client.get(manage_url(call), {"reviewer": given})

    assert response.status_code == 200
    form = response.context["filter"].form
    assert list(form.errors) == ["reviewer"]
    assert "Select a valid choice" in form.errors["reviewer"][0]
    page = response.content.decode()
    assert "Filter “Reviewer” ignored: Select a valid choice." in page
    assert '<p class="error" role="alert">Select a valid choice.' in page
    # Not filtered by junk: the whole list, as without the filter.
    assert listed(response) == [application_a.pk, application_b.pk]


# --- Permissions ----------------------------------------------------------------------------


def test_ranking_leaves_a_junk_filter_out_in_words_and_applies_the_others(
    client, call, organiser, panel, application_a, application_b
):
    client.force_login(organiser)
    url = reverse("calls:ranking", kwargs={"pk": call.pk})

    response = client.get(url, {"reviewer": panel["bruno"].pk, "status": "no-such-status"})

    assert "Filter “Status” ignored:" in response.content.decode()
    assert [row.application.pk for row in response.context["rows"]] == [application_b.pk]
    assert response.context["filters"] == {"reviewer": str(panel["bruno"].pk)}


def test_reviewer_filter_keeps_the_pages_permissions(client, call, organiser, panel):
    url = manage_url(call)
    query = {"reviewer": panel["carla"].pk}
    other_organiser = make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))

    anonymous = client.get(url, query)
    refused = []
    for user in (other_organiser, panel["carla"]):
        client.force_login(user)
        refused.append(client.get(url, query))
    client.force_login(organiser)
    allowed = client.get(url, query)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert [response.status_code for response in refused] == [404, 404]
    assert all(b"Carla Jones" not in response.content for response in refused)
    assert allowed.status_code == 200


# --- Query count ----------------------------------------------------------------------------


def build(for_call: Call, organiser: User, count: int, prefix: str) -> User:
    """``count`` applications of ``for_call``, each with a reviewer of its own; returns the
    first reviewer."""
    states = ["Ohio", "Texas", "Maryland"]
    reviewers = []
    for number in range(count):
        organization = make_us_org(f"Filter Org {prefix}{number}", states[number], "Clean energy")
        applicant = make_applicant(f"filter{prefix}{number}@test.example.org", organization)
        application = make_application(for_call, applicant, organization)
        reviewers.append(reviewer(f"panel{prefix}{number}@test.example.org", f"Panel {number}"))
        assign(application, reviewers[-1], organiser)
    return reviewers[0]


def count_queries(client, url: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("filtered", [False, True])
def test_same_query_count_for_1_and_3_applications_and_reviewers(
    client, call, other_call, organiser, filtered, django_assert_num_queries
):
    first = build(call, organiser, 1, "a")
    second = build(other_call, organiser, 3, "b")
    client.force_login(organiser)
    one = count_queries(client, manage_url(call), {"reviewer": first.pk} if filtered else {})

    with django_assert_num_queries(one):
        response = client.get(manage_url(other_call), {"reviewer": second.pk} if filtered else {})

    assert len(reviewer_choices(response)) == 3
    assert len(response.context["applications"]) == (1 if filtered else 3)
