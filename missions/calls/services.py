"""Everything that changes calls, applications, reviews and decisions.

Views, tasks and the demo seed call these functions. Each checks who may act, owns its
transaction, locks the rows it consumes and records every status change (StatusChange).
The deadline is judged inside the transaction with ``timezone.now()``: what the client
sends about time is never trusted, and a refused request stores nothing.
"""

from __future__ import annotations

import logging
import string
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from organizations.models import Membership, Organization, Role, User

from . import selection, selectors, uploads
from .models import (
    Application,
    Attachment,
    Call,
    Criterion,
    DecisionTemplate,
    Question,
    Quota,
    ReviewAssignment,
    Score,
    StatusChange,
    private_storage,
)

logger = logging.getLogger("clustermissions.missions.calls")

Status = Application.Status
# Until the deadline the applicant may change what they sent, even once reviewers are on it.
EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)

CALL_FIELDS = (
    "title",
    "description",
    "eligibility",
    "opens_at",
    "closes_at",
    "time_zone",
    "max_delegates",
    "max_per_organization",
    "conflict_rule",
    "reviews_per_application",
    "is_published",
)

# The statuses each status may move to; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.SHORTLISTED, *Application.DECISIONS,
                       Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.SHORTLISTED, *Application.DECISIONS, Status.WITHDRAWN},
    Status.SHORTLISTED: {*Application.DECISIONS, Status.WITHDRAWN},
    Status.WAITLISTED: {Status.SELECTED, Status.REJECTED, Status.WITHDRAWN},
    Status.SELECTED: {Status.WITHDRAWN},
    Status.REJECTED: set(),
    Status.WITHDRAWN: set(),
}

DEFAULT_TEMPLATES = {
    Status.SELECTED: (
        _lazy("Your application to $call: selected"),
        _lazy(
            "Dear $contact_name,\n\nWe are pleased to tell you that $organization has been "
            "selected for the delegation of $mission. The itinerary is on the mission's page.\n"
        ),
    ),
    Status.WAITLISTED: (
        _lazy("Your application to $call: waiting list"),
        _lazy(
            "Dear $contact_name,\n\n$organization is on the waiting list for $mission "
            "(position $waitlist_rank). We will write again if a place becomes free.\n"
        ),
    ),
    Status.REJECTED: (
        _lazy("Your application to $call"),
        _lazy(
            "Dear $contact_name,\n\nThank you for applying on behalf of $organization. We are "
            "sorry that we cannot offer a place in the delegation of $mission this time.\n"
        ),
    ),
}


def _require(user: User, permission: str, obj=None) -> None:
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("You may not do this."))


def _set_status(application: Application, to: str, *, by: User | None, note: str = "") -> None:
    """Move ``application`` (locked by the caller) to ``to`` and record who, when, why."""
    before = application.status
    if to not in TRANSITIONS[before]:
        raise ValidationError(
            _("An application that is %(before)s cannot become %(after)s.")
            % {"before": Status(before).label.lower(), "after": Status(to).label.lower()}
        )
    application.status = to
    application.save(update_fields=["status", "decision_pending", "waitlist_rank",
                                     "submitted_at", "updated_at"])
    StatusChange.objects.create(
        application=application, by=by, from_status=before, to_status=to, note=note[:300]
    )


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call").get(pk=application.pk)


def _require_open(call: Call) -> None:
    """Refuse when the call is not open now; called inside the transaction."""
    now = timezone.now()
    if now < call.opens_at:
        raise ValidationError(_("This call is not open yet."), code="not_open")
    if now >= call.closes_at:
        raise ValidationError(
            _("The deadline has passed: applications closed at %(deadline)s (%(zone)s).")
            % {
                "deadline": call.closes_at.astimezone(call.tz).strftime("%Y-%m-%d %H:%M:%S"),
                "zone": call.time_zone,
            },
            code="deadline",
        )


# --- Calls ----------------------------------------------------------------------------------


def call_create(*, mission, by: User, **fields) -> Call:
    """Create a call for ``mission`` with the default decision emails. Mission organisers."""
    from missions.timezones import require_aware

    _require(by, "missions.change_mission", mission)
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

    _require(by, "calls.manage_call", call)
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
    _require(by, "calls.manage_call", call)
    question = Question(call=call, **fields)
    if question.kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE):
        choices = question.choices
        if not isinstance(choices, list) or not choices or not all(
            isinstance(c, str) and c.strip() for c in choices
        ):
            raise ValidationError({"choices": _("Give at least one choice.")})
    question.full_clean()
    question.save()
    return question


def criterion_add(*, call: Call, by: User, **fields) -> Criterion:
    _require(by, "calls.manage_call", call)
    criterion = Criterion(call=call, **fields)
    criterion.full_clean()
    criterion.save()
    return criterion


def quota_set(*, call: Call, by: User, kind: str, key: str, number: int) -> Quota:
    _require(by, "calls.manage_call", call)
    quota = Quota.objects.filter(call=call, kind=kind, key=key).first() or Quota(
        call=call, kind=kind, key=key
    )
    quota.number = number
    quota.full_clean()
    quota.save()
    return quota


def question_delete(*, question: Question, by: User) -> None:
    """Remove a question while no application has been submitted (answers would be lost)."""
    _require(by, "calls.manage_call", question.call)
    if question.call.applications.exclude(status=Status.DRAFT).exists():
        raise ValidationError(_("Applications have been submitted: the form can no longer "
                                "lose a question."))
    question.delete()


def criterion_delete(*, criterion: Criterion, by: User) -> None:
    """Remove a criterion nobody has scored yet."""
    _require(by, "calls.manage_call", criterion.call)
    if criterion.scores.exists():
        raise ValidationError(_("Reviewers have scored this criterion; it cannot be removed."))
    criterion.delete()


def quota_delete(*, quota: Quota, by: User) -> None:
    _require(by, "calls.manage_call", quota.call)
    quota.delete()


def decision_template_update(
    *, template: DecisionTemplate, by: User, subject: str, body: str
) -> DecisionTemplate:
    _require(by, "calls.manage_call", template.call)
    template.subject = subject
    template.body = body
    template.full_clean()
    template.save(update_fields=["subject", "body"])
    return template


# --- Applications ---------------------------------------------------------------------------


def clean_answers(
    questions: Iterable[Question], answers: Mapping[str, Any], *, complete: bool
) -> dict[str, Any]:
    """Validated answers keyed by question id (as text). ``complete`` also requires every
    required question to be answered (file questions are answered by attachments)."""
    if not isinstance(answers, Mapping):
        raise ValidationError(_("The answers could not be read."))
    by_key = {str(q.pk): q for q in questions}
    unknown = set(map(str, answers)) - set(by_key)
    if unknown:
        raise ValidationError(_("Answers to unknown questions were sent."))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, question in by_key.items():
        if question.kind == Question.Kind.FILE:
            continue
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        empty = value in (None, "", [])
        if empty:
            if complete and question.required:
                errors.setdefault(question.field_name, []).append(
                    _("“%(label)s” needs an answer.") % {"label": question.label}
                )
            continue
        message = _check_answer(question, value)
        if message:
            errors.setdefault(question.field_name, []).append(message)
        else:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_answer(question: Question, value: Any) -> str | None:
    kind = question.kind
    if kind in (Question.Kind.TEXT, Question.Kind.LONG_TEXT):
        if not isinstance(value, str):
            return _("“%(label)s” must be text.") % {"label": question.label}
        limit = question.max_length if kind == Question.Kind.LONG_TEXT else min(
            question.max_length, 500
        )
        if len(value) > limit:
            return _("“%(label)s” is limited to %(limit)s characters (%(count)s given).") % {
                "label": question.label,
                "limit": limit,
                "count": len(value),
            }
        return None
    if kind == Question.Kind.CHOICE:
        if value not in question.choices:
            return _("Choose one of the offered answers for “%(label)s”.") % {
                "label": question.label
            }
        return None
    if kind == Question.Kind.MULTIPLE_CHOICE:
        if (
            not isinstance(value, list)
            or len(set(value)) != len(value)
            or any(v not in question.choices for v in value)
        ):
            return _("Choose among the offered answers for “%(label)s”.") % {
                "label": question.label
            }
        return None
    if kind == Question.Kind.YES_NO:
        if not isinstance(value, bool):
            return _("Answer yes or no to “%(label)s”.") % {"label": question.label}
        return None
    return None


def application_start(*, call: Call, by: User, organization: Organization) -> Application:
    """Open a draft application of ``by`` for one of their organisations, while the call is
    open. Returns the person's live application if they already have one."""
    _require(by, "calls.apply", call)
    if not Membership.objects.filter(user=by, organization=organization).exists():
        raise ValidationError(
            {"organization": _("You may only apply for an organisation you belong to.")}
        )
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _require_open(call)
        existing = (
            Application.objects.filter(call=call, contact=by)
            .exclude(status=Status.WITHDRAWN)
            .first()
        )
        if existing:
            return existing
        application = Application(call=call, contact=by, organization=organization)
        application.full_clean()
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as error:
            raise ValidationError(_("You already have an application to this call.")) from error
    return application


def application_save_draft(
    *, application: Application, by: User, answers: Mapping[str, Any]
) -> Application:
    """Save answers (partial answers allowed) before the deadline. A submitted application
    may be edited until the deadline and stays submitted."""
    _require(by, "calls.edit_application", application)
    with transaction.atomic():
        application = _lock(application)
        _require_open(application.call)
        if application.status not in EDITABLE:
            raise ValidationError(_("This application can no longer be changed."))
        # Once submitted, an edit may not take a required answer away.
        complete = application.status != Status.DRAFT
        cleaned = clean_answers(application.call.questions.all(), answers, complete=complete)
        application.answers = cleaned
        application.save(update_fields=["answers", "updated_at"])
    return application


def application_submit(
    *, application: Application, by: User, answers: Mapping[str, Any] | None = None
) -> Application:
    """Submit before the deadline: every required question answered, every required file
    question given a file. Nothing is stored when it is refused."""
    _require(by, "calls.edit_application", application)
    with transaction.atomic():
        application = _lock(application)
        _require_open(application.call)
        if application.status != Status.DRAFT:
            raise ValidationError(_("Only a draft can be submitted."))
        questions = list(application.call.questions.all())
        cleaned = clean_answers(
            questions, application.answers if answers is None else answers, complete=True
        )
        with_files = set(
            application.attachments.exclude(question=None).values_list("question_id", flat=True)
        )
        missing = [
            q.label for q in questions
            if q.kind == Question.Kind.FILE and q.required and q.pk not in with_files
        ]
        if missing:
            raise ValidationError(
                _("Attach a file for: %(labels)s.") % {"labels": ", ".join(missing)}
            )
        application.answers = cleaned
        application.submitted_at = timezone.now()
        application.save(update_fields=["answers"])
        _set_status(application, Status.SUBMITTED, by=by)
    return application


def application_withdraw(*, application: Application, by: User) -> Application:
    """The applicant withdraws (also after the deadline, also once selected). A selected
    applicant leaves the delegation and the first waitlisted one that fits takes the place."""
    _require(by, "calls.edit_application", application)
    promoted = None
    with transaction.atomic():
        application = _lock(application)
        was_selected = application.status == Status.SELECTED
        application.decision_pending = ""
        application.waitlist_rank = None
        _set_status(application, Status.WITHDRAWN, by=by)
        if was_selected:
            _delegation_remove(application)
            promoted = _promote_from_waitlist(application.call)
    if promoted is not None:
        logger.info("application %s promoted from the waiting list", promoted.pk)
    return application


def application_shortlist(*, application: Application, by: User) -> Application:
    _require(by, "calls.manage_application", application)
    with transaction.atomic():
        application = _lock(application)
        _set_status(application, Status.SHORTLISTED, by=by)
    return application


# --- Attachments ----------------------------------------------------------------------------


def attachment_add(
    *, application: Application, by: User, upload, question: Question | None = None
) -> Attachment:
    """Store an uploaded file under a generated name in the private storage.

    Refused with a message (and nothing stored, no file left on disk) when the call is
    closed, the file is not a PDF/DOCX/PNG/JPEG by content, is empty, over 10 MB, has a
    path in its name, or the application already has 5 files.
    """
    _require(by, "calls.edit_application", application)
    checked = uploads.check_upload(upload)
    if question is not None and (
        question.call_id != application.call_id or question.kind != Question.Kind.FILE
    ):
        raise ValidationError(_("This question does not take a file."))
    stored_name = None
    try:
        with transaction.atomic():
            application = _lock(application)
            _require_open(application.call)
            if application.status not in EDITABLE:
                raise ValidationError(_("This application can no longer be changed."))
            if application.attachments.count() >= uploads.MAX_PER_APPLICATION:
                raise ValidationError(
                    _("An application has at most %(count)s files; remove one first.")
                    % {"count": uploads.MAX_PER_APPLICATION},
                    code="too_many",
                )
            generated = f"calls/{application.call_id}/{uuid.uuid4().hex}{checked.extension}"
            upload.seek(0)
            stored_name = private_storage.save(generated, upload)
            attachment = Attachment(
                application=application,
                question=question,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                uploaded_by=by,
            )
            attachment.file.name = stored_name
            attachment.full_clean()
            attachment.save()
    except BaseException:
        if stored_name:
            private_storage.delete(stored_name)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, by: User) -> None:
    """Remove a file before the deadline; the file leaves the disk once the row is gone."""
    _require(by, "calls.edit_application", attachment.application)
    with transaction.atomic():
        application = _lock(attachment.application)
        _require_open(application.call)
        if application.status not in EDITABLE:
            raise ValidationError(_("This application can no longer be changed."))
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: private_storage.delete(name))


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
    _require(by, "calls.manage_application", application)
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
    _require(by, "calls.manage_call", call)
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
    _require(by, "calls.review", assignment)
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
    _require(by, "calls.review", assignment)
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
            if not isinstance(value, int) or isinstance(value, bool) or not (
                0 <= value <= criterion.scale_max
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
                assignment=assignment, criterion=criterion, value=value,
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


# --- Selection and decisions ----------------------------------------------------------------


def selection_propose(*, call: Call, by: User) -> selection.Proposal:
    """The selection of highest total weighted score that meets the call's limits."""
    _require(by, "calls.manage_call", call)
    candidates, limits = selectors.selection_problem(call)
    return selection.propose(candidates, limits)


def decisions_prepare(
    *,
    call: Call,
    by: User,
    decisions: Mapping[int, str],
    waitlist: list[int] | None = None,
) -> list[selection.Violation]:
    """Record the decision each application will get when the batch is sent.

    ``decisions`` maps application ids to selected / waitlisted / rejected; ``waitlist`` is the
    order of the waitlisted ones (default: as given). Refused when the selection breaks the
    total or per-organisation limit; quota shortfalls are returned for the organiser to see.
    """
    _require(by, "calls.manage_call", call)
    allowed = {s.value for s in Application.DECISIONS}
    if any(d not in allowed for d in decisions.values()):
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update().filter(
                call=call, pk__in=list(decisions)
            )
        }
        if set(decisions) - set(applications):
            raise ValidationError(_("Some applications are not part of this call."))
        for application in applications.values():
            if application.status not in (*Application.IN_REVIEW, Status.WAITLISTED):
                raise ValidationError(
                    _("%(application)s is %(status)s; its decision cannot change.")
                    % {"application": application, "status": application.get_status_display()}
                )
        candidates, limits = selectors.selection_problem(call)
        already = set(
            Application.objects.filter(call=call, status=Status.SELECTED).values_list(
                "pk", flat=True
            )
        )
        selected = already | {pk for pk, d in decisions.items() if d == Status.SELECTED}
        selected |= set(
            Application.objects.filter(call=call, decision_pending=Status.SELECTED)
            .exclude(pk__in=list(decisions))
            .values_list("pk", flat=True)
        )
        violations = selection.check(candidates, selected, limits)
        hard = [v for v in violations if v.kind in ("total", "organization")]
        if hard:
            raise ValidationError(
                _("This selection exceeds the call's limits: %(problems)s.")
                % {"problems": "; ".join(describe_violation(v) for v in hard)}
            )
        order = [pk for pk in (waitlist or []) if decisions.get(pk) == Status.WAITLISTED]
        order += [pk for pk, d in decisions.items() if d == Status.WAITLISTED and pk not in order]
        for pk, decision in decisions.items():
            application = applications[pk]
            application.decision_pending = decision
            application.waitlist_rank = (
                order.index(pk) + 1 if decision == Status.WAITLISTED else None
            )
            application.save(update_fields=["decision_pending", "waitlist_rank", "updated_at"])
    return violations


def describe_violation(violation: selection.Violation) -> str:
    if violation.kind == "total":
        return _("%(actual)s selected, at most %(limit)s") % vars(violation)
    if violation.kind == "organization":
        name = Organization.objects.filter(pk=violation.key).values_list("name", flat=True)
        return _("%(actual)s from %(name)s, at most %(limit)s") % {
            "actual": violation.actual, "limit": violation.limit, "name": name.first() or "?",
        }
    if violation.kind == "state":
        return _("%(actual)s from %(key)s, at most %(limit)s") % vars(violation)
    return _("%(actual)s in sector %(key)s, at least %(limit)s") % vars(violation)


def decisions_send(*, call: Call, by: User) -> int:
    """Apply every prepared decision in one batch: statuses change (and are recorded),
    selected applicants join the delegation, and one email per applicant is queued after
    commit. Returns how many decisions were sent."""
    from .tasks import task_decision_email

    _require(by, "calls.manage_call", call)
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        pending = list(
            Application.objects.select_for_update()
            .filter(call=call)
            .exclude(decision_pending="")
            .select_related("call__mission", "organization", "contact")
            .order_by("pk")
        )
        for application in pending:
            decision = application.decision_pending
            application.decision_pending = ""
            _set_status(application, decision, by=by, note=_("Decision sent"))
            if decision == Status.SELECTED:
                _delegation_add(application)
            pk = application.pk
            transaction.on_commit(lambda pk=pk: task_decision_email.delay(application_id=pk))
    return len(pending)


def decision_email_send(*, application_id: int) -> bool:
    """Email the applicant their current decision, once per decision.

    The row lock makes two runs of the task queue up behind each other; the second finds
    the decision already notified and sends nothing. The email is sent while the lock is
    held, so a crash between sending and committing may send it again on retry (at least
    once), never two at the same time.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .filter(pk=application_id)
            .select_related("call__mission", "organization", "contact")
            .first()
        )
        if application is None or application.status not in Application.DECISIONS:
            return False
        if application.notified_status == application.status:
            return False
        template = DecisionTemplate.objects.filter(
            call=application.call, decision=application.status
        ).first()
        subject, body = (
            (template.subject, template.body) if template
            else map(str, DEFAULT_TEMPLATES[Status(application.status)])
        )
        values = {
            "contact_name": application.contact.get_full_name(),
            "organization": application.organization.name,
            "call": application.call.title,
            "mission": application.call.mission.title,
            "waitlist_rank": application.waitlist_rank or "",
        }
        send_mail(
            subject=string.Template(subject).safe_substitute(values).replace("\n", " ")[:200],
            message=string.Template(body).safe_substitute(values),
            from_email=None,
            recipient_list=[application.contact.email],
        )
        application.notified_status = application.status
        application.decision_sent_at = timezone.now()
        application.save(update_fields=["notified_status", "decision_sent_at"])
    return True


def _delegation_actor(mission) -> User:
    """Delegation changes need a mission organiser; automatic ones (a withdrawal promoting
    the waiting list) act in the name of the mission's first organiser."""
    organiser = mission.organisers.filter(is_active=True).order_by("pk").first()
    if organiser is None:
        raise ValidationError(_("The mission has no organiser to manage its delegation."))
    return organiser


def _delegation_add(application: Application) -> None:
    from missions.services import delegation_member_add

    mission = application.call.mission
    if mission.delegation.members.filter(user=application.contact_id).exists():
        return
    delegation_member_add(
        mission=mission,
        by=_delegation_actor(mission),
        user=application.contact,
        organization=application.organization,
    )


def _delegation_remove(application: Application) -> None:
    from missions.services import delegation_member_remove

    mission = application.call.mission
    member = mission.delegation.members.filter(user=application.contact_id).first()
    if member is not None:
        delegation_member_remove(member=member, by=_delegation_actor(mission))


def _promote_from_waitlist(call: Call) -> Application | None:
    """Select the first waitlisted application (by rank) that keeps within the total,
    per-organisation and per-state limits; tell them after commit."""
    from .tasks import task_decision_email

    candidates, limits = selectors.selection_problem(call)
    selected = set(
        Application.objects.filter(call=call, status=Status.SELECTED).values_list("pk", flat=True)
    )
    waitlisted = (
        Application.objects.select_for_update()
        .filter(call=call, status=Status.WAITLISTED)
        .select_related("call__mission", "organization", "contact")
        .order_by("waitlist_rank", "pk")
    )
    for application in waitlisted:
        violations = selection.check(candidates, selected | {application.pk}, limits)
        if any(v.kind != "sector" for v in violations):
            continue
        application.waitlist_rank = None
        _set_status(application, Status.SELECTED, by=None, note=_("Promoted from the waiting list"))
        _delegation_add(application)
        pk = application.pk
        transaction.on_commit(lambda pk=pk: task_decision_email.delay(application_id=pk))
        return application
    return None


__all__ = [
    "application_shortlist",
    "application_start",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "call_create",
    "call_update",
    "clean_answers",
    "conflict_declare",
    "conflict_of_interest",
    "criterion_add",
    "criterion_delete",
    "decision_email_send",
    "decision_template_update",
    "decisions_prepare",
    "decisions_send",
    "question_add",
    "question_delete",
    "quota_delete",
    "quota_set",
    "reviewer_assign",
    "reviewers_assign_round_robin",
    "scores_submit",
    "selection_propose",
]
