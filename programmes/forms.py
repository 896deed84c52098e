from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.forms import LimitedInputMixin
from common.text import no_control_characters
from organizations.autocomplete import organizations_field
from organizations.models import Organization, Sector

from .models import Outcome, Programme


def _ends_not_before_start(form, start: str, end: str) -> None:
    """The database refuses an end before the start; the form says so first."""
    starts_on, ends_on = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error(end, _("It ends before it starts: choose an end on or after the start."))


class OutcomeForm(LimitedInputMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Outcome.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_control_characters])
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day it was signed, opened or held."),
    )
    organizations = organizations_field(
        Organization.objects.none(), label=_("Organisations involved"), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Outcome.Visibility.choices,
        initial=Outcome.Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A PDF, DOCX, PNG or JPEG file of at most 10 MB. Never shown publicly."),
    )

    def __init__(self, *args, organizations=None, is_meeting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = (
            organizations if organizations is not None else Organization.objects.none()
        )
        if is_meeting:
            self.fields["organizations"].help_text = _(
                "Both sides of the meeting are included; add any other organisation involved."
            )


class PartnershipChangeForm(LimitedInputMixin, forms.Form):
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"),
        choices=list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target_regions = forms.CharField(
        label=_("Other target regions"),
        required=False,
        max_length=300,
        validators=[no_control_characters],
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Why this change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "target_countries": data["target_countries"],
            "target_regions": data["target_regions"],
            "sector_ids": [sector.pk for sector in data["sectors"]],
            "ends_on": data["ends_on"],
        }


class ProgrammeForm(LimitedInputMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "funder",
            "funding_reference",
            "starts_on",
            "ends_on",
            "description",
            "is_public",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        cleaned = super().clean()
        _ends_not_before_start(self, "starts_on", "ends_on")
        return cleaned


class ProgrammeLinkForm(LimitedInputMixin, forms.Form):
    """Add one mission, event or call to the programme's series."""

    mission = forms.ModelChoiceField(label=_("Mission"), queryset=None, required=False)
    event = forms.ModelChoiceField(label=_("Event"), queryset=None, required=False)
    call = forms.ModelChoiceField(label=_("Call"), queryset=None, required=False)

    def __init__(self, *args, missions, events, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["event"].queryset = events
        self.fields["call"].queryset = calls

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in ("mission", "event", "call") if cleaned.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one mission, event or call."))
        cleaned["activity"] = chosen[0]
        return cleaned


class PartnershipForm(LimitedInputMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[no_control_characters])
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    partners = organizations_field(
        Organization.objects.filter(validation_state="validated").order_by("name"),
        label=_("Partner organisations"),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_countries = forms.MultipleChoiceField(
        label=_("Target countries"),
        choices=list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target_regions = forms.CharField(
        label=_("Other target regions"),
        required=False,
        max_length=300,
        validators=[no_control_characters],
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        _ends_not_before_start(self, "starts_on", "ends_on")
        return cleaned
