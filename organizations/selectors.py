"""Reads of more than one row: each returns only what the given user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.choices import country_choices

from .models import Invitation, Membership, Organization, Sector, User
from .permissions import is_organiser


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Validated organisations for everyone; organisers see all; members also see their own."""
    queryset = Organization.objects.all()
    if is_organiser(user):
        return queryset
    visible = Q(validation_state=Organization.ValidationState.VALIDATED)
    if user.is_authenticated:
        visible |= Q(Exists(Membership.objects.filter(organization=OuterRef("pk"), user=user)))
    return queryset.filter(visible)


def people_searchable_by(user) -> QuerySet[User]:
    """The accounts an organiser may find by name or email (active ones); nobody else finds
    anyone."""
    if not is_organiser(user):
        return User.objects.none()
    return User.objects.filter(is_active=True)


def organizations_editable_by(user) -> QuerySet[Organization]:
    """The organisations whose profile this user may change: those they manage, or all for
    organisers."""
    if is_organiser(user):
        return Organization.objects.all()
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.MANAGER
    ).distinct()


def organization_directory(user) -> QuerySet[Organization]:
    """The directory's organisations in its order, for filtering and paging; a page of them
    becomes cards with ``directory_cards``."""
    return organizations_visible_to(user).order_by("name", "pk")


@dataclass(frozen=True, slots=True)
class DirectoryCard:
    """One organisation as a directory card shows it, as plain strings."""

    name: str
    url: str
    kind_label: str
    city: str
    region: str
    country_name: str
    sectors: tuple[str, ...]
    # Empty for a validated profile (all that readers not signed in see); else the state, for
    # its member or an organiser, so a profile not yet public is never taken for one.
    state: str = ""
    state_label: str = ""


def directory_cards(organizations: QuerySet[Organization]) -> list[DirectoryCard]:
    """The cards of a page of ``organization_directory`` (a sliced queryset), in its order:
    two queries, the rows and their sector names, whatever the page's size.

    The page used to render model instances: for each card the template resolved methods and
    related managers (a queryset clone per ``sectors.all``), reversed its URL, translated its
    country through django_countries and its kind. That was most of ``/organisations/``'s
    time at 100x the demo's data; here each is a dictionary lookup or a string."""
    rows = list(
        organizations.values_list(
            "pk", "name", "slug", "kind", "country", "region", "city", "validation_state"
        )
    )
    sectors: dict[int, list[str]] = {pk: [] for pk, *_rest in rows}
    for organization_id, sector_name in (
        Organization.sectors.through.objects.filter(organization_id__in=sectors)
        .order_by("sector__name", "sector_id")
        .values_list("organization_id", "sector__name")
    ):
        sectors[organization_id].append(sector_name)
    country_names = dict(country_choices())
    kind_labels = {kind: str(label) for kind, label in Organization.Kind.choices}
    state_labels = {state: str(label) for state, label in Organization.ValidationState.choices}
    validated = Organization.ValidationState.VALIDATED
    # Slugs are URL-safe, so one reversed URL serves every card (reverse() costs more than
    # the rest of a card).
    placeholder = "organization-slug"
    detail_url = reverse("organizations:detail", kwargs={"slug": placeholder})
    prefix, suffix = detail_url.split(placeholder)
    return [
        DirectoryCard(
            name=name,
            url=f"{prefix}{slug}{suffix}",
            kind_label=kind_labels.get(kind, kind),
            city=city,
            region=region,
            country_name=country_names.get(country, ""),
            sectors=tuple(sectors[pk]),
            state="" if state == validated else state,
            state_label="" if state == validated else state_labels.get(state, state),
        )
        for pk, name, slug, kind, country, region, city, state in rows
    ]


def organizations_awaiting_validation() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(validation_state=Organization.ValidationState.PENDING)
        .prefetch_related("sectors")
        .order_by("created_at", "pk")
    )


def organization_managers(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Membership.Role.MANAGER,
        is_active=True,
    ).order_by("email")


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def organizations_of_member(user) -> QuerySet[Organization]:
    """The organisations the user belongs to, in any role."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def sectors_all() -> QuerySet[Sector]:
    return Sector.objects.order_by("name")


def organization_memberships(organization: Organization) -> QuerySet[Membership]:
    """An organisation's members with their accounts, for its managers and organisers only."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-role", "user__email")
    )


def invitations_for(user) -> QuerySet[Invitation]:
    """The open invitations addressed to the user's account, newest first."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email__iexact=user.email,
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organization", "invited_by")
        .order_by("-invited_at", "pk")
    )


def invitations_open_of(organization: Organization) -> QuerySet[Invitation]:
    """An organisation's invitations still waiting for an answer, for its members page."""
    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        declined_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("email", "pk")


def home_organizations(user) -> list[Organization]:
    """The reader's organisations with what their profile still lacks (one query):
    ``missing`` names the empty profile fields a reader of the directory looks for."""
    organizations = list(organizations_of_member(user).annotate(sector_count=Count("sectors"))[:10])
    for organization in organizations:
        missing = []
        if not organization.description:
            missing.append(_("description"))
        if not organization.website:
            missing.append(_("website"))
        if not organization.sector_count:
            missing.append(_("sectors"))
        organization.missing = missing
    return organizations
