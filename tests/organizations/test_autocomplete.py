"""The organisation and people search endpoints behind the autocomplete inputs, and the
fields that resolve a typed name (``common.autocomplete``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.autocomplete import RESULT_CAP
from missions.forms import DelegationMemberForm
from organizations.models import Role
from tests.factories import make_organization, make_user

SEARCH = "/organisations/search/"
PEOPLE = "/organisations/people/search/"


def values(response) -> list[str]:
    assert response.status_code == 200
    return [result["value"] for result in response.json()["results"]]


def test_urls_are_the_documented_ones():
    assert reverse("organizations:search") == SEARCH
    assert reverse("organizations:people_search") == PEOPLE


def test_search_finds_validated_organisations_by_name_or_city(client, db):
    make_organization("Lumen Cluster", city="Aarhus")
    make_organization("Aarhus Robotics", city="Odense")
    make_organization("Other", city="Oslo")

    response = client.get(SEARCH, {"q": "aarhus"})

    assert values(response) == ["Aarhus Robotics", "Lumen Cluster"]
    assert response.json()["results"][1]["label"] == "Lumen Cluster (Aarhus, Denmark)"


def test_search_never_shows_a_pending_organisation_to_those_who_may_not_see_it(client, db):
    member = make_user("member@test.example.org")
    make_organization("Hidden Pending Cluster", validated=False, manager=member)
    make_organization("Hidden Visible Cluster")
    stranger = make_user("stranger@test.example.org")
    organiser = make_user("organiser@test.example.org", roles=(Role.ORGANISER,))

    anonymous = values(client.get(SEARCH, {"q": "hidden"}))
    client.force_login(stranger)
    as_stranger = values(client.get(SEARCH, {"q": "hidden"}))
    client.force_login(member)
    as_member = values(client.get(SEARCH, {"q": "hidden"}))
    client.force_login(organiser)
    as_organiser = values(client.get(SEARCH, {"q": "hidden"}))

    assert anonymous == as_stranger == ["Hidden Visible Cluster"]
    assert as_member == as_organiser == ["Hidden Pending Cluster", "Hidden Visible Cluster"]


def test_search_does_not_reveal_a_hidden_namesake(client, db):
    """A visible organisation sharing its name with a pending one is not numbered for those
    who cannot see the pending one (the number would tell them it exists)."""
    make_organization("Twin Cluster", validated=False)
    visible = make_organization("Twin Cluster")
    organiser = make_user("organiser@test.example.org", roles=(Role.ORGANISER,))

    assert values(client.get(SEARCH, {"q": "twin"})) == ["Twin Cluster"]
    client.force_login(organiser)
    numbered = values(client.get(SEARCH, {"q": "twin"}))
    assert len(numbered) == 2 and f"Twin Cluster #{visible.pk}" in numbered


def test_search_returns_at_most_the_cap(client, db):
    for number in range(RESULT_CAP + 5):
        make_organization(f"Capped Cluster {number:02d}")

    found = values(client.get(SEARCH, {"q": "capped"}))

    assert len(found) == RESULT_CAP
    assert found[0] == "Capped Cluster 00"


@pytest.mark.parametrize("query", ["", "a", " ", "%", "_"])
def test_search_too_short_answers_an_empty_list(client, db, query):
    make_organization("Alpha")
    assert values(client.get(SEARCH, {"q": query})) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [("x" * 101, "at most 100 characters"), ("ab\x00cd", "cannot be typed"), ("a\nb", "cannot")],
)
def test_search_junk_is_refused_in_words(client, db, query, message):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_search_treats_wildcards_as_letters(client, db):
    make_organization("Alpha")
    assert values(client.get(SEARCH, {"q": "%%"})) == []


@pytest.mark.parametrize("count", [1, 3])
def test_search_costs_the_same_queries_whatever_it_finds(
    client, db, count, django_assert_num_queries
):
    for number in range(count):
        make_organization(f"Counted Cluster {number}")
    with django_assert_num_queries(2):
        assert len(values(client.get(SEARCH, {"q": "counted"}))) == count


def test_people_search_is_for_organisers_only(client, db):
    make_user("jane.doe@test.example.org", full_name="Jane Doe")
    applicant = make_user("applicant@test.example.org")

    anonymous = client.get(PEOPLE, {"q": "jane"})
    client.force_login(applicant)
    forbidden = client.get(PEOPLE, {"q": "jane"})

    assert anonymous.status_code == 302 and "login" in anonymous.url
    assert forbidden.status_code == 403
    assert b"jane" not in forbidden.content


def test_people_search_finds_active_accounts_by_name_or_email(client, db):
    make_user("jane.doe@test.example.org", full_name="Jane Doe")
    make_user("j.smith@test.example.org", full_name="Janet Smith")
    gone = make_user("jane.gone@test.example.org", full_name="Jane Gone")
    gone.is_active = False
    gone.save()
    organiser = make_user("organiser@test.example.org", roles=(Role.ORGANISER,))
    client.force_login(organiser)

    response = client.get(PEOPLE, {"q": "jan"})

    assert values(response) == ["j.smith@test.example.org", "jane.doe@test.example.org"]
    assert response.json()["results"][1]["label"] == "Jane Doe <jane.doe@test.example.org>"
    assert client.get(PEOPLE, {"q": "y" * 500}).status_code == 400


# --- The field: the typed name is resolved on the server --------------------------------


def member_form(organization_text: str) -> DelegationMemberForm:
    return DelegationMemberForm(
        {"email": "nobody@test.example.org", "organization": organization_text, "role": "delegate"}
    )


def test_a_typed_name_resolves_case_and_spaces_aside(db):
    organization = make_organization("Clean Tech Delta")
    form = member_form("  clean  tech DELTA ")
    form.is_valid()
    assert form.cleaned_data["organization"] == organization


@pytest.mark.parametrize("text", ["Nothing Like It", "x" * 5000, "Pending Cluster"])
def test_an_unknown_or_invisible_name_is_a_clear_error(db, text):
    make_organization("Pending Cluster", validated=False)
    form = member_form(text)
    assert not form.is_valid()
    (error,) = form.errors["organization"]
    assert "choose one of the suggestions" in error or "too long" in error


def test_a_shared_name_asks_for_the_number_and_then_resolves(db):
    first = make_organization("Twin Cluster", city="Aarhus")
    second = make_organization("Twin Cluster", city="Odense")

    ambiguous = member_form("Twin Cluster")
    numbered = member_form(f"Twin Cluster #{second.pk}")
    wrong_number = member_form(f"Other Name #{second.pk}")

    assert not ambiguous.is_valid()
    assert ambiguous.errors["organization"] == [
        f"More than one is called “Twin Cluster”; type one of “Twin Cluster #{first.pk}”, "
        f"“Twin Cluster #{second.pk}”."
    ]
    numbered.is_valid()
    assert numbered.cleaned_data["organization"] == second
    assert not wrong_number.is_valid()


def test_the_widget_is_a_text_input_with_suggestions_not_a_select(db):
    make_organization("Listed Cluster")
    html = str(DelegationMemberForm()["organization"])
    assert "<select" not in html
    assert 'data-autocomplete="/organisations/search/"' in html
    assert 'list="id_organization-options"' in html
    assert "Listed Cluster" not in html
