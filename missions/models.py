"""Missions, their delegations, and their multi-site itineraries.

Every instant is stored in UTC next to the IANA zone of the place it happens in, so a
time can always be shown in the venue's zone and in the viewer's home zone.

Itinerary items are one table with a ``kind`` and kind-specific nullable fields, not one
table per kind: a day's items are ordered together, the planner reads them as one stream,
the itinerary page is one query, and check constraints keep each kind's required fields.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.models import TimestampedModel
from organizations.models import Organization, Sector, validate_time_zone


class Mission(TimestampedModel):
    """A cluster mission: a delegation travelling to meet hosts on the other side."""

    class Direction(models.TextChoices):
        US_TO_EU = "us_to_eu", _("US → EU")
        EU_TO_US = "eu_to_us", _("EU → US")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    # Published and completed missions are public; drafts and archived ones are not.
    PUBLIC_STATUSES = (Status.PUBLISHED, Status.COMPLETED)
    # The itinerary may be edited while the mission is being prepared or run.
    EDITABLE_STATUSES = (Status.DRAFT, Status.PUBLISHED)

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    countries = CountryField(_("countries visited"), multiple=True, blank=True, max_length=200)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="missions", blank=True
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("The default zone for new itinerary items."),
    )
    organiser_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organising organisations"),
        related_name="organised_missions",
        blank=True,
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        related_name="organised_missions",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # An organiser may publish despite planner warnings; who, when and why is kept here
    # and in the change log.
    publish_override_reason = models.TextField(
        _("reason for publishing despite warnings"), max_length=2000, blank=True
    )
    publish_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="mission_end_not_before_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Delegation(models.Model):
    """The people and organisations travelling on a mission; exactly one per mission."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="delegation")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return str(_("Delegation of %(mission)s") % {"mission": self.mission})


class DelegationMember(models.Model):
    """A person in the delegation, for one organisation, with their own home zone."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        MEMBER = "member", _("Member")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegation_memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="delegation_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    home_time_zone = models.CharField(
        _("home time zone"), max_length=64, validators=[validate_time_zone]
    )
    # SHA-256 of the secret in the private calendar URL; the secret itself is shown once.
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_token_created_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "user"], name="delegation_member_unique_user"
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role="head"),
                name="delegation_member_one_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organization})"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.home_time_zone)


class ItineraryDay(models.Model):
    """One calendar day of the itinerary, in the places the delegation is that day."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("itinerary day")
        verbose_name_plural = _("itinerary days")
        constraints = [
            models.UniqueConstraint(fields=["mission", "date"], name="itinerary_day_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}".strip()


class ItineraryItem(TimestampedModel):
    """A visit, a travel leg or a session on a day of the itinerary."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        TRAVEL = "travel", _("Travel leg")
        SESSION = "session", _("Session")

    class VisitStatus(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed by host")
        CANCELLED = "cancelled", _("Cancelled")

    class TravelMode(models.TextChoices):
        TRAIN = "train", _("Train")
        COACH = "coach", _("Coach")
        FLIGHT = "flight", _("Flight")
        CAR = "car", _("Car")
        FERRY = "ferry", _("Ferry")
        WALK = "walk", _("On foot")

    class SessionKind(models.TextChoices):
        ROUNDTABLE = "roundtable", _("Roundtable")
        WORKSHOP = "workshop", _("Workshop")
        MEAL = "meal", _("Meal")
        FREE_TIME = "free_time", _("Free time")

    day = models.ForeignKey(ItineraryDay, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("venue time zone"), max_length=64, validators=[validate_time_zone]
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown on the public page and calendar.")
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    # Where it happens (visits and sessions).
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Visits.
    hosts = models.ManyToManyField(
        Organization, verbose_name=_("hosts"), related_name="hosted_visits", blank=True
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    speakers = models.TextField(_("hosts' speakers"), max_length=2000, blank=True)
    visit_status = models.CharField(
        _("visit status"), max_length=16, choices=VisitStatus.choices, blank=True
    )
    proposed_starts_at = models.DateTimeField(_("proposed start"), null=True, blank=True)
    proposed_ends_at = models.DateTimeField(_("proposed end"), null=True, blank=True)
    proposal_note = models.CharField(_("host's note"), max_length=500, blank=True)
    # Travel legs.
    from_city = models.CharField(_("from"), max_length=100, blank=True)
    to_city = models.CharField(_("to"), max_length=100, blank=True)
    travel_mode = models.CharField(_("mode"), max_length=16, choices=TravelMode.choices, blank=True)
    # A leg may end in another zone (Copenhagen 10:00 → New York 12:30); blank: the same.
    arrival_time_zone = models.CharField(
        _("arrival time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    # Sessions.
    session_kind = models.CharField(
        _("session kind"), max_length=16, choices=SessionKind.choices, blank=True
    )
    # The iCalendar SEQUENCE (RFC 5545 §3.8.7.4): raised whenever its time, place or status
    # changes, so calendar programs replace their copy instead of keeping the old one.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    class Meta:
        ordering = ["position", "starts_at", "pk"]
        verbose_name = _("itinerary item")
        verbose_name_plural = _("itinerary items")
        indexes = [models.Index(fields=["day", "position"], name="itinerary_item_day_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="itinerary_item_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="travel") | (~Q(from_city="") & ~Q(to_city="")),
                name="itinerary_item_travel_has_cities",
            ),
            models.CheckConstraint(
                condition=~Q(kind="visit") | ~Q(visit_status=""),
                name="itinerary_item_visit_has_status",
            ),
            models.CheckConstraint(
                condition=~Q(kind="session") | ~Q(session_kind=""),
                name="itinerary_item_session_has_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="visit") | Q(visit_status=""),
                name="itinerary_item_status_only_for_visits",
            ),
            models.CheckConstraint(
                condition=Q(proposed_starts_at__isnull=True, proposed_ends_at__isnull=True)
                | Q(proposed_ends_at__gt=F("proposed_starts_at")),
                name="itinerary_item_proposal_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="itinerary_item_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def end_zone(self) -> str:
        """The zone its end is read in: a leg's arrival zone, else the venue's."""
        return self.arrival_time_zone or self.time_zone

    @property
    def place(self) -> str:
        """Where the delegation is once this item is over: the arrival city of a leg."""
        return self.to_city if self.kind == self.Kind.TRAVEL else self.city

    @property
    def is_cancelled(self) -> bool:
        return self.visit_status == self.VisitStatus.CANCELLED


class ChangeLogEntry(models.Model):
    """What changed in a mission, by whom; delegates read it, published changes are emailed."""

    class Action(models.TextChoices):
        MISSION_CHANGED = "mission_changed", _("Mission changed")
        PUBLISHED = "published", _("Published")
        PUBLISHED_WITH_OVERRIDE = "published_with_override", _("Published despite warnings")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ITEM_ADDED = "item_added", _("Item added")
        ITEM_CHANGED = "item_changed", _("Item changed")
        ITEM_REMOVED = "item_removed", _("Item removed")
        ITEMS_REORDERED = "items_reordered", _("Items reordered")
        DAY_CHANGED = "day_changed", _("Day changed")
        VISIT_CONFIRMED = "visit_confirmed", _("Visit confirmed by host")
        VISIT_TIME_PROPOSED = "visit_time_proposed", _("Host proposed another time")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="change_log")
    item = models.ForeignKey(
        ItineraryItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    summary = models.CharField(_("summary"), max_length=300)
    # Human-readable lines, one per changed field: ["Start: 09:00 CET → 10:00 CET", ...].
    changes = models.JSONField(_("changes"), default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Hosts of the item before and after the change: their contacts are told too.
    affected_hosts = models.ManyToManyField(Organization, related_name="+", blank=True)
    # Whether delegates and hosts are emailed; set once the task has taken the entry.
    notify = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log entries")

    def __str__(self) -> str:
        return self.summary


# Sub-domains of the missions app keep their models in their own packages; importing them
# here registers them with the app.
from .calls.models import *  # noqa: E402, F403
from .events.models import *  # noqa: E402, F403
