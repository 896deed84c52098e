"""Programmes: create, change, name their partners and link the activities they run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from common.slugs import unique_slug
from missions.models import Call, Event, Mission
from organizations.models import Organization, User

from ..models import Programme, ProgrammeCall, ProgrammeEvent, ProgrammeMission, ProgrammePartner

# Paths under /programmes/ that a slug must not take.
RESERVED_SLUGS = ("new",)

PROGRAMME_FIELDS = (
    "name",
    "funder",
    "funding_reference",
    "starts_on",
    "ends_on",
    "description",
    "is_public",
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")


def programme_create(
    *,
    by: User,
    name: str,
    funder: str,
    starts_on: dt.date,
    ends_on: dt.date,
    partners: Iterable[tuple[Organization, str]] = (),
    **fields,
) -> Programme:
    """Create a programme with its partner organisations ``(organisation, role)``.
    Organisers and staff only."""
    require_permission(by, "programmes.run_programmes")
    _check_fields(fields)
    programme = Programme(
        name=name.strip(), funder=funder.strip(), starts_on=starts_on, ends_on=ends_on, **fields
    )
    programme.slug = unique_slug(
        Programme.objects.all(), programme.name, fallback="programme", reserved=RESERVED_SLUGS
    )
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        for organization, role in partners:
            programme_partner_set(programme=programme, organization=organization, role=role, by=by)
    return programme


def programme_update(*, programme: Programme, by: User, **fields) -> Programme:
    require_permission(by, "programmes.run_programmes")
    _check_fields(fields)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        for name, value in fields.items():
            setattr(programme, name, value)
        programme.full_clean(exclude=["slug"])
        programme.save()
    return programme


def programme_partner_set(
    *, programme: Programme, organization: Organization, role: str, by: User
) -> ProgrammePartner:
    """Name ``organization`` a coordinator or partner of the programme (idempotent)."""
    require_permission(by, "programmes.run_programmes")
    if role not in ProgrammePartner.Role.values:
        raise ValidationError({"role": _("Choose coordinator or partner.")})
    link, _created = ProgrammePartner.objects.update_or_create(
        programme=programme, organization=organization, defaults={"role": role}
    )
    return link


_LINKS = {
    Mission: (ProgrammeMission, "mission"),
    Event: (ProgrammeEvent, "event"),
    Call: (ProgrammeCall, "call"),
}


def _unique_column_constraint(model, field: str) -> str:
    """The name PostgreSQL gives the unique constraint of a ``unique=True`` column (and
    ``constraint_name`` gives on SQLite)."""
    return f"{model._meta.db_table}_{model._meta.get_field(field).column}_key"


def programme_link_activity(
    *, programme: Programme, activity: Mission | Event | Call, by: User
) -> Programme:
    """Record that the programme runs ``activity`` (a mission, event or call).

    Idempotent for the same programme; refused when another programme already runs it
    (the database holds that too: one row per activity).
    """
    require_permission(by, "programmes.run_programmes")
    model, field = _LINKS[type(activity)]
    existing = model.objects.filter(**{field: activity}).first()
    if existing is not None:
        if existing.programme_id == programme.pk:
            return programme
        raise ValidationError(
            _("“%(activity)s” already belongs to another programme.") % {"activity": activity}
        )
    try:
        with transaction.atomic():
            model.objects.create(programme=programme, **{field: activity})
    except IntegrityError as error:
        # Linked to another programme at the same moment: the unique row decides.
        if constraint_name(error) != _unique_column_constraint(model, field):
            raise
        raise ValidationError(
            _("“%(activity)s” already belongs to another programme.") % {"activity": activity}
        ) from error
    return programme


def programme_unlink_activity(
    *, programme: Programme, activity: Mission | Event | Call, by: User
) -> None:
    require_permission(by, "programmes.run_programmes")
    model, field = _LINKS[type(activity)]
    model.objects.filter(programme=programme, **{field: activity}).delete()
