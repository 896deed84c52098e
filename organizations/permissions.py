"""Who may do what with people and organisations.

Predicates are combined into permissions with django-rules; views declare the
permission they need and read their objects through the scoped selectors, so an
object a user may not see is a 404, not a 403.
"""

import rules

from .models import Membership, Organization, Role


@rules.predicate
def is_organiser(user) -> bool:
    return user.is_authenticated and (user.has_role(Role.ORGANISER) or user.is_superuser)


@rules.predicate
def is_staff_member(user) -> bool:
    """The portal's staff role (not Django's ``is_staff`` admin flag), or a site admin.

    Staff verify outcomes and read every report; an inactive account holds no role.
    """
    return (
        user.is_authenticated
        and user.is_active
        and (user.has_role(Role.STAFF) or user.is_superuser)
    )


@rules.predicate
def is_organization_manager(user, organization: Organization | None) -> bool:
    if not user.is_authenticated or organization is None:
        return False
    return organization.memberships.filter(user=user, role=Membership.Role.MANAGER).exists()


@rules.predicate
def is_organization_member(user, organization: Organization | None) -> bool:
    if not user.is_authenticated or organization is None:
        return False
    return organization.memberships.filter(user=user).exists()


@rules.predicate
def is_public_organization(user, organization: Organization | None) -> bool:
    return organization is not None and organization.is_public


rules.add_perm(
    "organizations.see_organization",
    is_public_organization | is_organization_member | is_organiser,
)
rules.add_perm("organizations.create_organization", rules.is_authenticated)
rules.add_perm("organizations.edit_organization", is_organization_manager | is_organiser)
rules.add_perm("organizations.validate_organization", is_organiser)
rules.add_perm("organizations.manage_sectors", is_organiser)
rules.add_perm("organizations.search_people", is_organiser)
rules.add_perm("organizations.change_own_profile", rules.is_authenticated)
