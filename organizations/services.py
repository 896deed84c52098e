"""Everything that changes people, organisations and sectors.

Views, admin actions, tasks and ``seed_demo`` all call these functions; each owns
its transaction and validates with ``full_clean()`` before saving.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.slugs import unique_slug

from .models import Invitation, Membership, Organization, Role, Sector, User

# The database's name for the unique slug (see ``common.db.constraint_name``).
SLUG_CONSTRAINT = "organizations_organization_slug_key"
# Paths of organizations/urls.py that an organisation's slug would otherwise shadow.
RESERVED_SLUGS = frozenset({"new", "review", "sectors", "invitations", "search", "people"})

ORGANIZATION_PROFILE_FIELDS = (
    "name",
    "kind",
    "country",
    "region",
    "city",
    "street_address",
    "latitude",
    "longitude",
    "website",
    "description",
    "member_count",
    "logo",
)


# --- Users and roles ------------------------------------------------------------------------


def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    home_time_zone: str = "UTC",
    roles: Iterable[Role] = (),
) -> User:
    """Create an active user with the given roles. Email verification is allauth's business."""
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, home_time_zone=home_time_zone
        )
        for role in roles:
            user_grant_role(user=user, role=role)
    return user


def user_grant_role(*, user: User, role: Role) -> None:
    """Give ``user`` a portal role (idempotent). Site admins are superusers too."""
    group, _created = Group.objects.get_or_create(name=str(role))
    user.groups.add(group)
    if role == Role.SITE_ADMIN and not (user.is_superuser and user.is_staff):
        user.is_superuser = True
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    user.__dict__.pop("role_names", None)


def user_revoke_role(*, user: User, role: Role) -> None:
    user.groups.remove(*Group.objects.filter(name=str(role)))
    user.__dict__.pop("role_names", None)


def user_update_profile(*, user: User, full_name: str, home_time_zone: str) -> User:
    user.full_name = full_name
    user.home_time_zone = home_time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "home_time_zone"])
    return user


# --- Sectors --------------------------------------------------------------------------------


def sector_create(*, name: str) -> Sector:
    name = name.strip()
    sector = Sector(name=name, slug=unique_slug(Sector.objects.all(), name, max_length=100))
    sector.full_clean()
    sector.save()
    return sector


def sector_get_or_create(*, name: str) -> Sector:
    """Idempotent form used by ``seed_demo``: match by case-insensitive name."""
    existing = Sector.objects.filter(name__iexact=name.strip()).first()
    return existing or sector_create(name=name)


def sector_rename(*, sector: Sector, name: str) -> Sector:
    sector.name = name.strip()
    sector.full_clean()
    sector.save(update_fields=["name", "updated_at"])
    return sector


# --- Organisations --------------------------------------------------------------------------


def organization_create(
    *,
    by: User | None,
    sectors: Iterable[Sector] = (),
    validated: bool = False,
    **profile,
) -> Organization:
    """Create an organisation profile; its creator becomes its manager.

    New profiles wait for an organiser's validation before they are public.
    ``validated=True`` is for organisers and ``seed_demo``: it is refused for anyone else.
    """
    unknown = set(profile) - set(ORGANIZATION_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    if validated and by is not None and not by.has_perm("organizations.validate_organization"):
        raise PermissionDenied(_("Only organisers may validate organisations."))
    organization = Organization(**profile)
    if validated:
        organization.validation_state = Organization.ValidationState.VALIDATED
        organization.validated_at = timezone.now()
        organization.validated_by = by
    for attempt in range(3):
        organization.slug = unique_slug(
            Organization.objects.all(),
            organization.name,
            fallback="organisation",
            reserved=RESERVED_SLUGS,
        )
        organization.full_clean()
        try:
            with transaction.atomic():
                organization.save()
                organization.sectors.set(sectors)
                if by is not None:
                    Membership.objects.create(
                        user=by, organization=organization, role=Membership.Role.MANAGER
                    )
        except IntegrityError as error:
            # Two profiles with the same name created at once: take the next free slug.
            if constraint_name(error) != SLUG_CONSTRAINT or attempt == 2:
                raise
            organization.pk = None
            continue
        return organization
    raise AssertionError("unreachable")


def organization_update(
    *, organization: Organization, by: User, sectors: Iterable[Sector] | None = None, **profile
) -> Organization:
    """Change an organisation's profile. Managers of the organisation and organisers may."""
    if not by.has_perm("organizations.edit_organization", organization):
        raise PermissionDenied(_("You may not change this organisation."))
    unknown = set(profile) - set(ORGANIZATION_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        for field, value in profile.items():
            setattr(organization, field, value)
        organization.full_clean(exclude=["slug"])
        organization.save()
        if sectors is not None:
            organization.sectors.set(sectors)
    return organization


def organization_set_validation(
    *, organization: Organization, by: User, state: Organization.ValidationState
) -> Organization:
    """An organiser validates or rejects a profile; its managers are told by email."""
    from .tasks import task_organization_validation_notify

    if not by.has_perm("organizations.validate_organization", organization):
        raise PermissionDenied(_("Only organisers may validate organisations."))
    if state not in (
        Organization.ValidationState.VALIDATED,
        Organization.ValidationState.REJECTED,
    ):
        raise ValidationError(_("Choose to validate or to reject the profile."))
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.validation_state == state:
            return locked
        locked.validation_state = state
        locked.validated_at = timezone.now()
        locked.validated_by = by
        locked.save(
            update_fields=["validation_state", "validated_at", "validated_by", "updated_at"]
        )
        transaction.on_commit(
            lambda: task_organization_validation_notify.delay(
                organization_id=locked.pk, state=str(state)
            )
        )
    return locked


def organization_notify_validation(*, organization: Organization, state: str) -> int:
    """Email the managers of ``organization`` the outcome of its validation.

    Returns the number of emails sent. Called by the task; sends nothing when the
    state has changed again since the task was queued, or when this decision's
    email already went out (a task run twice sends once).
    """
    from common.email import send_templated

    from .selectors import organization_managers

    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.validation_state != state:
            return 0
        if organization.validation_notified_at == organization.validated_at:
            return 0
        organization.validation_notified_at = organization.validated_at
        organization.save(update_fields=["validation_notified_at"])
    sent = 0
    for manager in organization_managers(organization):
        context = {"organization": organization, "user": manager}
        send_templated(
            template="organizations/email/validation", context=context, to=[manager.email]
        )
        sent += 1
    return sent


def membership_add(
    *, organization: Organization, user: User, role: Membership.Role = Membership.Role.MEMBER
) -> Membership:
    """Add ``user`` to ``organization`` (idempotent; the role is updated if it differs)."""
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def _lock_organization(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _manager_count(organization: Organization) -> int:
    return organization.memberships.filter(role=Membership.Role.MANAGER).count()


def member_invite(
    *, organization: Organization, by: User, email: str, role: Membership.Role
) -> Membership | Invitation:
    """What the members page does with an address: a member's role changes at once (they
    are already in); anyone else is invited (``invitation_create``) and joins on accepting.

    Managers of the organisation and organisers may. The caller tells the manager the same
    thing whether or not the address has an account: both become an invitation.
    """
    if not by.has_perm("organizations.edit_organization", organization):
        raise PermissionDenied(_("You may not change this organisation's members."))
    email = email.strip()
    with transaction.atomic():
        organization = _lock_organization(organization)
        existing = organization.memberships.filter(user__email__iexact=email).first()
        if existing is None:
            return invitation_create(organization=organization, by=by, email=email, role=role)
        if (
            existing.role == Membership.Role.MANAGER
            and role != Membership.Role.MANAGER
            and _manager_count(organization) == 1
        ):
            raise ValidationError(_("An organisation keeps at least one manager."))
        return membership_add(organization=organization, user=existing.user, role=role)


def membership_remove(*, membership: Membership, by: User) -> None:
    """Remove a member. The last manager stays: someone must be able to edit the profile."""
    organization = membership.organization
    if not by.has_perm("organizations.edit_organization", organization):
        raise PermissionDenied(_("You may not change this organisation's members."))
    with transaction.atomic():
        organization = _lock_organization(organization)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == Membership.Role.MANAGER and _manager_count(organization) == 1:
            raise ValidationError(_("An organisation keeps at least one manager."))
        membership.delete()


# --- Invitations ----------------------------------------------------------------------------

# A manager (or organiser) sends at most this many invitations an hour, over all their
# organisations: invitations are emails to any address, so they must not become a spam tool.
INVITATIONS_PER_HOUR = 20
INVITATION_LIFETIME = dt.timedelta(days=14)
INVITATION_OPEN_CONSTRAINT = "invitation_one_open_per_address"


def invitation_create(
    *, organization: Organization, by: User, email: str, role: Membership.Role
) -> Invitation:
    """Invite ``email`` to join ``organization`` with ``role``; the email goes out after commit.

    Managers of the organisation and organisers may, at most ``INVITATIONS_PER_HOUR`` an
    hour. An open invitation to the same address is renewed (new role, new expiry, new
    email), not duplicated. Nothing here depends on whether the address has an account.
    """
    from .tasks import task_invitation_send

    if not by.has_perm("organizations.edit_organization", organization):
        raise PermissionDenied(_("You may not change this organisation's members."))
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        # The inviter's row is the lock: two invitations at once cannot both pass the count.
        User.objects.select_for_update().filter(pk=by.pk).first()
        sent = Invitation.objects.filter(
            invited_by=by, invited_at__gte=now - dt.timedelta(hours=1)
        ).count()
        if sent >= INVITATIONS_PER_HOUR:
            raise ValidationError(
                _(
                    "You have sent %(count)s invitations in the last hour, the most allowed. "
                    "Try again later."
                )
                % {"count": sent}
            )
        invitation = (
            Invitation.objects.select_for_update()
            .filter(
                organization=organization,
                email__iexact=email,
                accepted_at__isnull=True,
                declined_at__isnull=True,
            )
            .first()
        ) or Invitation(organization=organization, email=email, token=secrets.token_urlsafe(32))
        invitation.role = role
        invitation.invited_by = by
        invitation.invited_at = now
        invitation.expires_at = now + INVITATION_LIFETIME
        invitation.email_sent_at = None
        invitation.full_clean(exclude=["token"])
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError as error:
            if constraint_name(error) != INVITATION_OPEN_CONSTRAINT:
                raise
            raise ValidationError(
                _("%(email)s was invited at the same moment; try again.") % {"email": email}
            ) from error
        transaction.on_commit(lambda: task_invitation_send.delay(invitation_id=invitation.pk))
    return invitation


def invitation_send_email(*, invitation: Invitation) -> int:
    """Email the invitation to its address, once (called by the task; returns emails sent).

    Marked sent under a row lock before sending, so a task run twice sends once; an
    invitation answered or renewed since the task was queued is not sent again.
    """
    from common.email import send_templated
    from common.links import absolute_url

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=invitation.pk)
        )
        if invitation.email_sent_at is not None or not invitation.is_open:
            return 0
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "invitations_url": absolute_url("organizations:invitations"),
        "signup_url": absolute_url("account_signup"),
    }
    send_templated(
        template="organizations/email/invitation", context=context, to=[invitation.email]
    )
    return 1


def _open_invitation_of(invitation: Invitation, by: User) -> Invitation:
    """The invitation, locked, if it is open and addressed to ``by``'s account."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    if not by.is_authenticated or invitation.email.casefold() != by.email.casefold():
        # The person, not a permission: an admin's has_perm is always true.
        raise PermissionDenied(_("This invitation is for someone else."))
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."))
    return invitation


def invitation_accept(*, invitation: Invitation, by: User) -> Membership:
    """The invited person joins the organisation with the invited role."""
    with transaction.atomic():
        invitation = _open_invitation_of(invitation, by)
        _lock_organization(invitation.organization)
        existing = invitation.organization.memberships.filter(user=by).first()
        # Accepting never lowers a role the person already has.
        role = (
            existing.role
            if existing is not None and existing.role == Membership.Role.MANAGER
            else invitation.role
        )
        membership = membership_add(organization=invitation.organization, user=by, role=role)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def invitation_decline(*, invitation: Invitation, by: User) -> Invitation:
    """The invited person says no; the invitation closes."""
    with transaction.atomic():
        invitation = _open_invitation_of(invitation, by)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at", "updated_at"])
    return invitation
