"""Programmes, strategic cluster partnerships and the outcomes register.

This app sits above ``matchmaking`` and below ``reports``: it may read missions, events,
calls and meetings, and nothing below it knows it exists. That is why "a mission belongs to
a programme" is stored here, in relation tables whose child column is unique (a mission,
event or call belongs to at most one programme), and not as a field on the mission.

An outcome comes from exactly one source (a mission, an event, a matchmaking meeting or a
partnership); a check constraint holds that. The same MoU reported by both sides of a
meeting is one outcome with two confirmations: the reporting service matches a new report
against the outcomes already recorded (see ``programmes.services.outcomes``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.models import TimestampedModel
from common.text import no_control_characters
from matchmaking.models import Meeting, MeetingOutcome
from missions.calls.models import private_storage
from missions.models import Call, Event, Mission
from organizations.models import Organization, Sector


class Programme(TimestampedModel):
    """A funded programme (BILAT USA 4.0) that runs missions, events and calls."""

    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    funder = models.CharField(_("funder"), max_length=200, validators=[no_control_characters])
    funding_reference = models.CharField(
        _("funding reference"), max_length=100, blank=True, validators=[no_control_characters]
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), max_length=20000, blank=True)
    is_public = models.BooleanField(_("public page"), default=False)
    partners = models.ManyToManyField(
        Organization, through="ProgrammePartner", related_name="programmes", blank=True
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="programme_ends_not_before_start",
                violation_error_message=_("A programme ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})


class ProgrammePartner(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partner_links")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programme_links"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["role", "organization__name", "pk"]
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organization"], name="programme_partner_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class ProgrammeMission(models.Model):
    """A mission the programme runs; a mission belongs to at most one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mission_links")
    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="programme_link")

    class Meta:
        verbose_name = _("programme mission")
        verbose_name_plural = _("programme missions")

    def __str__(self) -> str:
        return f"{self.programme}: {self.mission}"


class ProgrammeEvent(models.Model):
    """An event the programme runs; an event belongs to at most one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="event_links")
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="programme_link")

    class Meta:
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")

    def __str__(self) -> str:
        return f"{self.programme}: {self.event}"


class ProgrammeCall(models.Model):
    """A call the programme runs; a call belongs to at most one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="call_links")
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="programme_link")

    class Meta:
        verbose_name = _("programme call")
        verbose_name_plural = _("programme calls")

    def __str__(self) -> str:
        return f"{self.programme}: {self.call}"


class Partnership(TimestampedModel):
    """A strategic cluster partnership (an ESCP): partners, sectors and target countries.

    New partnerships wait for validation before they are public, as organisation profiles
    do; once validated, changes proposed by partners' managers wait for approval.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting validation")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="partnerships", blank=True
    )
    partners = models.ManyToManyField(
        Organization, through="PartnershipMember", related_name="partnerships", blank=True
    )
    target_countries = CountryField(
        _("target countries"), multiple=True, blank=True, max_length=400
    )
    target_regions = models.CharField(
        _("other target regions"),
        max_length=300,
        blank=True,
        validators=[no_control_characters],
        help_text=_("Regions that are not one country, such as “Baltic Sea Region”."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="partnership_ends_not_before_start",
                violation_error_message=_("A partnership ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.VALIDATED


class PartnershipMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["role", "organization__name", "pk"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organization"], name="partnership_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class PartnershipChange(TimestampedModel):
    """A change to a partnership proposed by a manager of one of its partners.

    ``changes`` holds the proposed values of the editable fields only:
    ``{"description": "…", "target_countries": ["US", "JP"], "ends_on": "2020-12-31",
    "sector_ids": [3, 5]}``; approval applies them through the service.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="changes")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("on behalf of")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    changes = models.JSONField(_("proposed changes"), default=dict)
    reason = models.TextField(_("why"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("partnership change")
        verbose_name_plural = _("partnership changes")

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_status_display()}"


class Outcome(TimestampedModel):
    """Something that came of the work: an MoU, a roadmap, a joint office…"""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION_AGREEMENT = "cooperation_agreement", _("Cooperation agreement")
        JOINT_ROADMAP = "joint_roadmap", _("Joint internationalisation roadmap")
        MARKET_STUDY = "market_study", _("Market study")
        JOINT_OFFICE = "joint_office", _("Joint office abroad")
        LIVING_LAB = "living_lab", _("Living lab")
        BUSINESS_TRIP = "business_trip", _("Business trip")
        JOINT_PROJECT_PROPOSAL = "joint_project_proposal", _("Joint project proposal")
        INVESTMENT = "investment", _("Investment")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal: the organisations involved, organisers and staff")

    class State(models.TextChoices):
        REPORTED = "reported", _("Reported")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"), max_length=5000, blank=True)
    date = models.DateField(_("date"))
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organisations involved"), related_name="outcomes"
    )
    # Exactly one source (see the check constraint below).
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="outcomes"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    evidence = models.FileField(
        _("evidence"), storage=private_storage, upload_to="outcomes/", max_length=200, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REPORTED, db_index=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        mission__isnull=False,
                        event__isnull=True,
                        meeting__isnull=True,
                        partnership__isnull=True,
                    )
                    | Q(
                        mission__isnull=True,
                        event__isnull=False,
                        meeting__isnull=True,
                        partnership__isnull=True,
                    )
                    | Q(
                        mission__isnull=True,
                        event__isnull=True,
                        meeting__isnull=False,
                        partnership__isnull=True,
                    )
                    | Q(
                        mission__isnull=True,
                        event__isnull=True,
                        meeting__isnull=True,
                        partnership__isnull=False,
                    )
                ),
                name="outcome_exactly_one_source",
                violation_error_message=_(
                    "An outcome comes from exactly one mission, event, meeting or partnership."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="verified") | Q(verified_at__isnull=False),
                name="outcome_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", kwargs={"pk": self.pk})

    @property
    def source(self):
        return self.mission or self.event or self.meeting or self.partnership


class OutcomeConfirmation(models.Model):
    """One organisation (or person) saying this outcome happened.

    ``meeting_outcome`` is the matchmaking answer it was imported from, so an import run
    twice adds nothing.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="confirmations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting_outcome = models.OneToOneField(
        MeetingOutcome,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_confirmation",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outcome confirmation")
        verbose_name_plural = _("outcome confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "organization"],
                condition=Q(organization__isnull=False),
                name="outcome_confirmation_one_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.organization or self.person}"


def _remove_evidence_file(sender, instance: Outcome, using: str, **kwargs) -> None:
    """Remove the evidence file once the outcome's deletion is committed (as attachments)."""
    name = instance.evidence.name
    if not name:
        return
    storage = instance.evidence.storage
    transaction.on_commit(lambda: storage.delete(name), using=using, robust=True)


post_delete.connect(
    _remove_evidence_file, sender=Outcome, dispatch_uid="programmes_outcome_evidence_removal"
)
