"""Test data built through the same services users go through. Plain functions, no mocks."""

from __future__ import annotations

import itertools
from decimal import Decimal

from organizations.models import Membership, Organization, Role, Sector, User
from organizations.services import (
    membership_add,
    organization_create,
    sector_get_or_create,
    user_create,
)

PASSWORD = "correct-horse-battery"  # noqa: S105
_sequence = itertools.count(1)


def make_user(
    email: str | None = None,
    *,
    roles: tuple[Role, ...] = (),
    home_time_zone: str = "UTC",
    full_name: str = "",
    verified: bool = True,
) -> User:
    number = next(_sequence)
    user = user_create(
        email=email or f"user{number}@example.org",
        password=PASSWORD,
        full_name=full_name or f"Test Person {number}",
        home_time_zone=home_time_zone,
        roles=roles,
    )
    if verified:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_sector(name: str = "") -> Sector:
    return sector_get_or_create(name=name or f"Sector {next(_sequence)}")


def make_organization(
    name: str = "",
    *,
    validated: bool = True,
    manager: User | None = None,
    sectors: tuple[Sector, ...] = (),
    country: str = "DK",
    region: str = "",
    city: str = "Copenhagen",
    kind: Organization.Kind = Organization.Kind.CLUSTER,
    **profile,
) -> Organization:
    organization = organization_create(
        by=None,
        validated=validated,
        sectors=sectors,
        name=name or f"Organisation {next(_sequence)}",
        kind=kind,
        country=country,
        region=region,
        city=city,
        latitude=profile.pop("latitude", Decimal("55.676")),
        longitude=profile.pop("longitude", Decimal("12.568")),
        **profile,
    )
    if manager is not None:
        membership_add(organization=organization, user=manager, role=Membership.Role.MANAGER)
    return organization
