import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedInputMixin
from common.text import no_control_characters

from .models import Membership, Organization, Sector, User

LOGO_MAX_BYTES = 1_000_000


class OrganizationForm(LimitedInputMixin, forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "country",
            "region",
            "city",
            "street_address",
            "latitude",
            "longitude",
            "website",
            "description",
            "sectors",
            "member_count",
            "logo",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_control_characters)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."))
        return logo

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    def profile(self) -> dict:
        """The cleaned profile fields, as the services take them."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "sectors"}
        if not data.get("logo"):
            data.pop("logo", None)
        return data


class ValidationDecisionForm(LimitedInputMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Organization.ValidationState.VALIDATED, _("Validate")),
            (Organization.ValidationState.REJECTED, _("Reject")),
        ]
    )


class SectorForm(LimitedInputMixin, forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(no_control_characters)


class ProfileForm(LimitedInputMixin, forms.ModelForm):
    home_time_zone = forms.ChoiceField(
        label=_("Home time zone"),
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
    )

    class Meta:
        model = User
        fields = ["full_name", "home_time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(no_control_characters)


class MembershipForm(LimitedInputMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
