"""Calls for expression of interest: who applies to travel with a mission, and how they are
reviewed, ranked and selected.

An application is one person (its contact) applying on behalf of one organisation; a
selected application becomes one member of the mission's delegation. Several people of one
organisation may apply; the call's ``max_per_organization`` caps how many are selected.

These models are registered through ``missions.models`` (``from .calls.models import *``);
``__all__`` keeps that star import to the models below.
"""

from __future__ import annotations

import os
import zoneinfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel
from organizations.models import Organization, validate_time_zone

__all__ = [
    "Application",
    "Attachment",
    "Call",
    "Criterion",
    "DecisionTemplate",
    "Question",
    "Quota",
    "ReviewAssignment",
    "Score",
    "StatusChange",
]


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``, outside the public media path, never given a URL.

    The location is read from the settings at each use so tests can point it elsewhere.
    """

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files are served by a permission-checked view only.")


private_storage = PrivateStorage()


class Call(TimestampedModel):
    """A call for expression of interest for a mission's delegation."""

    class ConflictRule(models.TextChoices):
        ORGANIZATION = "organization", _("Same organisation")
        ORGANIZATION_OR_STATE = "organization_or_state", _("Same organisation or same state")

    mission = models.ForeignKey("missions.Mission", on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    eligibility = models.TextField(_("eligibility"), max_length=5000, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_zone = models.CharField(
        _("time zone of the call"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
    )
    max_delegates = models.PositiveSmallIntegerField(_("maximum number of delegates"))
    max_per_organization = models.PositiveSmallIntegerField(
        _("maximum delegates per organisation"), default=1
    )
    conflict_rule = models.CharField(
        _("conflict of interest"),
        max_length=32,
        choices=ConflictRule.choices,
        default=ConflictRule.ORGANIZATION_OR_STATE,
        help_text=_("Which reviewers may not review an application."),
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("call for expression of interest")
        verbose_name_plural = _("calls for expression of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(max_delegates__gte=1), name="call_max_delegates_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_per_organization__gte=1),
                name="call_max_per_organization_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Quota(models.Model):
    """A limit the selection must meet: at most N per US state, at least M per sector."""

    class Kind(models.TextChoices):
        PER_STATE_MAX = "per_state_max", _("At most N per US state")
        PER_SECTOR_MIN = "per_sector_min", _("At least M per sector")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A state name ("Texas"), "*" for every state, or a sector slug.
    key = models.CharField(_("state or sector"), max_length=100)
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["call", "kind", "key"], name="quota_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key} {self.number}"


class Question(models.Model):
    """A question of the call's form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")
        FILE = "file", _("File")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("maximum length"), default=2000, help_text=_("Characters, for text answers.")
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=20000),
                name="question_max_length_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"q_{self.pk}"


class Criterion(models.Model):
    """What reviewers score, on a scale from 0 to ``scale_max``, weighted in the ranking."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=1, scale_max__lte=100),
                name="criterion_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Application(TimestampedModel):
    """One person's expression of interest, on behalf of one organisation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    DECISIONS = (Status.SELECTED, Status.WAITLISTED, Status.REJECTED)
    # Applications the organisers review and rank.
    IN_REVIEW = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.SHORTLISTED)

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="call_applications"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_applications"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The decision an organiser prepared; it takes effect when the batch is sent.
    decision_pending = models.CharField(
        _("prepared decision"),
        max_length=16,
        choices=[(s.value, s.label) for s in DECISIONS],
        blank=True,
    )
    waitlist_rank = models.PositiveSmallIntegerField(_("waitlist rank"), null=True, blank=True)
    decision_sent_at = models.DateTimeField(_("decision sent at"), null=True, blank=True)
    # The status whose email went out: a task run twice finds it equal and sends nothing.
    notified_status = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person and call: a second one would split the
            # reviewers' work and the person's answers. A withdrawn one does not block a
            # new one. Several people of one organisation may apply (2018: 12 people from 11
            # organisations); ``max_per_organization`` caps how many are selected.
            models.UniqueConstraint(
                fields=["call", "contact"],
                condition=~Q(status="withdrawn"),
                name="application_one_live_per_contact",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False) | Q(status="withdrawn"),
                name="application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.contact}"

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECISIONS


def _attachment_name(instance, filename: str) -> str:
    # The service chooses the generated name; this only places it.
    return filename


class Attachment(models.Model):
    """A file of an application, stored under a generated name outside the public media."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    question = models.ForeignKey(
        Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=_attachment_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


def _remove_attachment_file(sender, instance: Attachment, using: str, **kwargs) -> None:
    """Remove the stored file once the deletion of its row is committed; a rolled-back
    deletion keeps it. ``robust``: a file already gone or a storage error is logged, it
    does not fail the request that deleted the row."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)


# A signal, not the service: attachments also go when their application or call is deleted
# (by the ORM's cascade, the admin, a mission's deletion), and only the signal hears those.
# It also stops the ORM from deleting attachments in bulk without loading them.
post_delete.connect(
    _remove_attachment_file, sender=Attachment, dispatch_uid="calls_attachment_file_removal"
)


class ReviewAssignment(models.Model):
    """A reviewer asked to score an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    conflict_declared = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(conflict_declared=False) | Q(submitted_at__isnull=True),
                name="review_assignment_conflict_not_scored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_unique_criterion"
            ),
            # The criterion's own scale is checked by the service; 100 is every scale's cap.
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=100), name="score_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class StatusChange(models.Model):
    """Who changed an application's status, when, from what to what.

    ``by`` is empty for a change the system made by itself (a promotion from the waiting
    list); the history shows "System" for it.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system made the change by itself."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=16, choices=Application.Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Application.Status.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class DecisionTemplate(models.Model):
    """The editable email an applicant receives for a decision.

    ``$contact_name``, ``$organization``, ``$call``, ``$mission``, ``$waitlist_rank`` and
    ``$application_url`` are replaced (``string.Template``: no code runs in an organiser's
    text); the link to the application is added at the end when the text does not use it.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="decision_templates")
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=[(s.value, s.label) for s in Application.DECISIONS],
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), max_length=10000)

    class Meta:
        ordering = ["call", "decision"]
        verbose_name = _("decision email")
        verbose_name_plural = _("decision emails")
        constraints = [
            models.UniqueConstraint(fields=["call", "decision"], name="decision_template_unique"),
        ]

    def __str__(self) -> str:
        return self.subject
