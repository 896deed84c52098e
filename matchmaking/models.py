"""Matchmaking sessions: participants' profiles, their marketplace items, meeting requests,
the meetings the solver places into slots and tables, their outcomes, and schedule runs.

A session belongs to an event, a mission or stands alone. Its days carry time windows in
the venue's wall clock; slots are generated from them (and may be edited by organisers) and
stored as aware UTC instants, like every other instant in the portal.

Why a request always stands behind a meeting: the solver schedules accepted requests, and an
organiser who adds a meeting on behalf of two participants creates an accepted request too,
so the dashboard counts, the reasons for leaving a request out and the outcomes all read one
chain: request → meeting → outcome.

Why a request stores its pair twice (sender/receiver and participant_low/participant_high):
"at most one live request between two participants, whoever sent it" is an invariant on an
unordered pair; the database can only hold it on an ordered pair, so the services fill the
ordered pair and a partial unique constraint on it refuses the second live request.
"""

from __future__ import annotations

import secrets
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel
from common.text import no_control_characters
from organizations.models import Organization, Sector, validate_time_zone

__all__ = [
    "MarketplaceItem",
    "Meeting",
    "MeetingKind",
    "MeetingOutcome",
    "MeetingRequest",
    "Participant",
    "ScheduleRun",
    "Session",
    "SessionInvitation",
    "SessionDay",
    "Slot",
    "Table",
]


def new_agenda_token() -> str:
    return secrets.token_urlsafe(32)


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


class Participant(TimestampedModel):
    """A person's profile in one session, for their organisation and the people attending."""

    class Side(models.TextChoices):
        EU = "eu", _("European Union")
        US = "us", _("United States")
        OTHER = "other", _("Other")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="matchmaking_participations",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matchmaking_participations",
        verbose_name=_("organisation"),
    )
    side = models.CharField(_("side of the Atlantic"), max_length=8, choices=Side.choices)
    attendees = models.PositiveIntegerField(
        _("people attending"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Every one of them is blocked by a meeting (a cluster-to-cluster table)."),
    )
    attendee_names = models.TextField(
        _("names of the people attending"), max_length=2000, blank=True
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="matchmaking_participants", blank=True
    )
    languages = models.JSONField(
        _("meeting languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    max_meetings = models.PositiveIntegerField(
        _("maximum meetings"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Empty means the session's maximum."),
    )
    unavailable_slots = models.ManyToManyField(
        Slot, verbose_name=_("slots I am not available"), related_name="unavailable", blank=True
    )
    agenda_token = models.CharField(max_length=64, unique=True, default=new_agenda_token)
    summary = models.TextField(_("profile summary"), max_length=3000, blank=True)
    is_visible = models.BooleanField(
        _("visible to other participants"), default=True, db_index=True
    )
    # The session's agendas_published_at this participant was emailed about (once each).
    agenda_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="mm_participant_one_per_user"),
            models.CheckConstraint(
                condition=Q(attendees__gte=1), name="mm_participant_attendees_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_meetings__isnull=True) | Q(max_meetings__gte=1),
                name="mm_participant_max_meetings_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:participant", kwargs={"slug": self.session.slug, "pk": self.pk})

    @property
    def display_name(self) -> str:
        name = self.user.full_name or self.user.email.split("@")[0]
        if self.organization_id:
            return f"{name} ({self.organization.name})"
        return name

    @property
    def meeting_limit(self) -> int:
        return self.max_meetings or self.session.max_meetings_per_participant


class MarketplaceItem(TimestampedModel):
    """An offer or a request a participant brings to the session."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    class ItemType(models.TextChoices):
        TECHNOLOGY_OFFER = "technology_offer", _("Technology offer")
        PARTNERSHIP = "partnership", _("Partnership")
        RESEARCH_COOPERATION = "research_cooperation", _("Research cooperation")
        INVESTMENT = "investment", _("Investment")
        MARKET_ENTRY = "market_entry", _("Market entry")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="items")
    direction = models.CharField(_("offer or request"), max_length=8, choices=Direction.choices)
    item_type = models.CharField(_("type"), max_length=24, choices=ItemType.choices)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"), max_length=5000, blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="matchmaking_items", blank=True
    )

    class Meta:
        ordering = ["participant", "direction", "pk"]
        verbose_name = _("marketplace item")
        verbose_name_plural = _("marketplace items")

    def __str__(self) -> str:
        return self.title


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
