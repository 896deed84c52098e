"""Services of the organisations app, called directly as views, tasks and seed_demo do."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from organizations.models import Membership, Organization, Role, User
from organizations.services import (
    organization_create,
    organization_set_validation,
    organization_update,
    user_create,
    user_grant_role,
    user_revoke_role,
)
from organizations.tasks import task_organization_validation_notify
from tests.conftest import outbox_cleared, wait_for
from tests.factories import make_organization, make_user


@pytest.mark.django_db
def test_user_email_is_the_login_and_unique_whatever_its_case():
    user_create(email="Mette@Example.ORG", password="x-long-password")

    assert User.objects.get().email == "mette@example.org"
    with pytest.raises((ValidationError, IntegrityError)):
        user_create(email="METTE@example.org", password="x-long-password")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_user_home_time_zone_must_be_iana():
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        user_create(email="a@example.org", password="x", home_time_zone="CEST")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_roles_are_granted_and_revoked():
    user = make_user(roles=(Role.REVIEWER,))
    assert user.has_role(Role.REVIEWER)
    assert not user.has_role(Role.ORGANISER)

    user_grant_role(user=user, role=Role.ORGANISER)
    user_revoke_role(user=user, role=Role.REVIEWER)

    fresh = User.objects.get(pk=user.pk)
    assert fresh.role_names == {"organiser"}
    assert fresh.has_perm("organizations.validate_organization")


@pytest.mark.django_db
def test_site_admin_role_makes_a_superuser():
    user = make_user(roles=(Role.SITE_ADMIN,))

    user.refresh_from_db()
    assert user.is_superuser and user.is_staff


@pytest.mark.django_db
def test_inactive_user_holds_no_role():
    user = make_user(roles=(Role.ORGANISER,))
    user.is_active = False
    user.save()

    fresh = User.objects.get(pk=user.pk)
    assert not fresh.has_role(Role.ORGANISER)
    assert not fresh.has_perm("organizations.validate_organization")


@pytest.mark.django_db
def test_organization_create_makes_creator_manager_and_waits_for_validation(other_user):
    organization = organization_create(
        by=other_user, name="New Cluster", kind="cluster", country="SE", city="Malmö"
    )

    assert organization.validation_state == "pending"
    assert organization.slug == "new-cluster"
    assert organization.memberships.get().role == Membership.Role.MANAGER


@pytest.mark.django_db
def test_organization_create_validated_is_refused_for_non_organisers(other_user):
    with pytest.raises(PermissionDenied):
        organization_create(
            by=other_user, validated=True, name="Sneaky", kind="cluster", country="SE"
        )
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_organization_create_refuses_unknown_fields_and_bad_values(other_user):
    with pytest.raises(TypeError):
        organization_create(by=other_user, name="X", kind="cluster", country="SE", owner="me")
    with pytest.raises(ValidationError):
        organization_create(by=other_user, name="X", kind="castle", country="SE")
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_organization_update_by_stranger_is_refused(organization, other_user):
    with pytest.raises(PermissionDenied):
        organization_update(organization=organization, by=other_user, city="Oslo")
    organization.refresh_from_db()
    assert organization.city == "Copenhagen"


@pytest.mark.django_db
def test_organization_update_rolls_back_on_invalid_value(organization, cluster_manager):
    with pytest.raises(ValidationError):
        organization_update(
            organization=organization, by=cluster_manager, city="Aarhus", website="not a url"
        )
    assert Organization.objects.get(pk=organization.pk).city == "Copenhagen"


@pytest.mark.django_db
def test_set_validation_refused_for_non_organiser(cluster_manager):
    pending = make_organization("Waiting", validated=False, manager=cluster_manager)

    with pytest.raises(PermissionDenied):
        organization_set_validation(
            organization=pending, by=cluster_manager, state=Organization.ValidationState.VALIDATED
        )
    pending.refresh_from_db()
    assert pending.validation_state == "pending"


def test_validation_email_reaches_each_manager_once(task_worker, organiser):
    first, second = make_user("first@example.org"), make_user("second@example.org")
    pending = make_organization("Waiting Cluster", validated=False, manager=first)
    from organizations.services import membership_add

    membership_add(organization=pending, user=second, role=Membership.Role.MANAGER)
    outbox_cleared()

    organization_set_validation(
        organization=pending, by=organiser, state=Organization.ValidationState.VALIDATED
    )

    assert wait_for(lambda: len(mail.outbox) >= 2)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]
    assert mail.outbox[0].subject == "Waiting Cluster is now in the directory"


def test_validation_task_run_twice_sends_once(task_worker, organiser):
    manager = make_user("only@example.org")
    pending = make_organization("Waiting Cluster", validated=False, manager=manager)
    outbox_cleared()
    organization_set_validation(
        organization=pending, by=organiser, state=Organization.ValidationState.REJECTED
    )
    assert wait_for(lambda: len(mail.outbox) == 1)

    # The same task delivered again (a retry, a redelivery after a worker crash).
    result = task_organization_validation_notify.delay(organization_id=pending.pk, state="rejected")

    assert result.get(timeout=15) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Waiting Cluster: profile not accepted"


def test_validation_task_for_a_deleted_organization_does_nothing(task_worker):
    result = task_organization_validation_notify.delay(organization_id=987654, state="validated")

    assert result.get(timeout=15) == 0
    assert mail.outbox == []
