"""Participants' profiles in a session and their marketplace items."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TimestampedModel
from common.text import no_control_characters
from organizations.models import Organization, Sector

from .sessions import Session, Slot


def new_agenda_token() -> str:
    return secrets.token_urlsafe(32)


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
