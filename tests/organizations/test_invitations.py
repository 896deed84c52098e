"""Nobody joins an organisation without saying yes: managers invite an address, the person
accepts. The answer is the same whether or not the address has an account, and a manager
may send only so many invitations an hour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizations import models
from organizations.models import Membership, Role
from tests.conftest import outbox_cleared, wait_for
from tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def members_url(organization) -> str:
    return reverse("organizations:members", args=[organization.slug])


def roles_of(organization) -> dict[str, str]:
    return dict(organization.memberships.values_list("user__email", "role"))


def _invite(client, organization, email, role="member"):
    return client.post(members_url(organization), {"email": email, "role": role})


def _messages(response) -> list[str]:
    """The messages shown on ``response``'s page."""
    return [str(message) for message in response.context["messages"]]


def test_an_invited_person_is_not_a_member_until_they_accept(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)

    response = _invite(client, organization, other_user.email.upper())

    assert response.status_code == 302
    assert roles_of(organization) == {cluster_manager.email: "manager"}

    client.force_login(other_user)
    page = client.get(reverse("organizations:invitations"))
    assert page.status_code == 200
    assert "Cluster CLEAN" in page.content.decode()
    [invitation] = page.context["invitations"]
    accept = client.post(reverse("organizations:invitation_accept", args=[invitation.token]))

    assert accept.status_code == 302
    assert roles_of(organization) == {cluster_manager.email: "manager", other_user.email: "member"}
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.invited_by == cluster_manager


def test_a_site_admin_cannot_be_added_silently(client, organization, cluster_manager):
    admin = make_user("admin@test.example.org", roles=(Role.SITE_ADMIN,))
    client.force_login(cluster_manager)

    _invite(client, organization, admin.email, role="manager")

    assert admin.email not in roles_of(organization)
    assert not Membership.objects.filter(user=admin).exists()


def test_the_answer_is_the_same_with_or_without_an_account(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)

    known = _invite(client, organization, other_user.email)
    known_messages = _messages(client.get(known.url))
    unknown = _invite(client, organization, "nobody@test.example.org")
    unknown_messages = _messages(client.get(unknown.url))

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert [m.replace(other_user.email, "X") for m in known_messages] == [
        m.replace("nobody@test.example.org", "X") for m in unknown_messages
    ]
    assert known_messages == [f"{other_user.email} is invited as member and joins on accepting."]
    page = client.get(members_url(organization)).content.decode()
    assert other_user.email in page and "nobody@test.example.org" in page


def test_invitation_email_goes_to_the_address_once_after_commit(
    task_worker, organization, cluster_manager
):
    from organizations.services import invitation_create
    from organizations.tasks import task_invitation_send

    outbox_cleared()
    invitation = invitation_create(
        organization=organization,
        by=cluster_manager,
        email="new.person@test.example.org",
        role=Membership.Role.MEMBER,
    )

    assert wait_for(lambda: len(mail.outbox) == 1)
    task_invitation_send.apply(kwargs={"invitation_id": invitation.pk})
    [message] = mail.outbox
    assert message.to == ["new.person@test.example.org"]
    assert message.subject == "Invitation to join Cluster CLEAN"
    assert "/organisations/invitations/" in message.body


def test_someone_else_cannot_see_or_accept_an_invitation(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)
    _invite(client, organization, other_user.email)
    invitation = models.Invitation.objects.get()
    intruder = make_user("intruder@test.example.org", roles=(Role.SITE_ADMIN,))

    client.force_login(intruder)
    listed = client.get(reverse("organizations:invitations")).context["invitations"]
    accept = client.post(reverse("organizations:invitation_accept", args=[invitation.token]))
    decline = client.post(reverse("organizations:invitation_decline", args=[invitation.token]))

    assert list(listed) == []
    assert (accept.status_code, decline.status_code) == (404, 404)
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.declined_at) == (None, None)
    assert intruder.email not in roles_of(organization)


def test_invitations_page_anonymous_goes_to_login(client):
    response = client.get(reverse("organizations:invitations"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_declining_adds_nobody(client, organization, cluster_manager, other_user):
    client.force_login(cluster_manager)
    _invite(client, organization, other_user.email)
    invitation = models.Invitation.objects.get()

    client.force_login(other_user)
    response = client.post(reverse("organizations:invitation_decline", args=[invitation.token]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert other_user.email not in roles_of(organization)
    accept = client.post(
        reverse("organizations:invitation_accept", args=[invitation.token]), follow=True
    )
    assert accept.status_code == 404


def test_an_expired_invitation_cannot_be_accepted(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)
    _invite(client, organization, other_user.email)
    models.Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    invitation = models.Invitation.objects.get()

    client.force_login(other_user)
    response = client.post(reverse("organizations:invitation_accept", args=[invitation.token]))

    assert response.status_code == 404
    assert other_user.email not in roles_of(organization)


def test_inviting_again_renews_the_one_pending_invitation(
    client, organization, cluster_manager, other_user
):
    client.force_login(cluster_manager)
    _invite(client, organization, other_user.email)
    _invite(client, organization, other_user.email, role="manager")

    [invitation] = models.Invitation.objects.all()
    assert invitation.role == "manager"


def test_a_member_role_changes_without_an_invitation(
    client, organization, cluster_manager, other_user
):
    from organizations.services import membership_add

    membership_add(organization=organization, user=other_user)
    client.force_login(cluster_manager)

    _invite(client, organization, other_user.email, role="manager")

    assert roles_of(organization)[other_user.email] == "manager"
    assert not models.Invitation.objects.exists()


def test_a_manager_may_send_only_so_many_invitations_an_hour(client, organization, cluster_manager):
    from organizations.services import INVITATIONS_PER_HOUR

    client.force_login(cluster_manager)
    for number in range(INVITATIONS_PER_HOUR):
        assert _invite(client, organization, f"person{number}@test.example.org").status_code == 302

    response = _invite(client, organization, "one.more@test.example.org")

    assert response.status_code == 400
    assert "You have sent 20 invitations in the last hour" in response.content.decode()
    assert models.Invitation.objects.count() == INVITATIONS_PER_HOUR


def test_the_invitation_limit_counts_every_organisation_of_the_manager(
    organization, cluster_manager
):
    from django.core.exceptions import ValidationError

    from organizations.services import INVITATIONS_PER_HOUR, invitation_create

    second = make_organization("Second Cluster", manager=cluster_manager)
    for number in range(INVITATIONS_PER_HOUR):
        invitation_create(
            organization=organization if number % 2 else second,
            by=cluster_manager,
            email=f"person{number}@test.example.org",
            role=Membership.Role.MEMBER,
        )
    with pytest.raises(ValidationError):
        invitation_create(
            organization=second,
            by=cluster_manager,
            email="one.more@test.example.org",
            role=Membership.Role.MEMBER,
        )


@pytest.mark.parametrize("item_count", [1, 3])
def test_invitations_page_query_count_is_constant(
    client, other_user, django_assert_num_queries, item_count
):
    from organizations.services import invitation_create

    for number in range(item_count):
        manager = make_user(f"manager{number}@test.example.org")
        organization = make_organization(f"Cluster {number}", manager=manager)
        invitation_create(
            organization=organization,
            by=manager,
            email=other_user.email,
            role=Membership.Role.MEMBER,
        )
    client.force_login(other_user)

    # session, user, roles, invitations with their organisations and inviters
    with django_assert_num_queries(4):
        response = client.get(reverse("organizations:invitations"))

    assert len(response.context["invitations"]) == item_count


@pytest.mark.parametrize("name", ["Invitations", "New", "Review", "Sectors"])
def test_an_organisation_named_like_a_page_keeps_its_own_address(client, name):
    organization = make_organization(name)

    assert organization.slug == f"{name.lower()}-2"
    response = client.get(reverse("organizations:detail", args=[organization.slug]))
    assert response.status_code == 200
    assert response.context["organization"] == organization
