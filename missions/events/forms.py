"""Forms of the events pages. They validate input; the services decide."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.forms import LimitedInputMixin
from common.text import no_control_characters
from common.widgets import FastSelect
from organizations.autocomplete import organizations_field
from organizations.models import Organization, Sector

from ..forms import WallClockField
from ..models import Mission
from ..timezones import local, wall_time_to_utc
from .models import AgendaItem, AgendaPerson, Event, Registration

QUESTION_PREFIX = "question_"


class RegistrationForm(LimitedInputMixin, forms.Form):
    """Organisation, role, interests, consent, and the event's own questions."""

    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        help_text=_("The organisation you represent at the event."),
    )
    role = forms.CharField(
        label=_("Your role"),
        max_length=200,
        required=False,
        help_text=_("For example: cluster manager, international project manager."),
    )
    sectors_of_interest = forms.ModelMultipleChoiceField(
        label=_("Sectors of interest"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_matchmaking = forms.BooleanField(
        label=_("I would like to take part in matchmaking with the delegation"), required=False
    )
    consent_to_list = forms.BooleanField(
        label=_("Show my name and organisation on the participant list seen by other participants"),
        required=False,
    )

    def __init__(self, *args, event: Event, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["organization"].queryset = Organization.objects.filter(
            memberships__user=user
        ).order_by("name")
        event_sectors = list(event.sectors.all())
        self.fields["sectors_of_interest"].queryset = (
            Sector.objects.filter(pk__in=[s.pk for s in event_sectors])
            if event_sectors
            else Sector.objects.order_by("name")
        )
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = forms.CharField(
                label=question.label,
                help_text=question.help_text,
                required=question.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> dict[str, str]:
        return {
            str(question.pk): self.cleaned_data.get(f"{QUESTION_PREFIX}{question.pk}", "")
            for question in self.questions
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "role": data["role"],
            "sectors_of_interest": data["sectors_of_interest"],
            "wants_matchmaking": data["wants_matchmaking"],
            "consent_to_list": data["consent_to_list"],
            "answers": self.answers(),
        }


class DecisionForm(LimitedInputMixin, forms.Form):
    """The organiser's bulk decision on the registrations ticked in the list."""

    APPROVE, REJECT = "approve", "reject"

    registrations = forms.ModelMultipleChoiceField(
        label=_("Registrations"),
        queryset=Registration.objects.none(),
        error_messages={"required": _("Tick at least one registration.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    message = forms.CharField(
        label=_("Message to the people concerned (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, event: Event, hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["registrations"].queryset = Registration.objects.filter(event=event)
        if hidden:
            # The confirmation page carries the choice back unchanged, out of sight.
            self.fields["registrations"].widget = forms.MultipleHiddenInput()
            self.fields["decision"].widget = forms.HiddenInput()
            self.fields["message"].widget = forms.HiddenInput()

    def needs_confirmation(self) -> bool:
        """A rejection in bulk asks first, on a page of its own; an approval does not."""
        return self.cleaned_data["decision"] == self.REJECT and not self.cleaned_data["confirmed"]

    def confirmation_form(self) -> DecisionForm:
        """The same choice, confirmed, in hidden fields for the confirmation page's button."""
        data = self.data.copy()
        data["confirmed"] = "True"
        return DecisionForm(data, event=self.event, hidden=True)

    def rejection_lines(self) -> list[str]:
        """What the rejection will do, sentence by sentence, for the confirmation page."""
        from .services import REJECTABLE

        chosen = list(
            self.cleaned_data["registrations"]
            .select_related("user", "organization")
            .order_by("created_at", "pk")
        )
        rejected = [r for r in chosen if r.status in REJECTABLE]
        names = ", ".join(f"{r.user.get_full_name()} ({r.organization})" for r in rejected)
        lines = [
            ngettext(
                "%(count)s registration will be rejected: %(names)s.",
                "%(count)s registrations will be rejected: %(names)s.",
                len(rejected),
            )
            % {"count": len(rejected), "names": names or "—"}
        ]
        if len(rejected) < len(chosen):
            lines.append(
                ngettext(
                    "%(count)s ticked registration is already cancelled or rejected and stays "
                    "as it is.",
                    "%(count)s ticked registrations are already cancelled or rejected and stay "
                    "as they are.",
                    len(chosen) - len(rejected),
                )
                % {"count": len(chosen) - len(rejected)}
            )
        message = self.cleaned_data["message"].strip()
        if message:
            lines.append(
                _(
                    "Each person is emailed that their registration was declined, with your "
                    "message: “%(message)s”."
                )
                % {"message": message}
            )
        else:
            lines.append(_("Each person is emailed that their registration was declined."))
        lines.append(_("The seats they held are offered to the waiting list."))
        return lines


class CapacityForm(LimitedInputMixin, forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100_000)


class CheckInForm(LimitedInputMixin, forms.Form):
    registration = forms.ModelChoiceField(queryset=Registration.objects.none())
    undo = forms.BooleanField(required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = Registration.objects.filter(event=event)


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]
WALL_CLOCK_FORMAT = "%Y-%m-%dT%H:%M"


class WallClockInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=WALL_CLOCK_FORMAT, **kwargs)


def _wall_clock_field(label, *, required=True, help_text=""):
    return WallClockField(
        label=label,
        required=required,
        widget=WallClockInput(),
        input_formats=[WALL_CLOCK_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=help_text or _("On the venue's clocks."),
    )


def _to_instant(form, name: str, zone: str):
    """The instant at which the venue's clocks show the wall-clock value typed in ``name``."""
    value = form.cleaned_data.get(name)
    if value is None:
        return None
    try:
        return wall_time_to_utc(value.replace(tzinfo=None), zone, field=name)
    except ValidationError as error:
        form.add_error(name, error.message_dict.get(name, error.messages))
        return None


def _require_after(form, first: str, then: str, message: str) -> None:
    """The database refuses ``then`` not after ``first``; say so on the form first."""
    start, end = form.cleaned_data.get(first), form.cleaned_data.get(then)
    if start is not None and end is not None and end <= start:
        form.add_error(then, message)


class EventForm(LimitedInputMixin, forms.Form):
    """An event's details; times are typed as the venue's wall clock."""

    WALL_CLOCK_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_deadline")

    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters])
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=Mission.objects.none(),
        required=False,
        help_text=_("Leave empty for a stand-alone event."),
    )
    venue_name = forms.CharField(
        label=_("Venue"), max_length=200, required=False, validators=[no_control_characters]
    )
    venue_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    time_zone = forms.ChoiceField(
        label=_("Venue time zone"),
        choices=TIME_ZONE_CHOICES,
        initial="Europe/Brussels",
        widget=FastSelect,
    )
    starts_at = _wall_clock_field(_("Starts"))
    ends_at = _wall_clock_field(_("Ends"))
    registration_opens_at = _wall_clock_field(_("Registration opens"), required=False)
    registration_deadline = _wall_clock_field(_("Registration deadline"))
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100_000)
    approval_required = forms.BooleanField(
        label=_("Registrations need an organiser's approval"), required=False, initial=True
    )
    waiting_list_enabled = forms.BooleanField(
        label=_("Keep a waiting list"), required=False, initial=True
    )
    offer_hours = forms.IntegerField(
        label=_("Hours to accept a freed seat"), min_value=1, max_value=24 * 30, initial=48
    )
    description = forms.CharField(
        label=_("Description"), max_length=20000, required=False, widget=forms.Textarea
    )
    target_audience = forms.CharField(label=_("Target audience"), max_length=500, required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organising_partners = organizations_field(
        Organization.objects.order_by("name"), label=_("Organising partners"), required=False
    )

    def __init__(self, *args, user, event: Event | None = None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = Mission.objects.filter(organisers=user).order_by(
            "-start_date"
        )

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        initial = {
            name: getattr(event, name)
            for name in (
                "title",
                "kind",
                "mission",
                "venue_name",
                "venue_address",
                "city",
                "latitude",
                "longitude",
                "time_zone",
                "capacity",
                "approval_required",
                "waiting_list_enabled",
                "offer_hours",
                "description",
                "target_audience",
            )
        }
        for name in cls.WALL_CLOCK_FIELDS:
            value = getattr(event, name)
            initial[name] = local(value, event.time_zone).replace(tzinfo=None) if value else None
        initial["sectors"] = list(event.sectors.all())
        initial["organising_partners"] = list(event.organising_partners.all())
        return initial

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone")
        if zone:
            for name in self.WALL_CLOCK_FIELDS:
                cleaned[name] = _to_instant(self, name, zone)
        _require_after(self, "starts_at", "ends_at", _("The event must end after it starts."))
        _require_after(
            self,
            "registration_opens_at",
            "registration_deadline",
            _("The registration deadline must come after registration opens."),
        )
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        one_only = (latitude is None) != (longitude is None)
        if one_only and not (self.has_error("latitude") or self.has_error("longitude")):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned

    def event_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            "sectors": data.pop("sectors"),
            "organising_partners": data.pop("organising_partners"),
            **data,
        }


class AgendaItemForm(LimitedInputMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, validators=[no_control_characters])
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    starts_at = _wall_clock_field(_("Starts"))
    ends_at = _wall_clock_field(_("Ends"))
    parent = forms.ModelChoiceField(
        label=_("Nested in"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("For a speaker slot of a panel; leave empty for a top-level item."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    person_role = forms.ChoiceField(
        label=_("Speaker or moderator"),
        choices=[("", _("Nobody")), *AgendaPerson.Role.choices],
        required=False,
    )
    person_name = forms.CharField(
        label=_("Their name"), max_length=200, required=False, validators=[no_control_characters]
    )
    person_organization = forms.CharField(
        label=_("Their organisation"), max_length=200, required=False
    )
    person_side = forms.ChoiceField(
        label=_("Side of the Atlantic"),
        choices=[("", _("Not said")), *AgendaPerson.Side.choices],
        required=False,
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["parent"].queryset = AgendaItem.objects.filter(event=event, parent=None)

    def clean(self):
        cleaned = super().clean()
        for name in ("starts_at", "ends_at"):
            cleaned[name] = _to_instant(self, name, self.event.time_zone)
        _require_after(self, "starts_at", "ends_at", _("The item must end after it starts."))
        return cleaned

    def item_fields(self) -> dict:
        data = self.cleaned_data
        people = []
        if data["person_role"]:
            people.append(
                {
                    "role": data["person_role"],
                    "name": data["person_name"],
                    "organization_name": data["person_organization"],
                    "side": data["person_side"],
                }
            )
        return {
            "title": data["title"],
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "parent": data["parent"],
            "description": data["description"],
            "people": people,
        }


class QuestionForm(LimitedInputMixin, forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300, validators=[no_control_characters])
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
