"""An application's reviewer is chosen by typing (``common.autocomplete``): anyone active with
the reviewer role may be chosen, a pool that grows with the user base, so the call has its
own reviewer search endpoint instead of a ``<select>`` of them all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.autocomplete import RESULT_CAP
from missions.calls.models import Call
from organizations.models import Role, User

from ...factories import make_user


def search_url(call: Call) -> str:
    return reverse("calls:reviewer_search", kwargs={"pk": call.pk})


def page_url(application) -> str:
    return reverse(
        "calls:manage_application",
        kwargs={"pk": application.call_id, "application_pk": application.pk},
    )


def values(response) -> list[str]:
    assert response.status_code == 200
    return [result["value"] for result in response.json()["results"]]


def reviewer(email: str, full_name: str = "") -> User:
    return make_user(email, full_name=full_name, roles=(Role.REVIEWER,))


# --- The endpoint ---------------------------------------------------------------------------


def test_search_url_is_under_the_calls_management(call):
    assert search_url(call) == f"/calls/{call.pk}/manage/reviewers/search/"


def test_search_is_for_the_calls_organisers_only(
    client, call, organiser, applicant_a, assigned_reviewer
):
    reviewer("jane.doe@test.example.org", "Jane Doe")
    other_organiser = make_user("other.organiser@test.example.org", roles=(Role.ORGANISER,))

    anonymous = client.get(search_url(call), {"q": "jane"})
    refused = []
    for user in (applicant_a, assigned_reviewer, other_organiser):
        client.force_login(user)
        refused.append(client.get(search_url(call), {"q": "jane"}))
    client.force_login(organiser)
    allowed = client.get(search_url(call), {"q": "jane"})

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert [response.status_code for response in refused] == [404, 404, 404]
    assert all(b"jane" not in response.content for response in refused)
    assert values(allowed) == ["jane.doe@test.example.org"]


def test_search_finds_active_reviewers_only_by_name_or_email(client, call, organiser):
    reviewer("jane.doe@test.example.org", "Jane Doe")
    reviewer("j.smith@test.example.org", "Janet Smith")
    make_user("jane.applicant@test.example.org", full_name="Jane Applicant")
    gone = reviewer("jane.gone@test.example.org", "Jane Gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    client.force_login(organiser)

    response = client.get(search_url(call), {"q": "jan"})

    assert values(response) == ["j.smith@test.example.org", "jane.doe@test.example.org"]
    assert response.json()["results"][1]["label"] == "Jane Doe <jane.doe@test.example.org>"


def test_search_returns_at_most_the_cap(client, call, organiser):
    for number in range(RESULT_CAP + 5):
        reviewer(f"capped{number:02d}@test.example.org", f"Capped Reviewer {number:02d}")
    client.force_login(organiser)

    found = values(client.get(search_url(call), {"q": "capped"}))

    assert len(found) == RESULT_CAP
    assert found[0] == "capped00@test.example.org"


@pytest.mark.parametrize(
    ("query", "status", "answer"),
    [
        ("a", 200, []),
        ("%", 200, []),
        ("x" * 101, 400, "at most 100 characters"),
        ("ab\x00cd", 400, "cannot be typed"),
    ],
)
def test_search_short_or_junk_input(client, call, organiser, query, status, answer):
    reviewer("alpha@test.example.org", "Alpha Reviewer")
    client.force_login(organiser)

    response = client.get(search_url(call), {"q": query})

    assert response.status_code == status
    if status == 200:
        assert response.json()["results"] == answer
    else:
        assert answer in response.json()["error"]


@pytest.mark.parametrize("count", [1, 3])
def test_search_costs_the_same_queries_whatever_it_finds(
    client, call, organiser, count, django_assert_num_queries
):
    for number in range(count):
        reviewer(f"counted{number}@test.example.org", f"Counted Reviewer {number}")
    client.force_login(organiser)
    # Login session, user, their roles, the call among those they manage, the organiser
    # check, then the search: one query, since an email is unique (no shared names to find).
    with django_assert_num_queries(6):
        assert len(values(client.get(search_url(call), {"q": "counted"}))) == count


# --- The application's page: the typed reviewer, resolved on the server -------------------


def test_page_offers_a_text_input_not_a_select_of_reviewers(
    client, organiser, application_a, unassigned_reviewer
):
    client.force_login(organiser)
    html = client.get(page_url(application_a)).content.decode()

    assert '<select name="reviewer"' not in html
    assert f'data-autocomplete="{search_url(application_a.call)}"' in html
    assert 'list="id_reviewer-options"' in html
    assert unassigned_reviewer.email not in html


@pytest.mark.parametrize("count", [1, 3])
def test_page_queries_do_not_grow_with_reviewers(
    client, organiser, application_a, count, django_assert_num_queries
):
    for number in range(count):
        reviewer(f"pool{number}@test.example.org", f"Pool Reviewer {number}")
    client.force_login(organiser)
    with django_assert_num_queries(11):
        assert client.get(page_url(application_a)).status_code == 200


def test_organiser_assigns_a_reviewer_by_typing_their_email(
    client, organiser, application_a, unassigned_reviewer
):
    client.force_login(organiser)

    response = client.post(
        page_url(application_a), {"reviewer": "  UNASSIGNED.Reviewer@test.example.org "}
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(application_a)
    assert [a.reviewer for a in application_a.assignments.all()] == [unassigned_reviewer]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nobody@test.example.org", "No reviewer is called “nobody@test.example.org”"),
        ("applicant.a@test.example.org", "No reviewer is called “applicant.a@test.example.org”"),
        ("Unassigned Reviewer", "No reviewer is called “Unassigned Reviewer”"),
        ("x" * 5000, "That is too long for a name."),
    ],
    ids=["unknown", "not-a-reviewer", "a-name-not-an-email", "oversized"],
)
def test_a_reviewer_not_typed_right_is_a_clear_error(
    client, organiser, application_a, unassigned_reviewer, typed, message
):
    client.force_login(organiser)

    response = client.post(page_url(application_a), {"reviewer": typed})

    assert response.status_code == 400
    (error,) = response.context["form"].errors["reviewer"]
    assert message in error
    assert not application_a.assignments.exists()


def test_an_inactive_reviewer_is_refused(client, organiser, application_a, unassigned_reviewer):
    User.objects.filter(pk=unassigned_reviewer.pk).update(is_active=False)
    client.force_login(organiser)

    response = client.post(page_url(application_a), {"reviewer": unassigned_reviewer.email})

    assert response.status_code == 400
    assert "No reviewer is called" in response.context["form"].errors["reviewer"][0]
    assert not application_a.assignments.exists()
