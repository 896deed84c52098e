"""Forms of the participant and session pages. They validate input; services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedInputMixin
from missions.forms import WallClockField
from organizations.models import Organization, Sector, validate_time_zone

from .autocomplete import participant_field
from .models import MarketplaceItem, MeetingKind, Participant, Session, Slot, Table


def _sectors_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class ProfileForm(LimitedInputMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none(), required=False
    )
    side = forms.ChoiceField(label=_("Side of the Atlantic"), choices=Participant.Side.choices)
    attendees = forms.IntegerField(
        label=_("People attending"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("Every one of them is blocked by a meeting (a cluster-to-cluster table)."),
    )
    attendee_names = forms.CharField(
        label=_("Names of the people attending"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sectors = _sectors_field()
    languages = forms.CharField(
        label=_("Meeting languages"),
        max_length=60,
        required=False,
        help_text=_("Two-letter codes separated by commas, e.g. en, de."),
    )
    max_meetings = forms.IntegerField(
        label=_("Maximum meetings"),
        min_value=1,
        max_value=200,
        required=False,
        help_text=_("Empty means the session's maximum."),
    )
    summary = forms.CharField(
        label=_("Profile summary"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_visible = forms.BooleanField(
        label=_("Visible to other participants"), required=False, initial=True
    )
    unavailable_slots = forms.ModelMultipleChoiceField(
        label=_("Slots I am not available"),
        queryset=Slot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session: Session, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(members=user).order_by(
            "name"
        )
        slots = Slot.objects.filter(session=session).select_related("session")
        self.fields["unavailable_slots"].queryset = slots
        zone = session.tz
        self.fields["unavailable_slots"].label_from_instance = lambda slot: (
            f"{slot.starts_at.astimezone(zone):%a %d %b %H:%M}–"
            f"{slot.ends_at.astimezone(zone):%H:%M} ({session.time_zone})"
        )

    def clean_languages(self) -> list[str]:
        return [code.strip() for code in self.cleaned_data["languages"].split(",") if code.strip()]

    @staticmethod
    def initial_from(participant: Participant) -> dict:
        return {
            "organization": participant.organization_id,
            "side": participant.side,
            "attendees": participant.attendees,
            "attendee_names": participant.attendee_names,
            "sectors": list(participant.sectors.all()),
            "languages": ", ".join(participant.languages),
            "max_meetings": participant.max_meetings,
            "summary": participant.summary,
            "is_visible": participant.is_visible,
            "unavailable_slots": list(participant.unavailable_slots.all()),
        }


class ItemForm(LimitedInputMixin, forms.Form):
    direction = forms.ChoiceField(
        label=_("Offer or request"), choices=MarketplaceItem.Direction.choices
    )
    item_type = forms.ChoiceField(label=_("Type"), choices=MarketplaceItem.ItemType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea
    )
    sectors = _sectors_field()


class RequestForm(LimitedInputMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(LimitedInputMixin, forms.Form):
    """Slot and table, shown only where the session lets participants pick."""

    slot = forms.ModelChoiceField(label=_("Slot"), queryset=Slot.objects.none(), required=False)
    table = forms.ModelChoiceField(label=_("Table"), queryset=Table.objects.none(), required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(session=session)
        self.fields["table"].queryset = Table.objects.filter(session=session)
        zone = session.tz
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{slot.starts_at.astimezone(zone):%a %d %b %H:%M} ({session.time_zone})"
        )


class DeclineForm(LimitedInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (the sender sees it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(LimitedInputMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=20000, required=False, widget=forms.Textarea
    )
    time_zone = forms.CharField(
        label=_("Venue time zone"),
        max_length=64,
        initial="Europe/Brussels",
        validators=[validate_time_zone],
    )
    meeting_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=5, max_value=240, initial=30
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Session.Phase.choices)
    requests_need_acceptance = forms.BooleanField(
        label=_("Requests need acceptance"), required=False, initial=True
    )
    request_expiry_days = forms.IntegerField(
        label=_("Days before an unanswered request expires"), min_value=1, max_value=90, initial=7
    )
    max_meetings_per_participant = forms.IntegerField(
        label=_("Maximum meetings per participant"), min_value=1, max_value=200, initial=8
    )
    participants_pick_slot = forms.BooleanField(
        label=_("Participants pick a slot themselves"), required=False
    )
    is_public = forms.BooleanField(label=_("Listed publicly"), required=False)

    @staticmethod
    def initial_from(session: Session) -> dict:
        return {name: getattr(session, name) for name in SessionForm.base_fields}


KIND_CHOICES = MeetingKind.choices


class DayForm(LimitedInputMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("First meeting starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Last meeting ends by"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    kinds = forms.MultipleChoiceField(
        label=_("Meeting kinds (none ticked: every kind)"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    breaks = forms.CharField(
        label=_("Breaks"),
        max_length=200,
        required=False,
        help_text=_("Venue wall clock, e.g. 10:30-11:00, 12:30-13:30"),
    )

    def clean_breaks(self) -> list[tuple[dt.time, dt.time]]:
        breaks = []
        for part in self.cleaned_data["breaks"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                start, end = (dt.time.fromisoformat(value.strip()) for value in part.split("-"))
            except ValueError as error:
                raise forms.ValidationError(_("Write each break as HH:MM-HH:MM.")) from error
            breaks.append((start, end))
        return breaks

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The last meeting must end after the first starts."))
        return cleaned


class SlotForm(LimitedInputMixin, forms.Form):
    starts_at = WallClockField(
        label=_("Starts at (venue time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Meeting kinds"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TablesForm(LimitedInputMixin, forms.Form):
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500, initial=1)
    prefix = forms.CharField(label=_("Name"), max_length=80, initial="Table")
    seats = forms.IntegerField(label=_("Seats each"), min_value=1, max_value=500, initial=2)


class MeetingAddForm(LimitedInputMixin, forms.Form):
    """Two participants of the session, typed by name (a session can have hundreds: no
    ``<select>`` of them), and the kind of meeting."""

    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"] = participant_field(session, label=_("Participant"))
        self.fields["receiver"] = participant_field(session, label=_("Meets"))
        self.order_fields(["sender", "receiver", "kind"])
