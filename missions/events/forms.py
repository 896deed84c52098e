"""Forms of the events pages. They validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Sector

from .models import Event, Registration

QUESTION_PREFIX = "question_"


class RegistrationForm(forms.Form):
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


class DecisionForm(forms.Form):
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

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = Registration.objects.filter(event=event)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=0, max_value=100_000)


class CheckInForm(forms.Form):
    registration = forms.ModelChoiceField(queryset=Registration.objects.none())

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = Registration.objects.filter(event=event)
