"""Events (roundtables, workshops, networking sessions) with agendas and seat-limited
registrations.

An event belongs to a mission or stands alone. Every instant is stored in UTC next to the
IANA zone of the venue, so the agenda can be shown in venue time and in the viewer's time.

Seats: a registration holds a seat while it is approved, confirmed or offered (a waiting-list
offer keeps the seat for its holder until it expires). The count is never exceeded because
the only code that hands out a seat, ``missions.events.services``, locks the event row
first. A database cannot express "count of rows <= capacity" without triggers; what it can
check, it does: one live registration per person and event, capacity not negative, end
after start.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel
from organizations.models import Organization, Sector, validate_time_zone

__all__ = ["AgendaItem", "AgendaPerson", "Event", "EventQuestion", "Registration"]


class Event(TimestampedModel):
    """A roundtable, workshop, networking session or conference at one venue."""

    class Kind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        WORKSHOP = "workshop", _("Workshop")
        NETWORKING = "networking", _("Networking session")
        CONFERENCE = "conference", _("Conference")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # Published and cancelled events have public pages (a cancelled one says so).
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED)

    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("mission"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    time_zone = models.CharField(
        _("venue time zone"), max_length=64, validators=[validate_time_zone]
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(_("description"), max_length=20000, blank=True)
    target_audience = models.CharField(_("target audience"), max_length=500, blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="events", blank=True
    )
    capacity = models.PositiveIntegerField(_("seats"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"))
    approval_required = models.BooleanField(
        _("approval required"),
        default=True,
        help_text=_(
            "Registrations wait for an organiser's decision; a seat is held once approved."
        ),
    )
    waiting_list_enabled = models.BooleanField(_("keep a waiting list"), default=True)
    offer_hours = models.PositiveIntegerField(
        _("hours to accept a freed seat"),
        default=48,
        help_text=_("How long a person on the waiting list has to accept a seat offered to them."),
    )
    organising_partners = models.ManyToManyField(
        Organization,
        verbose_name=_("organising partners"),
        related_name="organised_events",
        blank=True,
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        related_name="organised_events",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=0), name="event_capacity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(offer_hours__gte=1), name="event_offer_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_deadline__gt=F("registration_opens_at")),
                name="event_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="event_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def end_zone(self) -> str:
        """An event starts and ends at one venue (for the shared ``time_range`` tag)."""
        return self.time_zone


class AgendaItem(models.Model):
    """A slot of the agenda; speaker slots of a panel are items nested under it."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        PANEL = "panel", _("Panel")
        QA = "qa", _("Q&A")
        BREAK = "break", _("Break")
        WORKSHOP = "workshop", _("Workshop")
        NETWORKING = "networking", _("Networking")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)

    class Meta:
        ordering = ["starts_at", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="agenda_item_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def time_zone(self) -> str:
        """The venue's zone, for the shared ``time_range`` template tag."""
        return self.event.time_zone

    @property
    def end_zone(self) -> str:
        return self.event.time_zone


class AgendaPerson(models.Model):
    """A speaker or moderator of an agenda item, with their organisation and side."""

    class Side(models.TextChoices):
        EU = "eu", _("EU")
        US = "us", _("US")

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=2, choices=Side.choices, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("speaker or moderator")
        verbose_name_plural = _("speakers and moderators")

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.affiliation) if part)

    @property
    def affiliation(self) -> str:
        return self.organization_name or (self.organization.name if self.organization else "")


class EventQuestion(models.Model):
    """A custom question of an event's registration form; answers live on the registration."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label


class Registration(TimestampedModel):
    """One person's registration for an event, through its whole life."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")

    # A registration in one of these statuses holds one seat.
    SEAT_STATUSES = (Status.APPROVED, Status.CONFIRMED, Status.OFFERED)
    # Attending: shown on participant lists, badges and the attendee export.
    ATTENDING_STATUSES = (Status.APPROVED, Status.CONFIRMED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("your role"), max_length=200, blank=True)
    sectors_of_interest = models.ManyToManyField(
        Sector, verbose_name=_("sectors of interest"), related_name="+", blank=True
    )
    wants_matchmaking = models.BooleanField(_("interested in matchmaking"), default=False)
    consent_to_list = models.BooleanField(_("appear on the participant list"), default=False)
    # {question id (as text): answer}; shown only to the registrant and the event's organisers.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    # Order of the waiting list: the moment the person joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    decision_message = models.TextField(
        _("message from the organisers"), max_length=2000, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # The state whose email went out ("offered:2018-10-20T10:00:00+00:00"), so a task run
    # twice sends one email.
    notified_state = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_user",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("events:registration", kwargs={"pk": self.pk})

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status not in (self.Status.CANCELLED, self.Status.REJECTED)
