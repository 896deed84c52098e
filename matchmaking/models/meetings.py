"""Requests, the meetings behind them, their outcomes, and schedule runs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel

from .participants import MarketplaceItem, Participant
from .sessions import MeetingKind, Session, Slot, Table


class MeetingRequest(TimestampedModel):
    """One participant asks another for a meeting; the receiver accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    # A live request blocks a second one between the same two participants.
    LIVE_STATUSES = (Status.PENDING, Status.ACCEPTED)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="requests")
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    receiver = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="received_requests"
    )
    # The pair in id order, so the database can refuse a second live request either way.
    participant_low = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", editable=False
    )
    participant_high = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", editable=False
    )
    kind = models.CharField(
        _("kind of meeting"), max_length=8, choices=MeetingKind.choices, default=MeetingKind.B2B
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Added by an organiser on the participants' behalf (accepted at once).
    created_by_organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The cancelled_at value whose email went out, so a retried task sends nothing twice.
    cancellation_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the receiver was told of the new request (once).
    received_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The responded_at value whose accepted/declined email went to the sender (once).
    answer_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [models.Index(fields=["session", "status"], name="mm_request_session_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=F("receiver")), name="mm_request_not_to_oneself"
            ),
            models.CheckConstraint(
                condition=Q(participant_low__lt=F("participant_high")),
                name="mm_request_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["participant_low", "participant_high"],
                condition=Q(status__in=["pending", "accepted"]),
                name="mm_request_one_live_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.receiver}"

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:request", kwargs={"slug": self.session.slug, "pk": self.pk})

    def save(self, *args, **kwargs):
        # The ordered pair is derived data, kept with the pair it mirrors.
        if self.sender_id and self.receiver_id:
            self.participant_low_id = min(self.sender_id, self.receiver_id)
            self.participant_high_id = max(self.sender_id, self.receiver_id)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.sender_id and self.receiver_id:
            self.participant_low_id = min(self.sender_id, self.receiver_id)
            self.participant_high_id = max(self.sender_id, self.receiver_id)
        super().clean_fields(exclude=exclude)

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def other_side(self, participant: Participant) -> Participant:
        return self.receiver if participant.pk == self.sender_id else self.sender


class Meeting(TimestampedModel):
    """An accepted request's meeting: placed into a slot and at a table by the solver or by
    an organiser (who may lock it there)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Waiting for a slot")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    table = models.ForeignKey(
        Table, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    is_locked = models.BooleanField(_("locked to its slot and table"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    weight = models.PositiveIntegerField(_("weight"), default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # When both sides were asked again, months later, what came of it (once).
    follow_up_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the meeting last moved or was cancelled after its agenda was published, and the
    # value of that stamp whose email went to both sides, so a retried task sends nothing
    # twice (the request's cancellation_notified_at pattern).
    agenda_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    agenda_change_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        # Not by slot time: ordering across the nullable slot join would make every
        # SELECT ... FOR UPDATE of meetings an outer join PostgreSQL refuses to lock.
        ordering = ["session_id", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False, table__isnull=False) & ~Q(status="cancelled"),
                name="mm_meeting_one_per_table_and_slot",
            ),
            models.CheckConstraint(
                condition=Q(is_locked=False) | Q(slot__isnull=False),
                name="mm_meeting_locked_has_slot",
            ),
        ]

    def __str__(self) -> str:
        return str(self.request)


class MeetingOutcome(TimestampedModel):
    """What one side of a meeting says came of it."""

    class Agreement(models.TextChoices):
        NONE = "none", _("None")
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Agreement")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meeting_outcomes"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    follow_up_planned = models.BooleanField(_("follow-up planned"), default=False)
    cooperation_type = models.CharField(
        _("type of cooperation"),
        max_length=24,
        choices=MarketplaceItem.ItemType.choices,
        blank=True,
    )
    agreement_signed = models.CharField(
        _("agreement signed"), max_length=12, choices=Agreement.choices, default=Agreement.NONE
    )
    text = models.TextField(_("what came of it"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the three-month follow-up question went out for this answer (once).
    follow_up_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="mm_outcome_one_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="mm_outcome_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.rating}"


class ScheduleRun(models.Model):
    """One "schedule all" run: its progress, then the solver's figures and what it left out."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="schedule_runs")
    # None: started by the system, not by a person.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    allow_moves = models.BooleanField(_("published meetings may move"), default=False)
    weight = models.PositiveIntegerField(_("placed weight"), null=True, blank=True)
    bound = models.PositiveIntegerField(_("upper bound"), null=True, blank=True)
    ratio = models.FloatField(_("weight / bound"), null=True, blank=True)
    proven_optimal = models.BooleanField(_("proven optimal"), default=False)
    # {request id: the reason in words it was left out}
    unplaced = models.JSONField(_("requests left out"), default=dict, blank=True)
    moved = models.PositiveIntegerField(_("meetings moved"), default=0)
    dropped = models.PositiveIntegerField(_("meetings dropped"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="mm_schedule_run_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.created_at:%Y-%m-%d %H:%M}"
