"""The directory's cached copy (readers not signed in): an edit shows on the very next
request, each query string has its own copy, the words about an ignored filter survive the
cache, and an organisation only its members may see never reaches a cached copy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Organization
from organizations.services import (
    organization_set_validation,
    organization_update,
    sector_rename,
)
from tests.factories import make_organization, make_sector, make_user

from .test_views import names_on

pytestmark = pytest.mark.django_db

URL = reverse("organizations:list")


def test_a_cached_copy_is_served_until_something_changes(client, django_assert_num_queries):
    make_organization("Aalborg Cluster")
    first = client.get(URL)

    with django_assert_num_queries(1):  # the tables' version
        again = client.get(URL)

    assert again.content == first.content
    assert names_on(again) == ["Aalborg Cluster"]


def test_a_profile_edit_shows_on_the_next_request(client, organiser):
    organization = make_organization("Aalborg Cluster")
    assert names_on(client.get(URL)) == ["Aalborg Cluster"]

    organization_update(organization=organization, by=organiser, name="Aalborg Energy Cluster")

    assert names_on(client.get(URL)) == ["Aalborg Energy Cluster"]


def test_a_validated_profile_shows_on_the_next_request(client, organiser):
    """Validation saves three fields only; it bumps ``updated_at`` too, or the directory
    would keep its copy without the new organisation."""
    make_organization("Aalborg Cluster")
    waiting = make_organization("Waiting Cluster", validated=False)
    assert names_on(client.get(URL)) == ["Aalborg Cluster"]

    organization_set_validation(
        organization=waiting, by=organiser, state=Organization.ValidationState.VALIDATED
    )

    assert names_on(client.get(URL)) == ["Aalborg Cluster", "Waiting Cluster"]


def test_sector_changes_show_on_the_next_request(client, organiser):
    energy, design = make_sector("Clean energy"), make_sector("Design")
    organization = make_organization("Aalborg Cluster", sectors=(energy,))
    assert "Clean energy" in client.get(URL).content.decode()

    sector_rename(sector=energy, name="Renewable energy")
    page = client.get(URL).content.decode()
    assert "Renewable energy" in page
    assert "Clean energy" not in page

    organization_update(organization=organization, by=organiser, sectors=[design])
    assert '<ul class="tags" aria-label="Sectors">\n              <li>Design</li>' in (
        client.get(URL).content.decode()
    )


def test_a_removed_organisation_leaves_the_next_page(client):
    make_organization("Aalborg Cluster")
    gone = make_organization("Gone Cluster")
    assert names_on(client.get(URL)) == ["Aalborg Cluster", "Gone Cluster"]

    gone.delete()

    assert names_on(client.get(URL)) == ["Aalborg Cluster"]


def test_each_query_string_has_its_own_copy(client):
    make_organization("Stockholm Cluster", country="SE")
    make_organization("Copenhagen Cluster", country="DK")
    assert names_on(client.get(URL)) == ["Copenhagen Cluster", "Stockholm Cluster"]

    assert names_on(client.get(URL, {"country": "SE"})) == ["Stockholm Cluster"]
    assert names_on(client.get(URL, {"country": "DK"})) == ["Copenhagen Cluster"]
    # An oversized query string is a key like any other (hashed), not an error.
    assert client.get(URL, {"q": "x" * 5000}).status_code == 200


def test_the_words_about_an_ignored_filter_survive_the_cache(client):
    make_organization("Aalborg Cluster")
    for _attempt in range(2):  # built, then from the cache
        page = client.get(URL, {"sector": "no-such-sector"}).content.decode()
        assert "Filter “Sector” ignored" in page
        assert "Aalborg Cluster" in page


def test_a_members_own_waiting_profile_never_reaches_the_cached_copy(client):
    manager = make_user("waiting.manager@test.example.org")
    make_organization("Aalborg Cluster")
    make_organization("Waiting Cluster", validated=False, manager=manager)

    # The member first: their page is rendered afresh, and not kept for others.
    client.force_login(manager)
    assert names_on(client.get(URL)) == ["Aalborg Cluster", "Waiting Cluster"]
    client.logout()
    assert names_on(client.get(URL)) == ["Aalborg Cluster"]

    # A copy cached for readers not signed in is not served to the member, and their profile
    # is marked as not yet public.
    client.force_login(manager)
    response = client.get(URL)
    assert names_on(response) == ["Aalborg Cluster", "Waiting Cluster"]
    assert response.content.decode().count("Awaiting validation</span>") == 1
