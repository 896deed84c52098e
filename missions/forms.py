"""Forms of the missions pages. Wall-clock times typed by organisers and hosts become aware
instants here, in the zone the form names; the services only ever see aware datetimes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedInputMixin
from common.text import no_control_characters
from common.widgets import FastSelect
from organizations.autocomplete import organization_field, organizations_field, people_field
from organizations.models import Organization, Role, Sector, User

from .models import DelegationMember, ItineraryDay, ItineraryItem, Mission
from .timezones import local, wall_time_to_utc

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WallClockField(forms.DateTimeField):
    """A date and time as the clocks at a place show it; the form adds the place's zone.

    Django also parses ISO 8601 with an offset (``2026-03-29T10:00+02:00``); the forms would
    drop that offset and read the clock in the venue's zone, a silent shift. It is refused.
    """

    def to_python(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                raise ValidationError(
                    _("Type the time as the clocks there show it, without a UTC offset or zone."),
                    code="offset",
                )
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _organizations():
    return Organization.objects.filter(
        validation_state=Organization.ValidationState.VALIDATED
    ).order_by("name")


class MissionForm(LimitedInputMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES, widget=FastSelect
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organiser_organizations = organizations_field(
        _organizations(), label=_("Organising organisations"), required=False
    )
    organisers = people_field(
        User.objects.none(),
        label=_("Organisers"),
        required=False,
        help_text=_(
            "People who plan this mission, each by email address. You are one when you create it."
        ),
    )

    class Meta:
        model = Mission
        fields = [
            "title",
            "direction",
            "start_date",
            "end_date",
            "countries",
            "sectors",
            "summary",
            "description",
            "time_zone",
            "organiser_organizations",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(no_control_characters)
        self.fields["organiser_organizations"].queryset = _organizations()
        if self.instance.pk:
            self.fields["organisers"].queryset = User.objects.filter(
                groups__name=str(Role.ORGANISER), is_active=True
            ).order_by("email")
            self.fields["organisers"].required = True
        else:
            del self.fields["organisers"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        return cleaned

    def mission_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("sectors")
        data.pop("organiser_organizations")
        data.pop("organisers", None)
        return data


class DayForm(LimitedInputMixin, forms.ModelForm):
    class Meta:
        model = ItineraryDay
        fields = ["date", "title"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(no_control_characters)


class ItemForm(LimitedInputMixin, forms.ModelForm):
    """The fields every kind shares: when, in which zone, what it is called."""

    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    end_date = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only if it ends on a later day (overnight travel)."),
    )
    time_zone = forms.ChoiceField(
        label=_("Venue time zone"),
        choices=TIME_ZONE_CHOICES,
        widget=FastSelect,
        help_text=_("Times are the clock at the venue (the departure for travel)."),
    )
    kind: str = ""
    kind_fields: list[str] = []
    field_order = ["title", "start_time", "end_time", "end_date", "time_zone"]

    class Meta:
        model = ItineraryItem
        fields = ["title", "time_zone", "is_public", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, day: ItineraryDay, **kwargs):
        self.day = day
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(no_control_characters)
        item = self.instance
        if item.pk:
            start, end = local(item.starts_at, item.time_zone), local(item.ends_at, item.end_zone)
            self.initial.update(start_time=start.time(), end_time=end.time())
            if end.date() != start.date():
                self.initial["end_date"] = end.date()
        else:
            self.initial.setdefault("time_zone", day.mission.time_zone)

    def clean(self):
        cleaned = super().clean()
        zone, start, end = (cleaned.get(k) for k in ("time_zone", "start_time", "end_time"))
        if not (zone and start and end):
            return cleaned
        end_date = cleaned.get("end_date") or self.day.date
        if end_date < self.day.date:
            raise ValidationError({"end_date": _("It cannot end before the day it starts.")})
        try:
            cleaned["starts_at"] = wall_time_to_utc(
                dt.datetime.combine(self.day.date, start), zone, field="start_time"
            )
            cleaned["ends_at"] = wall_time_to_utc(
                dt.datetime.combine(end_date, end),
                cleaned.get("arrival_time_zone") or zone,
                field="end_time",
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict) from error
        if cleaned["ends_at"] <= cleaned["starts_at"]:
            raise ValidationError({"end_time": _("The end must be after the start.")})
        return cleaned

    def _post_clean(self):
        # The services validate the item as a whole; the form only checks its own fields.
        pass

    def item_fields(self) -> dict:
        names = ["title", "time_zone", "is_public", "notes", "starts_at", "ends_at"]
        names += [n for n in self.kind_fields if n != "hosts"]
        return {name: self.cleaned_data.get(name) for name in names}


VENUE_FIELDS = ["venue_name", "venue_address", "city", "latitude", "longitude"]


class VenueFormMixin:
    """Latitude and longitude within the globe, both or neither (as the database requires)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in (("latitude", 90), ("longitude", 180)):
            field = self.fields[name]
            field.min_value, field.max_value = -limit, limit
            field.validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
            field.widget.attrs.update(min=-limit, max=limit)

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        one_only = (latitude is None) != (longitude is None)
        if one_only and not (self.has_error("latitude") or self.has_error("longitude")):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned


class VisitForm(VenueFormMixin, ItemForm):
    kind = ItineraryItem.Kind.VISIT
    kind_fields = ["hosts", "topic", "speakers", "visit_status", *VENUE_FIELDS]
    hosts = organizations_field(_organizations(), label=_("Hosts"))

    class Meta(ItemForm.Meta):
        fields = ItemForm.Meta.fields + ["topic", "speakers", "visit_status", *VENUE_FIELDS]
        widgets = {**ItemForm.Meta.widgets, "speakers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hosts"].queryset = _organizations()
        self.fields["visit_status"].required = False
        if self.instance.pk:
            self.initial["hosts"] = list(self.instance.hosts.all())


class TravelForm(ItemForm):
    kind = ItineraryItem.Kind.TRAVEL
    kind_fields = ["from_city", "to_city", "travel_mode", "arrival_time_zone"]
    arrival_time_zone = forms.ChoiceField(
        label=_("Arrival time zone"),
        choices=[("", _("Same as departure")), *TIME_ZONE_CHOICES],
        widget=FastSelect,
        required=False,
        help_text=_("The arrival time is the clock where the leg ends."),
    )
    field_order = ["title", "start_time", "time_zone", "end_time", "end_date", "arrival_time_zone"]

    class Meta(ItemForm.Meta):
        fields = ItemForm.Meta.fields + ["from_city", "to_city", "travel_mode", "arrival_time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_city", "to_city", "travel_mode"):
            self.fields[name].required = True


class SessionForm(VenueFormMixin, ItemForm):
    kind = ItineraryItem.Kind.SESSION
    kind_fields = ["session_kind", "hosts", *VENUE_FIELDS]
    hosts = organizations_field(_organizations(), label=_("Hosts"), required=False)

    class Meta(ItemForm.Meta):
        fields = ItemForm.Meta.fields + ["session_kind", *VENUE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session_kind"].required = True
        self.fields["hosts"].queryset = _organizations()
        if self.instance.pk:
            self.initial["hosts"] = list(self.instance.hosts.all())


ITEM_FORMS = {form.kind: form for form in (VisitForm, TravelForm, SessionForm)}


class PublishForm(LimitedInputMixin, forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for publishing despite the warnings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatusForm(LimitedInputMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Mission.Status.COMPLETED, Mission.Status.COMPLETED.label),
            (Mission.Status.ARCHIVED, Mission.Status.ARCHIVED.label),
        ]
    )


class DuplicateForm(LimitedInputMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the copy"), max_length=200, validators=[no_control_characters]
    )
    start_date = forms.DateField(label=_("First day of the copy"), widget=DateInput())


class DelegationMemberForm(LimitedInputMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))
    organization = organization_field(_organizations(), label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=DelegationMember.Role.choices)
    home_time_zone = forms.ChoiceField(
        label=_("Home time zone"),
        choices=[("", _("Their profile's zone")), *TIME_ZONE_CHOICES],
        widget=FastSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations()

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("Nobody with this address has an account."))
        self.cleaned_data["user"] = user
        return email


class ProposeTimeForm(LimitedInputMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    note = forms.CharField(label=_("Note to the organisers"), max_length=500, required=False)

    def __init__(self, *args, item: ItineraryItem, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)
        start, end = local(item.starts_at, item.time_zone), local(item.ends_at, item.time_zone)
        self.initial.update(date=start.date(), start_time=start.time(), end_time=end.time())
        for name in ("start_time", "end_time"):
            self.fields[name].help_text = _("Clock in %(zone)s.") % {"zone": item.time_zone}

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(k) for k in ("date", "start_time", "end_time"))
        if day and start and end:
            zone = self.item.time_zone
            try:
                cleaned["starts_at"] = wall_time_to_utc(
                    dt.datetime.combine(day, start), zone, field="start_time"
                )
                cleaned["ends_at"] = wall_time_to_utc(
                    dt.datetime.combine(day, end), zone, field="end_time"
                )
            except ValidationError as error:
                raise ValidationError(error.message_dict) from error
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                raise ValidationError({"end_time": _("The end must be after the start.")})
        return cleaned
