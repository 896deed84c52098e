"""Review: conflicts of interest, assignments (by hand and round-robin), scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import require_permission
from organizations.models import Organization, Role, User

from ..models import (
    Application,
    Call,
    ReviewAssignment,
    Score,
)
from ._common import (
    Status,
    _lock,
    _set_status,
)

# --- Review ---------------------------------------------------------------------------------


def conflict_of_interest(application: Application, reviewer: User) -> str:
    """Why ``reviewer`` may not review ``application`` under the call's rule ('' if none)."""
    organizations = list(
        Organization.objects.filter(memberships__user=reviewer).only("pk", "country", "region")
    )
    target = application.organization
    if any(o.pk == target.pk for o in organizations):
        return _("The reviewer belongs to the applicant's organisation.")
    same_state = target.region and any(
        o.region.lower() == target.region.lower() and o.country == target.country
        for o in organizations
    )
    if application.call.conflict_rule == Call.ConflictRule.ORGANIZATION_OR_STATE and same_state:
        return _("The reviewer's organisation is in the same state (%(state)s).") % {
            "state": target.region
        }
    return ""


def reviewer_assign(*, application: Application, reviewer: User, by: User) -> ReviewAssignment:
    """An organiser asks a reviewer to score a submitted application; conflicts refused."""
    require_permission(by, "calls.manage_application", application)
    if not reviewer.is_active or not reviewer.has_role(Role.REVIEWER):
        raise ValidationError(_("%(user)s is not a reviewer.") % {"user": reviewer})
    with transaction.atomic():
        application = _lock(application)
        if application.status not in Application.IN_REVIEW:
            raise ValidationError(_("Only submitted applications are reviewed."))
        reason = conflict_of_interest(application, reviewer)
        if reason:
            raise ValidationError(reason)
        if application.assignments.filter(reviewer=reviewer).exists():
            raise ValidationError(_("%(user)s already reviews it.") % {"user": reviewer})
        assignment = ReviewAssignment.objects.create(
            application=application, reviewer=reviewer, assigned_by=by
        )
        if application.status == Status.SUBMITTED:
            _set_status(application, Status.UNDER_REVIEW, by=by)
    return assignment


def reviewers_assign_round_robin(
    *, call: Call, by: User, reviewers: Iterable[User]
) -> list[ReviewAssignment]:
    """Give each submitted application ``call.reviews_per_application`` reviewers, always
    the least-loaded eligible one first (ties by id), skipping conflicts of interest."""
    require_permission(by, "calls.manage_call", call)
    reviewers = [r for r in reviewers if r.is_active and r.has_role(Role.REVIEWER)]
    created = []
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        load = dict(
            ReviewAssignment.objects.filter(application__call=call)
            .values_list("reviewer")
            .annotate(n=Count("pk"))
        )
        applications = list(
            Application.objects.filter(call=call, status__in=Application.IN_REVIEW)
            .select_related("organization", "call")
            .prefetch_related("assignments")
            .order_by("submitted_at", "pk")
        )
        for application in applications:
            assigned = {a.reviewer_id for a in application.assignments.all()}
            # A reviewer who declared a conflict stays assigned (never asked again) but
            # does not count: someone else takes their place.
            valid = [a for a in application.assignments.all() if not a.conflict_declared]
            needed = call.reviews_per_application - len(valid)
            candidates = sorted(
                (r for r in reviewers if r.pk not in assigned),
                key=lambda r: (load.get(r.pk, 0), r.pk),
            )
            for reviewer in candidates:
                if needed <= 0:
                    break
                if conflict_of_interest(application, reviewer):
                    continue
                created.append(reviewer_assign(application=application, reviewer=reviewer, by=by))
                load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
                needed -= 1
    return created


def conflict_declare(*, assignment: ReviewAssignment, by: User, reason: str) -> ReviewAssignment:
    """The reviewer declares a conflict: their scores (if any) are dropped and excluded."""
    require_permission(by, "calls.review", assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"conflict_reason": _("Say why, briefly.")})
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        assignment.scores.all().delete()
        assignment.conflict_declared = True
        assignment.conflict_reason = reason[:500]
        assignment.submitted_at = None
        assignment.full_clean()
        assignment.save()
    return assignment


def scores_submit(
    *, assignment: ReviewAssignment, by: User, scores: Mapping[int, tuple[int, str]]
) -> ReviewAssignment:
    """Score every criterion of the call (0 … its scale) with a comment; may be revised until
    decisions are sent."""
    require_permission(by, "calls.review", assignment)
    with transaction.atomic():
        assignment = (
            ReviewAssignment.objects.select_for_update()
            .select_related("application__call")
            .get(pk=assignment.pk)
        )
        if assignment.conflict_declared:
            raise ValidationError(_("You declared a conflict of interest for this application."))
        if assignment.application.status not in Application.IN_REVIEW:
            raise ValidationError(_("This application is no longer being reviewed."))
        criteria = list(assignment.application.call.criteria.all())
        errors = {}
        for criterion in criteria:
            value, _comment = scores.get(criterion.pk, (None, ""))
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not (0 <= value <= criterion.scale_max)
            ):
                errors[f"c_{criterion.pk}"] = _(
                    "Give a whole number from 0 to %(max)s for “%(name)s”."
                ) % {"max": criterion.scale_max, "name": criterion.name}
        if set(scores) - {c.pk for c in criteria}:
            errors["__all__"] = _("Scores for unknown criteria were sent.")
        if errors:
            raise ValidationError(errors)
        for criterion in criteria:
            value, comment = scores[criterion.pk]
            score = Score(
                assignment=assignment,
                criterion=criterion,
                value=value,
                comment=(comment or "").strip(),
            )
            score.full_clean(exclude=["assignment", "criterion"], validate_unique=False)
            Score.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={"value": value, "comment": score.comment},
            )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
    return assignment
