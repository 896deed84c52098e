"""Calls, their form, criteria, quotas and decision emails."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import Sector, User
from organizations.regions import US_STATES

from ..models import (
    Call,
    Criterion,
    DecisionTemplate,
    Question,
    Quota,
)
from ..selection import EVERY_STATE
from ._common import (
    CALL_FIELDS,
    DEFAULT_TEMPLATES,
    Status,
)

# --- Calls ----------------------------------------------------------------------------------


def call_create(*, mission, by: User, **fields) -> Call:
    """Create a call for ``mission`` with the default decision emails. Mission organisers."""
    from missions.timezones import require_aware

    require_permission(by, "missions.plan_mission", mission)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    for name in ("opens_at", "closes_at"):
        if name in fields:
            fields[name] = require_aware(fields[name], field=name)
    call = Call(mission=mission, **fields)
    call.full_clean()
    with transaction.atomic():
        call.save()
        for decision, (subject, body) in DEFAULT_TEMPLATES.items():
            DecisionTemplate.objects.create(
                call=call, decision=decision, subject=str(subject), body=str(body)
            )
    return call


def call_update(*, call: Call, by: User, **fields) -> Call:
    from missions.timezones import require_aware

    require_permission(by, "calls.manage_call", call)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        for name, value in fields.items():
            if name in ("opens_at", "closes_at"):
                value = require_aware(value, field=name)
            setattr(call, name, value)
        call.full_clean()
        call.save()
    return call


def question_add(*, call: Call, by: User, **fields) -> Question:
    require_permission(by, "calls.manage_call", call)
    question = Question(call=call, **fields)
    if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE):
        choices = question.choices
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            raise ValidationError({"choices": _("Give at least one choice.")})
    question.full_clean()
    question.save()
    return question


def criterion_add(*, call: Call, by: User, **fields) -> Criterion:
    require_permission(by, "calls.manage_call", call)
    criterion = Criterion(call=call, **fields)
    criterion.full_clean()
    criterion.save()
    return criterion


def quota_key_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The keys a quota may take, grouped for a select: US states, then sectors. One query."""
    states = [(EVERY_STATE, _("Every state (each one)")), *((s, s) for s in US_STATES)]
    sectors = list(Sector.objects.order_by("name").values_list("slug", "name"))
    return [(_("US states"), states), (_("Sectors"), sectors)]


def quota_key_check(kind: str, key: str) -> None:
    """Refuse a key that is not a real choice for the kind: a US state (or "*") for a
    per-state maximum, an existing sector's slug for a per-sector minimum."""
    if kind == Quota.Kind.PER_STATE_MAX:
        if key != EVERY_STATE and key not in US_STATES:
            raise ValidationError(
                _("“%(key)s” is not a US state: choose a state from the list.") % {"key": key},
                code="quota_key",
            )
    elif kind == Quota.Kind.PER_SECTOR_MIN and not Sector.objects.filter(slug=key).exists():
        raise ValidationError(
            _("“%(key)s” is not a sector: choose a sector from the list.") % {"key": key},
            code="quota_key",
        )


def quota_set(*, call: Call, by: User, kind: str, key: str, number: int) -> Quota:
    """Add a quota, or change the number of the call's quota of that kind and key."""
    require_permission(by, "calls.manage_call", call)
    try:
        quota_key_check(kind, key)
    except ValidationError as error:
        raise ValidationError({"key": error.messages}) from error
    quota = Quota.objects.filter(call=call, kind=kind, key=key).first() or Quota(
        call=call, kind=kind, key=key
    )
    quota.number = number
    quota.full_clean()
    quota.save()
    return quota


def question_delete(*, question: Question, by: User) -> None:
    """Remove a question while no application has been submitted (answers would be lost)."""
    require_permission(by, "calls.manage_call", question.call)
    if question.call.applications.exclude(status=Status.DRAFT).exists():
        raise ValidationError(
            _("Applications have been submitted: the form can no longer lose a question.")
        )
    question.delete()


def criterion_delete(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion nobody has scored yet."""
    require_permission(by, "calls.manage_call", criterion.call)
    if criterion.scores.exists():
        raise ValidationError(_("Reviewers have scored this criterion; it cannot be removed."))
    criterion.delete()


def quota_delete(*, quota: Quota, by: User) -> None:
    require_permission(by, "calls.manage_call", quota.call)
    quota.delete()


def decision_template_update(
    *, template: DecisionTemplate, by: User, subject: str, body: str
) -> DecisionTemplate:
    require_permission(by, "calls.manage_call", template.call)
    template.subject = subject
    template.body = body
    template.full_clean()
    template.save(update_fields=["subject", "body"])
    return template
