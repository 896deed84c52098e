"""Sessions and what they are cut into: days, slots, tables; invitations to join."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel
from common.text import no_control_characters
from organizations.models import validate_time_zone


class MeetingKind(models.TextChoices):
    B2B = "b2b", _("Business to business")
    C2C = "c2c", _("Cluster to cluster")
    C2B = "c2b", _("Cluster to business")
    A2A = "a2a", _("Administration to administration")


class Session(TimestampedModel):
    """One matchmaking session: its days, slots, tables, participants and settings."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROFILES_OPEN = "profiles_open", _("Profiles open")
        REQUESTS_OPEN = "requests_open", _("Requests open")
        SCHEDULING = "scheduling", _("Scheduling")
        AGENDAS_PUBLISHED = "agendas_published", _("Agendas published")
        OUTCOMES = "outcomes", _("Outcomes")

    # Participants may create and edit profiles in these phases.
    PROFILE_PHASES = (Phase.PROFILES_OPEN, Phase.REQUESTS_OPEN)
    # Participants may send and answer requests in this phase only.
    REQUEST_PHASES = (Phase.REQUESTS_OPEN,)

    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matchmaking_sessions",
        verbose_name=_("mission"),
    )
    event = models.ForeignKey(
        "missions.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matchmaking_sessions",
        verbose_name=_("event"),
    )
    time_zone = models.CharField(
        _("venue time zone"), max_length=64, validators=[validate_time_zone]
    )
    meeting_minutes = models.PositiveIntegerField(
        _("meeting length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        related_name="organised_matchmaking_sessions",
        blank=True,
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT, db_index=True
    )
    requests_need_acceptance = models.BooleanField(
        _("requests need acceptance"),
        default=True,
        help_text=_("If not, a request is accepted as soon as it is sent."),
    )
    request_expiry_days = models.PositiveIntegerField(
        _("days before an unanswered request expires"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    max_meetings_per_participant = models.PositiveIntegerField(
        _("maximum meetings per participant"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    participants_pick_slot = models.BooleanField(
        _("participants pick a slot themselves"), default=False
    )
    is_public = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Listed sessions are shown to every signed-in user once out of draft."),
    )
    outcome_follow_up_days = models.PositiveIntegerField(
        _("days after a meeting to ask again what came of it"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    # When the organisers last published the agendas (participants are emailed once each).
    agendas_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("matchmaking session")
        verbose_name_plural = _("matchmaking sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5), name="mm_session_meeting_minutes_min"
            ),
            models.CheckConstraint(
                condition=Q(max_meetings_per_participant__gte=1),
                name="mm_session_max_meetings_positive",
            ),
            models.CheckConstraint(
                condition=Q(request_expiry_days__gte=1), name="mm_session_expiry_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:session", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def profiles_open(self) -> bool:
        return self.phase in self.PROFILE_PHASES

    @property
    def requests_open(self) -> bool:
        return self.phase in self.REQUEST_PHASES


class SessionInvitation(models.Model):
    """An email inviting a registrant of the session's event (who asked for matchmaking) to
    create a profile: one row per person and session, so nobody is invited twice."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["session_id", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="mm_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session} → {self.user}"


class SessionDay(models.Model):
    """A day of the session with its time window in the venue's wall clock.

    ``breaks`` is a list of ``{"start": "HH:MM", "end": "HH:MM", "title": "…"}`` in the
    venue's wall clock; slots are not generated across a break.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("first meeting starts"))
    end_time = models.TimeField(_("last meeting ends by"))
    kinds = models.JSONField(
        _("meeting kinds"), default=list, blank=True, help_text=_("Empty means every kind.")
    )
    breaks = models.JSONField(_("breaks"), default=list, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="mm_day_unique_date"),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="mm_day_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.date:%Y-%m-%d}"


class Slot(models.Model):
    """A meeting slot: aware UTC instants; ``kinds`` empty means every kind."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    day = models.ForeignKey(
        SessionDay, on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    kinds = models.JSONField(
        _("meeting kinds"), default=list, blank=True, help_text=_("Empty means every kind.")
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["session", "starts_at"], name="mm_slot_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mm_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def time_zone(self) -> str:
        """The venue's zone, for the shared ``time_range`` template tag."""
        return self.session.time_zone

    @property
    def end_zone(self) -> str:
        return self.session.time_zone

    def takes(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


class Table(models.Model):
    """A table or room where meetings are held, with its number of seats."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    seats = models.PositiveIntegerField(
        _("seats"), default=2, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="mm_table_unique_name"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="mm_table_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.name
