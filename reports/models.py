"""Report jobs, the organisers' free-text sections, and the feedback surveys.

A ``ReportJob`` is one rendering of one document (a kind) for one target (a mission, an
event, one registration's badge, or a matchmaking session's agendas and table sheet) at
one page size. It carries the fingerprint of the
data it was built from: asking again while the data is unchanged returns the done job
instead of rendering twice, and the database holds at most one done job per
(kind, target, page size, fingerprint). A changed itinerary or delegation gives a new
fingerprint and so a new version; old versions stay listed.

Files are written to private storage (outside the public media path, never given a URL)
and served only by the permission-checked download view.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class ReportStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT/reports``; read at each use so tests may move it."""

    @property
    def base_location(self):
        return os.path.join(str(settings.PRIVATE_MEDIA_ROOT), "reports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Report files are served by a permission-checked view only.")


report_storage = ReportStorage()


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        MISSION_REPORT = "mission_report", _("Mission report")
        ROUNDTABLE_REPORT = "roundtable_report", _("Roundtable report")
        DELEGATION_BOOKLET = "delegation_booklet", _("Delegation booklet")
        PARTICIPANT_LIST = "participant_list", _("Participant list")
        BADGES = "badges", _("Badges")
        MATCHMAKING_AGENDAS = "matchmaking_agendas", _("All agendas")
        TABLE_SHEET = "table_sheet", _("Table sheet")

    MISSION_KINDS = (Kind.MISSION_REPORT, Kind.DELEGATION_BOOKLET)
    EVENT_KINDS = (Kind.ROUNDTABLE_REPORT, Kind.PARTICIPANT_LIST, Kind.BADGES)
    # A matchmaking session's print files, for its organisers only.
    SESSION_KINDS = (Kind.MATCHMAKING_AGENDAS, Kind.TABLE_SHEET)

    class PageSize(models.TextChoices):
        A4 = "a4", _("A4")
        LETTER = "letter", _("US Letter")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Null: asked by the system (a management command, a periodic task).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    event = models.ForeignKey(
        "missions.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    # One attendee's own badge; its event is set too.
    registration = models.ForeignKey(
        "missions.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    # A matchmaking session's agendas or table sheet.
    session = models.ForeignKey(
        "matchmaking.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    # "mission:12", "event:3", "registration:44", "session:5": one column for the
    # uniqueness rule.
    target_key = models.CharField(max_length=40, editable=False)
    page_size = models.CharField(
        _("page size"), max_length=8, choices=PageSize.choices, default=PageSize.A4
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("reason it failed"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(storage=report_storage, max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["kind", "target_key", "page_size"], name="report_job_doc")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_key", "page_size", "fingerprint"],
                condition=Q(status="done"),
                name="report_job_one_done_per_fingerprint",
            ),
            models.CheckConstraint(
                condition=Q(
                    mission__isnull=False,
                    event__isnull=True,
                    registration__isnull=True,
                    session__isnull=True,
                )
                | Q(mission__isnull=True, event__isnull=False, session__isnull=True)
                | Q(
                    mission__isnull=True,
                    event__isnull=True,
                    registration__isnull=True,
                    session__isnull=False,
                ),
                name="report_job_one_target",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} ({self.target_key})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", kwargs={"pk": self.pk})

    @property
    def target(self):
        return self.registration or self.event or self.mission or self.session

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @staticmethod
    def key_for(target) -> str:
        return f"{target._meta.model_name}:{target.pk}"


class ReportText(models.Model):
    """The free-text sections the organisers write for a mission's or an event's reports."""

    mission = models.OneToOneField(
        "missions.Mission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_text",
    )
    event = models.OneToOneField(
        "missions.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_text",
    )
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    roundtable_summary = models.TextField(_("roundtable summary"), max_length=10000, blank=True)
    conclusions = models.TextField(_("conclusions"), max_length=10000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.CheckConstraint(
                condition=Q(mission__isnull=False, event__isnull=True)
                | Q(mission__isnull=True, event__isnull=False),
                name="report_text_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mission or self.event)


class Survey(models.Model):
    """The feedback survey of one mission or one event.

    Its built-in questions are fixed (overall rating, usefulness of each visit or session,
    contacts made, collaborations planned, free text); organisers add their own.
    """

    mission = models.OneToOneField(
        "missions.Mission", on_delete=models.CASCADE, null=True, blank=True, related_name="survey"
    )
    event = models.OneToOneField(
        "missions.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="survey"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(mission__isnull=False, event__isnull=True)
                | Q(mission__isnull=True, event__isnull=False),
                name="survey_one_target",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Feedback on %(target)s") % {"target": self.target})

    def get_absolute_url(self) -> str:
        target_type = "mission" if self.mission_id else "event"
        return reverse(
            "reports:survey_results", kwargs={"target_type": target_type, "pk": self.target.pk}
        )

    @property
    def target(self):
        return self.mission or self.event


class SurveyQuestion(models.Model):
    """A question an organiser added to a survey."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=8, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.label


class SurveyInvitation(models.Model):
    """One person asked for their feedback: emailed once (``sent_at``, set under a lock)."""

    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        HOST = "host", _("Host")
        ATTENDEE = "attendee", _("Attendee")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    role = models.CharField(_("as"), max_length=16, choices=Role.choices)
    # The secret in the survey link; it lets the person answer without logging in.
    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], name="survey_invitation_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.survey}"


class SurveyResponse(models.Model):
    """One person's answers; a second submission replaces the first (the page says so)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    role = models.CharField(
        _("as"), max_length=16, choices=SurveyInvitation.Role.choices, blank=True
    )
    overall_rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    contacts_made = models.PositiveSmallIntegerField(
        _("contacts made"), default=0, validators=[MaxValueValidator(1000)]
    )
    collaborations_planned = models.PositiveSmallIntegerField(
        _("collaborations planned"), default=0, validators=[MaxValueValidator(1000)]
    )
    comments = models.TextField(_("comments"), max_length=5000, blank=True)
    consent_to_quote = models.BooleanField(
        _("the organisers may quote my comments in the report"), default=False
    )
    # {"usefulness": {"<item id>": 1-5}, "questions": {"<question id>": value}}
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    times_replaced = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], name="survey_response_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(overall_rating__gte=1, overall_rating__lte=5),
                name="survey_response_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.survey}"
