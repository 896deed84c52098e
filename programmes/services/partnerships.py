"""Strategic cluster partnerships: created by organisers or staff, validated before they are
public (as organisation profiles are), changed through proposals that partners' managers
make and organisers or staff approve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from common.slugs import unique_slug
from organizations.models import Membership, Organization, Sector, User

from ..models import Partnership, PartnershipChange, PartnershipMember

# Paths under /partnerships/ that a slug must not take.
RESERVED_SLUGS = ("new", "review", "changes")

PARTNERSHIP_FIELDS = ("description", "target_countries", "target_regions", "ends_on")
# What a partner's manager may propose to change; approval applies these only.
CHANGEABLE_FIELDS = (*PARTNERSHIP_FIELDS, "sector_ids")


def partnership_create(
    *,
    by: User,
    name: str,
    starts_on: dt.date,
    partners: Iterable[tuple[Organization, str]] = (),
    sectors: Iterable[Sector] = (),
    validated: bool = False,
    **fields,
) -> Partnership:
    """Create a partnership with its partners ``(organisation, role)``. Organisers and staff
    only; it waits for validation unless ``validated``."""
    require_permission(by, "programmes.run_partnerships")
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partnership fields: {sorted(unknown)}")
    partnership = Partnership(name=name.strip(), starts_on=starts_on, **fields)
    partnership.slug = unique_slug(
        Partnership.objects.all(),
        partnership.name,
        fallback="partnership",
        reserved=RESERVED_SLUGS,
    )
    if validated:
        partnership.status = Partnership.Status.VALIDATED
        partnership.validated_at = timezone.now()
        partnership.validated_by = by
    partnership.full_clean()
    with transaction.atomic():
        partnership.save()
        partnership.sectors.set(sectors)
        for organization, role in partners:
            PartnershipMember.objects.update_or_create(
                partnership=partnership, organization=organization, defaults={"role": role}
            )
    return partnership


def partnership_set_status(
    *, partnership: Partnership, by: User, status: Partnership.Status
) -> Partnership:
    """Validate or reject a partnership. Organisers and staff only."""
    require_permission(by, "programmes.run_partnerships")
    if status not in (Partnership.Status.VALIDATED, Partnership.Status.REJECTED):
        raise ValidationError(_("Choose to validate or to reject the partnership."))
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        locked.status = status
        locked.validated_at = timezone.now()
        locked.validated_by = by
        locked.save(update_fields=["status", "validated_at", "validated_by", "updated_at"])
    return locked


def partnership_member_set(
    *, partnership: Partnership, organization: Organization, role: str, by: User
) -> PartnershipMember:
    require_permission(by, "programmes.run_partnerships")
    if role not in PartnershipMember.Role.values:
        raise ValidationError({"role": _("Choose lead partner or partner.")})
    member, _created = PartnershipMember.objects.update_or_create(
        partnership=partnership, organization=organization, defaults={"role": role}
    )
    return member


def _normalised_changes(partnership: Partnership, changes: dict) -> dict:
    """The proposed values that differ from the current ones, as JSON-ready values.
    Each is validated against the model's own rules before anything is stored."""
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partnership changes: {sorted(unknown)}")
    result: dict = {}
    if "description" in changes and changes["description"] != partnership.description:
        result["description"] = str(changes["description"])
    if "target_regions" in changes and changes["target_regions"] != partnership.target_regions:
        result["target_regions"] = str(changes["target_regions"])
    if "target_countries" in changes:
        codes = sorted({str(code) for code in changes["target_countries"]})
        if codes != sorted(country.code for country in partnership.target_countries):
            result["target_countries"] = codes
    if "ends_on" in changes and changes["ends_on"] != partnership.ends_on:
        ends_on = changes["ends_on"]
        result["ends_on"] = ends_on.isoformat() if ends_on else None
    if "sector_ids" in changes:
        ids = sorted({int(pk) for pk in changes["sector_ids"]})
        if Sector.objects.filter(pk__in=ids).count() != len(ids):
            raise ValidationError({"sectors": _("Choose sectors from the list.")})
        if ids != sorted(partnership.sectors.values_list("pk", flat=True)):
            result["sector_ids"] = ids
    # Validate the field values on a copy, so a bad proposal is refused now, not at approval.
    copy = Partnership.objects.get(pk=partnership.pk)
    _apply_fields(copy, result)
    copy.full_clean(exclude=["slug"])
    return result


def _apply_fields(partnership: Partnership, changes: dict) -> None:
    for field in PARTNERSHIP_FIELDS:
        if field not in changes:
            continue
        value = changes[field]
        if field == "ends_on" and value:
            value = dt.date.fromisoformat(value)
        setattr(partnership, field, value)


def partnership_change_propose(
    *, partnership: Partnership, by: User, changes: dict, reason: str = ""
) -> PartnershipChange:
    """A manager of one of the partners proposes new values; organisers or staff approve.

    Refused when nothing would change. The proposal names the partner organisation the
    proposer manages (the first by name if they manage several).
    """
    require_permission(by, "programmes.propose_partnership_change", partnership)
    organization = (
        Organization.objects.filter(
            partnership_memberships__partnership=partnership,
            memberships__user=by,
            memberships__role=Membership.Role.MANAGER,
        )
        .order_by("name", "pk")
        .first()
    )
    if organization is None:
        raise PermissionDenied(_("You may not do this."))
    normalised = _normalised_changes(partnership, changes)
    if not normalised:
        raise ValidationError(_("Nothing would change: edit at least one field."))
    change = PartnershipChange(
        partnership=partnership,
        organization=organization,
        proposed_by=by,
        changes=normalised,
        reason=reason.strip(),
    )
    change.full_clean()
    change.save()
    return change


def partnership_change_decide(
    *, change: PartnershipChange, by: User, approve: bool
) -> PartnershipChange:
    """Approve (apply the proposed values) or reject a proposal. Organisers and staff only;
    a proposal is decided once."""
    require_permission(by, "programmes.run_partnerships")
    with transaction.atomic():
        change = PartnershipChange.objects.select_for_update().get(pk=change.pk)
        if change.status != PartnershipChange.Status.PENDING:
            raise ValidationError(_("This proposal has already been decided."))
        if approve:
            partnership = Partnership.objects.select_for_update().get(pk=change.partnership_id)
            _apply_fields(partnership, change.changes)
            partnership.full_clean(exclude=["slug"])
            partnership.save()
            if "sector_ids" in change.changes:
                partnership.sectors.set(Sector.objects.filter(pk__in=change.changes["sector_ids"]))
        change.status = (
            PartnershipChange.Status.APPROVED if approve else PartnershipChange.Status.REJECTED
        )
        change.decided_by = by
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return change
