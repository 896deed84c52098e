"""People, organisations, sectors and the memberships that tie them together.

This app knows nothing of missions, matchmaking or reports; they build on it.
"""

from __future__ import annotations

import zoneinfo
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.models import TimestampedModel


def validate_time_zone(value: str) -> None:
    """Accept only IANA time-zone names (``Europe/Copenhagen``), never offsets or abbreviations."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not an IANA time zone."), params={"value": value})


class Role(models.TextChoices):
    """Portal-wide roles. Each is a Django group of the same name; a user may hold several."""

    ORGANISER = "organiser", _("Organiser")
    REVIEWER = "reviewer", _("Reviewer")
    US_APPLICANT = "us_applicant", _("US applicant")
    EU_CLUSTER_MANAGER = "eu_cluster_manager", _("EU cluster manager")
    HOST_CONTACT = "host_contact", _("Host contact")
    STAFF = "staff", _("Staff")
    SITE_ADMIN = "site_admin", _("Site administrator")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. They log in with their email address; their home zone drives time display."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    home_time_zone = models.CharField(
        _("home time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Times are shown in the venue's zone with this zone beside it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("May log into the Django admin site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The roles this user holds, read once per request."""
        if not self.is_active:
            return frozenset()
        names = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names.add(Role.SITE_ADMIN)
        return frozenset(names)

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.home_time_zone)


class Sector(models.Model):
    """An entry of the sector taxonomy, seeded from the mission documents, edited by organisers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    # A rename shows on the cached public pages that name the sector (common/pagecache.py).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Organization(TimestampedModel):
    """A cluster organisation, association, research body, agency, city or company."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster organisation")
        BUSINESS_ASSOCIATION = "business_association", _("Business association")
        RI_NETWORK = "ri_network", _("R&I network")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        UNIVERSITY = "university", _("University")
        ECONOMIC_DEVELOPMENT = "economic_development", _("Economic development agency")
        GOVERNMENT_PROGRAMME = "government_programme", _("Government programme")
        CITY = "city", _("City")
        COMPANY = "company", _("Company")

    class ValidationState(models.TextChoices):
        PENDING = "pending", _("Awaiting validation")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"))
    region = models.CharField(_("US state or EU region"), max_length=100, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), related_name="organizations", blank=True
    )
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    validation_state = models.CharField(
        _("validation state"),
        max_length=16,
        choices=ValidationState.choices,
        default=ValidationState.PENDING,
        db_index=True,
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The validated_at value whose email went out, so a retried task sends nothing twice.
    validation_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    members = models.ManyToManyField(
        User, through="Membership", related_name="organizations", blank=True
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="organization_latitude_range",
                violation_error_message=_("Latitude lies between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="organization_longitude_range",
                violation_error_message=_("Longitude lies between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="organization_coordinates_both_or_neither",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.validation_state == self.ValidationState.VALIDATED

    @property
    def kind_label(self) -> str:
        """``get_kind_display()`` for lists: Django's rebuilds a dictionary of every choice,
        hashing each lazily translated label, on every call (a fifth of the directory's
        rendering); the enum finds the one label."""
        try:
            return str(self.Kind(self.kind).label)
        except ValueError:
            return self.kind


class Membership(models.Model):
    """A user belongs to an organisation as a manager (edits its profile) or a member."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique_user_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class Invitation(TimestampedModel):
    """An offer to join an organisation, sent to an address; it becomes a membership only
    when the person with that address accepts it (nobody is added without consent).

    The address need not have an account yet: the answer to the manager and the email are
    the same either way, so an invitation reveals nothing about who has signed up. The
    token names the invitation in links; it works only for the signed-in person whose
    account uses the address, so it is a locator, not a key.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    # When it was last sent (renewing sends it again): the inviter's hourly limit counts these.
    invited_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and organisation: inviting again renews it.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(declined_at__isnull=True),
                name="invitation_accepted_or_declined",
            ),
        ]
        indexes = [models.Index(fields=["invited_by", "invited_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.expires_at > timezone.now()
        )
