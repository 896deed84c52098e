"""The directory and profile pages: happy path, permissions, bad input, query counts."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from organizations.models import Organization
from tests.factories import make_organization, make_sector, make_user

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    """The directory's card titles, read off the page (for a reader not signed in, the
    results may come from the cache, with no template context behind them)."""
    return [
        html.unescape(name)
        for name in re.findall(
            r'<li class="card">\s*<h3><a href="[^"]*">([^<]*)</a>', response.content.decode()
        )
    ]


# --- Directory --------------------------------------------------------------------------------


def test_directory_lists_only_validated_organizations(client, sector):
    make_organization("Cluster CLEAN", sectors=(sector,))
    make_organization("Waiting Cluster", validated=False)

    response = client.get(reverse("organizations:list"))

    assert response.status_code == 200
    assert names_on(response) == ["Cluster CLEAN"]
    assert "1 organisation" in response.content.decode()


def test_directory_filters_by_sector_country_region_kind_and_text(client):
    energy, design = make_sector("Clean energy"), make_sector("Design")
    make_organization("House of Energy", sectors=(energy,), country="DK", city="Aalborg")
    make_organization("Lifestyle & Design Cluster", sectors=(design,), country="DK")
    make_organization(
        "Front Range Energy Cluster", sectors=(energy,), country="US", region="Colorado"
    )
    make_organization(
        "EnergyVille",
        sectors=(energy,),
        country="BE",
        kind=Organization.Kind.RESEARCH_INSTITUTE,
    )
    url = reverse("organizations:list")

    assert names_on(client.get(url, {"sector": "clean-energy", "country": "DK"})) == [
        "House of Energy"
    ]
    assert names_on(client.get(url, {"region": "colorado"})) == ["Front Range Energy Cluster"]
    assert names_on(client.get(url, {"kind": "research_institute"})) == ["EnergyVille"]
    assert names_on(client.get(url, {"q": "aalborg"})) == ["House of Energy"]
    assert names_on(client.get(url, {"q": "energy cluster"})) == ["Front Range Energy Cluster"]


def test_directory_text_search_requires_every_word(client):
    make_organization("Front Range Energy Cluster", country="US", region="Colorado")
    make_organization("House of Energy", city="Aalborg")

    response = client.get(reverse("organizations:list"), {"q": "energy colorado"})

    assert names_on(response) == ["Front Range Energy Cluster"]


def test_directory_filters_are_kept_in_pagination_links(client, sector):
    for number in range(26):
        make_organization(f"Cluster {number:02d}", sectors=(sector,))

    response = client.get(reverse("organizations:list"), {"sector": sector.slug, "page": 2})

    assert response.status_code == 200
    assert names_on(response) == ["Cluster 24", "Cluster 25"]
    assert f'href="?sector={sector.slug}&amp;page=1"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sector": "no-such-sector"}, "Filter “Sector” ignored"),
        ({"country": "XX"}, "Filter “Country” ignored"),
        ({"kind": "spaceship"}, "Filter “Kind” ignored"),
        ({"q": "x" * 5000}, "Filter “Search” ignored"),
    ],
)
def test_directory_junk_filter_gives_page_with_message(client, params, message):
    make_organization("Cluster CLEAN")

    response = client.get(reverse("organizations:list"), params)

    assert response.status_code == 200
    assert message in response.content.decode()
    # The invalid filter is ignored, not applied as "match nothing".
    assert names_on(response) == ["Cluster CLEAN"]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1e9", ""])
def test_directory_junk_page_number_gives_a_page(client, page):
    make_organization("Cluster CLEAN")

    response = client.get(reverse("organizations:list"), {"page": page})

    assert response.status_code == 200
    assert names_on(response) == ["Cluster CLEAN"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_directory_query_count_is_constant(client, django_assert_num_queries, item_count):
    sectors = (make_sector("Clean tech"), make_sector("Smart cities"))
    for number in range(item_count):
        make_organization(f"Cluster {number}", sectors=sectors)

    # the tables' version, then (not yet cached) count, page rows, their sectors, sector
    # choices of the filter form
    with django_assert_num_queries(5):
        response = client.get(reverse("organizations:list"), {"country": "DK"})
    assert len(names_on(response)) == item_count

    # cached: the version alone
    with django_assert_num_queries(1):
        again = client.get(reverse("organizations:list"), {"country": "DK"})
    assert again.content == response.content


@pytest.mark.parametrize("item_count", [1, 3])
def test_directory_query_count_is_constant_for_a_signed_in_user(
    client, django_assert_num_queries, item_count, cluster_manager
):
    for number in range(item_count):
        make_organization(f"Cluster {number}", sectors=(make_sector(f"S{number}"),))
    client.force_login(cluster_manager)

    # session, user, the user's roles, count, page rows, sectors, sector choices
    with django_assert_num_queries(7):
        response = client.get(reverse("organizations:list"))

    assert len(names_on(response)) == item_count


# --- Detail -----------------------------------------------------------------------------------


def test_detail_shows_a_validated_organization_to_anyone(client, organization):
    response = client.get(organization.get_absolute_url())

    assert response.status_code == 200
    assert response.context["organization"] == organization
    assert "Clean tech" in response.content.decode()
    assert response.context["can_edit"] is False


def test_detail_of_unvalidated_organization_is_404_for_anonymous_and_strangers(client, other_user):
    pending = make_organization("Waiting Cluster", validated=False)

    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(other_user)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_detail_of_unvalidated_organization_is_visible_to_its_members_and_organisers(
    client, cluster_manager, organiser
):
    pending = make_organization("Waiting Cluster", validated=False, manager=cluster_manager)

    client.force_login(cluster_manager)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200
    assert "not in the public directory" in response.content.decode()
    assert response.context["can_edit"] is True

    client.force_login(organiser)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_validate"] is True


def test_detail_unknown_slug_is_404(client):
    assert client.get(reverse("organizations:detail", args=["nowhere"])).status_code == 404


# --- Edit -------------------------------------------------------------------------------------


def profile_data(**overrides) -> dict:
    data = {
        "name": "Cluster CLEAN",
        "kind": "cluster",
        "country": "DK",
        "region": "Capital Region of Denmark",
        "city": "Copenhagen",
        "street_address": "",
        "latitude": "55.688",
        "longitude": "12.560",
        "website": "https://clean.example.org",
        "description": "Environmental technology cluster.",
        "member_count": "170",
    }
    data.update(overrides)
    return data


def test_edit_anonymous_is_sent_to_login(client, organization):
    response = client.get(reverse("organizations:edit", args=[organization.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_edit_by_a_stranger_is_404(client, organization, other_user):
    client.force_login(other_user)

    assert client.get(reverse("organizations:edit", args=[organization.slug])).status_code == 404
    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), profile_data(name="Hijacked")
    )
    assert response.status_code == 404
    organization.refresh_from_db()
    assert organization.name == "Cluster CLEAN"


def test_edit_by_a_plain_member_is_404(client, organization):
    from organizations.services import membership_add

    member = make_user("member@test.example.org")
    membership_add(organization=organization, user=member)
    client.force_login(member)

    assert client.get(reverse("organizations:edit", args=[organization.slug])).status_code == 404


def test_edit_by_manager_saves_profile_and_sectors(client, organization, cluster_manager):
    energy = make_sector("Clean energy")
    client.force_login(cluster_manager)

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]),
        profile_data(member_count="171", sectors=[energy.pk]),
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.member_count == 171
    assert list(organization.sectors.values_list("name", flat=True)) == ["Clean energy"]
    assert organization.slug == "cluster-clean"


def test_edit_by_organiser_is_allowed(client, organization, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), profile_data(city="Aarhus")
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.city == "Aarhus"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"latitude": "95"}, "Ensure this value is less than or equal to 90"),
        ({"longitude": ""}, "Give both latitude and longitude, or neither."),
        ({"website": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"description": "x" * 5001}, "at most 5000 characters"),
        ({"country": "ZZ"}, "Select a valid choice"),
        ({"member_count": "-3"}, "greater than or equal to 0"),
    ],
)
def test_edit_bad_input_is_refused_and_nothing_changes(
    client, organization, cluster_manager, overrides, message
):
    client.force_login(cluster_manager)

    response = client.post(
        reverse("organizations:edit", args=[organization.slug]), profile_data(**overrides)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    organization.refresh_from_db()
    assert organization.city == "Copenhagen"
    assert organization.member_count is None


# --- Create -----------------------------------------------------------------------------------


def test_create_anonymous_is_sent_to_login(client):
    response = client.get(reverse("organizations:create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_create_makes_a_pending_profile_managed_by_its_creator(client, other_user):
    client.force_login(other_user)

    response = client.post(reverse("organizations:create"), profile_data(name="New Cluster"))

    assert response.status_code == 302
    created = Organization.objects.get(name="New Cluster")
    assert created.validation_state == Organization.ValidationState.PENDING
    assert list(created.memberships.values_list("user__email", "role")) == [
        (other_user.email, "manager")
    ]
    # Not public yet.
    client.logout()
    assert client.get(created.get_absolute_url()).status_code == 404


def test_create_same_name_twice_gets_distinct_slugs(client, other_user):
    client.force_login(other_user)

    client.post(reverse("organizations:create"), profile_data(name="Twin Cluster"))
    client.post(reverse("organizations:create"), profile_data(name="Twin Cluster"))

    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "twin-cluster",
        "twin-cluster-2",
    ]


def test_create_bad_input_stores_nothing(client, other_user):
    client.force_login(other_user)

    response = client.post(reverse("organizations:create"), profile_data(kind="spaceship"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Organization.objects.exists()


# --- Validation queue -------------------------------------------------------------------------


def test_review_queue_anonymous_goes_to_login_and_others_are_forbidden(client, cluster_manager):
    url = reverse("organizations:review")
    response = client.get(url)
    assert response.status_code == 302

    client.force_login(cluster_manager)
    assert client.get(url).status_code == 403


def test_review_queue_lists_pending_profiles_for_organisers(client, organiser):
    make_organization("Validated Cluster")
    make_organization("Waiting Cluster", validated=False)
    client.force_login(organiser)

    response = client.get(reverse("organizations:review"))

    assert response.status_code == 200
    assert [o.name for o in response.context["organizations"]] == ["Waiting Cluster"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_review_queue_query_count_is_constant(
    client, organiser, django_assert_num_queries, item_count
):
    for number in range(item_count):
        make_organization(f"Waiting {number}", validated=False, sectors=(make_sector(),))
    client.force_login(organiser)

    # session, user, roles, rows, sectors
    with django_assert_num_queries(5):
        response = client.get(reverse("organizations:review"))

    assert len(response.context["organizations"]) == item_count


def test_validate_by_organiser_publishes_the_profile(client, organiser, mailoutbox):
    manager = make_user("waiting.manager@test.example.org")
    pending = make_organization("Waiting Cluster", validated=False, manager=manager)
    client.force_login(organiser)

    with pytest.MonkeyPatch.context():
        response = client.post(
            reverse("organizations:validate", args=[pending.slug]), {"decision": "validated"}
        )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.validation_state == "validated"
    assert pending.validated_by == organiser
    client.logout()
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_validate_by_a_manager_of_the_profile_is_404(client, cluster_manager):
    # Policy: a refused permission on an object is a 404 (the review queue itself is a 403).
    pending = make_organization("Waiting Cluster", validated=False, manager=cluster_manager)
    client.force_login(cluster_manager)

    response = client.post(
        reverse("organizations:validate", args=[pending.slug]), {"decision": "validated"}
    )

    assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.validation_state == "pending"


def test_validate_with_junk_decision_changes_nothing(client, organiser):
    pending = make_organization("Waiting Cluster", validated=False)
    client.force_login(organiser)

    response = client.post(
        reverse("organizations:validate", args=[pending.slug]), {"decision": "maybe"}, follow=True
    )

    assert "Choose to validate or to reject the profile." in response.content.decode()
    pending.refresh_from_db()
    assert pending.validation_state == "pending"


def test_validate_get_is_not_allowed(client, organiser):
    pending = make_organization("Waiting Cluster", validated=False)
    client.force_login(organiser)

    assert client.get(reverse("organizations:validate", args=[pending.slug])).status_code == 405


# --- Sectors ----------------------------------------------------------------------------------


def test_sectors_page_permissions(client, cluster_manager, organiser):
    url = reverse("organizations:sectors")
    assert client.get(url).status_code == 302
    client.force_login(cluster_manager)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Robotics"}).status_code == 403
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_organiser_adds_and_renames_a_sector(client, organiser):
    client.force_login(organiser)

    client.post(reverse("organizations:sectors"), {"name": "Robotics"})
    response = client.post(
        reverse("organizations:sector_edit", args=["robotics"]), {"name": "Robotics & AI"}
    )

    assert response.status_code == 302
    from organizations.models import Sector

    assert list(Sector.objects.values_list("name", "slug")) == [("Robotics & AI", "robotics")]


def test_sector_duplicate_or_empty_name_is_refused(client, organiser, sector):
    client.force_login(organiser)

    duplicate = client.post(reverse("organizations:sectors"), {"name": "Clean tech"})
    empty = client.post(reverse("organizations:sectors"), {"name": "   "})

    assert duplicate.status_code == 400
    assert "already exists" in duplicate.content.decode()
    assert empty.status_code == 400
    from organizations.models import Sector

    assert Sector.objects.count() == 1


# --- Own profile ------------------------------------------------------------------------------


def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302


def test_profile_saves_name_and_home_zone(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("profile"), {"full_name": "Avery A.", "home_time_zone": "America/Denver"}
    )

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.home_time_zone) == ("Avery A.", "America/Denver")


@pytest.mark.parametrize("zone", ["CEST", "+01:00", "Mars/Olympus_Mons", ""])
def test_profile_refuses_a_zone_that_is_not_iana(client, applicant, zone):
    client.force_login(applicant)

    response = client.post(reverse("profile"), {"full_name": "X", "home_time_zone": zone})

    assert response.status_code == 400
    applicant.refresh_from_db()
    assert applicant.home_time_zone == "UTC"
