"""The delegation and its members' private calendar links."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from organizations.models import Organization, User

from ..models import (
    DelegationMember,
    Mission,
)

# A person once per delegation, one head: the database's names for both rules.
MEMBER_CONSTRAINTS = frozenset({"delegation_member_unique_user", "delegation_member_one_head"})

# --- Delegation -----------------------------------------------------------------------------


def delegation_member_add(
    *,
    mission: Mission,
    by: User | None,
    user: User,
    organization: Organization,
    role: DelegationMember.Role = DelegationMember.Role.MEMBER,
    home_time_zone: str | None = None,
) -> DelegationMember:
    """Add a person to the delegation; their home zone defaults to their profile's.

    ``by`` is the organiser planning the mission, or None for the system: an automatic
    change that follows from a decision already allowed (a selected applicant joining, a
    promotion from the waiting list), made in nobody's name.
    """
    if by is not None:
        require_permission(by, "missions.plan_mission", mission)
    delegation = mission.delegation
    if delegation.members.filter(user=user).exists():
        raise ValidationError(
            {"user": _("%(user)s is already in the delegation.") % {"user": user}}
        )
    if role == DelegationMember.Role.HEAD and delegation.members.filter(role=role).exists():
        raise ValidationError({"role": _("The delegation already has a head.")})
    member = DelegationMember(
        delegation=delegation,
        user=user,
        organization=organization,
        role=role,
        home_time_zone=home_time_zone or user.home_time_zone,
    )
    member.full_clean()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        if constraint_name(error) not in MEMBER_CONSTRAINTS:
            raise
        raise ValidationError(_("This person or role is already in the delegation.")) from error
    return member


def delegation_member_remove(*, member: DelegationMember, by: User | None) -> None:
    """Remove a person from the delegation. ``by`` None is the system (a selected applicant
    withdrew), as for ``delegation_member_add``."""
    if by is not None:
        require_permission(by, "missions.plan_mission", member.delegation.mission)
    member.delete()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_rotate(*, member: DelegationMember, by: User) -> str:
    """Give the delegate a new private calendar secret; the old URL stops working at once.

    Only its hash is stored: the returned secret is shown once.
    """
    if by.pk != member.user_id:
        raise PermissionDenied(_("Only the delegate may renew their own calendar link."))
    token = secrets.token_urlsafe(32)
    member.feed_token_hash = _hash_token(token)
    member.feed_token_created_at = timezone.now()
    member.save(update_fields=["feed_token_hash", "feed_token_created_at"])
    return token
