"""Managers keep their organisation's members; members' addresses stay among them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Membership
from organizations.services import membership_add
from tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def members_url(organization) -> str:
    return reverse("organizations:members", args=[organization.slug])


def roles_of(organization) -> dict[str, str]:
    return dict(organization.memberships.values_list("user__email", "role"))


def test_members_page_anonymous_goes_to_login(client, organization):
    response = client.get(members_url(organization))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_members_page_is_404_for_strangers_and_plain_members(client, organization, other_user):
    member = make_user("member@test.example.org")
    membership_add(organization=organization, user=member)

    for user in (other_user, member):
        client.force_login(user)
        assert client.get(members_url(organization)).status_code == 404
        response = client.post(members_url(organization), {"email": user.email, "role": "manager"})
        assert response.status_code == 404
    assert roles_of(organization)[member.email] == "member"


def test_manager_invites_by_email_and_the_page_lists_the_invitation(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)

    response = client.post(
        members_url(organization), {"email": other_user.email.upper(), "role": "member"}
    )

    assert response.status_code == 302
    # Invited, not added: they join on accepting (tests/organizations/test_invitations.py).
    assert roles_of(organization) == {cluster_manager.email: "manager"}
    page = client.get(members_url(organization)).content.decode()
    assert other_user.email.upper() in page


def test_organiser_can_make_a_member_a_manager(client, organization, organiser, other_user):
    membership_add(organization=organization, user=other_user)
    client.force_login(organiser)

    client.post(members_url(organization), {"email": other_user.email, "role": "manager"})

    assert roles_of(organization)[other_user.email] == "manager"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "role": "member"}, "Enter a valid email address."),
        ({"email": "x" * 250 + "@example.org", "role": "member"}, "at most 254 characters"),
        ({"email": "someone.else@test.example.org", "role": "owner"}, "Select a valid choice"),
    ],
)
def test_adding_bad_input_is_refused_and_nothing_changes(
    client, organization, cluster_manager, other_user, data, message
):
    client.force_login(cluster_manager)

    response = client.post(members_url(organization), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert roles_of(organization) == {cluster_manager.email: "manager"}


def test_last_manager_can_be_neither_demoted_nor_removed(client, organization, cluster_manager):
    client.force_login(cluster_manager)
    membership = organization.memberships.get()

    demote = client.post(
        members_url(organization), {"email": cluster_manager.email, "role": "member"}
    )
    remove = client.post(
        reverse("organizations:member_remove", args=[organization.slug, membership.pk]),
        follow=True,
    )

    assert demote.status_code == 400
    assert "An organisation keeps at least one manager." in demote.content.decode()
    assert "An organisation keeps at least one manager." in remove.content.decode()
    assert roles_of(organization) == {cluster_manager.email: "manager"}


def test_manager_removes_a_member(client, organization, cluster_manager, other_user):
    membership = membership_add(organization=organization, user=other_user)
    client.force_login(cluster_manager)

    response = client.post(
        reverse("organizations:member_remove", args=[organization.slug, membership.pk])
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_membership_of_another_organization_is_404(
    client, organization, cluster_manager
):
    elsewhere = make_organization("Elsewhere")
    foreign = membership_add(organization=elsewhere, user=make_user())
    client.force_login(cluster_manager)

    response = client.post(
        reverse("organizations:member_remove", args=[organization.slug, foreign.pk])
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("item_count", [1, 3])
def test_members_page_query_count_is_constant(
    client, organization, cluster_manager, django_assert_num_queries, item_count
):
    for _number in range(item_count):
        membership_add(organization=organization, user=make_user())
    client.force_login(cluster_manager)

    # session, user, the organisation (scoped to the user), the view's permission check on
    # it (is the user its manager), roles, memberships with their users, open invitations
    with django_assert_num_queries(7):
        response = client.get(members_url(organization))

    assert len(response.context["memberships"]) == item_count + 1
