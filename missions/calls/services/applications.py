"""Applications and their attachments: drafts, the deadline, submission, withdrawal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.db import constraint_name
from common.services import require_permission
from organizations.models import Membership, Organization, User

from .. import uploads
from ..models import (
    Application,
    Attachment,
    Call,
    Question,
    private_storage,
)
from ._common import (
    EDITABLE,
    Status,
    _lock,
    _require_open,
    _set_status,
    logger,
)
from .decisions import _delegation_remove, _promote_from_waitlist

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
        limit = (
            question.max_length
            if kind == Question.Kind.LONG_TEXT
            else min(question.max_length, 500)
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
    require_permission(by, "calls.apply", call)
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
            if constraint_name(error) != "application_one_live_per_contact":
                raise
            raise ValidationError(_("You already have an application to this call.")) from error
    return application


def application_save_draft(
    *, application: Application, by: User, answers: Mapping[str, Any]
) -> Application:
    """Save answers (partial answers allowed) before the deadline. A submitted application
    may be edited until the deadline and stays submitted."""
    require_permission(by, "calls.edit_application", application)
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
    require_permission(by, "calls.edit_application", application)
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
            q.label
            for q in questions
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
        from ..tasks import task_submission_email

        pk = application.pk
        transaction.on_commit(lambda: task_submission_email.delay(application_id=pk))
    return application


def application_withdraw(*, application: Application, by: User) -> Application:
    """The applicant withdraws (also after the deadline, also once selected). A selected
    applicant leaves the delegation and the best-ranked waitlisted one whose promotion keeps
    the call's limits and quotas takes the place; when nobody may, the place stays free and
    the mission's organisers are told why."""
    require_permission(by, "calls.edit_application", application)
    promoted = None
    with transaction.atomic():
        # The call first, as decisions_prepare and decisions_send lock it: one order of
        # locks, so a withdrawal and a batch of decisions queue up instead of deadlocking.
        Call.objects.select_for_update().get(pk=application.call_id)
        application = _lock(application)
        was_selected = application.status == Status.SELECTED
        application.decision_pending = ""
        application.waitlist_rank = None
        withdrawal = _set_status(application, Status.WITHDRAWN, by=by)
        if was_selected:
            _delegation_remove(application)
            promoted = _promote_from_waitlist(
                application.call, withdrawn=application, withdrawal=withdrawal
            )
    if promoted is not None:
        logger.info("application %s promoted from the waiting list", promoted.pk)
    return application


def application_shortlist(*, application: Application, by: User) -> Application:
    require_permission(by, "calls.manage_application", application)
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
    require_permission(by, "calls.edit_application", application)
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
    """Remove a file before the deadline. The stored file leaves the disk once the
    deletion is committed (see ``models._remove_attachment_file``), never before."""
    require_permission(by, "calls.edit_application", attachment.application)
    with transaction.atomic():
        application = _lock(attachment.application)
        _require_open(application.call)
        if application.status not in EDITABLE:
            raise ValidationError(_("This application can no longer be changed."))
        attachment.delete()
